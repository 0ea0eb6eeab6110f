/* chat-server.c - lesson 05: a chat room of many clients in one process,
 * with poll().
 *
 *   chat-server [-b ADDR] [-p PORT]
 *
 * Each complete line a client sends goes, unchanged and whole, to every
 * other connected client. Bytes that are not a line yet wait in that
 * client's input until their `\n` comes; a client that leaves takes its
 * unfinished line with it. The sockets are non-blocking and what a client
 * does not take yet is queued for it: a client whose queue would pass
 * MUX_QUEUE_MAX bytes reads too slowly, and is dropped, so that it never
 * holds up the others. A line longer than MUX_LINE_MAX bytes drops its
 * sender. SIGTERM or SIGINT: exit 0.
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

#define NAME "chat-server"

/* The event loop: serves clients until srv_stopping(srv), then closes
 * them all and returns 0 (-1 after an error of its own, said on stderr).
 *
 * - A client: its socket, two mux_buf_t (what it sent that is no whole
 *   line yet; what it is owed), and a mark that it is to go.
 * - One mux_poll_t: entry 0 for srv->sigfd, entry 1 for srv->lfd, then
 *   the clients, each with its client as data.
 * - Each round, after mux_poll_wait(): for each readable client,
 *   mux_recv() into its input (0: it left; its unfinished line goes with
 *   it). Then, while mux_buf_line(&in, MUX_LINE_MAX) finds a whole line,
 *   append it to the queue of every *other* client with
 *   mux_buf_append(..., MUX_QUEUE_MAX) and consume it. Never send part of
 *   a line: the rest may come much later, and another client's line would
 *   land in the middle of it. -1 with EMSGSIZE: the line is too long, the
 *   sender is to go. A queue that would pass MUX_QUEUE_MAX (ENOBUFS): that
 *   client reads too slowly, it is to go.
 * - Never remove an entry while another loop walks the array: mark the
 *   client, and after the round walk the entries from the last down to 2:
 *   drop the marked ones (remove the entry, close, free), mux_flush() the
 *   queues of the others that poll() found writable or that got lines
 *   this round (never a blocking send: one client that reads nothing
 *   would stop the whole room), and mux_poll_set() MUX_READ, plus
 *   MUX_WRITE while some of the queue waits.
 * - Keep a failure's errno in the client, and put it into words
 *   (strerror()) only when you print it: the text strerror() returns may
 *   be overwritten by the next call.
 * - Then accept every waiting client (srv_accept() until -1), each made
 *   non-blocking. */
static int loop(srv_t *srv)
{
    (void)srv;
    TODO();
}

int main(int argc, char **argv)
{
    return srv_main(NAME, argc, argv, loop);
}
