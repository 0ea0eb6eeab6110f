/* client.c - a client program run to its end with given stdin bytes
 * (see sl_harness.h). */
#include "harness.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Writes what of in the program takes now; closes its stdin once all is in. */
static void feed(sl_prog_t *p, const char *in, size_t len, size_t *off)
{
    while (p->in_fd >= 0 && *off < len) {
        ssize_t n = write(p->in_fd, in + *off, len - *off);
        if (n > 0) {
            *off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EAGAIN)
            return;
        break; /* EPIPE: it stopped reading; what is left goes nowhere */
    }
    if (p->in_fd >= 0) {
        close(p->in_fd);
        p->in_fd = -1;
    }
}

int sl_run(sl_run_t *r, const char *name, const char *const *args,
           const void *in, size_t in_len, int ms)
{
    return sl_run_env(r, name, args, in, in_len, ms, NULL);
}

int sl_run_env(sl_run_t *r, const char *name, const char *const *args,
               const void *in, size_t in_len, int ms, const char *const *env)
{
    char shown[200];
    memset(r, 0, sizeof *r);
    if (sl_prog_start_env(&r->prog, name, args, 1, env) < 0)
        return -1;
    sl_prog_t *p = &r->prog;
    fcntl(p->in_fd, F_SETFL, O_NONBLOCK);
    if (in_len)
        sl_note("%s's stdin: %zu bytes: %s", name, in_len, sl_show(in, in_len, 60, shown, sizeof shown));
    double deadline = sl_deadline(ms);
    size_t off = 0;
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        feed(p, in, in_len, &off);
        if (sl_prog_wait(p, clk_now()) == 0)
            break;
        if (clk_now() >= deadline) {
            r->timed_out = 1;
            kill(p->pid, SIGKILL);
            sl_prog_wait(p, sl_deadline(1000));
            return hn_error("%s was still running after %d ms (it was killed): does it stop "
                            "at the end of its input?", name, sl_scaled_ms(ms));
        }
        hn_wait(p, p->in_fd, POLLOUT, deadline); /* room in its stdin, output, or its end */
    }
    char how[96];
    sl_note("%s %s; stdout %zu bytes, stderr %zu bytes", name, sl_prog_how(p, how, sizeof how),
            p->out.total, p->err.total);
    return 0;
}

void sl_run_free(sl_run_t *r)
{
    sl_prog_free(&r->prog);
}
