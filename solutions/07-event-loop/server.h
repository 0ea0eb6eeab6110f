/* server.h - lesson 07: what reactor-echo-server and reactor-chat-server
 * share, given whole (it is not a task): the command line, the loop on the
 * chosen backend, the listening socket and its `listening on` line, and
 * the signals. Each server's own file holds its protocol and factory:
 *
 *   int main(int argc, char **argv)
 *   {
 *       return srv_main("reactor-echo-server", argc, argv, &echo_factory);
 *   }
 */
#ifndef SERVER_H
#define SERVER_H

#include "backends.h"
#include "reactor.h"

/* The whole life of a server called name: reads
 * `[--backend NAME] [-b ADDR] [-p PORT] [-i IDLE_MS]`, makes the loop on
 * that backend with room for every descriptor the process may have
 * (RLIMIT_NOFILE, at most the backend's max_setsize: the server has a slot
 * per descriptor of the loop), listens, prints `listening on ADDR:PORT`,
 * says on stderr, one line each, the clients the library turned away
 * (factory->refused, unless the factory has its own), serves with
 * pr_serve(loop, lfd, factory, idle_ms) and el_run() until SIGTERM or
 * SIGINT, then pr_server_free() (every connection closed) and el_free().
 * Returns main()'s exit status: 0 once asked to stop (or after -h), 1 on
 * an error (said on stderr in one line), 2 on bad usage. */
int srv_main(const char *name, int argc, char **argv, const pr_factory_t *factory);

#endif
