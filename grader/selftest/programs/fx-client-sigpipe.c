/* fx-client-sigpipe.c - a broken line client for the fault injectors'
 * self-tests: as fx-client (`HOST PORT`, each stdin line sent, the reply
 * printed), but it writes with write(), never ignores SIGPIPE, and takes a
 * failed recv() for no reply: after a reset (sl-reset-peer) it writes the
 * next line to a dead connection and SIGPIPE kills it. Its send loop is
 * its own, not fx_send_all(), which sends with MSG_NOSIGNAL. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/fx.h"

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n); /* the bug: SIGPIPE kills it */
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char line[4096], reply[4096];
    fx_client_options(argc, argv, NULL, NULL);
    int fd = fx_connect(argv[1], argv[2], SOCK_STREAM);
    if (fd < 0)
        return fx_fail("connect");
    while (fgets(line, sizeof line, stdin)) {
        if (write_all(fd, line, strlen(line)) < 0)
            return fx_fail("send");
        ssize_t n = fx_read_line(fd, reply, sizeof reply);
        if (n < 0)
            continue; /* the bug: an error taken for no reply */
        if (n == 0) {
            fprintf(stderr, "fx-client-sigpipe: recv: the server closed the connection\n");
            return 1;
        }
        fwrite(reply, 1, (size_t)n, stdout);
        fflush(stdout);
    }
    close(fd);
    return 0;
}
