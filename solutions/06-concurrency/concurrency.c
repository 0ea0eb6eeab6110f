/* concurrency.c - lesson 06, reference solution: children reaped from a
 * SIGCHLD handler, accept() that survives signals, a counter and a log
 * shared by threads, and a bounded queue. concurrency.h is the contract. */
#include "concurrency.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- Task 1: children and signals ------------------------------------------ */

static volatile sig_atomic_t reaped;   /* what the SIGCHLD handler collected */

int cc_reap(void)
{
    int saved = errno, n = 0, status;
    pid_t pid;

    for (;;) {
        pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0)
            n++;
        else if (pid < 0 && errno == EINTR)
            continue;
        else
            break;   /* 0: the others still run; -1 ECHILD: no child left */
    }
    errno = saved;
    return n;
}

/* One SIGCHLD may stand for many children: cc_reap() takes them all. */
static void on_sigchld(int sig)
{
    (void)sig;
    reaped += cc_reap();
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
    return reaped;
}

int cc_accept(int lfd, struct sockaddr *peer, socklen_t *len)
{
    for (;;) {
        int fd = accept(lfd, peer, len);

        if (fd >= 0) {
            fcntl(fd, F_SETFD, FD_CLOEXEC);   /* accept4(SOCK_CLOEXEC) does both: Linux, BSD */
            return fd;
        }
        if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO)
            return -1;
    }
}

/* ---- Task 2: shared state ------------------------------------------------------- */

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
    if ((err = pthread_cond_init(&c->zero, NULL)) != 0) {
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

/* now + ms on CLOCK_REALTIME, the clock pthread_cond_timedwait() reads. */
static struct timespec deadline_in(int ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
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
    struct timespec end = deadline_in(timeout_ms);
    int err = 0;

    pthread_mutex_lock(&c->lock);
    while (c->value != 0 && err != ETIMEDOUT)
        err = pthread_cond_timedwait(&c->zero, &c->lock, &end);
    err = c->value == 0 ? 0 : ETIMEDOUT;
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
    if (q == NULL || cap == 0) {
        errno = EINVAL;
        return -1;
    }
    memset(q, 0, sizeof *q);
    q->items = calloc(cap, sizeof *q->items);
    if (q->items == NULL)
        return -1;
    q->cap = cap;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    return 0;
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
        if (timeout_ms < 0)
            pthread_cond_wait(&q->not_full, &q->lock);
        else if (err == ETIMEDOUT)
            return ETIMEDOUT;
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
