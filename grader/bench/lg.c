/* lg.c - the load generator of make bench (see lg.h).
 *
 * One thread, one epoll set, level-triggered. A connection holds no
 * buffer of its own: what it sends is a window of one pattern (the stream
 * of connection c starts at offset c*STRIDE of it and runs on), and what
 * comes back is read into one shared buffer and compared with the same
 * window. A connection's state is a few counters of bytes and messages,
 * so 10,000 of them cost under a megabyte. */
#define _GNU_SOURCE
#include "lg.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAT_PERIOD 65521u        /* the pattern repeats after this many bytes (a prime) */
#define STRIDE 4099u             /* connection c's stream starts at c * STRIDE */
#define IO_CHUNK (256u << 10)    /* the most one send() or recv() moves */
#define CONNECTING_MAX 256       /* connects in flight at once */
#define EVENTS_MAX 512

/* One connection: counters of its stream, in bytes and in messages. */
typedef struct conn {
    int fd;
    unsigned char connected;   /* its connect() has completed */
    unsigned char out_on;      /* EPOLLOUT is in its interest set */
    uint32_t base;             /* where its stream starts in the pattern */
    uint64_t due;              /* bytes of the messages issued */
    uint64_t sent;             /* bytes sent */
    uint64_t recvd;            /* bytes echoed back, checked */
    uint64_t done;             /* messages whose echo is complete */
    uint64_t mbase;            /* done when the clock started */
    int64_t t_issue;           /* closed loop: when its message was issued */
} conn_t;

enum phase { PH_WARMUP, PH_MEASURE, PH_DRAIN, PH_HOLD };

typedef struct lg {
    const lg_config_t *cfg;
    lg_result_t *res;
    int ep;
    conn_t *conns;
    unsigned char *pat;        /* PAT_PERIOD + IO_CHUNK bytes: any window is contiguous */
    unsigned char *rbuf;       /* IO_CHUNK bytes */
    struct sockaddr_storage addr;
    socklen_t addrlen;
    enum phase phase;
    int opened, connecting, ready;
    int issuing;               /* new requests may still be issued */
    long issued;               /* requests issued since the clock started */
    long outstanding;          /* issued messages whose echo is not complete */
    uint64_t next_i;           /* open loop: the next request, over all connections */
    int64_t t0, t_end;
    lg_hist_t hist;
} lg_t;

/* ---- time and errors -------------------------------------------------- */

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double cpu_seconds(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

__attribute__((format(printf, 2, 3)))
static int fail(lg_t *lg, const char *fmt, ...)
{
    va_list ap;

    if (lg->res->error[0] == '\0') {
        va_start(ap, fmt);
        vsnprintf(lg->res->error, sizeof lg->res->error, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ---- set-up --------------------------------------------------------------- */

void lg_config_init(lg_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->host = "127.0.0.1";
    cfg->conns = 1;
    cfg->msg_size = 64;
    cfg->duration_ms = 1000;
    cfg->max_requests = 100000000L;
    cfg->timeout_ms = 10000;
}

static int is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return 0;
}

static int resolve(lg_t *lg)
{
    struct addrinfo hints = {0}, *ai;
    int rc;

    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(lg->cfg->host, lg->cfg->port, &hints, &ai);
    if (rc != 0)
        return fail(lg, "address %s port %s: %s", lg->cfg->host, lg->cfg->port, gai_strerror(rc));
    if (!is_loopback(ai->ai_addr)) {
        freeaddrinfo(ai);
        return fail(lg, "%s is not a loopback address: the load generator loads this machine only",
                    lg->cfg->host);
    }
    memcpy(&lg->addr, ai->ai_addr, ai->ai_addrlen);
    lg->addrlen = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

static int check_config(lg_t *lg)
{
    const lg_config_t *c = lg->cfg;

    if (c->port == NULL)
        return fail(lg, "no port given");
    if (c->conns < 1 || c->msg_size < 1 || c->msg_size > LG_MAX_MSG)
        return fail(lg, "need 1 or more connections and a message of 1 to %u bytes", LG_MAX_MSG);
    if (c->duration_ms < 1 || c->timeout_ms < 1 || c->max_requests < 1 || c->rate < 0)
        return fail(lg, "duration, timeout and request bound must be positive, the rate not negative");
    return 0;
}

/* The pattern: PAT_PERIOD pseudo-random bytes (xorshift), repeated up to
 * PAT_PERIOD + IO_CHUNK bytes, so that a window of up to IO_CHUNK starting
 * anywhere in the period is contiguous. */
static void fill_pattern(unsigned char *pat)
{
    uint32_t x = 2463534242u;
    size_t i;

    for (i = 0; i < PAT_PERIOD; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        pat[i] = (unsigned char)(x >> 11);
    }
    for (; i < PAT_PERIOD + IO_CHUNK; i++)
        pat[i] = pat[i - PAT_PERIOD];
}

static int setup(lg_t *lg, const lg_config_t *cfg, lg_result_t *res)
{
    int i;

    memset(lg, 0, sizeof *lg);
    memset(res, 0, sizeof *res);
    lg->cfg = cfg;
    lg->res = res;
    lg->ep = -1;
    lg->issuing = 1;
    if (check_config(lg) < 0 || resolve(lg) < 0)
        return -1;
    lg->conns = calloc((size_t)cfg->conns, sizeof *lg->conns);
    lg->pat = malloc(PAT_PERIOD + IO_CHUNK);
    lg->rbuf = malloc(IO_CHUNK);
    if (!lg->conns || !lg->pat || !lg->rbuf)
        return fail(lg, "out of memory for %d connections", cfg->conns);
    for (i = 0; i < cfg->conns; i++) {
        lg->conns[i].fd = -1;
        lg->conns[i].base = (uint32_t)(((uint64_t)i * STRIDE) % PAT_PERIOD);
    }
    fill_pattern(lg->pat);
    lg->ep = epoll_create1(EPOLL_CLOEXEC);
    if (lg->ep < 0)
        return fail(lg, "epoll_create1: %s", strerror(errno));
    return 0;
}

static void teardown(lg_t *lg)
{
    int i;

    for (i = 0; lg->conns && i < lg->cfg->conns; i++)
        if (lg->conns[i].fd >= 0)
            close(lg->conns[i].fd);
    if (lg->ep >= 0)
        close(lg->ep);
    free(lg->conns);
    free(lg->pat);
    free(lg->rbuf);
}

/* ---- sending ---------------------------------------------------------------- */

static int set_events(lg_t *lg, int i, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.u32 = (uint32_t)i};

    if (epoll_ctl(lg->ep, EPOLL_CTL_MOD, lg->conns[i].fd, &ev) < 0)
        return fail(lg, "connection %d: epoll_ctl: %s", i, strerror(errno));
    return 0;
}

static int want_out(lg_t *lg, int i, int on)
{
    conn_t *c = &lg->conns[i];

    if (c->out_on == on)
        return 0;
    c->out_on = (unsigned char)on;
    return set_events(lg, i, EPOLLIN | (on ? EPOLLOUT : 0));
}

/* Sends what is due and not sent yet, until the socket is full. */
static int flush(lg_t *lg, int i)
{
    conn_t *c = &lg->conns[i];

    while (c->sent < c->due) {
        uint64_t left = c->due - c->sent;
        size_t len = left < IO_CHUNK ? (size_t)left : IO_CHUNK;
        size_t off = (size_t)((c->base + c->sent) % PAT_PERIOD);
        ssize_t n = send(c->fd, lg->pat + off, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return want_out(lg, i, 1);
        if (n < 0)
            return fail(lg, "connection %d: send: %s", i, strerror(errno));
        c->sent += (uint64_t)n;
    }
    return want_out(lg, i, 0);
}

/* Issues one message on connection i, now. */
static int issue(lg_t *lg, int i, int64_t now)
{
    conn_t *c = &lg->conns[i];

    c->due += lg->cfg->msg_size;
    c->t_issue = now;
    lg->outstanding++;
    if (lg->phase == PH_MEASURE)
        lg->issued++;
    return c->connected ? flush(lg, i) : 0;
}

/* ---- receiving -------------------------------------------------------------- */

static int may_issue(const lg_t *lg)
{
    return lg->issuing && lg->issued < lg->cfg->max_requests;
}

/* When measured message j (0, 1, ... since the clock started) of
 * connection i was due: in the closed loop when it was issued; in the
 * open loop at its place in the schedule, request j*N + i over all. */
static int64_t due_time(const lg_t *lg, int i, uint64_t j)
{
    double at;

    if (lg->cfg->rate <= 0)
        return lg->conns[i].t_issue;
    at = (double)(j * (uint64_t)lg->cfg->conns + (uint64_t)i) * 1e9 / lg->cfg->rate;
    return lg->t0 + (int64_t)at;
}

/* The echo of one message of connection i is complete. */
static int completed(lg_t *lg, int i, int64_t now)
{
    conn_t *c = &lg->conns[i];
    uint64_t j = c->done - c->mbase;   /* this message, counted from the clock */

    c->done++;
    lg->outstanding--;
    if (lg->phase == PH_WARMUP) {
        lg->ready++;
        return 0;
    }
    if (lg->phase == PH_HOLD) {
        lg->res->held++;
        return 0;
    }
    lg_hist_add(&lg->hist, (uint64_t)(now - due_time(lg, i, j)));
    if (now <= lg->t_end)
        lg->res->requests++;
    else
        lg->res->late++;
    if (lg->cfg->rate <= 0 && may_issue(lg))
        return issue(lg, i, now);
    return 0;
}

/* Checks n bytes echoed by connection i against what it sent. */
static int check_echo(lg_t *lg, int i, size_t n)
{
    conn_t *c = &lg->conns[i];
    size_t off = (size_t)((c->base + c->recvd) % PAT_PERIOD), k;

    if (c->recvd + n > c->sent)
        return fail(lg, "connection %d: %llu bytes came back, only %llu were sent", i,
                    (unsigned long long)(c->recvd + n), (unsigned long long)c->sent);
    if (memcmp(lg->rbuf, lg->pat + off, n) == 0)
        return 0;
    for (k = 0; lg->rbuf[k] == lg->pat[off + k]; k++)
        ;
    return fail(lg, "connection %d: byte %llu of the echo is 0x%02x, 0x%02x was sent", i,
                (unsigned long long)(c->recvd + k), lg->rbuf[k], lg->pat[off + k]);
}

static int on_readable(lg_t *lg, int i)
{
    conn_t *c = &lg->conns[i];
    ssize_t n;
    int64_t now;

    do
        n = recv(c->fd, lg->rbuf, IO_CHUNK, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    if (n < 0)
        return fail(lg, "connection %d: recv: %s", i, strerror(errno));
    if (n == 0)
        return fail(lg, "connection %d: the server closed it, %llu of %llu bytes echoed", i,
                    (unsigned long long)c->recvd, (unsigned long long)c->sent);
    if (check_echo(lg, i, (size_t)n) < 0)
        return -1;
    c->recvd += (uint64_t)n;
    now = now_ns();
    while (c->recvd >= (c->done + 1) * lg->cfg->msg_size)
        if (completed(lg, i, now) < 0)
            return -1;
    return 0;
}

/* ---- connecting ------------------------------------------------------------- */

static int add_fd(lg_t *lg, int i, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.u32 = (uint32_t)i};

    if (epoll_ctl(lg->ep, EPOLL_CTL_ADD, lg->conns[i].fd, &ev) < 0)
        return fail(lg, "connection %d: epoll_ctl: %s", i, strerror(errno));
    return 0;
}

/* Connection i is up: it makes its warm-up exchange. */
static int connected(lg_t *lg, int i)
{
    conn_t *c = &lg->conns[i];
    int one = 1;

    c->connected = 1;
    c->out_on = 1;
    lg->connecting--;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (set_events(lg, i, EPOLLIN | EPOLLOUT) < 0)
        return -1;
    return issue(lg, i, now_ns());
}

static int start_connect(lg_t *lg)
{
    int i = lg->opened++;
    conn_t *c = &lg->conns[i];

    c->fd = socket(lg->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return fail(lg, "connection %d: socket: %s", i, strerror(errno));
    lg->connecting++;
    if (connect(c->fd, (struct sockaddr *)&lg->addr, lg->addrlen) == 0) {
        if (add_fd(lg, i, EPOLLIN) < 0)
            return -1;
        return connected(lg, i);
    }
    if (errno != EINPROGRESS)
        return fail(lg, "connection %d: connect: %s", i, strerror(errno));
    return add_fd(lg, i, EPOLLOUT);
}

static int on_connect_ready(lg_t *lg, int i)
{
    int err = 0;
    socklen_t len = sizeof err;

    if (getsockopt(lg->conns[i].fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err != 0)
        return fail(lg, "connection %d: connect: %s", i, strerror(err));
    return connected(lg, i);
}

/* ---- the loop --------------------------------------------------------------- */

static int on_event(lg_t *lg, const struct epoll_event *ev)
{
    int i = (int)ev->data.u32;
    conn_t *c = &lg->conns[i];

    if (!c->connected)
        return on_connect_ready(lg, i);
    if ((ev->events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && on_readable(lg, i) < 0)
        return -1;
    if ((ev->events & EPOLLOUT) && c->sent < c->due)
        return flush(lg, i);
    if ((ev->events & EPOLLOUT) && c->out_on)
        return want_out(lg, i, 0);
    return 0;
}

/* The open loop: issues every request whose time has come. Returns the
 * time the next one is due, or -1 when none will be. */
static int64_t issue_due(lg_t *lg, int64_t now)
{
    while (lg->phase == PH_MEASURE && lg->cfg->rate > 0 && may_issue(lg)) {
        int i = (int)(lg->next_i % (uint64_t)lg->cfg->conns);
        uint64_t j = lg->next_i / (uint64_t)lg->cfg->conns;
        int64_t at = due_time(lg, i, j);

        if (at >= lg->t_end)
            lg->issuing = 0;
        else if (at > now)
            return at;
        else if (issue(lg, i, now) < 0)
            return -2;
        else
            lg->next_i++;
    }
    return -1;
}

/* Opens connections while fewer than CONNECTING_MAX connects are in flight. */
static int open_more(lg_t *lg)
{
    while (lg->opened < lg->cfg->conns && lg->connecting < CONNECTING_MAX)
        if (start_connect(lg) < 0)
            return -1;
    return 0;
}

/* Waits for events until deadline, for at most until wake (-1: none). */
static int wait_once(lg_t *lg, int64_t deadline, int64_t wake)
{
    struct epoll_event evs[EVENTS_MAX];
    int64_t now = now_ns(), until = deadline;
    struct timespec ts;
    int n, k;

    if (wake >= 0 && wake < until)
        until = wake;
    if (until < now)
        until = now;
    ts.tv_sec = (until - now) / 1000000000;
    ts.tv_nsec = (until - now) % 1000000000;
    n = epoll_pwait2(lg->ep, evs, EVENTS_MAX, &ts, NULL);
    if (n < 0 && errno != EINTR)
        return fail(lg, "epoll_pwait2: %s", strerror(errno));
    for (k = 0; k < n; k++)
        if (on_event(lg, &evs[k]) < 0)
            return -1;
    return 0;
}

typedef int lg_done_fn(const lg_t *lg, int64_t now);

/* Runs the loop until done() says so, or fails at the deadline with what
 * (a phrase: "the warm-up") as the reason. */
static int run_until(lg_t *lg, lg_done_fn *done, int64_t deadline, const char *what)
{
    for (;;) {
        int64_t now = now_ns(), wake;

        if (open_more(lg) < 0)
            return -1;
        wake = issue_due(lg, now);
        if (wake == -2)
            return -1;
        if (done(lg, now))
            return 0;
        if (now >= deadline)
            return fail(lg, "%s did not end within %d ms: %d of %d connections up, "
                        "%ld echoes missing", what, lg->cfg->timeout_ms, lg->opened - lg->connecting,
                        lg->cfg->conns, lg->outstanding);
        if (lg->phase == PH_MEASURE && lg->t_end < deadline && (wake < 0 || lg->t_end < wake))
            wake = lg->t_end;
        if (wait_once(lg, deadline, wake) < 0)
            return -1;
    }
}

static int warm(const lg_t *lg, int64_t now)
{
    (void)now;
    return lg->ready == lg->cfg->conns;
}

static int window_over(const lg_t *lg, int64_t now)
{
    return now >= lg->t_end || (lg->issued >= lg->cfg->max_requests && lg->outstanding == 0);
}

static int drained(const lg_t *lg, int64_t now)
{
    (void)now;
    return lg->outstanding == 0;
}

static int held(const lg_t *lg, int64_t now)
{
    (void)now;
    return lg->res->held == lg->cfg->conns;
}

/* ---- the phases ------------------------------------------------------------- */

static void start_clock(lg_t *lg)
{
    int i;

    lg_hist_reset(&lg->hist);
    lg->phase = PH_MEASURE;
    lg->t0 = now_ns();
    lg->t_end = lg->t0 + (int64_t)lg->cfg->duration_ms * 1000000;
    for (i = 0; i < lg->cfg->conns; i++)
        lg->conns[i].mbase = lg->conns[i].done;
}

static int measure(lg_t *lg)
{
    double cpu0;
    int i;

    start_clock(lg);
    cpu0 = cpu_seconds();
    for (i = 0; lg->cfg->rate <= 0 && i < lg->cfg->conns && may_issue(lg); i++)
        if (issue(lg, i, lg->t0) < 0)
            return -1;
    if (run_until(lg, window_over, lg->t_end + (int64_t)lg->cfg->timeout_ms * 1000000,
                  "the measured window") < 0)
        return -1;
    lg->res->cpu = (cpu_seconds() - cpu0) / ((double)(lg->t_end - lg->t0) / 1e9);
    lg->issuing = 0;
    lg->phase = PH_DRAIN;
    return run_until(lg, drained, now_ns() + (int64_t)lg->cfg->timeout_ms * 1000000,
                     "the drain after the window");
}

/* The hold mode: says so on stdout, stays idle, then one exchange each. */
static int hold(lg_t *lg)
{
    struct timespec ts = {lg->cfg->hold_ms / 1000, (long)(lg->cfg->hold_ms % 1000) * 1000000};
    int i;

    printf("held %d connections\n", lg->cfg->conns);
    fflush(stdout);
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
    lg->phase = PH_HOLD;
    for (i = 0; i < lg->cfg->conns; i++)
        if (issue(lg, i, now_ns()) < 0)
            return -1;
    return run_until(lg, held, now_ns() + (int64_t)lg->cfg->timeout_ms * 1000000,
                     "the exchange after the hold");
}

static void results(lg_t *lg)
{
    lg_result_t *r = lg->res;

    r->seconds = (double)(lg->t_end - lg->t0) / 1e9;
    r->rps = (double)r->requests / r->seconds;
    r->mbps = r->rps * (double)lg->cfg->msg_size / 1e6;
    r->p50_us = (double)lg_hist_percentile(&lg->hist, 0.50) / 1e3;
    r->p99_us = (double)lg_hist_percentile(&lg->hist, 0.99) / 1e3;
    r->max_us = (double)lg->hist.max_ns / 1e3;
}

int lg_run(const lg_config_t *cfg, lg_result_t *res)
{
    lg_t *lg = malloc(sizeof *lg);
    int rc;

    if (lg == NULL) {
        memset(res, 0, sizeof *res);
        snprintf(res->error, sizeof res->error, "out of memory");
        return -1;
    }
    rc = setup(lg, cfg, res);
    if (rc == 0)
        rc = run_until(lg, warm, now_ns() + (int64_t)cfg->timeout_ms * 1000000, "the warm-up");
    if (rc == 0)
        rc = cfg->hold_ms > 0 ? hold(lg) : measure(lg);
    if (rc == 0 && cfg->hold_ms <= 0)
        results(lg);
    teardown(lg);
    free(lg);
    return rc;
}
