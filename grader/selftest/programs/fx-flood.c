/* fx-flood.c - a greeting server that chatters: once it listens, it
 * prints FX_FLOOD_MB megabytes on stdout, then greets each client with
 * "hello\n" and closes. A test that waits on its socket must read that
 * output as fast as it comes, or the server never gets to accept(). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/fx.h"

#define FX_FLOOD_MB 50

static void greet(int c)
{
    fx_send_all(c, "hello\n", 6);
    close(c);
}

int main(int argc, char **argv)
{
    static char chunk[100000];
    const char *host, *port;
    fx_options(argc, argv, &host, &port);
    fx_on_stop();
    int lfd = fx_listen(host, port);
    memset(chunk, 'y', sizeof chunk - 1);
    chunk[sizeof chunk - 1] = '\n';
    for (int i = 0; i < FX_FLOOD_MB * 10 && !fx_stopped(); i++)
        if (fwrite(chunk, 1, sizeof chunk, stdout) != sizeof chunk)
            return 1;
    fflush(stdout);
    fx_serve_each(lfd, greet);
    return 0;
}
