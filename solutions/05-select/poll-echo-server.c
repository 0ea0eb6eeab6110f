/* poll-echo-server.c - lesson 05, reference solution: the echo server of
 * select-echo-server.c with poll(), which has no FD_SETSIZE: it serves as
 * many clients at once as it has descriptors.
 *
 *   poll-echo-server [-b ADDR] [-p PORT]
 *
 * Every byte a client sends goes back to it, in order; when the client
 * half-closes, what is left goes back and the connection closes. The
 * sockets are non-blocking, an echo the client does not take yet is
 * queued, and a client whose queue holds MUX_QUEUE_MAX bytes is not read
 * until it takes some. SIGTERM or SIGINT: exit 0. */
#include "select.h"
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME "poll-echo-server"
#define FIRST_CLIENT 2   /* entries 0 and 1: the signal pipe, the listener */

/* A client: its socket, its echo not sent yet, whether it half-closed. */
typedef struct client {
    int fd;
    mux_buf_t out;
    int eof;
} client_t;

static size_t queued(const client_t *c)
{
    return c->out.end - c->out.start;
}

/* How much to read from a client now: MUX_READ_MAX at most, and no more
 * than its queue has room for, so that the queue never passes
 * MUX_QUEUE_MAX (a client is read only while it has room). */
static size_t room(const client_t *c)
{
    size_t left = MUX_QUEUE_MAX - queued(c);

    return left < MUX_READ_MAX ? left : MUX_READ_MAX;
}

static int wanted(const client_t *c)
{
    return (!c->eof && queued(c) < MUX_QUEUE_MAX ? MUX_READ : 0) |
           (queued(c) > 0 ? MUX_WRITE : 0);
}

/* Forgets the client of entry i: removes the entry (the last one moves
 * into its place) and frees the client; closes nothing. */
static void forget(mux_poll_t *p, size_t i)
{
    client_t *c = p->data[i];

    mux_poll_remove(p, i);
    mux_buf_free(&c->out);
    free(c);
}

/* Closes the client of entry i and forgets it. why: NULL for a client
 * that simply left. */
static void drop(mux_poll_t *p, size_t i, const char *why)
{
    client_t *c = p->data[i];
    char peer[SRV_ADDRSTRLEN];

    if (why != NULL)
        fprintf(stderr, NAME ": dropped %s: %s\n", srv_peer(c->fd, peer, sizeof peer), why);
    close(c->fd);
    forget(p, i);
}

static void add_client(mux_poll_t *p, int fd)
{
    client_t *c = calloc(1, sizeof *c);

    if (c == NULL || mux_set_nonblocking(fd) < 0 || mux_poll_add(p, fd, MUX_READ, c) < 0) {
        fprintf(stderr, NAME ": new client: %s\n", strerror(errno));
        close(fd);
        free(c);
        return;
    }
    c->fd = fd;
    mux_buf_init(&c->out);
}

static void accept_clients(const srv_t *srv, mux_poll_t *p)
{
    int fd;

    while ((fd = srv_accept(srv)) >= 0)
        add_client(p, fd);
}

/* Reads what came into the client's queue: 0, or -1 with errno if it must
 * be dropped. The end of the stream is no error: the echo of all it sent
 * is still to go. */
static int take_input(client_t *c)
{
    ssize_t n;

    if (room(c) == 0)   /* full: POLLHUP or POLLERR woke it; the send will meet the error */
        return 0;
    n = mux_recv(c->fd, &c->out, room(c));

    if (n == 0)
        c->eof = 1;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        return -1;
    return 0;
}

/* Serves the client of entry i, which poll() found ready. */
static void serve(mux_poll_t *p, size_t i)
{
    client_t *c = p->data[i];
    int ready = mux_poll_ready(p, i);

    if (ready & MUX_GONE) {
        /* not open: closed behind our back. Never close() it again: its
         * number may belong to another file by now. */
        fprintf(stderr, NAME ": descriptor %d is not open: forgotten\n", c->fd);
        forget(p, i);
    } else if (((ready & MUX_READ) && take_input(c) < 0) || mux_flush(c->fd, &c->out) < 0) {
        drop(p, i, strerror(errno));
    } else if (c->eof && queued(c) == 0) {
        drop(p, i, NULL);   /* half-closed, and all of it is back */
    } else {
        mux_poll_set(p, i, wanted(c));
    }
}

static int loop(srv_t *srv)
{
    mux_poll_t p;
    int rc = 0;

    mux_poll_init(&p);
    if (mux_poll_add(&p, srv->sigfd, MUX_READ, NULL) < 0 ||
        mux_poll_add(&p, srv->lfd, MUX_READ, NULL) < 0) {
        fprintf(stderr, NAME ": watch the listening socket: %s\n", strerror(errno));
        mux_poll_free(&p);
        return -1;
    }
    while (!srv_stopping(srv)) {
        if (mux_poll_wait(&p, -1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, NAME ": poll: %s\n", strerror(errno));
            rc = -1;
            break;
        }
        /* From the last entry down: drop() moves the last entry into the
         * place it empties, and that one has been served already. */
        for (size_t i = p.count; i-- > FIRST_CLIENT;)
            if (mux_poll_ready(&p, i))
                serve(&p, i);
        if (mux_poll_ready(&p, 1) & MUX_READ)
            accept_clients(srv, &p);
    }
    while (p.count > FIRST_CLIENT)
        drop(&p, p.count - 1, NULL);
    mux_poll_free(&p);
    return rc;
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, loop);
}
