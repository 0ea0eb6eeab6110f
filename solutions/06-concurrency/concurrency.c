/* concurrency.c - lesson 06, reference solution: children reaped from a
 * SIGCHLD handler, accept() that survives signals, a counter and a log
 * shared by threads, and a bounded queue. concurrency.h is the contract. */
#define _GNU_SOURCE   /* accept4() */
#include "concurrency.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- Task 1: children and signals ------------------------------------------ */

/* What the SIGCHLD handler collected. The handler adds to it while the
 * program (any thread) reads it: a lock-free atomic (C11 7.14.1.1p5), never
 * a lock (no pthread_mutex_lock() in a handler), and not a volatile
 * sig_atomic_t, which a handler may only assign, not add to. */
static atomic_long reaped;
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2, "the SIGCHLD handler needs a lock-free counter");

int cc_reap(void)
{
    int saved = errno, n = 0, status;

    /* > 0 a child reaped; 0 the others still run; -1 ECHILD no child left.
     * WNOHANG never sleeps, so it never fails with EINTR. */
    while (waitpid(-1, &status, WNOHANG) > 0)
        n++;
    errno = saved;
    return n;
}

/* One SIGCHLD may stand for many children: cc_reap() takes them all. */
static void on_sigchld(int sig)
{
    (void)sig;
    atomic_fetch_add(&reaped, cc_reap());
}

int cc_catch_sigchld(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGCHLD, &sa, NULL);
}

long cc_reaped(void)
{
    return atomic_load(&reaped);
}

/* An error of accept() that says nothing about the listener: a signal, or
 * (Linux, accept(2) NOTES) a network error of a connection that is
 * already gone. EOPNOTSUPP is left out: it also says "not a stream
 * socket", for ever. */
static int accept_again(int err)
{
    switch (err) {
    case EINTR: case ECONNABORTED: case EPROTO: case ENETDOWN: case ENOPROTOOPT:
    case EHOSTDOWN: case ENONET: case EHOSTUNREACH: case ENETUNREACH:
        return 1;
    default:
        return 0;
    }
}

int cc_accept(int lfd, struct sockaddr *peer, socklen_t *len)
{
    for (;;) {
        /* SOCK_CLOEXEC in the same call: no thread can fork and exec in
         * between. No SOCK_NONBLOCK: on Linux the socket is blocking,
         * whatever the listener's O_NONBLOCK. */
        int fd = accept4(lfd, peer, len, SOCK_CLOEXEC);

        if (fd >= 0 || !accept_again(errno))
            return fd;
    }
}

/* ---- Task 2: shared state ------------------------------------------------------- */

/* A condition variable whose timed waits read CLOCK_MONOTONIC: a deadline
 * that no change of the wall clock moves. 0 or an errno. */
static int monotonic_cond_init(pthread_cond_t *cond)
{
    pthread_condattr_t a;
    int err = pthread_condattr_init(&a);

    if (err != 0)
        return err;
    err = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    if (err == 0)
        err = pthread_cond_init(cond, &a);
    pthread_condattr_destroy(&a);
    return err;
}

int cc_counter_init(cc_counter_t *c)
{
    int err;

    if (c == NULL) {
        errno = EINVAL;
        return -1;
    }
    c->value = 0;
    if ((err = pthread_mutex_init(&c->lock, NULL)) != 0) {
        errno = err;
        return -1;
    }
    if ((err = monotonic_cond_init(&c->zero)) != 0) {
        pthread_mutex_destroy(&c->lock);
        errno = err;
        return -1;
    }
    return 0;
}

long cc_counter_add(cc_counter_t *c, long delta)
{
    long now;

    pthread_mutex_lock(&c->lock);
    now = c->value += delta;
    if (now == 0)
        pthread_cond_broadcast(&c->zero);
    pthread_mutex_unlock(&c->lock);
    return now;
}

long cc_counter_get(cc_counter_t *c)
{
    long now;

    pthread_mutex_lock(&c->lock);
    now = c->value;
    pthread_mutex_unlock(&c->lock);
    return now;
}

/* now + ms (0 or more) on CLOCK_MONOTONIC, the clock our condition
 * variables' pthread_cond_timedwait() reads. */
static struct timespec deadline_in(int ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

int cc_counter_wait_zero(cc_counter_t *c, int timeout_ms)
{
    struct timespec end = deadline_in(timeout_ms > 0 ? timeout_ms : 0);
    int err = 0;

    pthread_mutex_lock(&c->lock);
    while (c->value != 0 && err == 0)   /* any error (ETIMEDOUT) ends it: never spin */
        err = timeout_ms < 0 ? pthread_cond_wait(&c->zero, &c->lock)
                             : pthread_cond_timedwait(&c->zero, &c->lock, &end);
    err = c->value == 0 ? 0 : err;
    pthread_mutex_unlock(&c->lock);
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}

void cc_counter_destroy(cc_counter_t *c)
{
    pthread_cond_destroy(&c->zero);
    pthread_mutex_destroy(&c->lock);
}

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* Writes all of buf: 0, or -1 with errno. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int cc_log(int fd, const char *fmt, ...)
{
    char line[CC_LOG_MAX];
    va_list ap;
    int n, rc, err;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);   /* cut to fit, if need be */
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n > sizeof line - 1)
        n = (int)sizeof line - 1;
    line[n++] = '\n';   /* over the NUL */
    pthread_mutex_lock(&log_lock);
    rc = write_all(fd, line, (size_t)n);
    err = errno;
    pthread_mutex_unlock(&log_lock);
    errno = err;
    return rc;
}

/* ---- Task 3: a bounded queue ------------------------------------------------------ */

int cc_queue_init(cc_queue_t *q, size_t cap)
{
    int err;

    if (q == NULL || cap == 0) {
        errno = EINVAL;
        return -1;
    }
    memset(q, 0, sizeof *q);
    q->items = calloc(cap, sizeof *q->items);
    if (q->items == NULL)
        return -1;
    q->cap = cap;
    if ((err = pthread_mutex_init(&q->lock, NULL)) != 0)
        goto no_lock;
    if ((err = monotonic_cond_init(&q->not_empty)) != 0)
        goto no_not_empty;
    if ((err = monotonic_cond_init(&q->not_full)) != 0)
        goto no_not_full;
    return 0;
no_not_full:
    pthread_cond_destroy(&q->not_empty);
no_not_empty:
    pthread_mutex_destroy(&q->lock);
no_lock:
    free(q->items);
    q->items = NULL;
    errno = err;
    return -1;
}

/* Waits under q->lock while q is full and open, as timeout_ms says: 0, or
 * an errno (EAGAIN, ETIMEDOUT, EPIPE). */
static int wait_for_room(cc_queue_t *q, int timeout_ms)
{
    struct timespec end;
    int err = 0;

    if (timeout_ms > 0)
        end = deadline_in(timeout_ms);
    while (q->len == q->cap && !q->closed) {
        if (timeout_ms == 0)
            return EAGAIN;
        if (err != 0)
            return err;   /* ETIMEDOUT */
        if (timeout_ms < 0)
            pthread_cond_wait(&q->not_full, &q->lock);
        else
            err = pthread_cond_timedwait(&q->not_full, &q->lock, &end);
    }
    return q->closed ? EPIPE : 0;
}

int cc_queue_push(cc_queue_t *q, void *item, int timeout_ms)
{
    int err;

    pthread_mutex_lock(&q->lock);
    err = wait_for_room(q, timeout_ms);
    if (err == 0) {
        q->items[(q->head + q->len) % q->cap] = item;
        q->len++;
        pthread_cond_signal(&q->not_empty);
    }
    pthread_mutex_unlock(&q->lock);
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}

int cc_queue_pop(cc_queue_t *q, void **item)
{
    int rc = 0;

    pthread_mutex_lock(&q->lock);
    while (q->len == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->lock);
    if (q->len == 0) {
        rc = -1;   /* closed, and nothing left */
    } else {
        *item = q->items[q->head];
        q->head = (q->head + 1) % q->cap;
        q->len--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->lock);
    if (rc < 0)
        errno = EPIPE;
    return rc;
}

size_t cc_queue_len(cc_queue_t *q)
{
    size_t n;

    pthread_mutex_lock(&q->lock);
    n = q->len;
    pthread_mutex_unlock(&q->lock);
    return n;
}

void cc_queue_close(cc_queue_t *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_mutex_unlock(&q->lock);
}

void cc_queue_destroy(cc_queue_t *q)
{
    free(q->items);
    q->items = NULL;
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    pthread_mutex_destroy(&q->lock);
}
