/* greet-server.c - lesson 03, reference solution: greets each client, then
 * closes the connection.
 *
 *   greet-server [-b ADDR] [-p PORT]
 *
 * Listens on ADDR (default 127.0.0.1) and PORT (default 0: a free port),
 * prints "listening on ADDR:PORT", then sends each client that connects
 * "Thank you for connecting\n" and closes. SIGTERM or SIGINT: exit 0.
 * The command line, the signals and the accept loop are in server.c. */
#include "server.h"
#include "tcp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define NAME "greet-server"
#define GREETING "Thank you for connecting\n"

/* Greets one client. A client that has gone (a reset: ECONNRESET; a
 * half-close, then a reset: EPIPE) costs only a line on stderr. */
static void greet(int fd, const char *peer)
{
    if (tcp_send_all(fd, GREETING, strlen(GREETING)) < 0)
        fprintf(stderr, NAME ": send to %s: %s\n", peer, strerror(errno));
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, greet);
}
