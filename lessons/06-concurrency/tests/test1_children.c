/* Task 1: children and signals (cc_reap, cc_catch_sigchld, cc_reaped,
 * cc_accept). The children are the test's own, counted as zombies in
 * /proc: a zombie is a child that ended and was not waited for. */
#define _GNU_SOURCE   /* gettid() */
#include "ccutil.h"

#include <sys/syscall.h>

SL_TASK(1, "Children and signals");

SL_LESSON_SANITIZER_HINT("signal-unsafe",
                         "A handler called a function that signal-safety(7) does not allow "
                         "(printf(), cc_log(), malloc(), a mutex, cc_counter_add()): the default "
                         "build passes it, ThreadSanitizer does not. cc_catch_sigchld()'s handler "
                         "only calls cc_reap() (waitpid(-1, ..., WNOHANG) in a loop, errno saved) "
                         "and atomic_fetch_add() on the count reaped; a SIGTERM handler only "
                         "write()s a byte into the stop pipe. Print in the main loop.");

/* Forks n children that wait until *gate closes, then exit at once. */
static void fork_gated(int n, int gate[2])
{
    if (pipe(gate) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        char b;

        if (pid < 0)
            SL_FAIL_FATAL("test setup: fork: %s", strerror(errno));
        if (pid == 0) {
            close(gate[1]);
            while (read(gate[0], &b, 1) < 0 && errno == EINTR)
                ;
            _exit(0);
        }
    }
    close(gate[0]);
}

/* Waits until want of our children are zombies (or 2 s). */
static int wait_zombies(int want)
{
    double end = sl_now_ms() + sl_scaled_ms(2000);
    int z;

    while ((z = cu_zombies(getpid(), NULL)) < want && sl_now_ms() < end)
        sl_sleep_ms(5);
    return z;
}

SL_TEST(reap_collects_every_child_that_ended, 3,
        "Signals do not queue: twenty children that end together may raise one SIGCHLD. "
        "cc_reap() calls waitpid(-1, &status, WNOHANG) in a loop, until it returns 0 (the "
        "others still run) or -1 with ECHILD (no child left).")
{
    int gate[2], z, n;

    fork_gated(20, gate);
    close(gate[1]);   /* all twenty end now */
    if (wait_zombies(20) < 20)
        SL_FAIL_FATAL("test setup: the 20 children did not all end");
    sl_sleep_ms(100);   /* a child of many threads (a sanitizer's) is Z before it is waitable */
    n = cc_reap();
    z = cu_zombies(getpid(), NULL);
    SL_HINT("One waitpid() per call (per SIGCHLD) reaps one child: the others stay zombies. "
            "Loop: while (waitpid(-1, &status, WNOHANG) > 0) count++;")
    {
        if (n == 1)
            SL_FAIL_FATAL("one waitpid per call: cc_reap() reaped 1 of 20 children that had "
                          "ended, and %d zombies remain", z);
        SL_CHECK_INT("cc_reap() with 20 children ended", n, 20);
        SL_CHECK_INT("zombies left after cc_reap()", z, 0);
    }
}

SL_TEST(reap_never_waits_and_keeps_errno, 2,
        "WNOHANG: waitpid() returns 0 at once while children run and none has ended; cc_reap() "
        "then returns 0 without waiting. A handler runs in the middle of other calls: save "
        "errno first and put it back before returning.")
{
    int gate[2], n;
    double t0;

    fork_gated(1, gate);
    errno = ENOTTY;
    t0 = sl_now_ms();
    n = cc_reap();
    if (sl_now_ms() - t0 > 500)
        SL_FAIL("cc_reap() waited %.0f ms for a child that runs: pass WNOHANG",
                sl_now_ms() - t0);
    SL_CHECK_INT("cc_reap() while a child runs", n, 0);
    CU_CHECK_ERRNO("errno after cc_reap() while a child runs (it was ENOTTY before)", errno, ENOTTY);
    close(gate[1]);
    wait_zombies(1);
    {
        /* a child of many threads (a sanitizer's) is Z a moment before it
         * is waitable: look again for up to 2 s */
        double end = sl_now_ms() + sl_scaled_ms(2000);

        n = 0;
        while ((n += cc_reap()) == 0 && sl_now_ms() < end)
            sl_sleep_ms(5);
    }
    SL_CHECK_INT("cc_reap() once that child ended", n, 1);
    errno = ENOTTY;
    SL_CHECK_INT("cc_reap() with no child at all (ECHILD is no failure)", cc_reap(), 0);
    CU_CHECK_ERRNO("errno after cc_reap() that met ECHILD (it was ENOTTY before)", errno, ENOTTY);
}

SL_TEST_TIMEOUT(sigchld_handler_reaps_a_burst, 3, 5000,
                "cc_catch_sigchld(): sigaction(SIGCHLD) with SA_RESTART | SA_NOCLDSTOP and a "
                "handler that adds cc_reap() to a static atomic_long (atomic_fetch_add()), "
                "which cc_reaped() returns (atomic_load()). Fifty children that end at once raise SIGCHLD a few "
                "times: each time, reap them all.")
{
    struct sigaction sa;
    int gate[2], z;
    long before;
    double end;

    SL_REQUIRE_OK(cc_catch_sigchld());
    if (sigaction(SIGCHLD, NULL, &sa) < 0 || sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)
        SL_FAIL_FATAL("after cc_catch_sigchld(), SIGCHLD has no handler of its own");
    SL_HINT("SA_RESTART: the accept(), recv() or read() that SIGCHLD interrupts is restarted "
            "instead of failing with EINTR in the middle of the server's work.")
    {
        if (!(sa.sa_flags & SA_RESTART))
            SL_FAIL("SIGCHLD's handler is installed without SA_RESTART");
        if (!(sa.sa_flags & SA_NOCLDSTOP))
            SL_FAIL("SIGCHLD's handler is installed without SA_NOCLDSTOP");
    }
    before = cc_reaped();
    fork_gated(50, gate);
    close(gate[1]);
    end = sl_now_ms() + sl_scaled_ms(2000);
    while (cc_reaped() - before < 50 && sl_now_ms() < end)
        sl_sleep_ms(10);
    sl_sleep_ms(50);
    z = cu_zombies(getpid(), NULL);
    SL_HINT("Several children ended between two SIGCHLD: the handler must reap in a loop "
            "(cc_reap()), not once per signal.")
    {
        if (z > 0)
            SL_FAIL_FATAL("one waitpid per SIGCHLD: 50 children ended at once, the handler "
                          "reaped %ld, and %d zombies remain", cc_reaped() - before, z);
    }
    SL_CHECK_INT("cc_reaped() after 50 children ended", cc_reaped() - before, 50);
}

static void on_alarm(int sig)
{
    (void)sig;
}

typedef struct late { pthread_t main; pid_t tid; int port; } late_t;

/* Waits (up to 2 s) until thread tid sleeps in accept() or accept4():
 * /proc/self/task/TID/syscall starts with the number of the call it is
 * blocked in. 1 once it does, 0 if it never did. */
static int blocked_in_accept(pid_t tid)
{
    char path[64], buf[64];
    double end = sl_now_ms() + sl_scaled_ms(2000);

    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    while (sl_now_ms() < end) {
        FILE *f = fopen(path, "r");
        long nr = -1;

        if (f != NULL) {
            if (fgets(buf, sizeof buf, f) != NULL)
                nr = strtol(buf, NULL, 10);
            fclose(f);
        }
        if (nr == SYS_accept || nr == SYS_accept4)
            return 1;
        sl_sleep_ms(2);
    }
    return 0;
}

/* Interrupts the main thread's accept() with SIGALRM twice, each time once
 * it is blocked there, then connects. */
static void *late_client(void *arg)
{
    late_t *l = arg;
    int fd;

    for (int i = 0; i < 2; i++) {
        if (!blocked_in_accept(l->tid))
            sl_sleep_ms(100);   /* /proc says nothing: give it time */
        pthread_kill(l->main, SIGALRM);
        sl_sleep_ms(20);
    }
    blocked_in_accept(l->tid);
    fd = cu_connect_from("127.0.0.1", l->port, NULL);
    sl_sleep_ms(50);
    if (fd >= 0)
        close(fd);
    return NULL;
}

SL_TEST(accept_goes_on_after_eintr, 3,
        "A handler installed without SA_RESTART makes a blocking accept() fail with EINTR: "
        "nothing is wrong, call it again (so do ECONNABORTED, EPROTO and the network errors "
        "accept(2) NOTES lists).")
{
    struct sigaction sa;
    late_t l;
    pthread_t t;
    int lfd, fd;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;   /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    lfd = cu_listener(&l.port, 0);
    l.main = pthread_self();
    l.tid = (pid_t)syscall(SYS_gettid);
    pthread_create(&t, NULL, late_client, &l);
    fd = cc_accept(lfd, NULL, NULL);
    pthread_join(t, NULL);
    if (fd < 0 && errno == EINTR)
        SL_FAIL_FATAL("accept's EINTR: cc_accept() returned -1 with EINTR when a signal "
                      "(installed without SA_RESTART) interrupted accept(): call it again");
    if (fd < 0)
        SL_FAIL_FATAL("cc_accept() on a blocking listener failed with %s", strerror(errno));
    close(fd);
    close(lfd);
}

SL_TEST(accept_gives_the_peer_and_cloexec, 1,
        "cc_accept(lfd, peer, len) passes peer and len to accept4(lfd, peer, len, SOCK_CLOEXEC): "
        "FD_CLOEXEC set in the same call, with no window for another thread's fork and exec. On a non-blocking listener with no client, EAGAIN is the "
        "answer: return -1, never loop on it.")
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int port, lfd = cu_listener(&port, 1), c, fd;

    SL_ASSERT_FAILS_WITH(cc_accept(lfd, NULL, NULL), EAGAIN);
    c = cu_connect(port);
    sl_sleep_ms(20);
    fd = cc_accept(lfd, (struct sockaddr *)&ss, &len);
    if (fd < 0)
        SL_FAIL_FATAL("cc_accept() with a client waiting failed: %s", strerror(errno));
    SL_CHECK_INT("the peer's family from cc_accept()", ss.ss_family, AF_INET);
    SL_CHECK_INT("the peer's length from cc_accept()", len, sizeof(struct sockaddr_in));
    if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
        SL_FAIL("the socket cc_accept() returned has no FD_CLOEXEC");
    close(fd);
    close(c);
    close(lfd);
}
