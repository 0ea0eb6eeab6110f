/* fx-echo.c - a correct iterative TCP echo server for the harness's and
 * the fault injectors' self-tests: the lesson programs' contract (-b ADDR
 * -p PORT, one "listening on" line, SIGTERM ends it with status 0, every
 * byte echoed in order, the rest sent after the client's half-close). */
#include <unistd.h>

#include "common/fx.h"

static void serve(int c)
{
    char buf[4096];
    ssize_t n;
    while ((n = fx_recv(c, buf, sizeof buf)) > 0 && fx_send_all(c, buf, (size_t)n) == 0)
        continue;
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
