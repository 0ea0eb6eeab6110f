/* fx-echo-onewrite.c - a broken echo server for the fault injectors'
 * self-tests: one send() per recv(), its count ignored, so whatever a short
 * write leaves out is lost (libsl-shortio shows it). Otherwise as fx-echo:
 * -b ADDR -p PORT, one "listening on" line, SIGTERM ends it with status 0. */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/fx.h"

static void serve(int c)
{
    char buf[4096];
    ssize_t n;
    while ((n = fx_recv(c, buf, sizeof buf)) > 0) {
        if (send(c, buf, (size_t)n, MSG_NOSIGNAL) < 0 && errno != EINTR) /* the bug */
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
