/* server.h - lesson 03: what greet-server and echo-server share, given
 * whole (it is not a task): the command line, the stop flag that SIGTERM
 * and SIGINT set, the listening socket and its `listening on` line, and
 * the loop that serves one client after another. Each server's own file
 * holds only what it does with one client.
 *
 *   int main(int argc, char **argv)
 *   {
 *       return srv_main("greet-server", argc, argv, greet);
 *   }
 */
#ifndef SERVER_H
#define SERVER_H

/* What a server does with one client: fd is a connected, blocking socket,
 * peer its address as text ("127.0.0.1:51000", or "a client" when it has
 * none any more). Return when done with it: srv_main() closes fd. */
typedef void srv_serve_fn(int fd, const char *peer);

/* The whole life of a server called name: reads `[-b ADDR] [-p PORT]`,
 * listens, prints `listening on ADDR:PORT`, then accepts clients one
 * after another and calls serve() for each, until SIGTERM or SIGINT.
 * Returns main()'s exit status: 0 once asked to stop (or after -h), 1 on
 * an error (said on stderr), 2 on bad usage. */
int srv_main(const char *name, int argc, char **argv, srv_serve_fn *serve);

/* Waits until fd can be read (or has an error, or its end of stream):
 * 0; or -1 once SIGTERM or SIGINT came (or on an error of the wait).
 * Call it before each recv() on a client: the server then stops even
 * while a client is connected and quiet. */
int srv_wait_readable(int fd);

#endif
