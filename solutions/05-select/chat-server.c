/* chat-server.c - lesson 05, reference solution: a chat room of many
 * clients in one process, with poll().
 *
 *   chat-server [-b ADDR] [-p PORT]
 *
 * Each complete line a client sends goes, unchanged and whole, to every
 * other connected client. Bytes that are not a line yet wait in that
 * client's input until their `\n` comes; a client that leaves takes its
 * unfinished line with it. The sockets are non-blocking and what a client
 * does not take yet is queued for it: a client whose queue would pass
 * MUX_QUEUE_MAX bytes reads too slowly, and is dropped, so that it never
 * holds up the others. A line longer than MUX_LINE_MAX bytes drops its
 * sender. SIGTERM or SIGINT: exit 0. */
#include "select.h"
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME "chat-server"
#define FIRST_CLIENT 2   /* entries 0 and 1: the signal pipe, the listener */

/* A client: its socket, what it sent that is no whole line yet, what it is
 * owed, whether it is to go and why (gone: NULL while it stays, "" when it
 * simply left, else a reason; err: the errno of a failure, 0 if none: it
 * is put into words when said, as strerror()'s text may not last), and
 * whether it must be flushed after this round (poll() found it writable,
 * or lines were queued for it). */
typedef struct client {
    int fd;
    mux_buf_t in;
    mux_buf_t out;
    const char *gone;
    int err;
    int flush;
} client_t;

/* Marks client c to go after this round, for why or the errno err. */
static void mark(client_t *c, const char *why, int err)
{
    c->gone = why;
    c->err = err;
}

/* Closes the client of entry i and removes the entry (the last one moves
 * into its place). */
static void drop(mux_poll_t *p, size_t i)
{
    client_t *c = p->data[i];
    char peer[SRV_ADDRSTRLEN];

    if (c->gone != NULL && (c->err || *c->gone))
        fprintf(stderr, NAME ": dropped %s: %s\n", srv_peer(c->fd, peer, sizeof peer),
                c->err ? strerror(c->err) : c->gone);
    mux_poll_remove(p, i);
    if (c->fd >= 0)
        close(c->fd);
    mux_buf_free(&c->in);
    mux_buf_free(&c->out);
    free(c);
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
    mux_buf_init(&c->in);
    mux_buf_init(&c->out);
}

static void accept_clients(const srv_t *srv, mux_poll_t *p)
{
    int fd;

    while ((fd = srv_accept(srv)) >= 0)
        add_client(p, fd);
}

/* Queues a line for every client but its sender. One whose queue is full
 * reads too slowly: it is marked to go, and the others are not held up. */
static void broadcast(mux_poll_t *p, const client_t *from, const char *line, size_t len)
{
    for (size_t i = FIRST_CLIENT; i < p->count; i++) {
        client_t *c = p->data[i];

        if (c == from || c->gone != NULL)
            continue;
        if (mux_buf_append(&c->out, line, len, MUX_QUEUE_MAX) < 0)
            mark(c, "it reads too slowly (its queue is full)", errno == ENOBUFS ? 0 : errno);
        else
            c->flush = 1;
    }
}

/* Reads what client c sent and passes on each line that is complete now. */
static void take_input(mux_poll_t *p, client_t *c)
{
    ssize_t n = mux_recv(c->fd, &c->in, MUX_READ_MAX), len;

    if (n == 0) {
        mark(c, "", 0);   /* it left; a line it did not finish goes with it */
        return;
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            mark(c, "", errno);
        return;
    }
    while ((len = mux_buf_line(&c->in, MUX_LINE_MAX)) > 0) {
        broadcast(p, c, c->in.data + c->in.start, (size_t)len);
        mux_buf_consume(&c->in, (size_t)len);
    }
    if (len < 0)
        mark(c, "it sent a line longer than 64 KiB", 0);
}

/* After a round: drops the clients that are to go; sends what it takes
 * of its queue to each of the others that poll() found writable or that
 * got lines this round (the rest have nothing new, and no room: a send
 * would only fail with EAGAIN), and watches for writing while some of it
 * waits. From the last entry down, as drop() moves the last entry into
 * the place it empties. */
static void settle(mux_poll_t *p)
{
    for (size_t i = p->count; i-- > FIRST_CLIENT;) {
        client_t *c = p->data[i];
        ssize_t left = (ssize_t)(c->out.end - c->out.start);

        if (c->gone == NULL && c->flush && (left = mux_flush(c->fd, &c->out)) < 0)
            mark(c, "", errno);
        c->flush = 0;
        if (c->gone != NULL)
            drop(p, i);
        else
            mux_poll_set(p, i, MUX_READ | (left > 0 ? MUX_WRITE : 0));
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
        for (size_t i = FIRST_CLIENT; i < p.count; i++) {
            client_t *c = p.data[i];
            int ready = mux_poll_ready(&p, i);

            if (ready & MUX_GONE) {   /* closed behind our back: never close() it again */
                mark(c, "its descriptor was closed", 0);
                c->fd = -1;
                continue;
            }
            if (ready & MUX_WRITE)
                c->flush = 1;
            if ((ready & MUX_READ) && c->gone == NULL)
                take_input(&p, c);
        }
        settle(&p);
        if (mux_poll_ready(&p, 1) & MUX_READ)
            accept_clients(srv, &p);
    }
    while (p.count > FIRST_CLIENT)
        drop(&p, p.count - 1);
    mux_poll_free(&p);
    return rc;
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, loop);
}
