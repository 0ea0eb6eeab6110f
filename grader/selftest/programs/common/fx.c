/* fx.c - what the fixture programs share (see fx.h). */
#include "fx.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *prog = "fx";
static volatile sig_atomic_t stop;

static void name_from(int argc, char **argv)
{
    if (argc < 1 || !argv[0])
        return;
    const char *slash = strrchr(argv[0], '/');
    prog = slash ? slash + 1 : argv[0];
}

void fx_options(int argc, char **argv, const char **host, const char **port)
{
    name_from(argc, argv);
    *host = "127.0.0.1";
    *port = "0";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-b") == 0)
            *host = argv[i + 1];
        else if (strcmp(argv[i], "-p") == 0)
            *port = argv[i + 1];
    }
}

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

void fx_on_stop(void)
{
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

int fx_stopped(void)
{
    return stop != 0;
}

/* A socket of type bound to host:port, listening if it is a stream;
 * NULL, or why not. */
static const char *bound(const char *host, const char *port, int type, int *fd)
{
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICHOST, .ai_socktype = type};
    struct addrinfo *res;
    int gai = getaddrinfo(host, port, &hints, &res), one = 1;
    if (gai != 0)
        return gai_strerror(gai);
    *fd = socket(res->ai_family, type, 0);
    if (*fd >= 0 && type == SOCK_STREAM)
        setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int ok = *fd >= 0 && bind(*fd, res->ai_addr, res->ai_addrlen) == 0 &&
             (type != SOCK_STREAM || listen(*fd, 16) == 0);
    int saved = errno;
    freeaddrinfo(res);
    return ok ? NULL : strerror(saved);
}

/* Prints `listening on ADDR:PORT`, the address fd is bound to. */
static void say_listening(int fd)
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

/* bound(), then the line; what: "cannot listen on", said before exit(1). */
static int announced(const char *host, const char *port, int type, const char *what)
{
    int fd = -1;
    const char *why = bound(host, port, type, &fd);
    if (why) {
        fprintf(stderr, "%s: %s %s:%s: %s\n", prog, what, host, port, why);
        exit(1);
    }
    say_listening(fd);
    return fd;
}

int fx_listen(const char *host, const char *port)
{
    return announced(host, port, SOCK_STREAM, "cannot listen on");
}

int fx_bind_udp(const char *host, const char *port)
{
    return announced(host, port, SOCK_DGRAM, "cannot bind");
}

void fx_serve_each(int lfd, void (*serve)(int c))
{
    while (!stop) {
        int c = accept(lfd, NULL, NULL);
        if (c >= 0)
            serve(c);
    }
    close(lfd);
}

ssize_t fx_recv(int fd, void *buf, size_t cap)
{
    ssize_t n;
    do
        n = recv(fd, buf, cap, 0);
    while (n < 0 && errno == EINTR && !stop);
    return n;
}

int fx_send_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

void fx_client_options(int argc, char **argv, int *ms, int *retries)
{
    int timed = ms && retries;
    name_from(argc, argv);
    if (argc != 3 && !(timed && (argc == 5 || argc == 7))) {
        fprintf(stderr, timed ? "usage: %s HOST PORT [-t MS] [-r RETRIES]\n" : "usage: %s HOST PORT\n",
                prog);
        exit(2);
    }
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-t") == 0)
            *ms = atoi(argv[i + 1]);
        else
            *retries = atoi(argv[i + 1]);
    }
}

int fx_connect(const char *host, const char *port, int type)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST, .ai_socktype = type}, *res;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, type, 0);
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) < 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

ssize_t fx_read_line(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        ssize_t r = recv(fd, buf + n, 1, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? -1 : 0;
        if (buf[n++] == '\n')
            break;
    }
    return (ssize_t)n;
}

int fx_fail(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", prog, what,
            errno == ECONNRESET ? "the server reset the connection" : strerror(errno));
    return 1;
}
