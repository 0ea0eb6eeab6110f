/* server.h - lesson 06: what the four servers share, given whole (it is
 * not a task): the command line, the socket and its `listening on` line,
 * the signals, the default handle_error(), and the echo handlers. The
 * framework itself (framework.c) is your work.
 *
 *   int main(int argc, char **argv)
 *   {
 *       static const srv_program_t prog = {"fork-echo-server", SOCK_STREAM, SS_FORK, 0, 0,
 *                                          &echo_stream_handler};
 *       return srv_main(&prog, argc, argv);
 *   }
 */
#ifndef SERVER_H
#define SERVER_H

#include "concurrency.h"

/* What a program is: its name, its socket type, its mode (or the default
 * one, when choose_mode lets `-m` choose), whether it takes the pool's
 * `-t` and `-q`, and its handler. */
typedef struct srv_program {
    const char *name;
    int type;                     /* SOCK_STREAM or SOCK_DGRAM */
    ss_mode_t mode;               /* the mode, or the default of -m */
    int choose_mode;              /* 1: takes -m serial|fork|thread */
    int pool;                     /* 1: takes -t THREADS and -q QUEUE */
    const ss_handler_t *handler;
} srv_program_t;

/* The whole life of a server: reads `[-b ADDR] [-p PORT] [-d ADDR]` (and
 * -m, -t, -q where the program takes them), opens its socket, catches
 * SIGTERM and SIGINT (through a pipe: srv->stop_fd) and, in SS_FORK,
 * SIGCHLD (cc_catch_sigchld()), prints `listening on ADDR:PORT`, runs
 * ss_serve_forever(), then says on stderr how many requests it served.
 * Returns main()'s exit status: 0 once asked to stop (or after -h), 1 on
 * an error (said on stderr), 2 on bad usage. `-d ADDR`: verify_request()
 * refuses every client whose address is ADDR. */
int srv_main(const srv_program_t *prog, int argc, char **argv);

/* The framework's handle_error() when the server has none: one line on
 * stderr, "NAME: PEER: reason". */
void srv_default_error(ss_server_t *srv, const ss_request_t *req, int err);

/* The address sa as text, "127.0.0.1:51000" or "[::1]:51000", into buf;
 * "a client" if it cannot be said. */
void srv_format_addr(const struct sockaddr *sa, socklen_t len, char *buf, size_t size);

/* The echo handlers: a stream's every byte back, in order, until the
 * client half-closes (setup() takes a buffer, finish() frees it); a
 * datagram back to its sender, unchanged. */
extern const ss_handler_t echo_stream_handler;
extern const ss_handler_t echo_datagram_handler;

#endif
