/* Task 2: shared state (cc_counter_init, cc_counter_add, cc_counter_get,
 * cc_counter_wait_zero, cc_counter_destroy, cc_log). Threads of the test
 * run through the functions at once, on both cores; `make grade SAN=thread`
 * (ThreadSanitizer) names a data race at its line. */
#include "ccutil.h"

SL_TASK(2, "Shared state");

SL_LESSON_SANITIZER_HINT("data-race",
                         "Two threads used the same memory, one writing, with no lock between "
                         "them: a counter's value read or written outside c->lock (read it with "
                         "cc_counter_get(), change it with cc_counter_add(), even in "
                         "ss_run_request()), a queue's slots or count outside q->lock, or one "
                         "request handed to two threads. The count of children reaped is an "
                         "atomic_long, read with atomic_load().");
SL_LESSON_SANITIZER_HINT("deadlock",
                         "Two locks taken in one order by a thread and in the other by another "
                         "(a lock-order inversion, which deadlocks when both meet). Nothing in "
                         "this lesson needs two locks at once: a counter's lock, the queue's "
                         "and cc_log()'s are each taken, used and given back; do not call "
                         "cc_counter_add() or cc_log() while holding q->lock, nor the other way "
                         "round.");

#define ADDERS 8
#define ROUNDS 400
#define ADDS 1000   /* per thread and round */

static pthread_barrier_t start_line;   /* every adder starts each round at once */

static void *adder(void *arg)
{
    cc_counter_t *c = arg;

    for (int r = 0; r < ROUNDS; r++) {
        pthread_barrier_wait(&start_line);
        for (int i = 0; i < ADDS; i++)
            cc_counter_add(c, 1);
        for (int i = 0; i < ADDS / 2; i++)
            cc_counter_add(c, -1);
    }
    return NULL;
}

SL_TEST_TIMEOUT(counter_counts_every_change_of_8_threads, 4, 8000,
                "c->value += delta is a read, an add and a write: two threads that do it at "
                "once lose one of them. Lock c->lock around it (and around every read of the "
                "value). Timed out in a futex? A return between lock and unlock.")
{
    cc_counter_t c;
    pthread_t t[ADDERS];
    long got;

    SL_REQUIRE_OK(cc_counter_init(&c));
    SL_CHECK_INT("cc_counter_get() of a new counter", cc_counter_get(&c), 0);
    SL_CHECK_INT("cc_counter_add(c, 5) on 0", cc_counter_add(&c, 5), 5);
    SL_CHECK_INT("cc_counter_add(c, -5) on 5", cc_counter_add(&c, -5), 0);
    pthread_barrier_init(&start_line, NULL, ADDERS);
    for (int i = 0; i < ADDERS; i++)
        pthread_create(&t[i], NULL, adder, &c);
    for (int i = 0; i < ADDERS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start_line);
    got = cc_counter_get(&c);
    if (got != (long)ADDERS * ROUNDS * ADDS / 2)
        SL_FAIL("unguarded counter: %d threads, in %d rounds that each began at once, each "
                "added 1 %d times and took 1 away %d times: expected %ld, the counter says %ld "
                "(%ld changes lost)", ADDERS, ROUNDS, ADDS, ADDS / 2,
                (long)ADDERS * ROUNDS * ADDS / 2, got, (long)ADDERS * ROUNDS * ADDS / 2 - got);
    cc_counter_destroy(&c);
    SL_ASSERT_FAILS_WITH(cc_counter_init(NULL), EINVAL);
}

static void *slow_down(void *arg)
{
    cc_counter_t *c = arg;

    for (int i = 0; i < 3; i++) {
        sl_sleep_ms(60);
        cc_counter_add(c, -1);
    }
    return NULL;
}

SL_TEST(counter_wait_zero_wakes_and_times_out, 3,
        "cc_counter_wait_zero(): compute the deadline once (clock_gettime(CLOCK_MONOTONIC) + "
        "timeout, the clock the condition was made with (pthread_condattr_setclock)), then while (value != 0) pthread_cond_timedwait(&zero, &lock, &deadline), "
        "stopping at ETIMEDOUT; cc_counter_add() broadcasts zero when the value reaches 0. "
        "Timed out in a futex? A return between lock and unlock.")
{
    cc_counter_t c;
    pthread_t t;
    double t0;
    int rc;

    SL_REQUIRE_OK(cc_counter_init(&c));
    SL_CHECK_INT("cc_counter_wait_zero() of a counter at 0, timeout 0", cc_counter_wait_zero(&c, 0), 0);
    cc_counter_add(&c, 3);
    pthread_create(&t, NULL, slow_down, &c);
    t0 = sl_now_ms();
    rc = cc_counter_wait_zero(&c, 3000);
    pthread_join(t, NULL);
    SL_CHECK_INT("cc_counter_wait_zero() while another thread brings it to 0", rc, 0);
    if (sl_now_ms() - t0 < 150)
        SL_FAIL("cc_counter_wait_zero() returned after %.0f ms, before the value was 0 (it "
                "took three steps of 60 ms)", sl_now_ms() - t0);
    if (sl_now_ms() - t0 > 1500)
        SL_FAIL("cc_counter_wait_zero() returned %.0f ms after the value reached 0: "
                "cc_counter_add() must wake it (pthread_cond_broadcast)", sl_now_ms() - t0 - 180);
    cc_counter_add(&c, 1);
    t0 = sl_now_ms();
    SL_ASSERT_FAILS_WITH(cc_counter_wait_zero(&c, 200), ETIMEDOUT);
    if (sl_now_ms() - t0 < 180 || sl_now_ms() - t0 > 1200)
        SL_FAIL("cc_counter_wait_zero(c, 200) on a counter that stays at 1 returned after "
                "%.0f ms: expected about 200", sl_now_ms() - t0);
    cc_counter_destroy(&c);
}

/* A waiter of cc_counter_wait_zero(), and what it got. */
typedef struct waiter {
    cc_counter_t *c;
    int timeout_ms, rc, err, done;
    double took_ms;
    pthread_mutex_t lock;
} waiter_t;

static void *wait_for_zero(void *arg)
{
    waiter_t *w = arg;
    double t0 = sl_now_ms();
    int rc = cc_counter_wait_zero(w->c, w->timeout_ms), err = errno;

    pthread_mutex_lock(&w->lock);
    w->rc = rc;
    w->err = err;
    w->took_ms = sl_now_ms() - t0;
    w->done = 1;
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static int waiter_done(waiter_t *w)
{
    int d;

    pthread_mutex_lock(&w->lock);
    d = w->done;
    pthread_mutex_unlock(&w->lock);
    return d;
}

SL_TEST_TIMEOUT(counter_wait_zero_wakes_every_waiter_only_at_zero, 3, 8000,
                "Two threads wait in cc_counter_wait_zero(), one with a timeout, one with -1 "
                "(as long as it takes: pthread_cond_wait()). Wake-ups that come while the value "
                "is not 0 (the test broadcasts the condition itself) must send them back to "
                "sleep: while, not if. The value's 0 must wake both: pthread_cond_broadcast(), "
                "not pthread_cond_signal().")
{
    cc_counter_t c;
    waiter_t w[2] = {{&c, 3000, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER},
                     {&c, -1, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER}};
    pthread_t t[2];
    double end;

    SL_REQUIRE_OK(cc_counter_init(&c));
    cc_counter_add(&c, 2);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, wait_for_zero, &w[i]);
    for (int i = 0; i < 30; i++) {   /* 150 ms of wake-ups with the value at 2 */
        sl_sleep_ms(5);
        pthread_cond_broadcast(&c.zero);
    }
    sl_sleep_ms(50);   /* both asleep again before the value comes to 0 */
    for (int i = 0; i < 2; i++)
        if (waiter_done(&w[i]))
            SL_FAIL_FATAL("cc_counter_wait_zero(c, %d) returned %d (errno %s) after %.0f ms while "
                          "the value was 2 (the condition was broadcast, but nobody brought the "
                          "value to 0): %s", w[i].timeout_ms, w[i].rc, cu_errno(w[i].err),
                          w[i].took_ms, w[i].rc == 0 ? "a wake-up is no proof: wait in a while "
                          "loop that looks at the value again" : w[i].timeout_ms < 0 ?
                          "a negative timeout waits as long as it takes (pthread_cond_wait())" :
                          "wait until the deadline, in a while loop");
    cc_counter_add(&c, -1);
    cc_counter_add(&c, -1);
    end = sl_now_ms() + sl_scaled_ms(1000);
    while ((!waiter_done(&w[0]) || !waiter_done(&w[1])) && sl_now_ms() < end)
        sl_sleep_ms(5);
    if (waiter_done(&w[0]) != waiter_done(&w[1]))
        SL_FAIL_FATAL("cc_counter_add() woke one waiter of two when the value came to 0: wake "
                      "every thread that waits, pthread_cond_broadcast(), not pthread_cond_signal()");
    if (!waiter_done(&w[0]))
        SL_FAIL_FATAL("neither waiter of cc_counter_wait_zero() returned within 1 s of the value "
                      "coming to 0: cc_counter_add() broadcasts c->zero when the value is 0");
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        SL_CHECK_INT(i == 0 ? "cc_counter_wait_zero(c, 3000) once the value came to 0"
                            : "cc_counter_wait_zero(c, -1) once the value came to 0", w[i].rc, 0);
    }
    cc_counter_destroy(&c);
}

#define LOGGERS 8
#define LOG_LINES 100
#define LOG_PAD 900   /* a line of 923 bytes with its newline */

typedef struct logger { int fd, id; } logger_t;

static void *logger(void *arg)
{
    logger_t *l = arg;
    char pad[LOG_PAD + 1];

    memset(pad, 'a' + l->id, LOG_PAD);
    pad[LOG_PAD] = '\0';
    for (int i = 0; i < LOG_LINES; i++)
        cc_log(l->fd, "thread %d line %03d %s end", l->id, i, pad);
    return NULL;
}

/* Reads what the loggers write, until the write end closes, in small
 * reads: the writers' socket stays full, and a write(2) that waits for
 * room lets another thread's write(2) in between its bytes. */
typedef struct sink { int fd; char *buf; size_t len, cap; } sink_t;

static void *drain_sink(void *arg)
{
    sink_t *s = arg;
    ssize_t n;

    while (s->len < s->cap &&
           (n = recv(s->fd, s->buf + s->len, s->cap - s->len < 700 ? s->cap - s->len : 700, 0)) > 0)
        s->len += (size_t)n;
    return NULL;
}

/* A TCP connection over 127.0.0.1 with a small send buffer: w[0] reads,
 * w[1] writes. (A small receive buffer too would make TCP wait for its
 * timers: a window smaller than a segment.) */
static void small_tcp_pair(int w[2])
{
    int port, lfd = cu_listener(&port, 0), small = 4096;

    w[1] = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(w[1], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    {
        struct sockaddr_in sin;

        memset(&sin, 0, sizeof sin);
        sin.sin_family = AF_INET;
        sin.sin_port = htons((unsigned short)port);
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (w[1] < 0 || connect(w[1], (struct sockaddr *)&sin, sizeof sin) < 0)
            SL_FAIL_FATAL("test setup: connect to 127.0.0.1:%d: %s", port, strerror(errno));
    }
    if ((w[0] = accept(lfd, NULL, NULL)) < 0)
        SL_FAIL_FATAL("test setup: accept: %s", strerror(errno));
    close(lfd);
}

SL_TEST_TIMEOUT(log_lines_of_threads_stay_whole, 3, 8000,
                "cc_log(): format the whole line and its '\\n' into a buffer of your own first "
                "(vsnprintf), then write it under one static mutex, again after a short count: "
                "two threads' lines never mix. The test logs to a socket whose buffer is small, "
                "read slowly: a write() that waits for room lets another thread's write() in.")
{
    int p[2];
    pthread_t t[LOGGERS], r;
    logger_t l[LOGGERS];
    sink_t s = {0, NULL, 0, (size_t)LOGGERS * LOG_LINES * (LOG_PAD + 23) + 1};
    int count[LOGGERS] = {0};
    char *line, *save = NULL;

    small_tcp_pair(p);
    s.fd = p[0];
    s.buf = calloc(1, s.cap + 1);
    pthread_create(&r, NULL, drain_sink, &s);
    for (int i = 0; i < LOGGERS; i++) {
        l[i].fd = p[1];
        l[i].id = i;
        pthread_create(&t[i], NULL, logger, &l[i]);
    }
    for (int i = 0; i < LOGGERS; i++)
        pthread_join(t[i], NULL);
    close(p[1]);
    pthread_join(r, NULL);
    close(p[0]);
    for (line = strtok_r(s.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int id, n, len = (int)strlen(line);

        if (sscanf(line, "thread %d line %d", &id, &n) != 2 || id < 0 || id >= LOGGERS ||
            len != LOG_PAD + 22 || strspn(line + 18, (char[]){(char)('a' + id), 0}) != LOG_PAD ||
            strcmp(line + 18 + LOG_PAD, " end") != 0) {
            SL_FAIL_FATAL("the shared log holds a line that two threads mixed (or cut): %s (no "
                          "mutex around the write, or the line written in pieces?)",
                          sl_bytes(line, strlen(line)));
        }
        count[id]++;
    }
    for (int i = 0; i < LOGGERS; i++)
        if (count[i] != LOG_LINES)
            SL_FAIL_FATAL("thread %d logged %d lines: %d reached the log whole", i, LOG_LINES,
                          count[i]);
    free(s.buf);
}

typedef struct late_log { int fd, rc, done; pthread_mutex_t lock; } late_log_t;

static void *log_once(void *arg)
{
    late_log_t *l = arg;
    int rc = cc_log(l->fd, "after a failure");

    pthread_mutex_lock(&l->lock);
    l->rc = rc;
    l->done = 1;
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

SL_TEST_TIMEOUT(log_fails_with_errno_and_unlocks, 1, 6000,
                "cc_log() to a descriptor that is closed: -1 with write()'s errno (EBADF), and "
                "the mutex unlocked on that path too: a return between lock and unlock leaves "
                "it locked, and every later cc_log() waits for ever.")
{
    late_log_t l = {-1, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t t;
    char got[64];
    int p[2], done = 0, rc, err;
    ssize_t n;
    double end;

    if (pipe(p) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    close(p[1]);   /* p[1] is a closed descriptor now */
    errno = 0;
    rc = cc_log(p[1], "to a closed descriptor");
    err = errno;
    SL_CHECK_FAILS("cc_log() to a closed descriptor", rc, err, EBADF);
    if (pipe(p) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    l.fd = p[1];
    pthread_create(&t, NULL, log_once, &l);
    end = sl_now_ms() + sl_scaled_ms(1000);
    while (!done && sl_now_ms() < end) {
        sl_sleep_ms(5);
        pthread_mutex_lock(&l.lock);
        done = l.done;
        pthread_mutex_unlock(&l.lock);
    }
    if (!done)
        SL_FAIL_FATAL("cc_log() after a cc_log() whose write failed did not return within 1 s: "
                      "the failed call returned with the log's mutex still locked (unlock it on "
                      "every path)");
    pthread_join(t, NULL);
    SL_CHECK_INT("cc_log() to a pipe after a failed one", l.rc, 0);
    n = read(p[0], got, sizeof got);
    SL_CHECK_BYTES("what it wrote", got, n > 0 ? (size_t)n : 0, "after a failure\n", 16);
    close(p[0]);
    close(p[1]);
}

SL_TEST(log_cuts_a_long_line_and_keeps_its_newline, 1,
        "A line longer than CC_LOG_MAX (its '\\n' included) is cut: CC_LOG_MAX - 1 bytes, then "
        "the '\\n'. vsnprintf() never writes past the size it is given, and says how long the "
        "whole line would have been.")
{
    char big[3000], got[4000];
    int p[2];
    ssize_t n;

    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    if (pipe(p) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    SL_CHECK_INT("cc_log(fd, \"%s\", 2999 bytes)", cc_log(p[1], "%s", big), 0);
    SL_CHECK_INT("cc_log(fd, \"short %d\", 7)", cc_log(p[1], "short %d", 7), 0);
    close(p[1]);
    n = read(p[0], got, sizeof got);
    close(p[0]);
    SL_CHECK_INT("bytes written for a 2999-byte line and \"short 7\"", n, CC_LOG_MAX + 8);
    if (n == CC_LOG_MAX + 8) {
        SL_CHECK_INT("the byte at CC_LOG_MAX - 1 (the cut line's '\\n')", got[CC_LOG_MAX - 1], '\n');
        SL_CHECK_BYTES("the second line", got + CC_LOG_MAX, 8, "short 7\n", 8);
    }
}
