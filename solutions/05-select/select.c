/* select.c - lesson 05, reference solution: select() and poll() behind one
 * set of event bits, buffers for partial lines and unsent bytes, and
 * non-blocking reads and writes. select.h is the contract. */
#include "select.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#define MUX_ALL (MUX_READ | MUX_WRITE)
#define POLL_FIRST_CAP 16

/* ---- Task 1: select() ------------------------------------------------------ */

void mux_sel_init(mux_sel_t *s)
{
    FD_ZERO(&s->want_read);
    FD_ZERO(&s->want_write);
    FD_ZERO(&s->readable);
    FD_ZERO(&s->writable);
    s->maxfd = -1;
}

/* The checks that mux_sel_add() and mux_sel_del() share: 0, or -1 with
 * errno. A descriptor of FD_SETSIZE or more has no bit in an fd_set, and
 * FD_SET() on it would write past the set: refuse it here, once. */
static int sel_check(const mux_sel_t *s, int fd, int events)
{
    if (s == NULL || events == 0 || (events & ~MUX_ALL) != 0) {
        errno = EINVAL;
        return -1;
    }
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    if (fd >= FD_SETSIZE) {
        errno = ERANGE;
        return -1;
    }
    return 0;
}

int mux_sel_add(mux_sel_t *s, int fd, int events)
{
    if (sel_check(s, fd, events) < 0)
        return -1;
    if (events & MUX_READ)
        FD_SET(fd, &s->want_read);
    if (events & MUX_WRITE)
        FD_SET(fd, &s->want_write);
    if (fd > s->maxfd)
        s->maxfd = fd;
    return 0;
}

static int sel_wanted(const mux_sel_t *s, int fd)
{
    return FD_ISSET(fd, &s->want_read) || FD_ISSET(fd, &s->want_write);
}

int mux_sel_del(mux_sel_t *s, int fd, int events)
{
    if (sel_check(s, fd, events) < 0)
        return -1;
    if (events & MUX_READ) {
        FD_CLR(fd, &s->want_read);
        FD_CLR(fd, &s->readable);
    }
    if (events & MUX_WRITE) {
        FD_CLR(fd, &s->want_write);
        FD_CLR(fd, &s->writable);
    }
    if (fd == s->maxfd)   /* as ae_select.c does: look down for the next one */
        while (s->maxfd >= 0 && !sel_wanted(s, s->maxfd))
            s->maxfd--;
    return 0;
}

int mux_sel_wait(mux_sel_t *s, int timeout_ms)
{
    struct timeval tv, *tvp = NULL;
    int n;

    if (s == NULL || timeout_ms < -1) {
        errno = EINVAL;
        return -1;
    }
    /* select() overwrites its sets with the answer: give it copies, so
     * that what we want survives. Its timeout is overwritten too, on
     * Linux with the time that was left: make it afresh every call. */
    s->readable = s->want_read;
    s->writable = s->want_write;
    if (timeout_ms >= 0) {
        tv.tv_sec = timeout_ms / 1000;
        tv.tv_usec = (timeout_ms % 1000) * 1000;
        tvp = &tv;
    }
    n = select(s->maxfd + 1, &s->readable, &s->writable, NULL, tvp);
    if (n < 0) {
        int e = errno;

        FD_ZERO(&s->readable);
        FD_ZERO(&s->writable);
        errno = e;
    }
    return n;
}

int mux_sel_ready(const mux_sel_t *s, int fd)
{
    int ready = 0;

    if (s == NULL || fd < 0 || fd >= FD_SETSIZE)
        return 0;
    if (FD_ISSET(fd, &s->readable))
        ready |= MUX_READ;
    if (FD_ISSET(fd, &s->writable))
        ready |= MUX_WRITE;
    return ready;
}

/* ---- Task 2: poll() -------------------------------------------------------- */

void mux_poll_init(mux_poll_t *p)
{
    p->fds = NULL;
    p->data = NULL;
    p->count = 0;
    p->cap = 0;
}

static short poll_events(int events)
{
    return (short)(((events & MUX_READ) ? POLLIN : 0) | ((events & MUX_WRITE) ? POLLOUT : 0));
}

/* Room for one more entry: 0, or -1 with ENOMEM (p unchanged). Each array
 * is grown on its own; one that grew while the other could not is only
 * larger than needed, which does no harm. */
static int poll_grow(mux_poll_t *p)
{
    size_t cap = p->cap ? 2 * p->cap : POLL_FIRST_CAP;
    struct pollfd *fds;
    void **data;

    if (p->count < p->cap)
        return 0;
    fds = realloc(p->fds, cap * sizeof *fds);
    if (fds == NULL)
        return -1;
    p->fds = fds;
    data = realloc(p->data, cap * sizeof *data);
    if (data == NULL)
        return -1;
    p->data = data;
    p->cap = cap;
    return 0;
}

int mux_poll_add(mux_poll_t *p, int fd, int events, void *data)
{
    if (p == NULL || (events & ~MUX_ALL) != 0) {
        errno = EINVAL;
        return -1;
    }
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    if (poll_grow(p) < 0)
        return -1;
    p->fds[p->count] = (struct pollfd){.fd = fd, .events = poll_events(events), .revents = 0};
    p->data[p->count] = data;
    return (int)p->count++;
}

int mux_poll_set(mux_poll_t *p, size_t i, int events)
{
    if (p == NULL || i >= p->count || (events & ~MUX_ALL) != 0) {
        errno = EINVAL;
        return -1;
    }
    p->fds[i].events = poll_events(events);
    return 0;
}

int mux_poll_remove(mux_poll_t *p, size_t i)
{
    if (p == NULL || i >= p->count) {
        errno = EINVAL;
        return -1;
    }
    p->count--;
    p->fds[i] = p->fds[p->count];
    p->data[i] = p->data[p->count];
    return 0;
}

int mux_poll_wait(mux_poll_t *p, int timeout_ms)
{
    int n;

    if (p == NULL || timeout_ms < -1) {
        errno = EINVAL;
        return -1;
    }
    n = poll(p->fds, (nfds_t)p->count, timeout_ms);
    if (n < 0) {
        int e = errno;

        for (size_t i = 0; i < p->count; i++)
            p->fds[i].revents = 0;
        errno = e;
    }
    return n;
}

int mux_poll_ready(const mux_poll_t *p, size_t i)
{
    short r;
    int ready = 0;

    if (p == NULL || i >= p->count)
        return 0;
    r = p->fds[i].revents;
    if (r & (POLLIN | POLLHUP | POLLERR))
        ready |= MUX_READ;
    if ((r & POLLOUT) || ((r & POLLERR) && (p->fds[i].events & POLLOUT)))
        ready |= MUX_WRITE;
    if (r & POLLNVAL)
        ready |= MUX_GONE;
    return ready;
}

void mux_poll_free(mux_poll_t *p)
{
    if (p == NULL)
        return;
    free(p->fds);
    free(p->data);
    mux_poll_init(p);
}

/* ---- Task 3: buffers and partial lines ------------------------------------- */

void mux_buf_init(mux_buf_t *b)
{
    b->data = NULL;
    b->start = 0;
    b->end = 0;
    b->cap = 0;
}

/* Room for len more bytes at the end of b: the waiting bytes moved to the
 * front first, the memory grown only if that is not enough. 0, or -1 with
 * ENOMEM (b unchanged but for the move). */
static int buf_room(mux_buf_t *b, size_t len)
{
    size_t waiting = b->end - b->start, cap;
    char *data;

    if (b->cap - b->end >= len)
        return 0;
    if (b->start > 0) {
        memmove(b->data, b->data + b->start, waiting);
        b->start = 0;
        b->end = waiting;
        if (b->cap - b->end >= len)
            return 0;
    }
    cap = 2 * b->cap > waiting + len ? 2 * b->cap : waiting + len;
    data = realloc(b->data, cap);
    if (data == NULL)
        return -1;
    b->data = data;
    b->cap = cap;
    return 0;
}

int mux_buf_append(mux_buf_t *b, const void *bytes, size_t len, size_t limit)
{
    if (b == NULL || (bytes == NULL && len > 0)) {
        errno = EINVAL;
        return -1;
    }
    if (len > limit || b->end - b->start > limit - len) {
        errno = ENOBUFS;
        return -1;
    }
    if (len == 0)
        return 0;
    if (buf_room(b, len) < 0)
        return -1;
    memcpy(b->data + b->end, bytes, len);
    b->end += len;
    return 0;
}

ssize_t mux_buf_line(const mux_buf_t *b, size_t max)
{
    size_t waiting, look;
    const char *nl;

    if (b == NULL || max == 0) {
        errno = EINVAL;
        return -1;
    }
    waiting = b->end - b->start;
    look = waiting < max ? waiting : max;
    nl = look ? memchr(b->data + b->start, '\n', look) : NULL;
    if (nl != NULL)
        return nl - (b->data + b->start) + 1;
    if (waiting >= max) {
        errno = EMSGSIZE;
        return -1;
    }
    return 0;
}

void mux_buf_consume(mux_buf_t *b, size_t n)
{
    if (b == NULL)
        return;
    if (n >= b->end - b->start)
        b->start = b->end = 0;
    else
        b->start += n;
}

void mux_buf_free(mux_buf_t *b)
{
    if (b == NULL)
        return;
    free(b->data);
    mux_buf_init(b);
}

/* ---- Task 4: non-blocking reads and writes --------------------------------- */

int mux_set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0)
        return -1;
    if (flags & O_NONBLOCK)
        return 0;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

ssize_t mux_recv(int fd, mux_buf_t *b, size_t max)
{
    ssize_t n;

    if (b == NULL || max == 0) {
        errno = EINVAL;
        return -1;
    }
    if (buf_room(b, max) < 0)
        return -1;
    do
        n = recv(fd, b->data + b->end, max, 0);
    while (n < 0 && errno == EINTR);
    if (n > 0)
        b->end += (size_t)n;
    return n;
}

ssize_t mux_flush(int fd, mux_buf_t *b)
{
    if (b == NULL) {
        errno = EINVAL;
        return -1;
    }
    while (b->end > b->start) {
        ssize_t n = send(fd, b->data + b->start, b->end - b->start, MSG_NOSIGNAL);

        if (n > 0)
            mux_buf_consume(b, (size_t)n);
        else if (n < 0 && errno == EINTR)
            continue;
        else if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
            break;   /* no room now (0 from send() would leave errno stale) */
        else
            return -1;
    }
    return (ssize_t)(b->end - b->start);
}
