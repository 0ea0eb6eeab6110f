/* tcp.c - lesson 03: listening and connecting by name, the addresses of a
 * connection, sending and reading under short counts, a line reader,
 * peeking, blocking modes and timeouts.
 *
 * Your work. Each function below starts with TODO(): replace that line with
 * your code. tcp.h says exactly what each function must do (every error
 * case and its errno); the lesson's README explains the ideas. Check your
 * work with `make grade LESSON=03`.
 *
 * You may add helper functions: make them static. Several functions share
 * work (a getaddrinfo() call with its error mapping; waiting for a
 * connect() in progress): write it once. */
#include "tcp.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "todo.h"

/* ---- Task 1: listening and connecting ------------------------------------
 * getaddrinfo(host, port, &hints, &res) with hints.ai_family = AF_UNSPEC,
 * hints.ai_socktype = SOCK_STREAM (and ai_flags = AI_PASSIVE to listen)
 * gives a list of addresses: try each in turn, with the family, type and
 * protocol it names (never a hard-coded AF_INET), until one works; then
 * freeaddrinfo(res). getaddrinfo() returns an EAI_ code, not -1: turn it
 * into errno as tcp.h says. Close the socket of every address that fails. */

int tcp_listen(const char *host, const char *port, int backlog)
{
    /* For each address: socket(), setsockopt(SO_REUSEADDR, 1), bind(),
     * listen(). The first one that works is the answer. */
    (void)host;
    (void)port;
    (void)backlog;
    TODO();
}

int tcp_accept(int fd)
{
    /* accept(fd, NULL, NULL), again while errno says the error was the
     * new connection's (ECONNABORTED, EPROTO, ...) and fd still listens
     * (SO_ACCEPTCONN): EOPNOTSUPP is also what a UDP socket gives, every
     * time. Not again on EINTR. */
    (void)fd;
    TODO();
}

int tcp_connect(const char *host, const char *port)
{
    /* For each address: socket(), connect(). On EINTR the connection goes
     * on: poll() for POLLOUT (again after its own EINTR), then
     * getsockopt(SO_ERROR) says how it ended. */
    (void)host;
    (void)port;
    TODO();
}

/* ---- Task 2: the addresses of a connection -------------------------------
 * getsockname() or getpeername() into a struct sockaddr_storage, then
 * getnameinfo(..., NI_NUMERICHOST | NI_NUMERICSERV) gives the address and
 * the port as text (no ntohs() to forget). IPv6 goes in brackets. */

int tcp_local_text(int fd, char *buf, size_t size)
{
    (void)fd;
    (void)buf;
    (void)size;
    TODO();
}

int tcp_peer_text(int fd, char *buf, size_t size)
{
    (void)fd;
    (void)buf;
    (void)size;
    TODO();
}

/* ---- Task 3: short counts: send all, read exact --------------------------
 * Loop: each call may move fewer bytes than asked (go on with the rest),
 * or fail with EINTR (call again). */

int tcp_send_all(int fd, const void *buf, size_t len)
{
    /* send(fd, p, left, MSG_NOSIGNAL) until left is 0. */
    (void)fd;
    (void)buf;
    (void)len;
    TODO();
}

ssize_t tcp_read_exact(int fd, void *buf, size_t len)
{
    /* recv(fd, p + got, len - got, 0) until got is len; 0 from recv() is
     * the end of the stream: return got. */
    (void)fd;
    (void)buf;
    (void)len;
    TODO();
}

/* ---- Task 4: reading lines ----------------------------------------------- */

void tcp_reader_init(tcp_reader_t *r, int fd)
{
    (void)r;
    (void)fd;
    TODO();
}

ssize_t tcp_read_line(tcp_reader_t *r, char *line, size_t size)
{
    /* Loop: if the reader's buffer is empty, recv() into it (0: the end of
     * the stream). Else copy from buf[start] up to and including the first
     * '\n' (memchr()), or all it holds, but never more than fits in line
     * with its NUL; move start on. Stop at a '\n', at the end of the
     * stream, or when line is full (EMSGSIZE). One recv() is not one line:
     * it may hold half a line, or three. */
    (void)r;
    (void)line;
    (void)size;
    TODO();
}

ssize_t tcp_peek(int fd, void *buf, size_t len)
{
    (void)fd;
    (void)buf;
    (void)len;
    TODO();
}

/* ---- Task 5: blocking, non-blocking and timeouts ------------------------ */

int tcp_set_nonblocking(int fd, int on)
{
    /* fcntl(F_GETFL), set or clear O_NONBLOCK, fcntl(F_SETFL). */
    (void)fd;
    (void)on;
    TODO();
}

int tcp_set_timeout(int fd, int recv_ms, int send_ms)
{
    /* setsockopt(SO_RCVTIMEO) and setsockopt(SO_SNDTIMEO), each with a
     * struct timeval: seconds in tv_sec, the rest in microseconds in
     * tv_usec (1500 ms is {1, 500000}). */
    (void)fd;
    (void)recv_ms;
    (void)send_ms;
    TODO();
}

int tcp_connect_timeout(const char *host, const char *port, int ms)
{
    /* Keep one deadline for the whole call (clock_gettime(CLOCK_MONOTONIC)).
     * For each address, with its share of the time left (what is left,
     * divided by the addresses not tried yet): a non-blocking socket;
     * connect() fails with EINPROGRESS; poll() for POLLOUT; 0 from poll()
     * is the timeout (ETIMEDOUT); -1 with EINTR: poll() again, with the
     * time left recomputed; else getsockopt(SO_ERROR) says how the connect
     * ended. Blocking again before you return the socket. */
    (void)host;
    (void)port;
    (void)ms;
    TODO();
}
