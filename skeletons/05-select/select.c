/* select.c - lesson 05: select() and poll() behind one set of event bits,
 * buffers for partial lines and unsent bytes, and non-blocking reads and
 * writes.
 *
 * Your work. Each function below starts with TODO(): replace that line with
 * your code (and delete the (void) lines above it, there only to keep the
 * compiler quiet). select.h says exactly what each function must do (every
 * error case and its errno); the lesson's README explains the ideas. Check
 * your work with `make grade LESSON=05`.
 *
 * You may add helper functions: make them static. Some functions share
 * work (the checks of mux_sel_add() and mux_sel_del(); making room at the
 * end of a buffer, for mux_buf_append() and mux_recv()): write it once. */
#include "select.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "todo.h"

/* ---- Task 1: waiting with select() ----------------------------------------
 * FD_ZERO(&set), FD_SET(fd, &set), FD_CLR(fd, &set) and FD_ISSET(fd, &set)
 * work on one fd_set. They do not check fd: FD_SET(1024, &set) writes past
 * the end of the set. Check it yourself, before. */

void mux_sel_init(mux_sel_t *s)
{
    /* Four FD_ZERO() and maxfd -1. */
    (void)s;
    TODO();
}

int mux_sel_add(mux_sel_t *s, int fd, int events)
{
    /* EINVAL, EBADF, ERANGE first (fd >= FD_SETSIZE has no bit: never
     * FD_SET() it); then FD_SET() in want_read and/or want_write, and
     * raise maxfd. */
    (void)s;
    (void)fd;
    (void)events;
    TODO();
}

int mux_sel_del(mux_sel_t *s, int fd, int events)
{
    /* The same checks; FD_CLR() from the wanted set and from the result
     * (readable or writable); if fd was maxfd, lower maxfd until it names
     * a descriptor still in want_read or want_write (or reaches -1). */
    (void)s;
    (void)fd;
    (void)events;
    TODO();
}

int mux_sel_wait(mux_sel_t *s, int timeout_ms)
{
    /* select() overwrites the sets it is given: copy want_read into
     * readable and want_write into writable (a struct assignment copies an
     * fd_set), and give it those. Its first argument is the number of
     * descriptors to look at, from 0: maxfd + 1. The timeout: NULL for -1,
     * else a struct timeval made here, every call (Linux changes it).
     * On -1, empty readable and writable, keeping errno. */
    (void)s;
    (void)timeout_ms;
    TODO();
}

int mux_sel_ready(const mux_sel_t *s, int fd)
{
    /* FD_ISSET() in readable and writable, for fd from 0 to FD_SETSIZE - 1
     * only. */
    (void)s;
    (void)fd;
    TODO();
}

/* ---- Task 2: waiting with poll() ------------------------------------------
 * p->fds is an array of struct pollfd {int fd; short events; short
 * revents;}, p->data an array of void * beside it, both of p->cap entries
 * of which p->count are in use. */

void mux_poll_init(mux_poll_t *p)
{
    (void)p;
    TODO();
}

int mux_poll_add(mux_poll_t *p, int fd, int events, void *data)
{
    /* Checks first. Full (count == cap)? realloc() both arrays to twice
     * the room (16 entries the first time); keep the old pointers until
     * realloc() succeeds. Then fill entry count: fd, POLLIN and/or POLLOUT,
     * revents 0, data; return its index. */
    (void)p;
    (void)fd;
    (void)events;
    (void)data;
    TODO();
}

int mux_poll_set(mux_poll_t *p, size_t i, int events)
{
    (void)p;
    (void)i;
    (void)events;
    TODO();
}

int mux_poll_remove(mux_poll_t *p, size_t i)
{
    /* The last entry (fds and data) moves into i; count drops by one. */
    (void)p;
    (void)i;
    TODO();
}

int mux_poll_wait(mux_poll_t *p, int timeout_ms)
{
    /* poll(p->fds, p->count, timeout_ms). On -1, set every revents to 0,
     * keeping errno. */
    (void)p;
    (void)timeout_ms;
    TODO();
}

int mux_poll_ready(const mux_poll_t *p, size_t i)
{
    /* From fds[i].revents: POLLIN, POLLHUP, POLLERR give MUX_READ; POLLOUT
     * (and POLLERR when the entry waits for POLLOUT) give MUX_WRITE;
     * POLLNVAL gives MUX_GONE. */
    (void)p;
    (void)i;
    TODO();
}

void mux_poll_free(mux_poll_t *p)
{
    (void)p;
    TODO();
}

/* ---- Task 3: buffers and partial lines ------------------------------------
 * b->data[b->start, b->end) are the bytes waiting; b->cap is the size of
 * b->data. */

void mux_buf_init(mux_buf_t *b)
{
    (void)b;
    TODO();
}

int mux_buf_append(mux_buf_t *b, const void *bytes, size_t len, size_t limit)
{
    /* Checks first (ENOBUFS: waiting + len > limit; write it so that it
     * cannot overflow). Then make room for len bytes at the end: if the
     * room after end is too small and start > 0, memmove() the waiting
     * bytes to the front; if that is still too small, realloc() to twice
     * cap, or to waiting + len if that is more. Then memcpy(). */
    (void)b;
    (void)bytes;
    (void)len;
    (void)limit;
    TODO();
}

ssize_t mux_buf_line(const mux_buf_t *b, size_t max)
{
    /* memchr() for '\n' among the first min(waiting, max) bytes from
     * data + start: found at p, the line is p - (data + start) + 1 bytes.
     * Not found: EMSGSIZE if waiting >= max, else 0. */
    (void)b;
    (void)max;
    TODO();
}

void mux_buf_consume(mux_buf_t *b, size_t n)
{
    (void)b;
    (void)n;
    TODO();
}

void mux_buf_free(mux_buf_t *b)
{
    (void)b;
    TODO();
}

/* ---- Task 4: non-blocking reads and writes -------------------------------- */

int mux_set_nonblocking(int fd)
{
    /* flags = fcntl(fd, F_GETFL); then fcntl(fd, F_SETFL, flags | O_NONBLOCK). */
    (void)fd;
    TODO();
}

ssize_t mux_recv(int fd, mux_buf_t *b, size_t max)
{
    /* Make room for max bytes at the end of b (as mux_buf_append() does),
     * then one recv(fd, b->data + b->end, max, 0), again on EINTR; add
     * what came to b->end. */
    (void)fd;
    (void)b;
    (void)max;
    TODO();
}

ssize_t mux_flush(int fd, mux_buf_t *b)
{
    /* While bytes wait: send(fd, ..., MSG_NOSIGNAL); consume what went;
     * again on EINTR; stop on EAGAIN or EWOULDBLOCK (no error), and on a
     * send() that returns 0 (errno is then stale: "not now" too); any
     * other failure: -1. Return what is still waiting. */
    (void)fd;
    (void)b;
    TODO();
}
