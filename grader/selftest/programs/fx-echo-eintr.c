/* fx-echo-eintr.c - a broken echo server for the fault injectors'
 * self-tests: it sends all of a short write, but takes EINTR from recv()
 * or send() for a failure and drops the client (libsl-shortio shows it).
 * Otherwise as fx-echo: -b ADDR -p PORT, one "listening on" line, SIGTERM
 * ends it with status 0. */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
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

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) /* the bug: EINTR is not a failure */
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void serve(int c)
{
    char buf[4096];
    for (;;) {
        ssize_t n = recv(c, buf, sizeof buf, 0); /* the bug: -1 with EINTR ends it too */
        if (n <= 0 || send_all(c, buf, (size_t)n) < 0)
            break;
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
        fprintf(stderr, "fx-echo-eintr: cannot listen on %s:%s: %s\n", host, port,
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
