/* bench_srv.c - the command line and listening socket of the reference
 * servers of make bench (see bench_srv.h). */
#define _GNU_SOURCE
#include "bench_srv.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(const char *name)
{
    fprintf(stderr, "usage: %s [-b ADDR] [-p PORT]\n", name);
    exit(2);
}

static int open_listener(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    int one = 1;

    if (fd < 0)
        return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0) {
        int err = errno;

        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

int bsrv_listen(const char *name, int argc, char **argv)
{
    const char *host = "127.0.0.1", *port = "0";
    struct addrinfo hints = {0}, *ai;
    int opt, rc, fd;

    while ((opt = getopt(argc, argv, "b:p:")) != -1) {
        if (opt == 'b')
            host = optarg;
        else if (opt == 'p')
            port = optarg;
        else
            usage(name);
    }
    if (optind != argc)
        usage(name);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0) {
        fprintf(stderr, "%s: address %s port %s: %s\n", name, host, port, gai_strerror(rc));
        exit(1);
    }
    fd = open_listener(ai);
    if (fd < 0) {
        fprintf(stderr, "%s: listen on %s port %s: %s\n", name, host, port, strerror(errno));
        exit(1);
    }
    freeaddrinfo(ai);
    return fd;
}

int bsrv_announce(const char *name, int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[NI_MAXHOST], port[NI_MAXSERV];

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        fprintf(stderr, "%s: the address of the listener: %s\n", name, strerror(errno));
        return -1;
    }
    printf(ss.ss_family == AF_INET6 ? "listening on [%s]:%s\n" : "listening on %s:%s\n", host, port);
    fflush(stdout);
    return 0;
}

void bsrv_raise_nofile(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}
