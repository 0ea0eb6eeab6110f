/* server.h - lesson 08: the plumbing of unix-echo-server, given whole (it
 * is not a task): the command line, the stop flag that SIGTERM and SIGINT
 * set, the listening socket and its `listening on unix:NAME` line, the
 * check of each client's uid, and the worker: a child process, made with
 * ux_fork_pair(), to which the listener hands each client it accepts, as
 * a descriptor passed over their socketpair. The server's own file holds
 * only what the worker does.
 *
 *   int main(int argc, char **argv)
 *   {
 *       return srv_main("unix-echo-server", argc, argv, worker);
 *   }
 */
#ifndef SERVER_H
#define SERVER_H

#include <stddef.h>

/* The worker's life: chan is its end of the channel from the listener,
 * type the clients' socket type (SOCK_STREAM or SOCK_SEQPACKET). Each
 * message on chan is one byte with one client's socket (SCM_RIGHTS).
 * Return the worker's exit status, once chan ends (the listener closed
 * it) or SIGTERM came: 0, or 1 after an error (said on stderr). */
typedef int srv_worker_fn(int chan, int type);

/* The whole life of a server called name: reads `-u NAME [-t TYPE] [-U
 * UID]`, listens, starts the worker, prints `listening on unix:NAME`,
 * then accepts clients one after another, refuses those of another uid
 * and hands the others to the worker, until SIGTERM or SIGINT. Returns
 * main()'s exit status: 0 once asked to stop (or after -h), 1 on an
 * error (said on stderr), 2 on bad usage. */
int srv_main(const char *name, int argc, char **argv, srv_worker_fn *worker);

/* Waits until fd can be read (or has an error, or its end of stream):
 * 0; or -1 once SIGTERM or SIGINT came (or on an error of the wait).
 * Call it before each recv(): the worker then stops even while a client
 * is connected and quiet. */
int srv_wait_readable(int fd);

/* Sends all len bytes of buf (MSG_NOSIGNAL, again after EINTR and short
 * counts): 0, or -1 with send()'s errno (EAGAIN after a send timeout). On
 * SOCK_SEQPACKET one send() takes a record whole, or fails. */
int srv_send_all(int fd, const void *buf, size_t len);

#endif
