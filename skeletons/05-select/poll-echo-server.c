/* poll-echo-server.c - lesson 05: the echo server of select-echo-server.c
 * with poll(), which has no FD_SETSIZE: it serves as many clients at once
 * as it has descriptors.
 *
 *   poll-echo-server [-b ADDR] [-p PORT]
 *
 * Every byte a client sends goes back to it, in order; when the client
 * half-closes, what is left goes back and the connection closes. The
 * sockets are non-blocking, an echo the client does not take yet is
 * queued, and a client whose queue holds MUX_QUEUE_MAX bytes is not read
 * until it takes some. SIGTERM or SIGINT: exit 0.
 *
 * Your work: loop(), which starts with TODO(), and the helpers you give
 * it. The command line, the listening socket, the signals and accept()
 * are given, in server.c (read server.h). select.h has the functions to
 * use. */
#include "select.h"
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "todo.h"

#define NAME "poll-echo-server"

/* The event loop: serves clients until srv_stopping(srv), then closes
 * them all and returns 0 (-1 after an error of its own, said on stderr).
 *
 * - A client: its socket, its echo queue (a mux_buf_t), a flag for its
 *   half-close, allocated with calloc(): the entry's data pointer.
 * - One mux_poll_t: entry 0 for srv->sigfd, entry 1 for srv->lfd (data
 *   NULL), the clients after them.
 * - Each round: mux_poll_wait(&p, -1) (-1 with EINTR: again; another
 *   error: say it, return -1). Then the clients whose entry
 *   mux_poll_ready() names, *from the last entry down to 2*: dropping one
 *   moves the last entry into its place, and going down, that one has
 *   been served already. MUX_GONE: its descriptor is not open; forget it
 *   (remove the entry, free the client) but never close() that number
 *   again. Otherwise as in select-echo-server: mux_recv() into its queue,
 *   mux_flush(), drop it once it half-closed and all is sent, else
 *   mux_poll_set() what it waits for now. Then, if entry 1 is readable,
 *   add every waiting client (srv_accept() until -1), non-blocking.
 * - To drop a client: mux_poll_remove() its entry, close(), free its queue
 *   and it. */
static int loop(srv_t *srv)
{
    (void)srv;
    TODO();
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, loop);
}
