/* backend_epoll.c - lesson 07: the epoll(7) backend (Task 3), as redis's
 * ae_epoll.c. The interest list lives in the kernel: add and delete are
 * epoll_ctl() calls, and epoll_wait() returns only what is ready, however
 * many descriptors are watched. Level-triggered (no EPOLLET): the README
 * says what edge-triggered would demand of every callback.
 *
 * Each function starts with TODO(): replace it with your code. */
#include "reactor.h"

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "todo.h"

static int epoll_create_state(el_loop_t *loop)
{
    /* loop->state: the epoll descriptor (epoll_create1(EPOLL_CLOEXEC)) and
     * an array of struct epoll_event for epoll_wait() (setsize entries, or
     * a batch of at most 1024: what is left comes the next round). */
    (void)loop;
    TODO();
}

static int epoll_resize(el_loop_t *loop, int setsize)
{
    (void)loop;
    (void)setsize;
    TODO();
}

static void epoll_destroy(el_loop_t *loop)
{
    (void)loop;
    TODO();
}

static int epoll_add(el_loop_t *loop, int fd, int mask)
{
    /* EPOLL_CTL_ADD the first time (files[fd].mask is EL_NONE), else
     * EPOLL_CTL_MOD with the old bits and the new. memset() the
     * epoll_event first; data.fd = fd. (The reference also retries a MOD
     * that fails with ENOENT as an ADD: a descriptor closed without
     * el_del(), its number reused. The README says why that only helps
     * when nothing else holds the old open file.) */
    (void)loop;
    (void)fd;
    (void)mask;
    TODO();
}

static void epoll_del(el_loop_t *loop, int fd, int mask)
{
    /* EPOLL_CTL_MOD with what is left, or EPOLL_CTL_DEL when nothing is. */
    (void)loop;
    (void)fd;
    (void)mask;
    TODO();
}

static int epoll_poll(el_loop_t *loop, int timeout_ms)
{
    /* epoll_wait(); EINTR is 0 events. Each event: EPOLLIN readable,
     * EPOLLOUT writable, EPOLLERR and EPOLLHUP both. */
    (void)loop;
    (void)timeout_ms;
    TODO();
}

const el_backend_t el_backend_epoll = {
    "epoll", 1 << 30, epoll_create_state, epoll_resize, epoll_destroy, epoll_add, epoll_del,
    epoll_poll,
};

#endif
