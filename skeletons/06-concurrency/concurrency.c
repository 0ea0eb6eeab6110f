/* concurrency.c - lesson 06: children reaped from a SIGCHLD handler,
 * accept() that survives signals, a counter and a log shared by threads,
 * and a bounded queue.
 *
 * Your work. Each function below starts with TODO(): replace that line with
 * your code (and delete the (void) lines above it, there only to keep the
 * compiler quiet). concurrency.h says exactly what each function must do;
 * the lesson's README explains the ideas. Check your work with
 * `make grade LESSON=06`. You may add helper functions: make them static. */
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

#include "todo.h"

/* ---- Task 1: children and signals -------------------------------------------
 * waitpid(-1, &status, WNOHANG): > 0 a child reaped, 0 none has ended
 * (others run), -1 with ECHILD no child at all. One SIGCHLD may stand for
 * several children. */

int cc_reap(void)
{
    /* Save errno; waitpid(WNOHANG) in a loop until it says 0 or ECHILD;
     * put errno back. */
    TODO();
}

int cc_catch_sigchld(void)
{
    /* sigaction(SIGCHLD) with a handler that adds cc_reap() to a static
     * atomic_long (atomic_fetch_add()); SA_RESTART | SA_NOCLDSTOP. */
    TODO();
}

long cc_reaped(void)
{
    TODO();
}

int cc_accept(int lfd, struct sockaddr *peer, socklen_t *len)
{
    /* accept4(..., SOCK_CLOEXEC); again after EINTR, ECONNABORTED, EPROTO
     * and the network errors accept(2) NOTES lists (EOPNOTSUPP aside). */
    (void)lfd;
    (void)peer;
    (void)len;
    TODO();
}

/* ---- Task 2: shared state ----------------------------------------------------
 * Every read and write of c->value under c->lock. */

int cc_counter_init(cc_counter_t *c)
{
    /* The condition with a pthread_condattr_setclock(CLOCK_MONOTONIC). */
    (void)c;
    TODO();
}

long cc_counter_add(cc_counter_t *c, long delta)
{
    /* Lock, add, broadcast c->zero if it is 0 now, unlock. */
    (void)c;
    (void)delta;
    TODO();
}

long cc_counter_get(cc_counter_t *c)
{
    (void)c;
    TODO();
}

int cc_counter_wait_zero(cc_counter_t *c, int timeout_ms)
{
    /* One deadline on CLOCK_MONOTONIC, then pthread_cond_timedwait() while
     * the value is not 0 and it returned 0; timeout < 0: pthread_cond_wait(). */
    (void)c;
    (void)timeout_ms;
    TODO();
}

void cc_counter_destroy(cc_counter_t *c)
{
    (void)c;
    TODO();
}

int cc_log(int fd, const char *fmt, ...)
{
    /* vsnprintf() into a buffer of CC_LOG_MAX, add the '\n', then write()
     * it all under one static mutex (PTHREAD_MUTEX_INITIALIZER). */
    (void)fd;
    (void)fmt;
    TODO();
}

/* ---- Task 3: a bounded queue -------------------------------------------------
 * A ring: the item i places after the oldest is items[(head + i) % cap]. */

int cc_queue_init(cc_queue_t *q, size_t cap)
{
    (void)q;
    (void)cap;
    TODO();
}

int cc_queue_push(cc_queue_t *q, void *item, int timeout_ms)
{
    /* While full and open: fail (timeout 0), wait (-1), or wait until a
     * deadline (pthread_cond_timedwait()). Closed: EPIPE. Never grow. */
    (void)q;
    (void)item;
    (void)timeout_ms;
    TODO();
}

int cc_queue_pop(cc_queue_t *q, void **item)
{
    (void)q;
    (void)item;
    TODO();
}

size_t cc_queue_len(cc_queue_t *q)
{
    (void)q;
    TODO();
}

void cc_queue_close(cc_queue_t *q)
{
    (void)q;
    TODO();
}

void cc_queue_destroy(cc_queue_t *q)
{
    (void)q;
    TODO();
}
