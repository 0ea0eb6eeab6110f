/* backend_select.c - lesson 07: the select(2) backend, given whole: the
 * worked example the other backends follow (redis's ae_select.c). The
 * wanted sets are kept; each poll copies them, since select() overwrites
 * the sets it is given, then turns its answer into loop->fired. */
#include "reactor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

typedef struct sel_state {
    fd_set rfds, wfds;     /* what the loop wants */
    fd_set _rfds, _wfds;   /* copies that select() overwrites */
} sel_state_t;

static int sel_create(el_loop_t *loop)
{
    sel_state_t *st = malloc(sizeof *st);

    if (st == NULL)
        return -1;
    FD_ZERO(&st->rfds);
    FD_ZERO(&st->wfds);
    loop->state = st;
    return 0;
}

/* An fd_set has FD_SETSIZE bits, whatever the loop's size: only refuse
 * what does not fit. */
static int sel_resize(el_loop_t *loop, int setsize)
{
    (void)loop;
    if (setsize > FD_SETSIZE) {
        errno = ERANGE;
        return -1;
    }
    return 0;
}

static void sel_destroy(el_loop_t *loop)
{
    free(loop->state);
    loop->state = NULL;
}

static int sel_add(el_loop_t *loop, int fd, int mask)
{
    sel_state_t *st = loop->state;

    if (fd >= FD_SETSIZE) {   /* FD_SET() would write past the set */
        errno = ERANGE;
        return -1;
    }
    if (mask & EL_READABLE)
        FD_SET(fd, &st->rfds);
    if (mask & EL_WRITABLE)
        FD_SET(fd, &st->wfds);
    return 0;
}

static void sel_del(el_loop_t *loop, int fd, int mask)
{
    sel_state_t *st = loop->state;

    if (mask & EL_READABLE)
        FD_CLR(fd, &st->rfds);
    if (mask & EL_WRITABLE)
        FD_CLR(fd, &st->wfds);
}

/* select() failed with EBADF: a descriptor in the sets is closed (closed
 * before el_del(), a bug of the program). Unlike poll(), which says
 * POLLNVAL for that one entry, select() fails as a whole. Find the closed
 * ones (fcntl(F_GETFD) says EBADF) and report them readable and writable,
 * as poll's POLLNVAL is: their callbacks' recv() fails with EBADF, and
 * their owners el_del() them. None found: the error is the caller's. */
static int sel_closed(el_loop_t *loop)
{
    int fired = 0;

    for (int fd = 0; fd <= loop->maxfd; fd++) {
        if (loop->files[fd].mask == EL_NONE || fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        loop->fired[fired].fd = fd;
        loop->fired[fired++].mask = EL_READABLE | EL_WRITABLE;
    }
    errno = EBADF;
    return fired > 0 ? fired : -1;
}

static int sel_poll(el_loop_t *loop, int timeout_ms)
{
    sel_state_t *st = loop->state;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int n, fired = 0;

    memcpy(&st->_rfds, &st->rfds, sizeof st->rfds);
    memcpy(&st->_wfds, &st->wfds, sizeof st->wfds);
    n = select(loop->maxfd + 1, &st->_rfds, &st->_wfds, NULL, timeout_ms < 0 ? NULL : &tv);
    if (n < 0 && errno == EBADF)
        return sel_closed(loop);
    if (n < 0)
        return errno == EINTR ? 0 : -1;
    for (int fd = 0; fd <= loop->maxfd; fd++) {
        int mask = 0;

        if (loop->files[fd].mask == EL_NONE)
            continue;
        if (FD_ISSET(fd, &st->_rfds))
            mask |= EL_READABLE;
        if (FD_ISSET(fd, &st->_wfds))
            mask |= EL_WRITABLE;
        if (mask) {
            loop->fired[fired].fd = fd;
            loop->fired[fired++].mask = mask;
        }
    }
    return fired;
}

const el_backend_t el_backend_select = {
    "select", FD_SETSIZE, sel_create, sel_resize, sel_destroy, sel_add, sel_del, sel_poll,
};
