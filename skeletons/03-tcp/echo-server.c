/* echo-server.c - lesson 03: an iterative echo server.
 *
 *   echo-server [-b ADDR] [-p PORT]
 *
 * Listens on ADDR (default 127.0.0.1) and PORT (default 0: a free port),
 * prints "listening on ADDR:PORT", then serves one client at a time: every
 * byte it receives goes back, in order. When the client half-closes, all
 * it sent has been sent back, so the server closes too. A client that
 * resets, or stops taking the echo (a send waits SEND_TIMEOUT_MS for room
 * in vain), is dropped, and the next one is served. SIGTERM or SIGINT:
 * exit 0.
 *
 * A client that sends nothing and keeps its connection open holds this
 * server for ever: there is no receive timeout, since a person typing may
 * think. Lesson 05 serves many clients at once.
 *
 * Your work: serve(), which starts with TODO(). The command line, the
 * signals, the listening socket and the loop that accepts one client after
 * another are given, in server.c: they call serve() for each client and
 * close its socket afterwards. The program contract is in the README
 * (section "The programs"); tcp.h has the functions to use. */
#include "server.h"
#include "tcp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "todo.h"

#define NAME "echo-server"
#define SEND_TIMEOUT_MS 1000   /* a send() that waits this long for room fails */

/* Serves one client: echoes what fd sends until it half-closes. */
static void serve(int fd, const char *peer)
{
    /* - tcp_set_timeout(fd, 0, SEND_TIMEOUT_MS): no receive timeout (a
     *   person typing may think), but a send that waits that long for room
     *   fails with EAGAIN, so that a client that sends and never reads
     *   cannot hold the server (one that reads only a trickle is dropped
     *   too: the kernel wakes a waiting send only once much room is free);
     * - then loop: srv_wait_readable(fd) (-1: asked to stop, return);
     *   recv() into a buffer of a few KiB; 0 is the end of the stream: the
     *   client half-closed and all it sent is back, return; -1 with EINTR:
     *   loop again; any other -1: say why on stderr and return; else
     *   tcp_send_all() exactly the n bytes received (on failure say why,
     *   "it stopped taking the echo" for EAGAIN, and return).
     * Messages: one line, NAME ": receive from PEER: reason" (or "send to").
     * Never exit or crash for a client's sake: return, and the next one is
     * served. */
    (void)fd;
    (void)peer;
    TODO();
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, serve);
}
