/* fx-listen-dies.c - a server that listens, says so, then fails at its
 * first step: one line on stderr, exit 1, the listener closed with it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/fx.h"

int main(int argc, char **argv)
{
    const char *host, *port;
    fx_options(argc, argv, &host, &port);
    close(fx_listen(host, port));
    fprintf(stderr, "fx-listen-dies: accept: %s\n", strerror(EINVAL));
    return 1;
}
