/* Task 2: shared state (cc_counter_init, cc_counter_add, cc_counter_get,
 * cc_counter_wait_zero, cc_counter_destroy, cc_log). Threads of the test
 * run through the functions at once, on both cores; `make grade SAN=thread`
 * (ThreadSanitizer) names a data race at its line. */
#include "ccutil.h"

SL_TASK(2, "Shared state");

#define ADDERS 8
#define ADDS 200000

static pthread_barrier_t start_line;   /* every adder starts at once */

static void *adder(void *arg)
{
    cc_counter_t *c = arg;

    pthread_barrier_wait(&start_line);
    for (int i = 0; i < ADDS; i++)
        cc_counter_add(c, 1);
    for (int i = 0; i < ADDS / 2; i++)
        cc_counter_add(c, -1);
    return NULL;
}

SL_TEST_TIMEOUT(counter_counts_every_change_of_8_threads, 4, 8000,
                "c->value += delta is a read, an add and a write: two threads that do it at "
                "once lose one of them. Lock c->lock around it (and around every read of the "
                "value).")
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
    if (got != (long)ADDERS * ADDS / 2)
        SL_FAIL("unguarded counter: %d threads each added 1 %d times and took 1 away %d times: "
                "expected %ld, the counter says %ld (%ld changes lost)", ADDERS, ADDS, ADDS / 2,
                (long)ADDERS * ADDS / 2, got, (long)ADDERS * ADDS / 2 - got);
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
        "cc_counter_wait_zero(): compute the deadline once (clock_gettime(CLOCK_REALTIME) + "
        "timeout), then while (value != 0) pthread_cond_timedwait(&zero, &lock, &deadline), "
        "stopping at ETIMEDOUT; cc_counter_add() broadcasts zero when the value reaches 0.")
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

#define LOGGERS 8
#define LOG_LINES 200

typedef struct logger { int fd, id; } logger_t;

static void *logger(void *arg)
{
    logger_t *l = arg;
    char pad[301];

    memset(pad, 'a' + l->id, 300);
    pad[300] = '\0';
    for (int i = 0; i < LOG_LINES; i++)
        cc_log(l->fd, "thread %d line %03d %s end", l->id, i, pad);
    return NULL;
}

/* Reads what the loggers write, until the write end closes. */
typedef struct sink { int fd; char *buf; size_t len, cap; } sink_t;

static void *drain_sink(void *arg)
{
    sink_t *s = arg;
    ssize_t n;

    while (s->len < s->cap && (n = read(s->fd, s->buf + s->len, s->cap - s->len)) > 0)
        s->len += (size_t)n;
    return NULL;
}

SL_TEST_TIMEOUT(log_lines_of_threads_stay_whole, 3, 8000,
                "cc_log(): format the whole line and its '\\n' into a buffer of your own first "
                "(vsnprintf), then write it under one static mutex, again after a short count: "
                "two threads' lines never mix.")
{
    int p[2];
    pthread_t t[LOGGERS], r;
    logger_t l[LOGGERS];
    sink_t s = {0, NULL, 0, 1 << 20};
    int count[LOGGERS] = {0};
    char *line, *save = NULL;

    if (pipe(p) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
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
            len != 322 || strspn(line + 18, (char[]){(char)('a' + id), 0}) != 300 ||
            strcmp(line + 318, " end") != 0) {
            SL_FAIL_FATAL("the shared log holds a line that two threads mixed (or cut): %s",
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
