/* server.h - lesson 05: what select-echo-server, poll-echo-server and
 * chat-server share, given whole (it is not a task): the command line, the
 * listening socket and its `listening on` line, the signals, and accept()
 * that never stalls. Each server's own file holds its event loop.
 *
 *   static int loop(srv_t *srv) { ... }
 *
 *   int main(int argc, char **argv)
 *   {
 *       return srv_main("chat-server", argc, argv, loop);
 *   }
 */
#ifndef SERVER_H
#define SERVER_H

#include <stddef.h>

/* Room for an address as text, "[ADDR]:PORT" included. */
#define SRV_ADDRSTRLEN 72

/* A server's two descriptors of its own, both non-blocking: watch both for
 * reading in the event loop. */
typedef struct srv {
    const char *name;  /* the program's name, for messages */
    int lfd;           /* the listening socket: readable when a client waits */
    int sigfd;         /* readable once SIGTERM or SIGINT came */
} srv_t;

/* The server's event loop: serve clients until srv_stopping() says 1, then
 * close every client and return 0; return -1 on an error of its own (said
 * on stderr first), and main() exits with status 1. */
typedef int srv_loop_fn(srv_t *srv);

/* The whole life of a server called name: reads `[-b ADDR] [-p PORT]`,
 * listens (made non-blocking with mux_set_nonblocking()), prints
 * `listening on ADDR:PORT`, then runs loop(). Returns main()'s exit status:
 * 0 once asked to stop (or after -h), 1 on an error (said on stderr), 2 on
 * bad usage. */
int srv_main(const char *name, int argc, char **argv, srv_loop_fn *loop);

/* The next client waiting on srv->lfd: its socket, *blocking* as accept(2)
 * gives it on Linux (make it non-blocking yourself), or -1 when no client
 * waits any more (errno EAGAIN): call it until then each time lfd is
 * readable. It also says -1 after a backlog's worth of clients (128) in a
 * row, so that a flood of connects cannot keep the loop from the clients
 * it has: lfd is then still readable, and the next round takes more. Out of descriptors (EMFILE), it takes the client and closes it
 * at once, rather than leave it queued, the listener readable and the loop
 * spinning. */
int srv_accept(const srv_t *srv);

/* 1 once SIGTERM or SIGINT has come (srv->sigfd then stays readable), 0
 * before. Call it when sigfd is readable, or after each wait. */
int srv_stopping(const srv_t *srv);

/* The peer of fd as text, "127.0.0.1:51000" or "[::1]:51000", into buf;
 * "a client" if it has none any more (it reset). Returns buf. */
const char *srv_peer(int fd, char *buf, size_t size);

#endif
