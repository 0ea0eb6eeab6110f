/* fx-echo-fatal.c - a broken echo server for the fault injectors'
 * self-tests: it takes a failed recv() or send() for the end of the world
 * and exits with status 1, so one client that resets its connection
 * (sl-reset-peer) ends the service for every client after it. Otherwise
 * as fx-echo: -b ADDR -p PORT, one "listening on" line, SIGTERM ends it
 * with status 0. */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

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

/* The bug: a peer's failure is taken for the server's own. */
static void fatal(const char *what)
{
    fprintf(stderr, "fx-echo-fatal: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            fatal("send");
        p += w;
        n -= (size_t)w;
    }
}

static void serve(int c)
{
    char buf[4096];
    for (;;) {
        ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR && !stop)
            continue;
        if (n < 0 && !stop)
            fatal("recv");
        if (n <= 0)
            break;
        send_all(c, buf, (size_t)n);
    }
    close(c);
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
    int fd = listen_on(host, port);
    if (fd < 0) {
        fprintf(stderr, "fx-echo-fatal: cannot listen on %s:%s: %s\n", host, port,
                strerror(errno));
        return 1;
    }
    print_address(fd);
    while (!stop) {
        int c = accept(fd, NULL, NULL);
        if (c >= 0)
            serve(c);
    }
    close(fd);
    return 0;
}
