/* unix-echo-client.c - lesson 08: sends each line of its input to an echo
 * server on a Unix-domain socket and prints what comes back.
 *
 *   unix-echo-client NAME
 *
 * NAME is a path, or @NAME for an abstract name. For each line of stdin:
 * send it, then print as many bytes as the server sends back, the echo.
 * At the end of stdin, half-close the connection (shutdown SHUT_WR), so
 * that the server knows nothing more comes, and print whatever it still
 * sends until it closes. Any failure: one line on stderr, exit 1.
 *
 * Your work: talk(), which starts with TODO(); the comment in it says
 * what to do. The command line, the connection (ux_connect(), Task 2),
 * the two helpers send_all() and copy_exact(), and the exit status are
 * done for you. */
#include "unix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "todo.h"

#define NAME "unix-echo-client"

/* Says what failed, and why (errno), on stderr; returns -1. */
static int fail(const char *what)
{
    fprintf(stderr, NAME ": %s: %s\n", what, strerror(errno));
    return -1;
}

/* Sends all len bytes of buf (MSG_NOSIGNAL: a server that is gone is an
 * EPIPE, not a SIGPIPE): 0, or -1 with errno. */
static int send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads len bytes from fd and writes them to stdout as they come: 0; 1 if
 * the stream ended first; -1 with errno. */
static int copy_exact(int fd, size_t len)
{
    char buf[65536];

    while (len > 0) {
        ssize_t n = recv(fd, buf, len < sizeof buf ? len : sizeof buf, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? 1 : -1;
        fwrite(buf, 1, (size_t)n, stdout);
        len -= (size_t)n;
    }
    return 0;
}

/* Sends each line of in on fd and prints its echo; at the end of in,
 * half-closes and prints the rest. 0, or -1 (said why). */
static int talk(int fd, FILE *in)
{
    /* For each line of in (getline(); free the line at the end):
     *  - send_all() it (failure: fail("send"));
     *  - copy_exact() as many bytes as the line had: its echo (-1:
     *    fail("receive"); 1: the server closed before the echo, say so on
     *    stderr and return -1).
     * At the end of in: shutdown(fd, SHUT_WR), a half-close that tells the
     * server nothing more comes, then copy_exact(fd, (size_t)-1): what
     * still comes, until the server closes. Return 0, or -1 once an error
     * is said. */
    (void)fd;
    (void)in;
    (void)send_all;
    (void)copy_exact;
    TODO();
}

int main(int argc, char **argv)
{
    int fd, rc;

    if (argc != 2 || argv[1][0] == '\0' || argv[1][0] == '-') {
        fprintf(stderr, "usage: " NAME " NAME   (a path, or @NAME for an abstract name)\n");
        return 2;
    }
    fd = ux_connect(argv[1], SOCK_STREAM);
    if (fd < 0) {
        fprintf(stderr, NAME ": connect to %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    rc = talk(fd, stdin);
    close(fd);
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == 0)
        rc = fail("write stdout");
    return rc == 0 ? 0 : 1;
}
