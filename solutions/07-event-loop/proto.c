/* proto.c - lesson 07, reference solution: the protocol layer (after
 * Twisted's). A server accepts; each connection is a transport with its
 * protocol in the same allocation; what a protocol writes goes out now
 * or waits in an output buffer that exists only while bytes wait; a peer
 * whose output passes PR_OUT_HIGH is not read until it drains below
 * PR_OUT_LOW (back-pressure); a connection that ends is closed from a
 * timer of 0 ms, after the callbacks of the round, so that no callback
 * ever holds a pointer to a freed transport; a sweep timer closes the
 * idle ones. */
#define _GNU_SOURCE   /* accept4(): Linux, the BSDs, POSIX.1-2024 */

#include "backends.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ACCEPT_MAX 128   /* clients accepted per readable round */

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    return flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ? -1 : 0;
}

static pr_protocol_t *protocol_of(pr_transport_t *t)
{
    return (pr_protocol_t *)(t + 1);
}

/* ---- the server's list: least recently active first ----------------------------- */

static void unlink_transport(pr_server_t *srv, pr_transport_t *t)
{
    if (t->prev != NULL)
        t->prev->next = t->next;
    else
        srv->head = t->next;
    if (t->next != NULL)
        t->next->prev = t->prev;
    else
        srv->tail = t->prev;
    t->prev = t->next = NULL;
}

static void append_transport(pr_server_t *srv, pr_transport_t *t)
{
    t->prev = srv->tail;
    t->next = NULL;
    if (srv->tail != NULL)
        srv->tail->next = t;
    else
        srv->head = t;
    srv->tail = t;
}

static unsigned server_ms(const pr_server_t *srv)
{
    return (unsigned)(el_now_ms() - srv->epoch_ms);
}

/* It did something: to the end of the list, the idle sweep's last. */
static void touch(pr_transport_t *t)
{
    pr_server_t *srv = t->server;

    t->last_ms = server_ms(srv);
    if (srv->tail != t) {
        unlink_transport(srv, t);
        append_transport(srv, t);
    }
}

/* ---- closing: doomed now, closed by the reap timer --------------------------------- */

static void destroy(pr_transport_t *t)
{
    pr_server_t *srv = t->server;

    el_del(srv->loop, t->fd, EL_READABLE | EL_WRITABLE);
    close(t->fd);
    if (srv->factory->connection_lost != NULL)
        srv->factory->connection_lost(protocol_of(t), t->err);
    free(t->out);
    free(t);
}

static int reap(el_loop_t *loop, long long id, void *data)
{
    pr_server_t *srv = data;

    (void)loop;
    (void)id;
    srv->reap_timer = 0;
    while (srv->doomed != NULL) {
        pr_transport_t *t = srv->doomed;

        srv->doomed = t->next;
        destroy(t);
    }
    return EL_NOMORE;
}

/* Out of the live list, into the doomed one; watched for nothing; the reap
 * timer armed. Callbacks of this round still see a valid transport. */
static void doom(pr_transport_t *t, int err)
{
    pr_server_t *srv = t->server;

    if (t->flags & PR_DOOMED)
        return;
    t->flags |= PR_DOOMED;
    t->err = err;
    el_del(srv->loop, t->fd, EL_READABLE | EL_WRITABLE);
    unlink_transport(srv, t);
    srv->count--;
    t->next = srv->doomed;
    srv->doomed = t;
    if (srv->reap_timer == 0) {
        long long id = el_timer_add(srv->loop, 0, reap, srv);

        srv->reap_timer = id > 0 ? id : 0;
    }
}

/* ---- output ----------------------------------------------------------------------- */

size_t pr_pending(const pr_transport_t *t)
{
    return t != NULL && t->out != NULL ? t->out->end - t->out->start : 0;
}

/* Appends to t->out, moving what waits to the front or growing first. */
static int queue(pr_transport_t *t, const char *data, size_t len)
{
    pr_buf_t *b = t->out;
    size_t waiting = pr_pending(t);

    if (b != NULL && b->cap - b->end < len && b->start > 0) {
        memmove(b->data, b->data + b->start, waiting);
        b->start = 0;
        b->end = waiting;
    }
    if (b == NULL || b->cap - b->end < len) {
        size_t cap = b != NULL ? b->cap : 0;

        while (cap < waiting + len)
            cap = cap < 4096 ? 4096 : cap * 2;
        b = realloc(b, sizeof *b + cap);
        if (b == NULL)
            return -1;
        if (t->out == NULL)
            b->start = b->end = 0;
        b->cap = cap;
        t->out = b;
    }
    memcpy(b->data + b->end, data, len);
    b->end += len;
    return 0;
}

/* Sends what it takes: the count sent, or -1 with errno (EAGAIN is 0). */
static ssize_t send_some(int fd, const char *data, size_t len)
{
    size_t sent = 0;

    while (sent < len) {
        ssize_t n = send(fd, data + sent, len - sent, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n < 0)
            return -1;
        sent += (size_t)n;
    }
    return (ssize_t)sent;
}

static void on_readable(el_loop_t *loop, int fd, void *data, int mask);
static void on_writable(el_loop_t *loop, int fd, void *data, int mask);

/* Back-pressure: a peer owed PR_OUT_HIGH is not read until it drains. */
static void pause_if_full(pr_transport_t *t)
{
    if (!(t->flags & PR_PAUSED) && pr_pending(t) >= PR_OUT_HIGH) {
        t->flags |= PR_PAUSED;
        el_del(t->server->loop, t->fd, EL_READABLE);
    }
}

int pr_write(pr_transport_t *t, const void *data, size_t len)
{
    ssize_t sent = 0;

    if (t == NULL || (data == NULL && len > 0)) {
        errno = EINVAL;
        return -1;
    }
    if (t->flags & (PR_DOOMED | PR_CLOSING)) {
        errno = EPIPE;
        return -1;
    }
    if (pr_pending(t) == 0) {   /* nothing waits: try now, in order */
        sent = send_some(t->fd, data, len);
        if (sent < 0) {
            int err = errno;

            doom(t, err);
            errno = err;
            return -1;
        }
        if (sent > 0)
            touch(t);   /* sending is activity: a client that only listens is not idle */
    }
    if ((size_t)sent == len)
        return 0;
    if (queue(t, (const char *)data + sent, len - (size_t)sent) < 0 ||
        el_add(t->server->loop, t->fd, EL_WRITABLE, on_writable, t) < 0) {
        int err = errno;

        doom(t, err);
        errno = err;
        return -1;
    }
    pause_if_full(t);
    return 0;
}

/* Writable: send what waits; once empty, free the buffer (an idle
 * connection holds none), stop watching for writing, and close if asked.
 * Below PR_OUT_LOW, read the peer again. */
static void on_writable(el_loop_t *loop, int fd, void *data, int mask)
{
    pr_transport_t *t = data;
    pr_buf_t *b = t->out;
    ssize_t n = b != NULL ? send_some(fd, b->data + b->start, b->end - b->start) : 0;

    (void)mask;
    if (n < 0) {
        doom(t, errno);
        return;
    }
    if (n > 0)
        touch(t);
    if (b != NULL)
        b->start += (size_t)n;
    if (pr_pending(t) == 0) {
        free(t->out);
        t->out = NULL;
        el_del(loop, fd, EL_WRITABLE);
        if (t->flags & PR_CLOSING) {
            doom(t, 0);
            return;
        }
    }
    if ((t->flags & PR_PAUSED) && !(t->flags & PR_CLOSING) && pr_pending(t) < PR_OUT_LOW) {
        if (el_add(loop, fd, EL_READABLE, on_readable, t) < 0) {
            doom(t, errno);
            return;
        }
        t->flags &= ~PR_PAUSED;
    }
}

void pr_lose_connection(pr_transport_t *t)
{
    if (t == NULL || (t->flags & (PR_DOOMED | PR_CLOSING)))
        return;
    t->flags |= PR_CLOSING;
    el_del(t->server->loop, t->fd, EL_READABLE);
    if (pr_pending(t) == 0)
        doom(t, 0);
}

void pr_abort(pr_transport_t *t)
{
    if (t != NULL)
        doom(t, 0);
}

int pr_disconnecting(const pr_transport_t *t)
{
    return t == NULL || (t->flags & (PR_DOOMED | PR_CLOSING)) != 0;
}

/* ---- input ------------------------------------------------------------------------ */

/* Readable: one recv() into the server's shared buffer (level-triggered:
 * what is left is reported again next round), handed to the protocol.
 * The end of the stream: send what waits, then close. */
static void on_readable(el_loop_t *loop, int fd, void *data, int mask)
{
    pr_transport_t *t = data;
    pr_server_t *srv = t->server;
    ssize_t n;

    (void)loop;
    (void)mask;
    do
        n = recv(fd, srv->rbuf, sizeof srv->rbuf, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            doom(t, errno);
        return;
    }
    if (n == 0) {
        pr_lose_connection(t);
        return;
    }
    touch(t);
    srv->factory->data_received(protocol_of(t), srv->rbuf, (size_t)n);
}

/* ---- accepting -------------------------------------------------------------------- */

/* fd is non-blocking already (accept4()). */
static void new_transport(pr_server_t *srv, int fd)
{
    pr_transport_t *t = calloc(1, sizeof *t + srv->factory->size);

    if (t == NULL || el_add(srv->loop, fd, EL_READABLE, on_readable, t) < 0) {
        free(t);   /* ERANGE from select: refused, closed at once */
        close(fd);
        return;
    }
    t->server = srv;
    t->fd = fd;
    t->last_ms = server_ms(srv);
    append_transport(srv, t);
    srv->count++;
    protocol_of(t)->transport = t;
    if (srv->factory->connection_made != NULL)
        srv->factory->connection_made(protocol_of(t));
}

/* Out of descriptors: the reserve makes room to take a client and close
 * it, so that the listener is not readable for ever. */
static void turn_away(pr_server_t *srv)
{
    int fd;

    if (srv->spare_fd >= 0)
        close(srv->spare_fd);
    fd = accept(srv->lfd, NULL, NULL);
    if (fd >= 0)
        close(fd);
    srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void on_accept(el_loop_t *loop, int lfd, void *data, int mask)
{
    pr_server_t *srv = data;

    (void)loop;
    (void)mask;
    for (int i = 0; i < ACCEPT_MAX; i++) {
        /* non-blocking at once, and not inherited by a program exec()-ed */
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (fd >= 0) {
            new_transport(srv, fd);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
            continue;
        if (errno == EMFILE || errno == ENFILE)
            turn_away(srv);
        return;   /* EAGAIN: none waits */
    }
}

/* ---- idleness ----------------------------------------------------------------------- */

/* From the least recently active on: each idle too long is closed; the
 * first that is not ends the walk. Re-armed: it runs for ever. */
static int sweep(el_loop_t *loop, long long id, void *data)
{
    pr_server_t *srv = data;
    unsigned now = server_ms(srv);

    (void)loop;
    (void)id;
    while (srv->head != NULL && now - srv->head->last_ms >= (unsigned)srv->idle_ms)
        doom(srv->head, ETIMEDOUT);
    return srv->idle_ms / 4 > 10 ? srv->idle_ms / 4 : 10;
}

pr_server_t *pr_serve(el_loop_t *loop, int lfd, const pr_factory_t *factory, int idle_ms)
{
    pr_server_t *srv;

    if (loop == NULL || factory == NULL || factory->data_received == NULL || idle_ms < 0 ||
        factory->size < sizeof(pr_protocol_t) || lfd < 0) {
        errno = EINVAL;
        return NULL;
    }
    srv = calloc(1, sizeof *srv);
    if (srv == NULL)
        return NULL;
    srv->loop = loop;
    srv->factory = factory;
    srv->lfd = lfd;
    srv->idle_ms = idle_ms;
    srv->epoch_ms = el_now_ms();
    srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (set_nonblocking(lfd) < 0 || el_add(loop, lfd, EL_READABLE, on_accept, srv) < 0 ||
        (idle_ms > 0 && (srv->idle_timer = el_timer_add(loop, idle_ms / 4 > 10 ? idle_ms / 4 : 10,
                                                        sweep, srv)) < 0)) {
        int err = errno;

        el_del(loop, lfd, EL_READABLE);
        if (srv->spare_fd >= 0)
            close(srv->spare_fd);
        free(srv);
        errno = err;
        return NULL;
    }
    return srv;
}

void pr_server_free(pr_server_t *srv)
{
    if (srv == NULL)
        return;
    while (srv->head != NULL)
        doom(srv->head, 0);
    if (srv->reap_timer > 0)
        el_timer_del(srv->loop, srv->reap_timer);
    reap(srv->loop, 0, srv);
    if (srv->idle_timer > 0)
        el_timer_del(srv->loop, srv->idle_timer);
    el_del(srv->loop, srv->lfd, EL_READABLE);
    if (srv->spare_fd >= 0)
        close(srv->spare_fd);
    free(srv);
}
