/* fx-echo-eintr.c - a broken echo server for the fault injectors'
 * self-tests: it sends all of a short write, but takes EINTR from recv()
 * or send() for a failure and drops the client (libsl-shortio shows it).
 * Otherwise as fx-echo: -b ADDR -p PORT, one "listening on" line, SIGTERM
 * ends it with status 0. Its recv() and send() are its own, not fx_recv()
 * and fx_send_all(), which would retry. */
#include <sys/socket.h>
#include <unistd.h>

#include "common/fx.h"

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
    const char *host, *port;
    fx_options(argc, argv, &host, &port);
    fx_on_stop();
    fx_serve_each(fx_listen(host, port), serve);
    return 0;
}
