/* backend_epoll.c - lesson 07, reference solution: the epoll(7) backend
 * (redis's ae_epoll.c). The interest list lives in the kernel: add and
 * delete are epoll_ctl() calls, and epoll_wait() returns only what is
 * ready, however many descriptors are watched.
 *
 * Level-triggered (no EPOLLET): a descriptor stays ready as long as it has
 * bytes or room, so a callback may read once and come back next round.
 * Edge-triggered would report it only when it *becomes* ready: every
 * callback would then have to read (and write) until EAGAIN, or the rest
 * would wait for an edge that never comes. */
#include "reactor.h"

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define EPOLL_BATCH 1024   /* events taken per epoll_wait(): the rest come next round */

typedef struct epoll_state {
    int epfd;
    int cap;                     /* entries of events */
    struct epoll_event *events;  /* what epoll_wait() writes */
} epoll_state_t;

static int batch_of(int setsize)
{
    return setsize < EPOLL_BATCH ? setsize : EPOLL_BATCH;
}

static int epoll_create_state(el_loop_t *loop)
{
    epoll_state_t *st = malloc(sizeof *st);

    if (st == NULL)
        return -1;
    st->cap = batch_of(loop->setsize);
    st->events = malloc(sizeof *st->events * (size_t)st->cap);
    st->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (st->events == NULL || st->epfd < 0) {
        int err = errno;

        if (st->epfd >= 0)
            close(st->epfd);
        free(st->events);
        free(st);
        errno = err;
        return -1;
    }
    loop->state = st;
    return 0;
}

static int epoll_resize(el_loop_t *loop, int setsize)
{
    epoll_state_t *st = loop->state;
    int cap = batch_of(setsize);
    struct epoll_event *ev = realloc(st->events, sizeof *ev * (size_t)cap);

    if (ev == NULL)
        return -1;
    st->events = ev;
    st->cap = cap;
    return 0;
}

static void epoll_destroy(el_loop_t *loop)
{
    epoll_state_t *st = loop->state;

    close(st->epfd);
    free(st->events);
    free(st);
    loop->state = NULL;
}

static uint32_t epoll_bits(int mask)
{
    return (mask & EL_READABLE ? EPOLLIN : 0) | (mask & EL_WRITABLE ? EPOLLOUT : 0);
}

/* ADD the first time, MOD when the descriptor is watched already. */
static int epoll_add(el_loop_t *loop, int fd, int mask)
{
    epoll_state_t *st = loop->state;
    int old = loop->files[fd].mask;
    struct epoll_event ee;

    memset(&ee, 0, sizeof ee);   /* the padding too: valgrind looks */
    ee.events = epoll_bits(old | mask);
    ee.data.fd = fd;
    if (epoll_ctl(st->epfd, old == EL_NONE ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ee) == 0)
        return 0;
    /* Watched, but closed without el_del(): the kernel dropped it from the
     * set, and this is a new descriptor under the same number. That holds
     * only if nothing else kept the old open file alive: after a dup(), a
     * fork() or an SCM_RIGHTS, the old registration stays in the set (an
     * epoll entry is for an open file, not a number) and keeps reporting
     * under the old data.fd, and this ADD makes a second one (epoll(7),
     * questions 6). No backend can repair that: el_del() before close(). */
    if (errno == ENOENT && old != EL_NONE)
        return epoll_ctl(st->epfd, EPOLL_CTL_ADD, fd, &ee);
    return -1;
}

/* MOD while something is left, else DEL. A descriptor closed already has
 * left the epoll set by itself: the error then says nothing useful. */
static void epoll_del(el_loop_t *loop, int fd, int mask)
{
    epoll_state_t *st = loop->state;
    int left = loop->files[fd].mask & ~mask;
    struct epoll_event ee;

    memset(&ee, 0, sizeof ee);
    ee.events = epoll_bits(left);
    ee.data.fd = fd;
    (void)epoll_ctl(st->epfd, left == EL_NONE ? EPOLL_CTL_DEL : EPOLL_CTL_MOD, fd, &ee);
}

static int epoll_poll(el_loop_t *loop, int timeout_ms)
{
    epoll_state_t *st = loop->state;
    int n = epoll_wait(st->epfd, st->events, st->cap, timeout_ms);

    if (n < 0)
        return errno == EINTR ? 0 : -1;
    for (int i = 0; i < n; i++) {
        uint32_t e = st->events[i].events;
        int mask = 0;

        if (e & EPOLLIN)
            mask |= EL_READABLE;
        if (e & EPOLLOUT)
            mask |= EL_WRITABLE;
        if (e & (EPOLLERR | EPOLLHUP))
            mask |= EL_READABLE | EL_WRITABLE;
        loop->fired[i].fd = st->events[i].data.fd;
        loop->fired[i].mask = mask;
    }
    return n;
}

const el_backend_t el_backend_epoll = {
    "epoll", 1 << 30, epoll_create_state, epoll_resize, epoll_destroy, epoll_add, epoll_del,
    epoll_poll,
};

#endif
