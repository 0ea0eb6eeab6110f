/* fx-echo-nbdrop.c - a broken echo server for the fault injectors'
 * self-tests: like fx-echo-poll (non-blocking sockets, poll()), but it
 * sends each piece once, when it comes, and forgets what send() did not
 * take: a short write or EAGAIN loses bytes (sl-slow-reader and
 * libsl-shortio show it). -b ADDR -p PORT, one "listening on" line,
 * SIGTERM ends it with status 0. */
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
    char buf[BUF];
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

/* Reads what came, and sends it back at once: the bug is that what
 * send() does not take is forgotten. */
static void on_readable(client_t *c)
{
    ssize_t n = recv(c->fd, c->buf, BUF, 0);
    if (n > 0)
        send(c->fd, c->buf, (size_t)n, MSG_NOSIGNAL);
    else if (n == 0)
        c->eof = 1;
    else if (errno != EAGAIN && errno != EINTR)
        drop(c);
}

static void serve(int lfd)
{
    struct pollfd f[MAX_CLIENTS + 1];
    while (!fx_stopped()) {
        for (int i = 0; i < MAX_CLIENTS; i++) {
            client_t *c = &clients[i];
            short ev = c->fd >= 0 && !c->eof ? POLLIN : 0;
            f[i] = (struct pollfd){ev ? c->fd : -1, ev, 0};
        }
        f[MAX_CLIENTS] = (struct pollfd){lfd, POLLIN, 0};
        if (poll(f, MAX_CLIENTS + 1, 200) <= 0)
            continue;
        for (int i = 0; i < MAX_CLIENTS; i++) {
            if (f[i].revents & (POLLIN | POLLERR | POLLHUP))
                on_readable(&clients[i]);
            if (clients[i].fd >= 0 && clients[i].eof)
                drop(&clients[i]);
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
