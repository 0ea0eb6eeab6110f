/* checks.c - checks that tests of lesson programs share (see sl_checks.h). */
#include "sl_checks.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

double sl_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

void sl_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

const char *sl_port_text(int port)
{
    static char bufs[4][12];
    static unsigned next;
    char *b = bufs[next++ % 4];

    snprintf(b, sizeof bufs[0], "%d", port);
    return b;
}

const char *sl_bytes(const void *buf, size_t len)
{
    static char out[8][1024];
    static unsigned next;
    char *o = out[next++ % 8];

    return sl_show(buf, len, 200, o, sizeof out[0]);
}

const char *sl_bytes_brief(const void *buf, size_t len)
{
    static char out[4][256];
    static unsigned next;
    char *o = out[next++ % 4];

    return sl_show(buf, len, 40, o, sizeof out[0]);
}

const char *sl_last_line(const sl_prog_t *p)
{
    static char out[2][1300];
    static unsigned next;
    char *o = out[next++ % 2];
    size_t end = p->err.len, start;

    while (end > 0 && (p->err.data[end - 1] == '\n' || p->err.data[end - 1] == ' '))
        end--;
    start = end;
    while (start > 0 && p->err.data[start - 1] != '\n')
        start--;
    if (end == start)
        return "";
    return sl_show(p->err.data + start, end - start, 300, o, sizeof out[0]);
}

const char *sl_last_words(const sl_prog_t *p)
{
    static char out[1400];
    const char *line = sl_last_line(p);

    if (!*line)
        return "";
    snprintf(out, sizeof out, ": its last words: %s", line);
    return out;
}

sl_end_t sl_end_of(const sl_prog_t *p)
{
    if (!p->ended)
        return SL_END_RUNNING;
    if (WIFSIGNALED(p->status))
        return WTERMSIG(p->status) == SIGPIPE ? SL_END_SIGPIPE : SL_END_SIGNAL;
    if (WEXITSTATUS(p->status) == 0)
        return SL_END_EXIT_0;
    return strstr(p->err.data, strerror(EINTR)) ? SL_END_EINTR : SL_END_EXIT;
}

int sl_prog_ended(sl_prog_t *p)
{
    sl_prog_read(p, NULL, sl_deadline(0));
    if (!p->ended)
        return 0;
    sl_prog_check_todo(p);
    return 1;
}

void sl_fail_ended_at(const char *file, int line, const sl_prog_t *p, const char *said)
{
    char how[SL_PROG_HOW_MAX];

    sl_prog_how(p, how, sizeof how);
    if (sl_end_of(p) == SL_END_SIGPIPE)
        sl_fail_at(file, line, 1, "%s: %s %s: a send() to a client that had gone raised SIGPIPE",
                   said, p->name, how);
    sl_fail_at(file, line, 1, "%s: %s %s%s", said, p->name, how, sl_last_words(p));
}

const char *const *sl_shortio_vars(sl_shortio_t *e, const char *seed, const char *modes)
{
    const char *const *vars = sl_shortio_env(e, seed, modes, NULL);

    if (!vars)
        sl_harness_fail(__FILE__, __LINE__);
    return vars;
}

int sl_peer_ended(void)
{
    const char *e = sl_harness_error();

    return strstr(e, "connection closed") || strstr(e, "ECONNRESET") ||
           strstr(e, "reset the connection") || strstr(e, "closed the connection");
}

void sl_run_checked_at(const char *file, int line, sl_run_t *r, const char *name,
                       const char *const *args, const void *in, size_t in_len, int ms)
{
    int rc = sl_run(r, name, args, in, in_len, ms);

    sl_prog_check_todo(&r->prog);
    if (rc < 0 && r->timed_out && strstr(name, "server"))
        sl_fail_at(file, line, 1,
                   "%s was still running after %d ms (it was killed): given these "
                   "arguments it must not serve, but say what is wrong and exit",
                   r->prog.command, sl_scaled_ms(ms));
    if (rc < 0)
        sl_harness_fail(file, line);
}

int sl_run_status(const sl_run_t *r)
{
    return WIFEXITED(r->prog.status) ? WEXITSTATUS(r->prog.status) : -1;
}

int sl_check_prog_exit_at(const char *file, int line, const sl_prog_t *p, const char *what,
                          int want)
{
    char how[SL_PROG_HOW_MAX];

    if (WIFEXITED(p->status) && WEXITSTATUS(p->status) == want)
        return 1;
    sl_fail_at(file, line, 0, "%s %s: expected exit status %d%s%s", what,
               sl_prog_how(p, how, sizeof how), want, p->err.len ? "; its stderr: " : "",
               p->err.len ? sl_bytes(p->err.data, p->err.len) : "");
    return 0;
}

int sl_check_exit_at(const char *file, int line, const sl_run_t *r, const char *what, int want)
{
    return sl_check_prog_exit_at(file, line, &r->prog, what, want);
}

void sl_check_prog_error_line_at(const char *file, int line, const sl_prog_t *p,
                                 const char *what, const char *has)
{
    const char *e = p->err.data;
    const char *nl = p->err.len ? memchr(e, '\n', p->err.len) : NULL;
    char prefix[80];

    snprintf(prefix, sizeof prefix, "%s: ", p->name);
    if (p->err.len == 0)
        sl_fail_at(file, line, 0,
                   "%s printed nothing on stderr: expected one line \"%sWHAT FAILED: REASON\"",
                   what, prefix);
    else if (nl == NULL || (size_t)(nl - e) + 1 != p->err.len)
        sl_fail_at(file, line, 0,
                   "%s printed %s on stderr: expected exactly one line \"%sWHAT FAILED: "
                   "REASON\"", what, sl_bytes(e, p->err.len), prefix);
    else if (strncmp(e, prefix, strlen(prefix)) != 0)
        sl_fail_at(file, line, 0, "%s printed %s on stderr: the line must start with \"%s\"",
                   what, sl_bytes(e, p->err.len), prefix);
    else if (has != NULL && strstr(e, has) == NULL)
        sl_fail_at(file, line, 0, "%s printed %s on stderr: expected the reason, \"%s\", in it",
                   what, sl_bytes(e, p->err.len), has);
}

/* Is line[0, len) "NAME: what failed: reason": the name, ": ", then some
 * text with a ": " in it and something after? */
static int err_line_ok(const char *at, size_t len, const char *name)
{
    size_t nl = strlen(name), i = nl + 2;

    if (len == 0)
        return 1;
    if (len <= nl + 2 || strncmp(at, name, nl) != 0 || at[nl] != ':' || at[nl + 1] != ' ')
        return 0;
    while (i + 1 < len && !(at[i] == ':' && at[i + 1] == ' '))
        i++;
    return i + 2 < len;
}

void sl_check_err_lines_at(const char *file, int line, sl_prog_t *p)
{
    const char *at, *end;

    sl_prog_read(p, NULL, sl_deadline(0));
    end = p->err.data + p->err.len;
    for (at = p->err.data; at < end;) {
        const char *eol = memchr(at, '\n', (size_t)(end - at));
        size_t len = eol ? (size_t)(eol - at) : (size_t)(end - at);

        if (!err_line_ok(at, len, p->name))
            sl_fail_at(file, line, 1, "%s printed %s on stderr: expected each line in the "
                       "form \"%s: WHAT FAILED: REASON\"", p->name, sl_bytes(at, len), p->name);
        at += len + 1;
    }
}

void sl_check_error_line_at(const char *file, int line, const sl_run_t *r, const char *what,
                            const char *has)
{
    sl_check_prog_error_line_at(file, line, &r->prog, what, has);
}

void sl_check_bad_usage_at(const char *file, int line, const char *name,
                           const char *const *args, const char *what)
{
    sl_run_t r;
    char words[160];

    snprintf(words, sizeof words, "%s %s", name, what);
    sl_run_checked_at(file, line, &r, name, args, NULL, 0, 2000);
    if (sl_check_exit_at(file, line, &r, words, 2)) {
        if (strstr(r.prog.err.data, "usage") == NULL && strstr(r.prog.err.data, "Usage") == NULL)
            sl_fail_at(file, line, 0,
                       "%s printed %s on stderr: expected a line saying the usage "
                       "(\"usage: %s ...\")", words, sl_bytes(r.prog.err.data, r.prog.err.len),
                       name);
        if (r.prog.out.len != 0)
            sl_fail_at(file, line, 0, "%s printed %s on stdout: bad usage goes to stderr", words,
                       sl_bytes(r.prog.out.data, r.prog.out.len));
    }
    sl_run_free(&r);
}
