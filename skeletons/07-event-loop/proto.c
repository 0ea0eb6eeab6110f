/* proto.c - lesson 07: the protocol layer, after Twisted's (Task 4). A
 * server accepts; each connection is the slot of its descriptor in the
 * server's one array of slots, the protocol with its transport after it
 * (no allocation per connection); what a protocol writes goes out now
 * or waits in an output buffer that exists only while bytes wait; a peer
 * owed PR_OUT_HIGH is not read until it drains below PR_OUT_LOW
 * (back-pressure); a connection that ends is closed later, from the loop;
 * a timer closes the idle ones.
 *
 * Your work. Each function below starts with TODO(): replace that line
 * with your code (and delete the (void) lines). You will want static
 * helpers of your own; the reference has these:
 *
 * - slot_of(srv, fd): `srv->slots + fd * srv->slot_size +
 *   srv->transport_at`, as a pr_transport_t * (the protocol is at the
 *   slot's start); a slot whose `server` is NULL is free (all zeros);
 * - touch(t): last_ms now, on every recv() that brings bytes and every
 *   send that makes progress;
 * - doom(t, err): PR_DOOMED, err kept, el_del() both bits, count down and
 *   ndoomed up, and a timer of 0 ms armed (if none is) whose callback,
 *   reap(), scans the slots up to srv->maxfd for the doomed ones and
 *   destroys each, in this order: el_del(), close(), connection_lost(p,
 *   err) (the protocol still as the connection left it), free(t->out),
 *   and only then the whole slot zeroed (protocol and transport,
 *   slot_size bytes), ndoomed down, maxfd lowered past the free slots.
 *   Nothing is zeroed while a callback of this round may still hold the
 *   pointer (the chat room's broadcast, a line receiver in the middle of
 *   a buffer). Optional: under ASan (#ifdef __SANITIZE_ADDRESS__,
 *   <sanitizer/asan_interface.h>), ASAN_POISON_MEMORY_REGION() the freed
 *   slot but its transport's `server` (the scans read it), and unpoison
 *   it in new_transport: a protocol's late pointer is then reported;
 * - new_transport(srv, fd): refused (closed, factory->refused() told)
 *   with ERANGE past nslots, EBUSY if the slot is still taken, or
 *   el_add()'s errno; fill the slot (t->server, last_ms, the protocol's
 *   transport), maxfd and count only once el_add() succeeded, so that a
 *   refused client leaves no ghost slot;
 * - on_accept (the listener's callback): up to 128 clients with
 *   accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC) (non-blocking
 *   at once, and not inherited by an exec()), each to new_transport(),
 *   watched EL_READABLE with the slot's transport as data,
 *   connection_made(); EMFILE or ENFILE: close the spare, accept and
 *   refuse one client with that errno, open the spare again;
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
    /* The checks (EINVAL, factory->size above 2^30 too: slot_size must
     * not wrap); calloc() the server; epoch_ms; the layout of a slot: the
     * protocol first, the transport at transport_at = factory->size
     * rounded up to a multiple of _Alignof(pr_transport_t), slot_size =
     * transport_at + sizeof(pr_transport_t) rounded up to a multiple of
     * _Alignof(max_align_t) (<stddef.h>: every protocol aligned as
     * malloc()'s); maxfd -1; a spare descriptor for EMFILE
     * (open("/dev/null")); lfd non-blocking and watched EL_READABLE (which
     * may grow the loop); then nslots = loop->setsize and the slots, one
     * calloc() of nslots * slot_size; with idle_ms > 0, the sweep timer
     * every max(idle_ms / 4, 10) ms. On failure undo what was done. */
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
     * slots and the server. (Never called from the server's callbacks.) */
    (void)srv;
    TODO();
}

int pr_write(pr_transport_t *t, const void *data, size_t len)
{
    /* EINVAL; EPIPE when doomed or closing, or the slot is free
     * (t->server NULL: its connection is gone). Nothing waits: send() now
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
    /* A slot's index is its descriptor: ((char *)t - srv->slots) /
     * srv->slot_size (t is transport_at into its slot: the division drops
     * it). A free slot (t->server NULL): -1, errno EPIPE. */
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
    /* NULL, a free slot, or doomed or closing already: nothing.
     * PR_CLOSING, no more reading; if nothing waits, doom it now (closed
     * by the reap timer), else on_writable() does once it has drained. */
    (void)t;
    TODO();
}

void pr_abort(pr_transport_t *t)
{
    /* NULL or a free slot: nothing. Else doom it (err 0). */
    (void)t;
    TODO();
}

int pr_disconnecting(const pr_transport_t *t)
{
    /* 1 for NULL, a free slot, doomed or closing. */
    (void)t;
    TODO();
}
