/* fx-echo-fatal.c - a broken echo server for the fault injectors'
 * self-tests: it takes a failed recv() or send() for the end of the world
 * and exits with status 1, so one client that resets its connection
 * (sl-reset-peer) ends the service for every client after it. Otherwise
 * as fx-echo: -b ADDR -p PORT, one "listening on" line, SIGTERM ends it
 * with status 0. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fx.h"

/* The bug: a peer's failure is taken for the server's own. */
static void fatal(const char *what)
{
    fprintf(stderr, "fx-echo-fatal: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void serve(int c)
{
    char buf[4096];
    for (;;) {
        ssize_t n = fx_recv(c, buf, sizeof buf);
        if (n < 0 && !fx_stopped())
            fatal("recv");
        if (n <= 0)
            break;
        if (fx_send_all(c, buf, (size_t)n) < 0)
            fatal("send");
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
