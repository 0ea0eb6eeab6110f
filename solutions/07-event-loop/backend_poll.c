/* backend_poll.c - lesson 07, reference solution: the poll(2) backend.
 * One struct pollfd per descriptor, indexed by the descriptor (an entry
 * not watched has fd -1, which poll() skips), so add and delete are O(1)
 * and the array goes to the kernel as it is, entries 0 to maxfd. */
#include "reactor.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

typedef struct poll_state {
    struct pollfd *fds;   /* loop->setsize entries */
} poll_state_t;

static void unwatched(struct pollfd *fds, int from, int to)
{
    for (int i = from; i < to; i++) {
        fds[i].fd = -1;
        fds[i].events = 0;
        fds[i].revents = 0;
    }
}

static int poll_create(el_loop_t *loop)
{
    poll_state_t *st = malloc(sizeof *st);

    if (st == NULL)
        return -1;
    st->fds = malloc(sizeof *st->fds * (size_t)loop->setsize);
    if (st->fds == NULL) {
        free(st);
        return -1;
    }
    unwatched(st->fds, 0, loop->setsize);
    loop->state = st;
    return 0;
}

static int poll_resize(el_loop_t *loop, int setsize)
{
    poll_state_t *st = loop->state;
    struct pollfd *fds = realloc(st->fds, sizeof *fds * (size_t)setsize);

    if (fds == NULL)
        return -1;
    if (setsize > loop->setsize)
        unwatched(fds, loop->setsize, setsize);
    st->fds = fds;
    return 0;
}

static void poll_destroy(el_loop_t *loop)
{
    poll_state_t *st = loop->state;

    free(st->fds);
    free(st);
    loop->state = NULL;
}

static int poll_add(el_loop_t *loop, int fd, int mask)
{
    struct pollfd *p = &((poll_state_t *)loop->state)->fds[fd];

    p->fd = fd;
    if (mask & EL_READABLE)
        p->events |= POLLIN;
    if (mask & EL_WRITABLE)
        p->events |= POLLOUT;
    return 0;
}

static void poll_del(el_loop_t *loop, int fd, int mask)
{
    struct pollfd *p = &((poll_state_t *)loop->state)->fds[fd];

    if (mask & EL_READABLE)
        p->events &= ~POLLIN;
    if (mask & EL_WRITABLE)
        p->events &= ~POLLOUT;
    if (p->events == 0)
        p->fd = -1;   /* skipped by poll(): not even POLLHUP wakes it */
}

/* What revents says, as the loop's bits. POLLHUP, POLLERR and POLLNVAL
 * come unasked: they are readable and writable, and the callback's recv()
 * or send() says what happened (0, ECONNRESET, EBADF). */
static int poll_mask(short revents)
{
    int mask = 0;

    if (revents & POLLIN)
        mask |= EL_READABLE;
    if (revents & POLLOUT)
        mask |= EL_WRITABLE;
    if (revents & (POLLHUP | POLLERR | POLLNVAL))
        mask |= EL_READABLE | EL_WRITABLE;
    return mask;
}

static int poll_poll(el_loop_t *loop, int timeout_ms)
{
    struct pollfd *fds = ((poll_state_t *)loop->state)->fds;
    int n = poll(fds, (nfds_t)(loop->maxfd + 1), timeout_ms), fired = 0;

    if (n < 0)
        return errno == EINTR ? 0 : -1;
    for (int fd = 0; fd <= loop->maxfd && fired < n; fd++) {
        if (fds[fd].fd < 0 || fds[fd].revents == 0)
            continue;
        loop->fired[fired].fd = fd;
        loop->fired[fired++].mask = poll_mask(fds[fd].revents);
    }
    return fired;
}

const el_backend_t el_backend_poll = {
    "poll", 1 << 30, poll_create, poll_resize, poll_destroy, poll_add, poll_del, poll_poll,
};
