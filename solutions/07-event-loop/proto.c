/* proto.c - lesson 07, reference solution: the protocol layer (after
 * Twisted's). A server accepts; each connection is the slot of its
 * descriptor in the server's one array of slots, the protocol with its
 * transport after it (no allocation per connection); what a protocol
 * writes goes out now or waits in an output buffer that exists only while
 * bytes wait; a peer whose output passes PR_OUT_HIGH is not read until it
 * drains below PR_OUT_LOW (back-pressure); a connection that ends is
 * closed from a timer of 0 ms, after the callbacks of the round, so that
 * no callback ever holds a pointer to a slot given to another connection;
 * a sweep timer closes the idle ones. */
#define _GNU_SOURCE   /* accept4(): Linux, the BSDs, POSIX.1-2024 */

#include "backends.h"

#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

#define ACCEPT_MAX 128   /* clients accepted per readable round */
/* The biggest protocol: far past any real one, and small enough that
 * slot_size cannot wrap around. */
#define PR_PROTOCOL_MAX ((size_t)1 << 30)

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    return flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ? -1 : 0;
}

/* ---- the slots: one per descriptor, in one array that never moves ---------------- */

/* A slot: the protocol at its start (so aligned as malloc() would align
 * it), the transport at srv->transport_at after it. */
static pr_protocol_t *protocol_of(pr_transport_t *t)
{
    return (pr_protocol_t *)((char *)t - t->server->transport_at);
}

static pr_transport_t *slot_of(const pr_server_t *srv, int fd)
{
    return (pr_transport_t *)(srv->slots + (size_t)fd * srv->slot_size + srv->transport_at);
}

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

/* A free slot is poisoned under ASan (but for its transport's `server`,
 * which the scans read to tell free from taken): a protocol that keeps a
 * pointer into its slot after connection_lost() and uses it is reported,
 * where without it it would read, or write to, the next connection on that
 * descriptor. Without ASan, these do nothing. */
static void poison_slot(pr_server_t *srv, pr_transport_t *t)
{
#ifdef __SANITIZE_ADDRESS__
    char *slot = (char *)t - srv->transport_at, *past_server = (char *)(&t->server + 1);

    ASAN_POISON_MEMORY_REGION(slot, srv->transport_at);
    ASAN_POISON_MEMORY_REGION(past_server, (size_t)(slot + srv->slot_size - past_server));
#else
    (void)srv;
    (void)t;
#endif
}

static void unpoison_slot(pr_server_t *srv, pr_transport_t *t)
{
#ifdef __SANITIZE_ADDRESS__
    ASAN_UNPOISON_MEMORY_REGION((char *)t - srv->transport_at, srv->slot_size);
#else
    (void)srv;
    (void)t;
#endif
}

int pr_fd(const pr_transport_t *t)
{
    if (t == NULL || t->server == NULL) {
        errno = t == NULL ? EINVAL : EPIPE;   /* a free slot: its connection is gone */
        return -1;
    }
    return (int)(((const char *)t - t->server->slots) / t->server->slot_size);
}

static unsigned server_ms(const pr_server_t *srv)
{
    return (unsigned)(el_now_ms() - srv->epoch_ms);
}

/* It did something: the idle sweep leaves it alone for idle_ms more. */
static void touch(pr_transport_t *t)
{
    t->last_ms = server_ms(t->server);
}

/* ---- closing: doomed now, closed by the reap timer --------------------------------- */

/* Closes t, tells the protocol, and zeroes the slot, protocol and
 * transport (free again, as calloc() left it); maxfd comes down past the
 * free slots. */
static void destroy(pr_transport_t *t)
{
    pr_server_t *srv = t->server;
    int fd = pr_fd(t);
    pr_protocol_t *p = protocol_of(t);

    el_del(srv->loop, fd, EL_READABLE | EL_WRITABLE);
    close(fd);
    if (srv->factory->connection_lost != NULL)
        srv->factory->connection_lost(p, t->err);
    free(t->out);
    memset(p, 0, srv->slot_size);
    poison_slot(srv, t);
    srv->ndoomed--;
    while (srv->maxfd >= 0 && slot_of(srv, srv->maxfd)->server == NULL)
        srv->maxfd--;
}

/* The timer of 0 ms: closes the doomed slots, scanning up to maxfd (a
 * connection_lost() that dooms another re-arms it: what this scan passed
 * is closed in the next round). */
static int reap(el_loop_t *loop, long long id, void *data)
{
    pr_server_t *srv = data;

    (void)loop;
    (void)id;
    srv->reap_timer = 0;
    for (int fd = 0; fd <= srv->maxfd && srv->ndoomed > 0; fd++) {
        pr_transport_t *t = slot_of(srv, fd);

        if (t->server != NULL && (t->flags & PR_DOOMED))
            destroy(t);
    }
    return EL_NOMORE;
}

/* Flagged, watched for nothing, the reap timer armed. Callbacks of this
 * round still see a valid transport: its slot is zeroed only by reap(). */
static void doom(pr_transport_t *t, int err)
{
    pr_server_t *srv = t->server;

    if (t->flags & PR_DOOMED)
        return;
    t->flags |= PR_DOOMED;
    t->err = (unsigned short)err;
    el_del(srv->loop, pr_fd(t), EL_READABLE | EL_WRITABLE);
    srv->count--;
    srv->ndoomed++;
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

static void on_io(el_loop_t *loop, int fd, void *data, int mask);

/* Back-pressure: a peer owed PR_OUT_HIGH is not read until it drains. */
static void pause_if_full(pr_transport_t *t)
{
    if (!(t->flags & PR_PAUSED) && pr_pending(t) >= PR_OUT_HIGH) {
        t->flags |= PR_PAUSED;
        el_del(t->server->loop, pr_fd(t), EL_READABLE);
    }
}

int pr_write(pr_transport_t *t, const void *data, size_t len)
{
    ssize_t sent = 0;

    if (t == NULL || (data == NULL && len > 0)) {
        errno = EINVAL;
        return -1;
    }
    if (t->server == NULL || (t->flags & (PR_DOOMED | PR_CLOSING))) {   /* free: gone */
        errno = EPIPE;
        return -1;
    }
    if (pr_pending(t) == 0) {   /* nothing waits: try now, in order */
        sent = send_some(pr_fd(t), data, len);
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
        el_add(t->server->loop, pr_fd(t), EL_WRITABLE, on_io, t) < 0) {
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
static void on_writable(el_loop_t *loop, int fd, pr_transport_t *t)
{
    pr_buf_t *b = t->out;
    ssize_t n = b != NULL ? send_some(fd, b->data + b->start, b->end - b->start) : 0;

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
        if (el_add(loop, fd, EL_READABLE, on_io, t) < 0) {
            doom(t, errno);
            return;
        }
        t->flags &= ~PR_PAUSED;
    }
}

void pr_lose_connection(pr_transport_t *t)
{
    if (t == NULL || t->server == NULL || (t->flags & (PR_DOOMED | PR_CLOSING)))
        return;
    t->flags |= PR_CLOSING;
    el_del(t->server->loop, pr_fd(t), EL_READABLE);
    if (pr_pending(t) == 0)
        doom(t, 0);
}

void pr_abort(pr_transport_t *t)
{
    if (t != NULL && t->server != NULL)
        doom(t, 0);
}

int pr_disconnecting(const pr_transport_t *t)
{
    return t == NULL || t->server == NULL || (t->flags & (PR_DOOMED | PR_CLOSING)) != 0;
}

/* ---- input ------------------------------------------------------------------------ */

/* Readable: one recv() into the server's shared buffer (level-triggered:
 * what is left is reported again next round), handed to the protocol.
 * The end of the stream: send what waits, then close. */
static void on_readable(int fd, pr_transport_t *t)
{
    pr_server_t *srv = t->server;
    ssize_t n;

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

/* A connection's one callback: the mask says which way it is ready (the
 * loop calls it twice, readable first, when both are). */
static void on_io(el_loop_t *loop, int fd, void *data, int mask)
{
    if (mask & EL_READABLE)
        on_readable(fd, data);
    else
        on_writable(loop, fd, data);
}

/* ---- accepting -------------------------------------------------------------------- */

static void refuse(pr_server_t *srv, int fd, int err)
{
    close(fd);
    if (srv->factory->refused != NULL)
        srv->factory->refused(srv, err);
}

/* fd is non-blocking already (accept4()). Its slot is free: destroy()
 * zeroes the slot of a connection it closes, before the loop can accept
 * again (and so reuse the number), unless a protocol close()d pr_fd()
 * itself: then the slot is still taken, and the client is refused (EBUSY)
 * rather than given a live connection's slot. The slot is filled only once
 * el_add() took the descriptor: a refused client leaves no trace. */
static void new_transport(pr_server_t *srv, int fd)
{
    pr_transport_t *t;

    if (fd >= srv->nslots) {
        refuse(srv, fd, ERANGE);
        return;
    }
    t = slot_of(srv, fd);
    if (t->server != NULL) {
        refuse(srv, fd, EBUSY);
        return;
    }
    if (el_add(srv->loop, fd, EL_READABLE, on_io, t) < 0) {
        refuse(srv, fd, errno);   /* ENOMEM, or the backend's: epoll's ENOSPC */
        return;
    }
    unpoison_slot(srv, t);
    t->server = srv;
    t->last_ms = server_ms(srv);
    if (fd > srv->maxfd)
        srv->maxfd = fd;
    srv->count++;
    protocol_of(t)->transport = t;
    if (srv->factory->connection_made != NULL)
        srv->factory->connection_made(protocol_of(t));
}

/* Out of descriptors (err: EMFILE for the process, ENFILE for the
 * system): the reserve makes room to take a client and close it, so that
 * the listener is not readable for ever. */
static void turn_away(pr_server_t *srv, int err)
{
    int fd;

    if (srv->spare_fd >= 0)
        close(srv->spare_fd);
    fd = accept(srv->lfd, NULL, NULL);
    if (fd >= 0)
        refuse(srv, fd, err);
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
            turn_away(srv, errno);
        return;   /* EAGAIN: none waits */
    }
}

/* ---- idleness ----------------------------------------------------------------------- */

/* The sweep runs every idle_ms / 4, at least every 10 ms. */
static int sweep_period(const pr_server_t *srv)
{
    return srv->idle_ms / 4 > 10 ? srv->idle_ms / 4 : 10;
}

/* Every live slot up to maxfd: each idle too long is closed. The
 * difference of two times modulo 2^32 is right across the wrap (49 days).
 * Re-armed: it runs for ever. */
static int sweep(el_loop_t *loop, long long id, void *data)
{
    pr_server_t *srv = data;
    unsigned now = server_ms(srv);

    (void)loop;
    (void)id;
    for (int fd = 0; fd <= srv->maxfd; fd++) {
        pr_transport_t *t = slot_of(srv, fd);

        if (t->server != NULL && !(t->flags & PR_DOOMED) &&
            now - t->last_ms >= (unsigned)srv->idle_ms)
            doom(t, ETIMEDOUT);
    }
    return sweep_period(srv);
}

/* The listener watched (which may grow the loop: lfd past its setsize),
 * then the slots, a slot per descriptor the loop has room for (one
 * calloc(): with glibc, a large one is fresh pages from mmap(), which cost
 * nothing until a connection writes its slot), the sweep armed: 0, or -1
 * with errno. */
static int start(pr_server_t *srv)
{
    if (set_nonblocking(srv->lfd) < 0 ||
        el_add(srv->loop, srv->lfd, EL_READABLE, on_accept, srv) < 0)
        return -1;
    srv->nslots = srv->loop->setsize;
    srv->slots = calloc((size_t)srv->nslots, srv->slot_size);
    if (srv->slots == NULL)
        return -1;
    if (srv->idle_ms > 0) {
        srv->idle_timer = el_timer_add(srv->loop, sweep_period(srv), sweep, srv);
        if (srv->idle_timer < 0)
            return -1;
    }
    return 0;
}

pr_server_t *pr_serve(el_loop_t *loop, int lfd, const pr_factory_t *factory, int idle_ms)
{
    pr_server_t *srv;

    if (loop == NULL || factory == NULL || factory->data_received == NULL || idle_ms < 0 ||
        factory->size < sizeof(pr_protocol_t) || factory->size > PR_PROTOCOL_MAX || lfd < 0) {
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
    /* the protocol, then the transport at the next multiple of its
     * alignment; a slot a multiple of max_align_t's, so that every slot,
     * and so every protocol, is aligned for anything (as malloc()'s) */
    srv->transport_at = round_up(factory->size, alignof(pr_transport_t));
    srv->slot_size = round_up(srv->transport_at + sizeof(pr_transport_t), alignof(max_align_t));
    srv->maxfd = -1;
    srv->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (start(srv) < 0) {
        int err = errno;

        el_del(loop, lfd, EL_READABLE);
        if (srv->spare_fd >= 0)
            close(srv->spare_fd);
        free(srv->slots);
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
    for (int fd = 0; fd <= srv->maxfd; fd++)
        if (slot_of(srv, fd)->server != NULL)
            doom(slot_of(srv, fd), 0);
    if (srv->reap_timer > 0)
        el_timer_del(srv->loop, srv->reap_timer);
    reap(srv->loop, 0, srv);
    if (srv->idle_timer > 0)
        el_timer_del(srv->loop, srv->idle_timer);
    el_del(srv->loop, srv->lfd, EL_READABLE);
    if (srv->spare_fd >= 0)
        close(srv->spare_fd);
    free(srv->slots);
    free(srv);
}
