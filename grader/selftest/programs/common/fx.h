/**
 * @file fx.h
 * @brief What the fixture programs share, as UNP's serv0N.c share its lib/:
 *        the command line, the stop flag, a listener and its `listening on`
 *        line, a UDP socket, a connection, a send that sends it all.
 *
 * Each grader/selftest/programs/NAME.c keeps only what makes it itself, good
 * or broken on purpose. What is here is the correct way: a fixture whose
 * bug is in one of these calls (a send that ignores short writes, EINTR
 * taken for a failure, write() and SIGPIPE) does that call itself.
 *
 * The program's name in messages is its argv[0] without the folder, taken
 * by fx_options() or fx_client_options().
 */
#ifndef FX_H
#define FX_H

#include <stddef.h>
#include <sys/types.h>

/* ---- servers ------------------------------------------------------------- */

/**
 * @brief Reads a server's command line: `-b ADDR` and `-p PORT`, in any
 *        order; anything else is skipped, pair by pair.
 * @param argc, argv main()'s.
 * @param host set to ADDR, "127.0.0.1" if there is none.
 * @param port set to PORT, "0" (any) if there is none.
 */
void fx_options(int argc, char **argv, const char **host, const char **port);

/**
 * @brief Makes SIGTERM and SIGINT set the flag fx_stopped() reads, without
 *        SA_RESTART: a blocked accept(), recv() or poll() returns EINTR.
 */
void fx_on_stop(void);

/**
 * @brief Whether SIGTERM or SIGINT came since fx_on_stop().
 * @return 1 if one did, 0 if not.
 */
int fx_stopped(void);

/**
 * @brief A TCP listener on host:port (numeric, SO_REUSEADDR, backlog 16);
 *        prints `listening on ADDR:PORT` (`[ADDR]:PORT` for IPv6) on stdout.
 *        On failure prints `NAME: cannot listen on HOST:PORT: reason` on
 *        stderr and exits with status 1.
 * @param host a numeric address, e.g. "127.0.0.1" or "::1".
 * @param port a port number, "0" for any.
 * @return the listening socket.
 */
int fx_listen(const char *host, const char *port);

/**
 * @brief A UDP socket bound to host:port; prints `listening on ADDR:PORT`
 *        as fx_listen() does. On failure prints `NAME: cannot bind
 *        HOST:PORT: reason` on stderr and exits with status 1.
 * @param host a numeric address.
 * @param port a port number, "0" for any.
 * @return the bound socket.
 */
int fx_bind_udp(const char *host, const char *port);

/**
 * @brief An iterative server's loop: accepts one client at a time and
 *        hands it to serve(), until SIGTERM or SIGINT; then closes lfd.
 * @param lfd a listening socket (fx_listen()).
 * @param serve what to do with a client; it closes the socket it is given.
 */
void fx_serve_each(int lfd, void (*serve)(int c));

/**
 * @brief recv() into buf, again after EINTR unless a stop came.
 * @param fd a connected socket.
 * @param buf where to put what came.
 * @param cap the room in buf.
 * @return what recv() returned: the bytes read, 0 at a close, or -1 (with
 *         errno EINTR after a stop).
 */
ssize_t fx_recv(int fd, void *buf, size_t cap);

/**
 * @brief Sends all of buf[0, n): send() again after a short write or EINTR,
 *        with MSG_NOSIGNAL (a reset peer is an error, never SIGPIPE).
 * @param fd a connected socket.
 * @param buf what to send.
 * @param n how many bytes.
 * @return 0 when all went, -1 (errno set) if send() failed.
 */
int fx_send_all(int fd, const void *buf, size_t n);

/* ---- clients ------------------------------------------------------------- */

/**
 * @brief Reads a client's command line, `HOST PORT`, and with ms and
 *        retries given also `[-t MS] [-r RETRIES]` after them (a flag
 *        other than -t sets RETRIES). A wrong count of words prints
 *        `usage: NAME HOST PORT ...` on stderr and exits with status 2.
 * @param argc, argv main()'s; HOST and PORT are argv[1] and argv[2].
 * @param ms NULL, or set to MS if it is given.
 * @param retries NULL, or set to RETRIES if it is given.
 */
void fx_client_options(int argc, char **argv, int *ms, int *retries);

/**
 * @brief A socket of the given type connected to host:port.
 * @param host a numeric address.
 * @param port a port number.
 * @param type SOCK_STREAM or SOCK_DGRAM.
 * @return the socket, or -1 (errno set if socket() or connect() failed).
 */
int fx_connect(const char *host, const char *port, int type);

/**
 * @brief Reads one line, up to and with its '\n', a byte at a time, again
 *        after EINTR; a line longer than cap - 1 is cut there.
 * @param fd a connected socket.
 * @param buf where the line goes (not NUL-terminated).
 * @param cap the room in buf.
 * @return the line's length; 0 at a close, even in the middle of a line
 *         (what came of it is dropped); -1 on an error (errno set).
 */
ssize_t fx_read_line(int fd, char *buf, size_t cap);

/**
 * @brief Prints `NAME: what: reason` on stderr, the reason "the server
 *        reset the connection" for ECONNRESET, else strerror(errno).
 * @param what what failed, e.g. "send".
 * @return 1, main()'s status for it.
 */
int fx_fail(const char *what);

/** @brief A task not done: TODO(), here, in fx_todo.c, not in the program's file. */
void fx_todo_greet(void);

#endif
