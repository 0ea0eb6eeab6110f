/* backend_poll.c - lesson 07: the poll(2) backend (Task 3).
 *
 * Follow backend_select.c, given whole. The suggested state: one struct
 * pollfd per descriptor, indexed by the descriptor (an entry not watched
 * has fd -1, which poll() skips), so add and delete are O(1) and the array
 * goes to the kernel as it is, entries 0 to maxfd. Each function starts
 * with TODO(): replace it with your code. */
#include "reactor.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "todo.h"

static int poll_create(el_loop_t *loop)
{
    /* loop->state: an array of loop->setsize pollfd, each fd -1. */
    (void)loop;
    TODO();
}

static int poll_resize(el_loop_t *loop, int setsize)
{
    /* realloc() to setsize entries (the old pointer kept until it worked);
     * the new ones fd -1. loop->setsize is still the old size here. */
    (void)loop;
    (void)setsize;
    TODO();
}

static void poll_destroy(el_loop_t *loop)
{
    (void)loop;
    TODO();
}

static int poll_add(el_loop_t *loop, int fd, int mask)
{
    /* Entry fd: its fd, and POLLIN / POLLOUT added to its events. */
    (void)loop;
    (void)fd;
    (void)mask;
    TODO();
}

static void poll_del(el_loop_t *loop, int fd, int mask)
{
    /* Clear POLLIN / POLLOUT; no events left: fd -1 (else POLLHUP would
     * still wake the loop for a descriptor nobody watches). */
    (void)loop;
    (void)fd;
    (void)mask;
    TODO();
}

static int poll_poll(el_loop_t *loop, int timeout_ms)
{
    /* poll(fds, maxfd + 1, timeout_ms); -1 with EINTR is 0 events. Each
     * entry with revents: a fired event, POLLIN as EL_READABLE, POLLOUT
     * as EL_WRITABLE, and POLLHUP, POLLERR, POLLNVAL as both. */
    (void)loop;
    (void)timeout_ms;
    TODO();
}

const el_backend_t el_backend_poll = {
    "poll", 1 << 30, poll_create, poll_resize, poll_destroy, poll_add, poll_del, poll_poll,
};
