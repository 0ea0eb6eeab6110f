/* supervise.c - one test, one sandboxed process, one honest verdict
 * (see supervise.h). */
#define _GNU_SOURCE
#include "supervise.h"
#include "blocked.h"
#include "clock.h"
#include "protocol.h"
#include "results.h"
#include "hints.h"
#include "sanitizer.h"
#include "verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SUP_REC_MAX (64 * 1024) /* report bytes kept from the test */

static int sigchld_fd = -1; /* write end of the supervisor's self-pipe */

#define SUP_CARRY 512 /* output kept to find a report that starts across reads */

/* What the supervisor watches while the test runs. */
typedef struct watch {
    int report_fd, output_fd, wake_fd;
    char records[SUP_REC_MAX];
    size_t records_len;
    char carry[SUP_CARRY];  /* the end of the output so far */
    size_t carry_len;
    sup_slot_t *slot;
} watch_t;

/* ---- the test process ---------------------------------------------------- */

/* Says on the report socket why the test could not start, after the
 * nonce waiting there, and ends. */
static _Noreturn void child_fails(const char *what)
{
    char buf[5 + 512];
    const char *why = strerror(errno);
    ssize_t got = recv(PROTO_FD, buf + 5, PROTO_NONCE_LEN, MSG_DONTWAIT);
    size_t off = got > 0 ? (size_t)got : 0;
    int n = snprintf(buf + 5 + off, sizeof buf - 5 - off, "%s: %s", what, why);
    uint32_t len = (uint32_t)off + (n < 0 ? 0 : (uint32_t)n);
    if (len > sizeof buf - 6)
        len = sizeof buf - 6;
    buf[0] = PROTO_ERROR;
    memcpy(buf + 1, &len, 4);
    if (write(PROTO_FD, buf, 5 + len) < 0) {
        /* nobody to tell */
    }
    _exit(127);
}

static void reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* In the forked test process: descriptors 0 (/dev/null), 1 and 2 (the
 * output pipe) and PROTO_FD (the report socket), nothing else; then the
 * sandbox, then the test binary. */
static _Noreturn void child_main(const sup_job_t *job, int report, int output)
{
    reset_signals();
    if (dup2(report, PROTO_FD) < 0)
        _exit(127);
    if (dup2(output, STDOUT_FILENO) < 0 || dup2(output, STDERR_FILENO) < 0)
        child_fails("cannot capture the output");
    sb_close_from(PROTO_FD + 1);
    if (sb_enter(&job->limits) < 0)
        child_fails("cannot isolate the test");
    /* After sb_enter(): a change of uid clears the parent-death signal. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    char ms[32];
    snprintf(ms, sizeof ms, "%.0f", job->limits.timeout_s * 1000);
    setenv("SOCKLAB_TEST_TIMEOUT_MS", ms, 1);
    char *argv[4] = {(char *)job->binary, "--sl-probe", NULL, NULL};
    if (job->test) {
        argv[1] = "--sl-test";
        argv[2] = (char *)job->test;
    }
    execv(job->binary, argv);
    child_fails(job->binary);
}

/* ---- watching ------------------------------------------------------------ */

static void on_sigchld(int sig)
{
    int saved = errno;
    (void)sig;
    if (write(sigchld_fd, "", 1) < 0) {
        /* the pipe is full: a wake-up is pending anyway */
    }
    errno = saved;
}

static void keep_output(sup_slot_t *s, const unsigned char *buf, size_t n)
{
    s->output_total += n;
    if (n >= SUP_OUT_MAX) {
        memcpy(s->output, buf + n - SUP_OUT_MAX, SUP_OUT_MAX);
        s->output_len = SUP_OUT_MAX;
        return;
    }
    if (s->output_len + n > SUP_OUT_MAX) {
        size_t drop = s->output_len + n - SUP_OUT_MAX;
        memmove(s->output, s->output + drop, s->output_len - drop);
        s->output_len -= drop;
    }
    memcpy(s->output + s->output_len, buf, n);
    s->output_len += n;
}

/* Keeps the first sanitizer report from its start, however long the
 * output grows after it: the verdict and the report shown need its head. */
static void keep_sanitizer(watch_t *w, const unsigned char *buf, size_t n)
{
    sup_slot_t *s = w->slot;
    if (s->san_len > 0) {
        size_t k = n < SUP_SAN_MAX - s->san_len ? n : SUP_SAN_MAX - s->san_len;
        memcpy(s->san + s->san_len, buf, k);
        s->san[s->san_len += k] = '\0';
        return;
    }
    static char scan[SUP_CARRY + SUP_OUT_MAX + 1];
    size_t len = w->carry_len + n;
    memcpy(scan, w->carry, w->carry_len);
    memcpy(scan + w->carry_len, buf, n);
    for (size_t i = 0; i < len; i++)
        scan[i] = scan[i] ? scan[i] : ' '; /* a NUL must not end the search */
    scan[len] = '\0';
    long at = san_report_start(scan);
    if (at >= 0) {
        s->san_len = len - (size_t)at < SUP_SAN_MAX ? len - (size_t)at : SUP_SAN_MAX;
        memcpy(s->san, scan + at, s->san_len);
        s->san[s->san_len] = '\0';
        return;
    }
    w->carry_len = len < SUP_CARRY ? len : SUP_CARRY;
    memcpy(w->carry, scan + len - w->carry_len, w->carry_len);
}

/* Reads what is there; returns 0 at end of file, 1 otherwise. */
static int drain(watch_t *w, int fd)
{
    unsigned char buf[SUP_OUT_MAX];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0)
            return errno == EINTR || errno == EAGAIN;
        if (fd == w->output_fd) {
            keep_output(w->slot, buf, (size_t)n);
            keep_sanitizer(w, buf, (size_t)n);
        } else {
            size_t room = SUP_REC_MAX - w->records_len;
            size_t k = (size_t)n < room ? (size_t)n : room;
            memcpy(w->records + w->records_len, buf, k);
            w->records_len += k;
        }
    }
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void wait_events(watch_t *w, double timeout_s)
{
    struct pollfd p[3] = {
        {w->wake_fd, POLLIN, 0}, {w->report_fd, POLLIN, 0}, {w->output_fd, POLLIN, 0}};
    int ms = timeout_s <= 0 ? 0 : (int)(timeout_s * 1000) + 1;
    if (poll(p, 3, ms) <= 0)
        return;
    char junk[64];
    if (p[0].revents && read(w->wake_fd, junk, sizeof junk) < 0) {
        /* the wake-up pipe is only a doorbell */
    }
    if (p[1].revents && !drain(w, w->report_fd))
        close_fd(&w->report_fd);
    if (p[2].revents && !drain(w, w->output_fd))
        close_fd(&w->output_fd);
}

/* Reaps what has ended: the test process (1, its status in *status) and
 * orphans of the test that came back to this subreaper, so their zombies
 * never count against the test's process limit. */
static double body_cpu; /* CPU seconds the test process used */

static int reap(pid_t body, int *status, int *others)
{
    int st, found = 0;
    struct rusage ru;
    pid_t r;
    while ((r = wait4(-1, &st, WNOHANG, &ru)) > 0)
        if (r != body) {
            (*others)++;
        } else {
            *status = st;
            body_cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
            found = 1;
        }
    return found;
}

/* Waits for the test process; returns its wait status, *timed_out set;
 * *swept counts the processes killed with it at its deadline. */
static int watch_body(watch_t *w, pid_t body, double limit, int *timed_out, int *swept)
{
    double deadline = clk_now() + limit;
    int status = 0, others = 0;
    *timed_out = 0;
    for (;;) {
        int found = reap(body, &status, &others);
        if (!*timed_out)
            others = 0; /* orphans that ended on their own, while it ran */
        if (found) {
            *swept = others;
            return status;
        }
        double left = deadline - clk_now();
        if (left <= 0 && !*timed_out) {
            *timed_out = 1;
            blk_describe(body, w->slot->blocked, sizeof w->slot->blocked);
            kill(-body, SIGKILL);
            kill(body, SIGKILL);
        }
        wait_events(w, *timed_out ? 0.05 : left);
    }
}

/* Everything the test started is dead, so both channels are at (or near)
 * end of file; a bounded wait covers a writer the sweep could not end. */
static void read_rest(watch_t *w)
{
    double end = clk_now() + 1.0;
    while ((w->report_fd >= 0 || w->output_fd >= 0) && clk_now() < end)
        wait_events(w, end - clk_now());
    close_fd(&w->report_fd);
    close_fd(&w->output_fd);
}

/* ---- setting up ---------------------------------------------------------- */

static int make_pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    return 0;
}

static int setup_supervisor(int wake[2])
{
    /* Orphans of the test come back here, so they die with their test. A
     * supervisor is no core dump and cannot be traced by the test. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 || make_pipe(wake) < 0)
        return -1;
    prctl(PR_SET_DUMPABLE, 0);
    fcntl(wake[1], F_SETFL, O_NONBLOCK);
    sigchld_fd = wake[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    return sigprocmask(SIG_UNBLOCK, &chld, NULL);
}

/* A fresh nonce, as hex text. */
static void fresh_nonce(char out[PROTO_NONCE_LEN + 1])
{
    unsigned long long n = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &n, sizeof n) != (ssize_t)sizeof n)
            n = 0;
        close(fd);
    }
    n ^= ((unsigned long long)getpid() << 32) ^ (unsigned long long)(clk_now() * 1e9);
    snprintf(out, PROTO_NONCE_LEN + 1, "%016llx", n);
}

/* fork(), tried again for a while when the user's process limit is reached
 * for now (a test beside this one may hold it until its deadline). */
static pid_t fork_retrying(double max_s)
{
    double end = clk_now() + max_s;
    for (;;) {
        pid_t pid = fork();
        if (pid >= 0 || errno != EAGAIN || clk_now() > end)
            return pid;
        clk_sleep(0.02);
    }
}

static void fail_setup(sup_slot_t *slot, const char *what)
{
    slot->status = RES_ERROR;
    snprintf(slot->message, sizeof slot->message, "grader: %s: %s", what, strerror(errno));
}

/* ---- judging ------------------------------------------------------------- */

static void judge(const sup_job_t *job, watch_t *w, const char *nonce, int status,
                  int timed_out)
{
    vd_records_t r;
    vd_parse(w->records, w->records_len, nonce, &r);
    if (!r.began && WIFEXITED(status) && WEXITSTATUS(status) == 127 && !r.error) {
        /* the loader could not start the binary (a missing library) */
        r.error = 1;
        snprintf(r.what, sizeof r.what, "the test binary could not start: %.*s",
                 (int)strcspn((const char *)w->slot->output, "\n"),
                 (const char *)w->slot->output);
    }
    char summary[SUP_MSG_MAX / 2] = "", root[512];
    int test_leak = 0;
    /* Only when the process said a sanitizer stopped it, or died before
     * main() the way a sanitizer ends one (exit status 1, or a signal):
     * text it printed cannot make a verdict otherwise. A leak the test's
     * own code allocated is never the student's. */
    int died = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 1);
    if ((r.sanitizer || r.leak || (!r.began && died && !timed_out)) && w->slot->san_len) {
        if (!getcwd(root, sizeof root))
            root[0] = '\0';
        san_summary(w->slot->san, job->src_dir, root, summary, sizeof summary);
        test_leak = r.leak && !r.sanitizer && !san_leak_is_students(w->slot->san, job->src_dir, root);
    }
    vd_end_t e = {status, timed_out, job->limits.timeout_s, job->test == NULL, summary,
                  test_leak, body_cpu, w->slot->blocked};
    vd_judge(&r, &e, w->slot);
    w->slot->san_kind[0] = '\0';
    if (w->slot->san_verdict)
        snprintf(w->slot->san_kind, sizeof w->slot->san_kind, "%s", hint_finding_kind(summary));
}

void sup_run(const sup_job_t *job, sup_slot_t *slot)
{
    static watch_t w;
    int wake[2], report[2], out[2];
    memset(&w, 0, sizeof w);
    w.slot = slot;
    if (setup_supervisor(wake) < 0 || make_pipe(out) < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, report) < 0) {
        fail_setup(slot, "cannot start the test");
        return;
    }
    char nonce[PROTO_NONCE_LEN + 1];
    fresh_nonce(nonce);
    if (write(report[0], nonce, PROTO_NONCE_LEN) != PROTO_NONCE_LEN) {
        fail_setup(slot, "cannot hand the test its nonce");
        return;
    }
    fcntl(report[0], F_SETFL, O_NONBLOCK);
    double start = clk_now();
    pid_t body = fork_retrying(2.0);
    if (body < 0) {
        fail_setup(slot, "fork");
        return;
    }
    if (body == 0)
        child_main(job, report[1], out[1]);
    /* Its own session it makes itself (sb_enter()): a setpgid() from here
     * could come first and make setsid() fail. Until then it runs nothing
     * of the test's, and kill(body) reaches it. */
    slot->body = sb_in_namespace() ? 0 : body;
    close(report[1]);
    close(out[1]);
    w.report_fd = report[0], w.output_fd = out[0], w.wake_fd = wake[0];
    int timed_out, swept, status = watch_body(&w, body, job->limits.timeout_s, &timed_out, &swept);
    slot->seconds = clk_now() - start;
    slot->swept = swept + sb_sweep(body, 5.0);
    read_rest(&w);
    judge(job, &w, nonce, status, timed_out);
}
