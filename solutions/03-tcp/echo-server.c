/* echo-server.c - lesson 03, reference solution: an iterative echo server.
 *
 *   echo-server [-b ADDR] [-p PORT]
 *
 * Listens on ADDR (default 127.0.0.1) and PORT (default 0: a free port),
 * prints "listening on ADDR:PORT", then serves one client at a time: every
 * byte it receives goes back, in order. When the client half-closes, all
 * it sent has been sent back, so the server closes too. A client that
 * resets, or stops taking the echo (a send waits SEND_TIMEOUT_MS for room
 * in vain), is dropped, and the next one is served. SIGTERM or SIGINT:
 * exit 0. The command line, the signals and the accept loop are in
 * server.c.
 *
 * A client that sends nothing and keeps its connection open holds this
 * server for ever: there is no receive timeout, since a person typing may
 * think. Lesson 05 serves many clients at once, and such a client then
 * holds no one up. */
#include "server.h"
#include "tcp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define NAME "echo-server"
#define SEND_TIMEOUT_MS 1000   /* a send() that waits this long for room fails */

/* Why a client is dropped, in words: EAGAIN here is the send timeout. */
static const char *why(int err)
{
    if (err == EAGAIN || err == EWOULDBLOCK)
        return "it stopped taking the echo";
    return strerror(err);
}

/* Echoes what fd sends until it half-closes. */
static void echo(int fd, const char *peer)
{
    char buf[16384];

    while (srv_wait_readable(fd) == 0) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);

        if (n == 0)
            return;   /* half-closed: all it sent is back, so we are done */
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, NAME ": receive from %s: %s\n", peer, why(errno));
            return;
        }
        if (tcp_send_all(fd, buf, (size_t)n) < 0) {
            fprintf(stderr, NAME ": send to %s: %s\n", peer, why(errno));
            return;
        }
    }
}

/* Serves one client: a send timeout, so that a client that sends and
 * never reads cannot hold the server (its sends would block for ever once
 * the buffers are full), then the echo. */
static void serve(int fd, const char *peer)
{
    if (tcp_set_timeout(fd, 0, SEND_TIMEOUT_MS) < 0)
        fprintf(stderr, NAME ": send timeout for %s: %s\n", peer, strerror(errno));
    else
        echo(fd, peer);
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, serve);
}
