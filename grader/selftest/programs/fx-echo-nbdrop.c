/* fx-echo-nbdrop.c - a broken echo server for the fault injectors'
 * self-tests: like fx-echo-poll (non-blocking sockets, poll()), but it
 * sends each piece once, when it comes, and forgets what send() did not
 * take: a short write or EAGAIN loses bytes (sl-slow-reader and
 * libsl-shortio show it). -b ADDR -p PORT, one "listening on" line,
 * SIGTERM ends it with status 0. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define BUF 65536

typedef struct client {
    int fd;          /* -1: a free slot */
    char buf[BUF];
    int eof;         /* the client half-closed */
} client_t;

static volatile sig_atomic_t stop;
static client_t clients[MAX_CLIENTS];

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static int listen_on(const char *host, const char *port)
{
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICHOST, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, SOCK_STREAM, 0), one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 16) < 0) {
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    return fd;
}

static void print_address(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[64], port[16];
    getsockname(fd, (struct sockaddr *)&ss, &len);
    getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
                NI_NUMERICHOST | NI_NUMERICSERV);
    printf(ss.ss_family == AF_INET6 ? "listening on [%s]:%s\n" : "listening on %s:%s\n", host, port);
    fflush(stdout);
}

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
    while (!stop) {
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
    const char *host = "127.0.0.1", *port = "0";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-b") == 0)
            host = argv[i + 1];
        else if (strcmp(argv[i], "-p") == 0)
            port = argv[i + 1];
    }
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    for (int i = 0; i < MAX_CLIENTS; i++)
        clients[i].fd = -1;
    int fd = listen_on(host, port);
    if (fd < 0) {
        fprintf(stderr, "fx-echo-nbdrop: cannot listen on %s:%s: %s\n", host, port, strerror(errno));
        return 1;
    }
    print_address(fd);
    serve(fd);
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].fd >= 0)
            drop(&clients[i]);
    close(fd);
    return 0;
}
