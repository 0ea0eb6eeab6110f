/* fx-echo-poll.c - a correct echo server for the fault injectors'
 * self-tests that serves many clients at once: non-blocking sockets and
 * poll(), a bounded buffer per client, a client's input read only while
 * its echo has room. A client that never reads stalls no one but itself.
 * The lesson programs' contract: -b ADDR -p PORT, one "listening on" line,
 * SIGTERM ends it with status 0, the rest sent after a half-close. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/fx.h"

#define MAX_CLIENTS 64
#define BUF 65536

typedef struct client {
    int fd;          /* -1: a free slot */
    char buf[BUF];   /* echo still to send: buf[off, len) */
    size_t off, len;
    int eof;         /* the client half-closed */
} client_t;

static client_t clients[MAX_CLIENTS];

static void drop(client_t *c)
{
    close(c->fd);
    c->fd = -1;
}

static void add_client(int lfd)
{
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0)
        return;
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].fd < 0) {
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
            clients[i] = (client_t){.fd = fd};
            return;
        }
    close(fd);
}

/* Reads what fits in the client's buffer. */
static void on_readable(client_t *c)
{
    ssize_t n = recv(c->fd, c->buf + c->len, BUF - c->len, 0);
    if (n > 0)
        c->len += (size_t)n;
    else if (n == 0)
        c->eof = 1;
    else if (errno != EAGAIN && errno != EINTR)
        drop(c);
}

/* Sends what the socket takes of the echo; closes after a half-close. */
static void on_writable(client_t *c)
{
    while (c->off < c->len) {
        ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
        if (n > 0) {
            c->off += (size_t)n;
            continue;
        }
        if (errno != EAGAIN && errno != EINTR)
            drop(c);
        return;
    }
    c->off = c->len = 0;
    if (c->eof)
        drop(c);
}

static void serve(int lfd)
{
    struct pollfd f[MAX_CLIENTS + 1];
    while (!fx_stopped()) {
        for (int i = 0; i < MAX_CLIENTS; i++) {
            client_t *c = &clients[i];
            short ev = (c->fd >= 0 && !c->eof && c->len < BUF ? POLLIN : 0) |
                       (c->fd >= 0 && c->off < c->len ? POLLOUT : 0);
            f[i] = (struct pollfd){ev ? c->fd : -1, ev, 0};
        }
        f[MAX_CLIENTS] = (struct pollfd){lfd, POLLIN, 0};
        if (poll(f, MAX_CLIENTS + 1, 200) <= 0)
            continue;
        for (int i = 0; i < MAX_CLIENTS; i++) {
            if (f[i].revents & (POLLIN | POLLERR | POLLHUP))
                on_readable(&clients[i]);
            if (clients[i].fd >= 0 && (f[i].revents & POLLOUT || clients[i].eof))
                on_writable(&clients[i]);
        }
        if (f[MAX_CLIENTS].revents & POLLIN)
            add_client(lfd);
    }
}

int main(int argc, char **argv)
{
    const char *host, *port;
    fx_options(argc, argv, &host, &port);
    fx_on_stop();
    for (int i = 0; i < MAX_CLIENTS; i++)
        clients[i].fd = -1;
    int fd = fx_listen(host, port);
    serve(fd);
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].fd >= 0)
            drop(&clients[i]);
    close(fd);
    return 0;
}
