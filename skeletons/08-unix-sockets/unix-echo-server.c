/* unix-echo-server.c - lesson 08: an echo server on a Unix-domain socket,
 * whose listener hands each client to a worker process.
 *
 *   unix-echo-server -u NAME [-t stream|seqpacket] [-U UID]
 *
 * Listens on NAME (a path, or @NAME for an abstract name), prints
 * "listening on unix:NAME", then serves one client at a time: every byte
 * it receives goes back, in order (with -t seqpacket, every record goes
 * back as one record). Only clients of uid UID (default: the server's
 * own) are served; the others are closed at once. When a client
 * half-closes (or, on seqpacket, closes), all it sent has been sent
 * back, and its connection is closed. A client that resets, sends a
 * record too long, or stops taking the echo is dropped. SIGTERM or
 * SIGINT: exit 0, the socket file removed.
 *
 * The listener and the worker are two processes (server.c, given whole):
 * the listener accepts, checks the uid and passes each client's socket to
 * the worker over a socketpair. This file is the worker.
 *
 * Your work: worker() and serve(), which start with TODO(). The program
 * contract is in the README (section "The programs"); unix.h has the
 * functions to use, server.h what server.c gives you. */
#include "server.h"
#include "unix.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "todo.h"

#define NAME "unix-echo-server"
#define RECORD_MAX 65536        /* the longest record echoed */
#define SEND_TIMEOUT_MS 1000    /* a send() that waits this long for room fails */

/* Serves one client: echoes what fd sends until it half-closes (on
 * seqpacket: until it closes), record by record on seqpacket. */
static void serve(int fd, int type)
{
    /* - setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, ...) SEND_TIMEOUT_MS: a
     *   client that sends and never reads cannot hold the worker;
     * - then loop: srv_wait_readable(fd) (-1: asked to stop, return);
     *   receive into a buffer of RECORD_MAX bytes (static: not on the
     *   stack): on SOCK_SEQPACKET with ux_recv_record(), which says
     *   EMSGSIZE for a record that did not fit, else with recv(); 0 is
     *   the end: return; -1 with EINTR: loop again; any other -1: say why
     *   on stderr and return; else srv_send_all() exactly the n bytes
     *   (on seqpacket that is one record, as it came).
     * Messages: one line, NAME ": receive from a client: reason". Never
     * exit or crash for a client's sake: return, and the next is served. */
    (void)fd;
    (void)type;
    TODO();
}

/* The worker: each message on chan is a client to serve; the descriptor
 * that came with it is ours, to close once served. */
static int worker(int chan, int type)
{
    /* Loop: srv_wait_readable(chan) (-1: asked to stop, return 0); then
     * ux_recv_fds(chan, &byte, 1, &fd, 1, &nfds): 0 means the listener
     * closed the channel: return 0; -1: say why on stderr and return 1;
     * with a descriptor (nfds == 1): serve(fd, type), then close(fd). The
     * listener closed its own copy already: if you do not close yours,
     * the client never sees the end of its connection, and the worker
     * runs out of descriptors after about a thousand clients. */
    (void)chan;
    (void)type;
    (void)serve;
    TODO();
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, worker);
}
