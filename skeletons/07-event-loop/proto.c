/* proto.c - lesson 07: the protocol layer, after Twisted's (Task 4). A
 * server accepts; each connection is the slot of its descriptor in the
 * server's one array of slots, a transport with its protocol right after
 * it (no allocation per connection); what a protocol writes goes out now
 * or waits in an output buffer that exists only while bytes wait; a peer
 * owed PR_OUT_HIGH is not read until it drains below PR_OUT_LOW
 * (back-pressure); a connection that ends is closed later, from the loop;
 * a timer closes the idle ones.
 *
 * Your work. Each function below starts with TODO(): replace that line
 * with your code (and delete the (void) lines). You will want static
 * helpers of your own; the reference has these:
 *
 * - slot_of(srv, fd): `srv->slots + fd * srv->slot_size`, as a
 *   pr_transport_t *; a slot whose `server` is NULL is free (all zeros);
 * - touch(t): last_ms now, on every recv() that brings bytes and every
 *   send that makes progress;
 * - doom(t, err): PR_DOOMED, err kept, el_del() both bits, count down and
 *   ndoomed up, and a timer of 0 ms armed (if none is) whose callback,
 *   reap(), scans the slots up to srv->maxfd for the doomed ones and
 *   destroys each: close(), connection_lost(p, err), free(t->out), the
 *   slot zeroed, maxfd lowered past the free slots. Nothing is zeroed
 *   while a callback of this round may still hold the pointer (the chat
 *   room's broadcast, a line receiver in the middle of a buffer);
 * - on_accept (the listener's callback): up to 128 clients with
 *   accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC) (non-blocking
 *   at once, and not inherited by an exec()), each in the slot of its
 *   descriptor (one at or past nslots, or that el_add() refuses, is
 *   closed and factory->refused() told), watched EL_READABLE with the
 *   slot's transport as data, maxfd raised, connection_made();
 * - on_io, a connection's one callback: the mask says which of these:
 * - on_readable: one recv() (EINTR again) into srv->rbuf, the buffer all
 *   connections share (level-triggered: what is left comes next round);
 *   n > 0: touch, data_received(); 0: pr_lose_connection(); EAGAIN:
 *   nothing; an error: doom(t, errno);
 * - on_writable: send what waits; empty: free the buffer (t->out NULL),
 *   el_del() EL_WRITABLE, and doom(t, 0) if PR_CLOSING; PR_PAUSED and
 *   below PR_OUT_LOW: el_add() EL_READABLE again;
 * - sweep (the idle timer): doom(t, ETIMEDOUT) each live slot up to
 *   maxfd idle for idle_ms (unsigned differences of last_ms), and return
 *   the period: a timer that returns EL_NOMORE runs once.
 *
 * Sockets: send() with MSG_NOSIGNAL; EAGAIN and EWOULDBLOCK are "not
 * now", never an error. */
#define _GNU_SOURCE   /* accept4(): Linux, the BSDs, POSIX.1-2024 */

#include "backends.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "todo.h"

pr_server_t *pr_serve(el_loop_t *loop, int lfd, const pr_factory_t *factory, int idle_ms)
{
    /* The checks (EINVAL); calloc() the server; epoch_ms; the slots: one
     * calloc() of loop->setsize slots of slot_size bytes
     * (sizeof(pr_transport_t) + factory->size, rounded up to a multiple of
     * _Alignof(pr_transport_t)), maxfd -1; a spare descriptor for EMFILE
     * (open("/dev/null")); lfd non-blocking and watched EL_READABLE; with
     * idle_ms > 0, the sweep timer every max(idle_ms / 4, 10) ms. On
     * failure undo what was done. */
    (void)loop;
    (void)lfd;
    (void)factory;
    (void)idle_ms;
    TODO();
}

void pr_server_free(pr_server_t *srv)
{
    /* NULL: nothing. Doom every live transport (err 0), close the doomed
     * ones now (connection_lost() for each), delete the timers, el_del()
     * the listener (the caller closes it), close the spare, free the
     * slots and the server. */
    (void)srv;
    TODO();
}

int pr_write(pr_transport_t *t, const void *data, size_t len)
{
    /* EINVAL; EPIPE when doomed or closing. Nothing waits: send() now
     * what the socket takes (a failure dooms t; bytes sent touch() it: a
     * client that only listens is not idle). What is left goes to the
     * end of t->out (allocated now, grown by doubling; memmove() what
     * waits to the front first), and EL_WRITABLE is watched. With
     * PR_OUT_HIGH or more waiting: el_del() EL_READABLE, PR_PAUSED.
     * Never drop a byte, never wait. */
    (void)t;
    (void)data;
    (void)len;
    TODO();
}

int pr_fd(const pr_transport_t *t)
{
    /* A slot's index is its descriptor: the bytes from srv->slots to t,
     * divided by slot_size. */
    (void)t;
    TODO();
}

size_t pr_pending(const pr_transport_t *t)
{
    (void)t;
    TODO();
}

void pr_lose_connection(pr_transport_t *t)
{
    /* PR_CLOSING, no more reading; if nothing waits, doom it now (closed
     * by the reap timer), else on_writable() does once it has drained. */
    (void)t;
    TODO();
}

void pr_abort(pr_transport_t *t)
{
    (void)t;
    TODO();
}

int pr_disconnecting(const pr_transport_t *t)
{
    (void)t;
    TODO();
}
