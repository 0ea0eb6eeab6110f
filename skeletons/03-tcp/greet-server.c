/* greet-server.c - lesson 03: greets each client, then closes the
 * connection.
 *
 *   greet-server [-b ADDR] [-p PORT]
 *
 * Listens on ADDR (default 127.0.0.1) and PORT (default 0: a free port),
 * prints "listening on ADDR:PORT", then sends each client that connects
 * "Thank you for connecting\n" and closes. SIGTERM or SIGINT: exit 0.
 *
 * Your work: greet(), which starts with TODO(). The command line, the
 * signals, the listening socket and the loop that accepts one client after
 * another are given, in server.c: they call greet() for each client and
 * close its socket afterwards. The program contract is in the README
 * (section "The programs"); tcp.h has the functions to use. */
#include "server.h"
#include "tcp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "todo.h"

#define NAME "greet-server"
#define GREETING "Thank you for connecting\n"

/* Greets one client. */
static void greet(int fd, const char *peer)
{
    /* tcp_send_all() the greeting (strlen(GREETING) bytes). If that fails
     * (the client reset, or has gone), say so on stderr in one line,
     * NAME ": send to PEER: " and strerror(errno), and return: the caller
     * closes fd and serves the next client either way. Never exit here. */
    (void)fd;
    (void)peer;
    TODO();
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, greet);
}
