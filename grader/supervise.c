/* supervise.c - one test, one process, one honest verdict (see supervise.h). */
#include "supervise.h"
#include "results.h"
#include "todo.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SUP_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SUP_ASAN 1
#endif
#ifdef SUP_ASAN
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#endif

/* Records on the result pipe: a type byte, a 32-bit length, the payload. */
enum { REC_FAIL = 'F', REC_COUNT = 'C', REC_TODO = 'T', REC_DONE = 'D',
       REC_ERROR = 'E', REC_SANITIZER = 'S' };

#define SUP_REC_MAX (64 * 1024) /* result bytes kept from the body */
#define SUP_FAILS_SENT 8        /* failures sent in full; then only a count */
#define SUP_RESULT_FD 3         /* the result pipe, in the test process */

static int result_fd = -1;  /* body side of the result pipe */
static int sigchld_fd = -1; /* write end of the supervisor's self-pipe */
static void *hidden;        /* memory the body must not see */
static size_t hidden_len;
static unsigned long long nonce; /* the done record must carry it */

void sup_hide(void *base, size_t len)
{
    hidden = base;
    hidden_len = len;
}

/* ---- the test process ---------------------------------------------------- */

static void send_record(int type, const char *fmt, ...)
{
    char buf[SUP_MSG_MAX + 8];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + 5, sizeof buf - 5, fmt, ap);
    va_end(ap);
    uint32_t len = n < 0 ? 0 : (uint32_t)n;
    if (len > sizeof buf - 6)
        len = sizeof buf - 6;
    buf[0] = (char)type;
    memcpy(buf + 1, &len, 4);
    for (size_t off = 0, all = 5 + len; off < all; ) {
        ssize_t w = write(result_fd, buf + off, all - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (size_t)w;
    }
}

static void send_failures(void)
{
    int n = 0;
    for (CU_pFailureRecord f = CU_get_failure_list(); f; f = f->pNext)
        if (n++ < SUP_FAILS_SENT)
            send_record(REC_FAIL, "%s:%u: %s", f->strFileName ? f->strFileName : "?",
                        f->uiLineNumber, f->strCondition ? f->strCondition : "");
    if (n > SUP_FAILS_SENT)
        send_record(REC_COUNT, "%d", n);
}

/* TODO() reached: what failed before it still counts. */
static _Noreturn void body_todo(const char *func)
{
    fflush(NULL);
    send_failures();
    send_record(REC_TODO, "%s", func);
    _exit(0);
}

/* Runs if the code under test calls exit(): what failed so far still counts. */
static void send_failures_at_exit(void)
{
    fflush(NULL);
    send_failures();
}

#ifdef SUP_ASAN
/* The sanitizer found an error and is about to exit(1): say so first. */
static void on_sanitizer_death(void)
{
    send_record(REC_SANITIZER, "");
}
#endif

/* UndefinedBehaviorSanitizer calls this (a weak hook of its runtime) on each
 * report; its runtime keeps a death callback of its own, apart from ASan's.
 * Builds are -fno-sanitize-recover, so a report ends the test. Never called
 * in a build without UBSan. */
void __ubsan_on_report(void);
void __ubsan_on_report(void)
{
    if (result_fd >= 0)
        send_record(REC_SANITIZER, "");
}

static void check_leaks(void)
{
#ifdef SUP_ASAN
    if (__lsan_do_recoverable_leak_check())
        send_record(REC_FAIL, "memory leak: the code under test did not free "
                              "what it allocated (LeakSanitizer's report is in "
                              "the output)");
#endif
}

static void reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Standard output and error into the output pipe, the result pipe at
 * SUP_RESULT_FD, and nothing else open: no other pipe, no descriptor of
 * whoever started the grader, no view of the other tests' slots. */
static int body_descriptors(int rfd, int ofd)
{
    if (dup2(ofd, STDOUT_FILENO) < 0 || dup2(ofd, STDERR_FILENO) < 0 ||
        dup2(rfd, SUP_RESULT_FD) < 0)
        return -1;
    result_fd = SUP_RESULT_FD;
    sb_close_from(SUP_RESULT_FD + 1);
    if (hidden)
        munmap(hidden, hidden_len);
    return 0;
}

static _Noreturn void body_main(CU_pSuite suite, CU_pTest test,
                                const sb_limits_t *lim, int rfd, int ofd)
{
    reset_signals();
    result_fd = rfd;
    if (body_descriptors(rfd, ofd) < 0) {
        send_record(REC_ERROR, "cannot capture output: %s", strerror(errno));
        _exit(0);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (sb_enter(lim) < 0) {
        send_record(REC_ERROR, "cannot isolate the test: %s", strerror(errno));
        _exit(0);
    }
    /* After sb_enter(): a change of uid clears the parent-death signal. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sl_todo_hook = body_todo;
    atexit(send_failures_at_exit);
#ifdef SUP_ASAN
    __sanitizer_set_death_callback(on_sanitizer_death);
#endif
    CU_run_test(suite, test);
    fflush(NULL);
    check_leaks();
    send_failures();
    send_record(REC_DONE, "%llx", nonce);
    _exit(0);
}

/* ---- the supervisor ------------------------------------------------------ */

typedef struct watch {
    int result_fd, output_fd, wake_fd;
    char records[SUP_REC_MAX];
    size_t records_len;
    sup_slot_t *slot;
} watch_t;

static void on_sigchld(int sig)
{
    int saved = errno;
    (void)sig;
    if (write(sigchld_fd, "", 1) < 0) {
        /* the pipe is full: a wake-up is pending anyway */
    }
    errno = saved;
}

static int make_pipe(int fds[2], int nonblock_read)
{
    if (pipe(fds) < 0)
        return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    if (nonblock_read)
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
    return 0;
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

/* Reads what is there; returns 0 at end of file, 1 otherwise. */
static int drain(watch_t *w, int fd)
{
    unsigned char buf[8192];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0)
            return errno == EINTR ? 1 : (errno == EAGAIN ? 1 : 0);
        if (fd == w->output_fd) {
            keep_output(w->slot, buf, (size_t)n);
        } else {
            size_t room = SUP_REC_MAX - w->records_len;
            size_t k = (size_t)n < room ? (size_t)n : room;
            memcpy(w->records + w->records_len, buf, k);
            w->records_len += k;
        }
    }
}

static void wait_events(watch_t *w, double timeout_s)
{
    struct pollfd p[3] = {
        {w->wake_fd, POLLIN, 0}, {w->result_fd, POLLIN, 0}, {w->output_fd, POLLIN, 0}};
    int ms = timeout_s <= 0 ? 0 : (int)(timeout_s * 1000) + 1;
    if (poll(p, 3, ms) <= 0)
        return;
    char junk[64];
    if (p[0].revents && read(w->wake_fd, junk, sizeof junk) < 0) {
        /* nothing to do: the wake-up pipe is only a doorbell */
    }
    if (p[1].revents && !drain(w, w->result_fd)) {
        close(w->result_fd);
        w->result_fd = -1;
    }
    if (p[2].revents && !drain(w, w->output_fd)) {
        close(w->output_fd);
        w->output_fd = -1;
    }
}

/* Waits for the body; returns its wait status, with *timed_out set. */
static int watch_body(watch_t *w, pid_t body, double limit, int *timed_out)
{
    double deadline = sb_now() + limit;
    int status;
    *timed_out = 0;
    for (;;) {
        pid_t r = waitpid(body, &status, WNOHANG);
        if (r == body)
            return status;
        double left = deadline - sb_now();
        if (left <= 0 && !*timed_out) {
            *timed_out = 1;
            kill(-body, SIGKILL);
            kill(body, SIGKILL);
        }
        wait_events(w, *timed_out ? 0.05 : left);
    }
}

static void read_rest(watch_t *w)
{
    /* Everything the test started is dead, so both pipes are at (or near)
     * end of file; a bounded wait covers a writer the sweep could not end. */
    double end = sb_now() + 1.0;
    while ((w->result_fd >= 0 || w->output_fd >= 0) && sb_now() < end)
        wait_events(w, end - sb_now());
    if (w->result_fd >= 0)
        close(w->result_fd);
    if (w->output_fd >= 0)
        close(w->output_fd);
}

typedef struct records {
    int done, todo, error, sanitizer, failures, counted;
    char first[SUP_MSG_MAX], what[SUP_MSG_MAX];
} records_t;

/* A done record carries this run's nonce: "done" written by the code
 * under test into a stray descriptor does not count. */
static int done_is_genuine(const char *p, int n)
{
    char want[32];
    int len = snprintf(want, sizeof want, "%llx", nonce);
    return n == len && memcmp(p, want, (size_t)n) == 0;
}

static void parse_records(const watch_t *w, records_t *r)
{
    memset(r, 0, sizeof *r);
    for (size_t off = 0; off + 5 <= w->records_len; ) {
        uint32_t len;
        memcpy(&len, w->records + off + 1, 4);
        if (off + 5 + len > w->records_len)
            break;
        int type = w->records[off];
        int n = len < SUP_MSG_MAX - 1 ? (int)len : SUP_MSG_MAX - 1;
        const char *p = w->records + off + 5;
        if (type == REC_DONE)
            r->done = done_is_genuine(p, n);
        else if (type == REC_COUNT)
            r->counted = atoi(p);
        else if (type == REC_SANITIZER)
            r->sanitizer = 1;
        else if (type == REC_TODO && !r->todo)
            r->todo = 1, snprintf(r->what, sizeof r->what, "%.*s", n, p);
        else if (type == REC_ERROR && !r->error)
            r->error = 1, snprintf(r->what, sizeof r->what, "%.*s", n, p);
        else if (type == REC_FAIL && r->failures++ == 0)
            snprintf(r->first, sizeof r->first, "%.*s", n, p);
        off += 5 + len;
    }
    if (r->counted > r->failures)
        r->failures = r->counted;
}

static void set_verdict(sup_slot_t *s, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_verdict(sup_slot_t *s, int status, const char *fmt, ...)
{
    va_list ap;
    s->status = status;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
}

static void judge_exit(sup_slot_t *s, const records_t *r, int code)
{
    if (r->error)
        set_verdict(s, RES_ERROR, "grader: %s", r->what);
    else if (!r->done)
        set_verdict(s, RES_FAIL, "the test did not finish: exit(%d) was "
                    "called during the test%s%s", code,
                    r->failures ? "; before that: " : "", r->first);
    else if (r->failures > 1)
        set_verdict(s, RES_FAIL, "%s\n(and %d more failed checks)", r->first,
                    r->failures - 1);
    else if (r->failures)
        set_verdict(s, RES_FAIL, "%s", r->first);
    else
        set_verdict(s, RES_PASS, "%s", "");
}

static void judge(sup_slot_t *s, const records_t *r, int status,
                  int timed_out, double limit)
{
    char sig[96];
    if (r->todo && r->failures)
        set_verdict(s, RES_FAIL, "%s\n(then: not implemented: %s)", r->first, r->what);
    else if (r->todo)
        set_verdict(s, RES_TODO, "not implemented: %s", r->what);
    else if (r->sanitizer)
        set_verdict(s, RES_CRASH, "crashed: the sanitizer found a memory or "
                    "undefined-behaviour error (its report is in the output)");
    else if (timed_out)
        set_verdict(s, RES_TIMEOUT, "timed out: still running after %.1f s%s%s",
                    limit, r->failures ? "; before that: " : "", r->first);
    else if (WIFSIGNALED(status))
        set_verdict(s, RES_CRASH, "crashed: killed by %s%s%s",
                    sb_signal_desc(WTERMSIG(status), sig, sizeof sig),
                    r->failures ? "; before that: " : "", r->first);
    else
        judge_exit(s, r, WEXITSTATUS(status));
}

static int setup_supervisor(int wake[2])
{
    /* Orphans of the test come back here (not to the runner), so they die
     * with their own test. Not inherited through fork(): set it here. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 || make_pipe(wake, 1) < 0)
        return -1;
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

static unsigned long long fresh_nonce(void)
{
    unsigned long long n = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &n, sizeof n) != (ssize_t)sizeof n)
            n = 0;
        close(fd);
    }
    return n ^ ((unsigned long long)getpid() << 32) ^ (unsigned long long)(sb_now() * 1e9);
}

/* fork(), tried again for a while when the user's process limit is reached
 * for now (a test beside this one may hold it until its deadline). */
static pid_t fork_retrying(double max_s)
{
    double end = sb_now() + max_s;
    for (;;) {
        pid_t pid = fork();
        if (pid >= 0 || errno != EAGAIN || sb_now() > end)
            return pid;
        struct timespec ts = {0, 20 * 1000000};
        nanosleep(&ts, NULL);
    }
}

void sup_run(CU_pSuite suite, CU_pTest test, const sb_limits_t *lim,
             sup_slot_t *slot)
{
    static watch_t w;
    int wake[2], res[2], out[2];
    memset(&w, 0, sizeof w);
    w.slot = slot;
    if (setup_supervisor(wake) < 0 || make_pipe(res, 1) < 0 || make_pipe(out, 1) < 0) {
        set_verdict(slot, RES_ERROR, "grader: cannot start the test: %s", strerror(errno));
        return;
    }
    nonce = fresh_nonce();
    double start = sb_now();
    pid_t body = fork_retrying(2.0);
    if (body < 0) {
        set_verdict(slot, RES_ERROR, "grader: fork: %s", strerror(errno));
        return;
    }
    if (body == 0)
        body_main(suite, test, lim, res[1], out[1]);
    setpgid(body, body);
    slot->body = body;
    close(res[1]);
    close(out[1]);
    w.result_fd = res[0], w.output_fd = out[0], w.wake_fd = wake[0];
    int timed_out, status = watch_body(&w, body, lim->timeout_s, &timed_out);
    slot->seconds = sb_now() - start;
    slot->swept = sb_sweep(body, 5.0);
    read_rest(&w);
    records_t r;
    parse_records(&w, &r);
    judge(slot, &r, status, timed_out, lim->timeout_s);
}
