/* prog.h - what the program cases share: each is a whole greet-server.c
 * of its own, needing nothing of the skeleton but the program's name, so
 * that it plants the same whatever shape the skeleton has. run.sh plants
 * this file next to the case, as hostile_prog.h. */
#ifndef HOSTILE_PROG_H
#define HOSTILE_PROG_H

#include "hostile_mark.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "todo.h"

/* -b ADDR and -p PORT, as the tests give them. */
__attribute__((unused)) static void hostile_args(int argc, char **argv, const char **host, const char **port)
{
    *host = "127.0.0.1";
    *port = "0";
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "-b") == 0)
            *host = argv[++i];
        else if (strcmp(argv[i], "-p") == 0)
            *port = argv[++i];
    }
}

/* A socket listening on host, port, or -1 (errno set). */
__attribute__((unused)) static int hostile_listen(const char *host, const char *port)
{
    struct addrinfo hints, *res;
    int fd, e;

    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    if (getaddrinfo(host, port, &hints, &res) != 0) {
        errno = EINVAL;
        return -1;
    }
    fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (fd >= 0 && (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 16) < 0)) {
        e = errno;
        close(fd);
        fd = -1;
        errno = e;
    }
    freeaddrinfo(res);
    return fd;
}

/* Prints the line "listening on ADDR:PORT" for fd ([ADDR] for IPv6). */
__attribute__((unused)) static void hostile_say_where(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char name[64] = "?", serv[8] = "0";

    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        getnameinfo((struct sockaddr *)&ss, len, name, sizeof name, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV);
    printf(ss.ss_family == AF_INET6 ? "listening on [%s]:%s\n" : "listening on %s:%s\n", name,
           serv);
    fflush(stdout);
}

/* What the skeleton leaves to the student: serving one client. */
__attribute__((unused)) static void greet(int fd)
{
    (void)fd;
    TODO();
}

/* The rest of an unfinished server: each client goes to greet(). */
__attribute__((unused)) static int hostile_serve(int lfd)
{
    for (;;) {
        int fd = accept(lfd, NULL, NULL);

        if (fd >= 0) {
            greet(fd);
            close(fd);
        } else if (errno != EINTR) {
            return 1;
        }
    }
}

#endif
