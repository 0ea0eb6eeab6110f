/* fx-echo-oneread.c - a broken line echo server for the fault injectors'
 * self-tests: it takes what one recv() returns for one whole line, and
 * answers it with that line and a newline. Sent "hello\n" in one piece it
 * answers "hello\n"; sent it a byte at a time (sl-split-proxy) it answers
 * "h\ne\n...". Otherwise as fx-echo: -b ADDR -p PORT, one "listening on"
 * line, SIGTERM ends it with status 0. */
#include <unistd.h>

#include "common/fx.h"

static void serve(int c)
{
    char line[4097];
    ssize_t n;
    while ((n = fx_recv(c, line, sizeof line - 1)) > 0) { /* the bug: one recv, one line */
        size_t len = (size_t)n;
        if (line[len - 1] == '\n')
            len--;
        line[len++] = '\n';
        if (fx_send_all(c, line, len) < 0)
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
