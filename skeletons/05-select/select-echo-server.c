/* select-echo-server.c - lesson 05: an echo server of many clients at once,
 * in one process, with select().
 *
 *   select-echo-server [-b ADDR] [-p PORT]
 *
 * Every byte a client sends goes back to it, in order; when the client
 * half-closes, what is left goes back and the connection closes. No
 * client waits for another: the sockets are non-blocking, an echo that
 * the client does not take yet is queued, and a client whose queue holds
 * MUX_QUEUE_MAX bytes is not read until it takes some (it then stalls
 * itself, no one else). A client whose descriptor does not fit in an
 * fd_set (FD_SETSIZE or more) is closed at once. SIGTERM or SIGINT: exit
 * 0.
 *
 * Your work: loop(), which starts with TODO(), and the helpers you give
 * it. The command line, the listening socket, the signals and accept()
 * are given, in server.c (read server.h). The program contract is in the
 * README (section "The programs"); select.h has the functions to use. */
#include "select.h"
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "todo.h"

#define NAME "select-echo-server"

/* The event loop: serves clients until srv_stopping(srv), then closes
 * them all and returns 0 (-1 after an error of its own, said on stderr).
 *
 * - A client needs its echo queue (a mux_buf_t) and a flag for its
 *   half-close. Keep them in an array indexed by descriptor,
 *   client_t *clients[FD_SETSIZE]: select() names descriptors.
 * - One mux_sel_t. Watch srv->sigfd and srv->lfd for reading.
 * - Each round: mux_sel_wait(&sel, -1) (-1 with EINTR: go round again;
 *   another error: say it, return -1). If lfd is readable, take every
 *   waiting client: while ((fd = srv_accept(srv)) >= 0) ... mux_sel_add()
 *   fails with ERANGE for a descriptor of FD_SETSIZE or more: close that
 *   client at once, and say so on stderr the first time only, one line
 *   ("select-echo-server: refusing clients: descriptor 1024: ..."). Make each new socket non-blocking. Then for each
 *   client that mux_sel_ready() names: mux_recv() into its queue (0: it
 *   half-closed; -1 with EAGAIN: nothing after all; other -1: drop it),
 *   mux_flush() its queue (-1: drop it), and drop it once it half-closed
 *   and its queue is empty.
 * - Then watch it for what it needs now: reading unless it half-closed or
 *   its queue holds MUX_QUEUE_MAX bytes; writing while its queue is not
 *   empty (mux_sel_del() both, mux_sel_add() what is wanted).
 * - To drop a client: mux_sel_del() it *before* close() (a closed
 *   descriptor left in the set makes the next select() fail with EBADF),
 *   mux_buf_free() its queue, free it. Say why on stderr, one line, if
 *   something went wrong (not when it simply left). */
static int loop(srv_t *srv)
{
    (void)srv;
    TODO();
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, loop);
}
