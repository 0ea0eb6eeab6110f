/* sl_main.c - main() of every test binary: list the tests, probe, or run
 * one test and report on PROTO_FD (see protocol.h). The driver, sl-run,
 * decides every verdict; this side only says what happened. */
#include "clock.h"
#include "protocol.h"
#include "report_fd.h"
#include "sl_test.h"
#include "text.h"
#include "todo.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SL_ASAN 1
#endif
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SL_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define SL_TSAN 1
#endif
#ifdef SL_ASAN
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#elif defined(SL_TSAN)
#include <sanitizer/common_interface_defs.h>
#endif

#define SL_REPORT_FD_MIN 900 /* where the report socket moves to */

static int report_fd = -1; /* the driver's socket, once known to be ours */
static double started, deadline; /* this test's, CLOCK_MONOTONIC */

double sl_test_started(void)
{
    return started;
}

double sl_test_deadline(void)
{
    return deadline;
}

/* The test's start and deadline: the driver says its timeout in
 * SOCKLAB_TEST_TIMEOUT_MS (default SL_DEFAULT_TIMEOUT_MS). */
static void note_start(void)
{
    const char *ms = getenv("SOCKLAB_TEST_TIMEOUT_MS");
    long t = ms && *ms ? atol(ms) : 0;
    started = clk_now();
    deadline = started + (t > 0 ? t : SL_DEFAULT_TIMEOUT_MS) / 1000.0;
}

/* ---- records ------------------------------------------------------------- */

static void send_raw(int type, const char *payload, size_t len)
{
    char buf[5 + PROTO_PAYLOAD_MAX];
    if (report_fd < 0)
        return;
    if (len > PROTO_PAYLOAD_MAX)
        len = PROTO_PAYLOAD_MAX;
    uint32_t n = (uint32_t)len;
    buf[0] = (char)type;
    memcpy(buf + 1, &n, 4);
    memcpy(buf + 5, payload, len);
    for (size_t off = 0, all = 5 + len; off < all;) {
        ssize_t w = send(report_fd, buf + off, all - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (size_t)w;
    }
}

static void send_text(int type, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void send_text(int type, const char *fmt, ...)
{
    char buf[PROTO_PAYLOAD_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    send_raw(type, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Failures streamed so far by sl_report_failure(), and whether the rest
 * (CUnit's own assertions) and the count were sent. */
static unsigned reported, sent_rest;
static pid_t test_pid; /* the test process (not a child it forked) */

#define SL_HINT_SENT 1000   /* a hint's bytes sent, at most (the driver keeps 1 KiB) */
#define SL_FILE_SENT 400    /* a file name's */

/* One failure: FILE \0 LINE \0 MESSAGE \0 HINT \0 CAUSE, all in one
 * record: a message too long for it is cut (txt_cut()), never the rest. */
static void send_failure(const char *file, unsigned line, const char *msg, const char *hint,
                         int cause)
{
    static char buf[PROTO_PAYLOAD_MAX], m[PROTO_PAYLOAD_MAX];
    const char *name = cause && sl_lesson_errno_hints() ? sl_errno_name(cause) : NULL;
    int hl = (int)strnlen(hint, SL_HINT_SENT), fl = (int)strnlen(file, SL_FILE_SENT);
    size_t fixed = (size_t)(fl + hl) + 16 + (name ? strlen(name) : 0) + 4;
    int k = snprintf(m, sizeof m - fixed, "%s", msg);
    txt_cut(m, sizeof m - fixed, k < 0 ? 0 : (size_t)k);
    int n = snprintf(buf, sizeof buf, "%.*s%c%u%c%s%c%.*s%c%s", fl, file, 0, line, 0, m, 0, hl,
                     hint, 0, name && name[0] == 'E' ? name : "");
    send_raw(PROTO_FAIL, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void sl_report_failure(const char *file, int line, const char *msg, const char *hint,
                       int cause)
{
    if (reported++ < PROTO_FAILS_SENT)
        send_failure(file, (unsigned)line, msg, hint, cause);
}

/* The failures of CUnit's own assertions (CU_ASSERT), which were not
 * reported as they happened, then the count of all: once. */
static void send_failures(void)
{
    sl_stderr_capture_release(); /* a sanitizer's report, caught, goes out */
    if (sent_rest || getpid() != test_pid)
        return;
    sent_rest = 1;
    unsigned n = reported;
    for (CU_pFailureRecord f = CU_get_failure_list(); f; f = f->pNext) {
        const char *cond = f->strCondition ? f->strCondition : "";
        if (cond[0] == PROTO_REPORTED || n++ >= PROTO_FAILS_SENT)
            continue;
        send_failure(f->strFileName ? f->strFileName : "?", f->uiLineNumber, cond, "", 0);
    }
    unsigned all = CU_get_number_of_failures();
    send_text(PROTO_COUNT, "%u", all > n ? all : n);
}

/* ---- hooks: TODO(), exit(), the sanitizers -------------------------------- */

/* TODO() reached: what failed before it still counts. */
static _Noreturn void on_todo(const char *func)
{
    fflush(NULL);
    send_failures();
    send_text(PROTO_TODO, "%s", func);
    _exit(0);
}

/* The code under test called exit(): what failed so far still counts. */
static void on_exit_call(void)
{
    fflush(NULL);
    send_failures();
}

/* A sanitizer is ending the process: say what failed before, and that it
 * stops the test, with the hint of the checks it stopped in (SL_HINT). */
static void send_sanitizer(void)
{
    send_failures();
    const char *h = sl_hint_now();
    send_raw(PROTO_SANITIZER, h ? h : "", h ? strlen(h) : 0);
}

#if defined(SL_ASAN) || defined(SL_TSAN)
/* AddressSanitizer's and ThreadSanitizer's runtimes call this as their
 * report ends the process (TSAN_OPTIONS has halt_on_error=1). */
static void on_sanitizer_death(void)
{
    send_sanitizer();
}
#endif

/* UndefinedBehaviorSanitizer calls this weak hook of its runtime on each
 * report (builds are -fno-sanitize-recover, so a report ends the test).
 * Never called in a build without UBSan. */
void __ubsan_on_report(void);
void __ubsan_on_report(void)
{
    send_sanitizer();
}

/* A fatal signal (a crash, abort()): what failed before it still counts.
 * The handler resets itself (SA_RESETHAND): a fault faults again on return
 * and a raised signal is raised again, so the process dies of it. */
static void on_fatal_signal(int sig)
{
    int saved = errno;
    send_failures();
    raise(sig);
    errno = saved;
}

/* Under AddressSanitizer, its own handlers report SIGSEGV, SIGBUS and
 * SIGFPE (then its death callback runs): only the others are ours. */
static void catch_fatal_signals(void)
{
    static char alt[64 * 1024];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
    int sigs[] = {SIGABRT, SIGILL,
#ifndef SL_ASAN
                  SIGSEGV, SIGBUS, SIGFPE,
#endif
    };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
    sigaltstack(&ss, NULL);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

static void check_leaks(void)
{
#ifdef SL_ASAN
    /* LeakSanitizer needs a thread of its own: the sandbox keeps room for
     * it above the soft process limit. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NPROC, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NPROC, &rl);
    }
    if (__lsan_do_recoverable_leak_check())
        send_raw(PROTO_LEAK, "", 0);
#endif
}

/* ---- the three modes ----------------------------------------------------- */

/* Prints s with tab, newline and backslash escaped (a --sl-list field). */
static void put_field(const char *s, int last)
{
    for (; s && *s; s++) {
        if (*s == '\t')
            fputs("\\t", stdout);
        else if (*s == '\n')
            fputs("\\n", stdout);
        else if (*s == '\\')
            fputs("\\\\", stdout);
        else
            putchar(*s);
    }
    putchar(last ? '\n' : '\t');
}

static int list_tests(void)
{
    size_t n;
    sl_test_t **tests = sl_tests(&n);
    char num[5][24];
    for (size_t i = 0; i < n; i++) {
        const sl_test_t *t = tests[i];
        snprintf(num[0], sizeof num[0], "%d", t->points);
        snprintf(num[1], sizeof num[1], "%d", t->timeout_ms > 0 ? t->timeout_ms : SL_DEFAULT_TIMEOUT_MS);
        snprintf(num[2], sizeof num[2], "%d", t->solo);
        snprintf(num[3], sizeof num[3], "%d", t->task->number);
        snprintf(num[4], sizeof num[4], "%d", t->line);
        put_field(t->name, 0);
        put_field(num[0], 0);
        put_field(num[1], 0);
        put_field(num[2], 0);
        put_field(num[3], 0);
        put_field(t->task->title, 0);
        put_field(t->task->programs ? "1" : "0", 0);
        put_field(t->file, 0);
        put_field(num[4], 0);
        put_field(t->hint, 0);
        put_field(t->task->hidden ? "1" : "0", 1);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

/* The lesson's settings, a line each, their fields escaped like the listing's. */
static int list_settings(void)
{
    const char *line;
    for (size_t i = 0; (line = sl_lesson_setting(i)) != NULL; i++) {
        char field[2048];
        for (const char *f = line; f;) {
            const char *tab = strchr(f, '\t');
            size_t n = tab ? (size_t)(tab - f) : strlen(f);
            snprintf(field, sizeof field, "%.*s", (int)n, f);
            put_field(field, tab == NULL);
            f = tab ? tab + 1 : NULL;
        }
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

/* Is PROTO_FD a socket (the driver's), not a file the binary was started with? */
static int driver_attached(void)
{
    struct stat st;
    if (fstat(PROTO_FD, &st) < 0 || !S_ISSOCK(st.st_mode))
        return 0;
    /* Moved to a high descriptor: code under test that closes 3 (a double
     * close, say) cannot take the report with it. Programs a test starts
     * never see it (close-on-exec). */
    report_fd = fcntl(PROTO_FD, F_DUPFD_CLOEXEC, SL_REPORT_FD_MIN);
    if (report_fd < 0)
        report_fd = PROTO_FD;
    else
        close(PROTO_FD);
    fcntl(report_fd, F_SETFD, FD_CLOEXEC);
    return 1;
}

static const sl_test_t *find_test(const char *name)
{
    size_t n;
    sl_test_t **tests = sl_tests(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(tests[i]->name, name) == 0)
            return tests[i];
    return NULL;
}

/* The nonce the driver left in the socket, read once the body returned. */
static void send_done(void)
{
    char nonce[PROTO_NONCE_LEN];
    ssize_t n = recv(report_fd, nonce, sizeof nonce, MSG_DONTWAIT);
    send_raw(PROTO_DONE, nonce, n > 0 ? (size_t)n : 0);
}

static void send_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Why the test could not start, after the nonce (the body never ran). */
static void send_error(const char *fmt, ...)
{
    char buf[PROTO_PAYLOAD_MAX];
    ssize_t n = recv(report_fd, buf, PROTO_NONCE_LEN, MSG_DONTWAIT);
    size_t off = n > 0 ? (size_t)n : 0;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + off, sizeof buf - off, fmt, ap);
    va_end(ap);
    size_t len = m < 0 ? off : off + (size_t)m;
    send_raw(PROTO_ERROR, buf, len < sizeof buf ? len : sizeof buf - 1);
}

static _Noreturn void run_test(const char *name)
{
    note_start();
    test_pid = getpid();
    setvbuf(stdout, NULL, _IOLBF, 0);
    const sl_test_t *t = find_test(name);
    if (!t) {
        send_error("no test named '%s' in this binary", name);
        _exit(0);
    }
    CU_pSuite suite = NULL;
    CU_pTest test = NULL;
    if (CU_initialize_registry() != CUE_SUCCESS ||
        !(suite = CU_add_suite("socklab", NULL, NULL)) ||
        !(test = CU_add_test(suite, t->name, t->body))) {
        send_error("CUnit: %s", CU_get_error_msg());
        _exit(0);
    }
    sl_todo_hook = on_todo;
    atexit(on_exit_call);
    catch_fatal_signals();
#if defined(SL_ASAN) || defined(SL_TSAN)
    __sanitizer_set_death_callback(on_sanitizer_death);
#endif
    CU_run_test(suite, test);
    fflush(NULL);
    check_leaks();
    send_failures();
    send_done();
    _exit(0);
}

static int usage(const char *prog)
{
    fprintf(stderr,
            "%s: a socklab test binary. Grade with `make grade`, or run it through\n"
            "the grader's driver: build/grader/sl-run --help.\n"
            "usage: %s --sl-list | --sl-lesson | --sl-probe | --sl-test NAME\n", prog, prog);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--sl-list") == 0)
        return list_tests();
    if (argc == 2 && strcmp(argv[1], "--sl-lesson") == 0)
        return list_settings();
    if (argc == 2 && strcmp(argv[1], "--sl-probe") == 0 && driver_attached()) {
        send_raw(PROTO_BEGAN, "", 0);
        _exit(0);
    }
    if (argc == 3 && strcmp(argv[1], "--sl-test") == 0 && driver_attached()) {
        send_raw(PROTO_BEGAN, "", 0);
        run_test(argv[2]);
    }
    return usage(argv[0]);
}
