/* fx-client-sigpipe.c - a broken line client for the fault injectors'
 * self-tests: as fx-client (`HOST PORT`, each stdin line sent, the reply
 * printed), but it writes with write(), never ignores SIGPIPE, and takes a
 * failed recv() for no reply: after a reset (sl-reset-peer) it writes the
 * next line to a dead connection and SIGPIPE kills it. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) < 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
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

/* Reads one line (up to '\n') into buf; its length, 0 at a close, -1. */
static ssize_t read_line(int fd, char *buf, size_t cap)
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

static int fail(const char *what)
{
    fprintf(stderr, "fx-client-sigpipe: %s: %s\n", what,
            errno == ECONNRESET ? "the server reset the connection" : strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    char line[4096], reply[4096];
    if (argc != 3) {
        fprintf(stderr, "usage: fx-client-sigpipe HOST PORT\n");
        return 2;
    }
    int fd = connect_to(argv[1], argv[2]);
    if (fd < 0)
        return fail("connect");
    while (fgets(line, sizeof line, stdin)) {
        if (send_all(fd, line, strlen(line)) < 0)
            return fail("send");
        ssize_t n = read_line(fd, reply, sizeof reply);
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
