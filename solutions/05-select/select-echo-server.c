/* select-echo-server.c - lesson 05, reference solution: an echo server of
 * many clients at once, in one process, with select().
 *
 *   select-echo-server [-b ADDR] [-p PORT]
 *
 * Every byte a client sends goes back to it, in order; when the client
 * half-closes, what is left goes back and the connection closes. No
 * client waits for another: the sockets are non-blocking, an echo that
 * the client does not take yet is queued, and a client whose queue holds
 * MUX_QUEUE_MAX bytes is not read until it takes some (it then stalls
 * itself, no one else). A client whose descriptor does not fit in an
 * fd_set (FD_SETSIZE or more) is closed at once. SIGTERM or SIGINT: exit
 * 0. The command line, the listening socket and the signals are in
 * server.c. */
#include "select.h"
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME "select-echo-server"

/* A client: its echo not sent yet, and whether it has half-closed. */
typedef struct client {
    mux_buf_t out;
    int eof;
} client_t;

/* The clients, by descriptor: select() names descriptors, and every one
 * that select() can watch is below FD_SETSIZE. */
static client_t *clients[FD_SETSIZE];

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

/* What to watch a client for now: reading, unless it half-closed or its
 * queue is full; writing while its echo waits. */
static int wanted(const client_t *c)
{
    return (!c->eof && queued(c) < MUX_QUEUE_MAX ? MUX_READ : 0) |
           (queued(c) > 0 ? MUX_WRITE : 0);
}

/* Closes a client, out of the sets first: a closed descriptor left in a
 * set makes the next select() fail with EBADF. why: NULL for a client
 * that simply left. */
static void drop(mux_sel_t *sel, int fd, const char *why)
{
    char peer[SRV_ADDRSTRLEN];

    if (why != NULL)
        fprintf(stderr, NAME ": dropped %s: %s\n", srv_peer(fd, peer, sizeof peer), why);
    mux_sel_del(sel, fd, MUX_READ | MUX_WRITE);
    close(fd);
    mux_buf_free(&clients[fd]->out);
    free(clients[fd]);
    clients[fd] = NULL;
}

/* A new client, non-blocking, watched for reading: 0, or -1 (refused and
 * closed). The FD_SETSIZE guard is mux_sel_add()'s ERANGE. */
static int add_client(mux_sel_t *sel, int fd)
{
    static int said;   /* a flag, not a count: a count would overflow */
    client_t *c = NULL;

    if (mux_sel_add(sel, fd, MUX_READ) < 0) {
        if (!said) {
            said = 1;
            fprintf(stderr, NAME ": refusing clients: descriptor %d: %s (select() takes "
                    "descriptors below FD_SETSIZE, %d)\n", fd, strerror(errno), FD_SETSIZE);
        }
        close(fd);
        return -1;
    }
    if (mux_set_nonblocking(fd) < 0 || (c = calloc(1, sizeof *c)) == NULL) {
        fprintf(stderr, NAME ": new client: %s\n", strerror(errno));
        mux_sel_del(sel, fd, MUX_READ);
        close(fd);
        return -1;
    }
    mux_buf_init(&c->out);
    clients[fd] = c;
    return 0;
}

static void accept_clients(const srv_t *srv, mux_sel_t *sel)
{
    int fd;

    while ((fd = srv_accept(srv)) >= 0)
        add_client(sel, fd);
}

/* Reads what came into the client's queue: 0, or -1 with errno if it must
 * be dropped. The end of the stream is no error: the echo of all it sent
 * is still to go. */
static int take_input(int fd, client_t *c)
{
    ssize_t n;

    if (room(c) == 0)   /* full: the wait only said so for an error, which the send will meet */
        return 0;
    n = mux_recv(fd, &c->out, room(c));

    if (n == 0)
        c->eof = 1;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        return -1;
    return 0;
}

/* Serves client fd, which select() found ready: reads what came into its
 * queue, sends what it takes, and watches it for what it needs next. */
static void serve(mux_sel_t *sel, int fd)
{
    client_t *c = clients[fd];

    if (((mux_sel_ready(sel, fd) & MUX_READ) && take_input(fd, c) < 0) ||
        mux_flush(fd, &c->out) < 0) {
        drop(sel, fd, strerror(errno));
    } else if (c->eof && queued(c) == 0) {
        drop(sel, fd, NULL);   /* half-closed, and all of it is back */
    } else {
        mux_sel_del(sel, fd, MUX_READ | MUX_WRITE);
        mux_sel_add(sel, fd, wanted(c));
    }
}

static int loop(srv_t *srv)
{
    mux_sel_t sel;
    int rc = 0;

    mux_sel_init(&sel);
    if (mux_sel_add(&sel, srv->sigfd, MUX_READ) < 0 || mux_sel_add(&sel, srv->lfd, MUX_READ) < 0) {
        fprintf(stderr, NAME ": watch the listening socket: %s\n", strerror(errno));
        return -1;
    }
    while (!srv_stopping(srv)) {
        if (mux_sel_wait(&sel, -1) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, NAME ": select: %s\n", strerror(errno));
            rc = -1;
            break;
        }
        if (mux_sel_ready(&sel, srv->lfd) & MUX_READ)
            accept_clients(srv, &sel);
        for (int fd = 0; fd <= sel.maxfd; fd++)
            if (clients[fd] != NULL && mux_sel_ready(&sel, fd))
                serve(&sel, fd);
    }
    for (int fd = 0; fd < FD_SETSIZE; fd++)
        if (clients[fd] != NULL)
            drop(&sel, fd, NULL);
    return rc;
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, loop);
}
