/**
 * @file tcp.h
 * @brief Lesson 03: TCP. Listening and connecting by name over IPv4 and
 *        IPv6, the addresses of a connection, sending and reading under
 *        short counts, a buffered line reader, peeking, and the three modes
 *        of a socket (blocking, non-blocking, with a timeout).
 *
 * The contract that the skeleton, the reference solution and the tests of
 * lesson 03 share. The lesson text (lessons/03-tcp/README.md) explains the
 * ideas; this file says exactly what each function must do.
 *
 * Conventions, as in every socklab module:
 *
 * - A function that can fail returns -1 and sets errno; on success it
 *   returns 0, a descriptor or the documented count. It never prints and
 *   never exits.
 * - A NULL pointer argument that the function needs is an error: -1 with
 *   errno EINVAL (only @p host may be NULL, where it says so).
 * - Hosts and ports are text, resolved with getaddrinfo(3): a host is a
 *   numeric address (`127.0.0.1`, `::1`) or a name (`localhost`); a port
 *   is a decimal number (`8080`, `0`) or a service name (`http`).
 * - When getaddrinfo(3) fails, errno tells how:
 *   - ENXIO: the host or the port does not resolve (EAI_NONAME,
 *     EAI_SERVICE, EAI_NODATA, EAI_ADDRFAMILY, EAI_FAIL): "no such
 *     address".
 *   - EAGAIN: the resolver failed for now (EAI_AGAIN); later may work.
 *   - ENOMEM: EAI_MEMORY.
 *   - for EAI_SYSTEM, the errno that getaddrinfo() left.
 * - Functions that take a descriptor expect a socket (a TCP socket unless
 *   said otherwise); a descriptor that is not open fails with EBADF, one
 *   that is not a socket with ENOTSOCK, as the system calls report it.
 * - Every descriptor a function opens is closed again on every path where
 *   it does not hand it to the caller: no failure leaks one.
 */
#ifndef TCP_H
#define TCP_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/**
 * @brief Size of a buffer that holds any text tcp_local_text() or
 *        tcp_peer_text() writes, with its NUL.
 *
 * The longest is `[` IPv6 (45) `%` scope (up to 15) `]:65535`: 70 bytes.
 */
#define TCP_ADDRSTRLEN 72

/** @brief Bytes a tcp_reader_t reads ahead: the size of its buffer. */
#define TCP_READER_SIZE 4096

/* ------------------------------------------------------------------ */
/** @name Task 1: Listening and connecting
 * @{ */

/**
 * @brief Opens a TCP socket that listens on @p host and @p port.
 *
 * Resolves the pair with getaddrinfo(3) (`AI_PASSIVE`, any family,
 * `SOCK_STREAM`) and tries each address it returns, in order, until one
 * works: socket(2), `SO_REUSEADDR` (so that a restarted server binds at
 * once while old connections sit in TIME_WAIT: on Linux the old listening
 * socket must have set it too, and its connections inherit it), bind(2),
 * listen(2).
 *
 * @code
 * int fd = tcp_listen("127.0.0.1", "8080", 16);   IPv4 loopback, port 8080
 * int fd = tcp_listen("::1", "0", 16);            IPv6 loopback, a free port
 * int fd = tcp_listen("localhost", "echo", 16);   a name and a service
 * @endcode
 *
 * @param host the local address to listen on; NULL for the wildcard
 *        addresses getaddrinfo() gives, `0.0.0.0` first with the GNU C
 *        library, then `::`: the first that works is taken, so NULL
 *        listens on every IPv4 address only.
 * @param port the port; `"0"` lets the kernel pick a free one (ask
 *        tcp_local_text() which).
 * @param backlog how many connections may wait to be accepted, passed to
 *        listen(2); 0 or more.
 * @return the listening socket (blocking), or -1 with errno set to:
 *         - EINVAL: @p port is NULL, or @p backlog is negative.
 *         - ENXIO, EAGAIN, ENOMEM: the lookup failed (see the conventions).
 *         - what the last address tried failed with, for instance
 *           EADDRINUSE (another socket listens there), EADDRNOTAVAIL (the
 *           address is not one of this host's), EACCES (a port below 1024
 *           without the privilege), EAFNOSUPPORT (no IPv6 on this host).
 */
int tcp_listen(const char *host, const char *port, int backlog);

/**
 * @brief Accepts the next connection on a listening socket.
 *
 * Calls accept(2). Errors that belong to the new connection rather than to
 * the listening socket (ECONNABORTED: the client gave up while it waited;
 * and on Linux EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET,
 * EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH) are skipped: accept(2) is called
 * again, as long as @p fd listens (`SO_ACCEPTCONN`: EOPNOTSUPP is also
 * what accept(2) says, every time, of a socket that cannot accept). EINTR
 * is not retried: a signal returns control to the caller, so that a
 * server can check whether it was asked to stop.
 *
 * The new socket is blocking on Linux; on the BSDs and macOS it inherits
 * `O_NONBLOCK` from @p fd.
 *
 * @param fd a listening socket (from tcp_listen()).
 * @return the connected socket, or -1 with errno set to:
 *         - EINTR: a signal arrived before a connection did.
 *         - EAGAIN or EWOULDBLOCK: @p fd is non-blocking and no connection
 *           is waiting (or its receive timeout passed: accept(2) honours
 *           `SO_RCVTIMEO`).
 *         - EINVAL: @p fd does not listen.
 *         - EOPNOTSUPP: @p fd is not a stream socket (UDP).
 *         - EMFILE, ENFILE, ENOBUFS, ENOMEM: out of descriptors or memory;
 *           the connection stays queued.
 *         - EBADF, ENOTSOCK: see the conventions.
 */
int tcp_accept(int fd);

/**
 * @brief Opens a TCP connection to @p host and @p port.
 *
 * Resolves the pair with getaddrinfo(3) (any family, `SOCK_STREAM`) and
 * tries each address in order until a connect(2) succeeds, closing the
 * socket of each one that fails. So `localhost`, which may name both
 * `::1` and `127.0.0.1`, reaches a server that listens on either.
 *
 * A connect(2) that a signal interrupts (EINTR) goes on in the kernel:
 * wait for it to finish (poll(2) for POLLOUT, again after its own EINTR,
 * then `SO_ERROR`). Calling connect(2) again on that socket would also
 * wait on Linux, but fails with EALREADY on the BSDs (and on a
 * non-blocking socket everywhere). So, unlike tcp_accept(), a signal does
 * not return control: tcp_connect() waits until the handshake ends, which
 * tcp_connect_timeout() bounds.
 *
 * @param host the server; NULL for this host's loopback addresses (`::1`
 *        and `127.0.0.1`, in the order getaddrinfo() gives them).
 * @param port the server's port.
 * @return the connected socket (blocking), or -1 with errno set to:
 *         - EINVAL: @p port is NULL.
 *         - ENXIO, EAGAIN, ENOMEM: the lookup failed (see the conventions).
 *         - what the last address tried failed with, for instance
 *           ECONNREFUSED (nothing listens there), ETIMEDOUT (no answer:
 *           the kernel gave up after its own retries, which can take
 *           minutes; see tcp_connect_timeout()), ENETUNREACH, EHOSTUNREACH.
 */
int tcp_connect(const char *host, const char *port);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 2: The addresses of a connection
 * @{ */

/**
 * @brief Writes the local address of a socket as text: getsockname(2).
 *
 * The form is the one every socklab server prints after `listening on`:
 * `ADDR:PORT` for IPv4, `[ADDR]:PORT` for IPv6, the address numeric as
 * getnameinfo(3) writes it with `NI_NUMERICHOST` (a scope included, as in
 * `[fe80::1%eth0]:80`), the port in decimal.
 *
 * @code
 * 127.0.0.1:8080
 * [::1]:40123
 * 0.0.0.0:8080        a socket bound to every address
 * @endcode
 *
 * @param fd an IPv4 or IPv6 socket.
 * @param buf where to write the NUL-terminated text.
 * @param size size of @p buf; #TCP_ADDRSTRLEN is always enough.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: @p buf is NULL.
 *         - EAFNOSUPPORT: the socket is neither IPv4 nor IPv6 (AF_UNIX).
 *         - ENOSPC: the text and its NUL do not fit in @p size bytes;
 *           @p buf then holds the empty string (if @p size > 0), never a
 *           truncated address.
 *         - EBADF, ENOTSOCK: see the conventions.
 */
int tcp_local_text(int fd, char *buf, size_t size);

/**
 * @brief Writes the address of a socket's peer as text: getpeername(2).
 *
 * The same form as tcp_local_text(): `127.0.0.1:51000`, `[::1]:51000`.
 *
 * @param fd a connected IPv4 or IPv6 socket.
 * @param buf where to write the NUL-terminated text.
 * @param size size of @p buf; #TCP_ADDRSTRLEN is always enough.
 * @return 0, or -1 with errno set as tcp_local_text() does, and:
 *         - ENOTCONN: the socket is not connected (a listening socket is
 *           not, nor one whose connection was reset).
 */
int tcp_peer_text(int fd, char *buf, size_t size);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 3: Short counts: send all, read exact
 *
 * send(2) may take fewer bytes than it was given, and recv(2) may return
 * fewer than were asked for: a byte stream has no message boundaries, and
 * a signal may interrupt either call (EINTR, when nothing was transferred
 * yet; a short count when some bytes were). These two functions loop until
 * the whole job is done, as Stevens' writen() and readn() do.
 * @{ */

/**
 * @brief Sends all @p len bytes of @p buf, however many send(2) calls it
 *        takes.
 *
 * Each call passes `MSG_NOSIGNAL`, so that sending to a peer that has gone
 * fails with EPIPE instead of killing the process with SIGPIPE. A call
 * that a signal interrupts (EINTR) is made again; a short count sends the
 * rest. @p len 0 sends nothing and returns 0.
 *
 * @param fd a connected stream socket.
 * @param buf the bytes.
 * @param len how many.
 * @return 0 once every byte is in the kernel's send buffer (sent, not yet
 *         received: only an answer from the peer tells that), or -1 with
 *         errno set to:
 *         - EINVAL: @p buf is NULL and @p len is not 0.
 *         - EPIPE: the connection is closed for sending (the peer is gone,
 *           or this side called shutdown(SHUT_WR)).
 *         - ECONNRESET: the peer reset the connection.
 *         - EAGAIN or EWOULDBLOCK: the socket is non-blocking and its
 *           buffer is full, or a send(2) waited its whole send timeout
 *           (tcp_set_timeout()) for room. Some of the bytes may have been
 *           sent: the stream is no longer in a known state, close it.
 *         - ENOTCONN, EBADF, ENOTSOCK: as send(2) reports them.
 */
int tcp_send_all(int fd, const void *buf, size_t len);

/**
 * @brief Reads exactly @p len bytes into @p buf, however many recv(2) calls
 *        it takes, unless the stream ends first.
 *
 * A call that a signal interrupts (EINTR) is made again; a short count
 * reads the rest. @p len 0 reads nothing and returns 0.
 *
 * @param fd a connected stream socket.
 * @param buf where to put the bytes.
 * @param len how many to read.
 * @return @p len; or, when the peer ends the stream (EOF) before that,
 *         the number of bytes read before the end, less than @p len and
 *         held in @p buf (0 if the stream ended before the first byte);
 *         or -1 with errno set to:
 *         - EINVAL: @p buf is NULL and @p len is not 0.
 *         - ECONNRESET: the peer reset the connection.
 *         - EAGAIN or EWOULDBLOCK: the socket is non-blocking and no byte
 *           is waiting, or its receive timeout (tcp_set_timeout()) passed.
 *           How many bytes came before is lost: close the stream.
 *         - ENOTCONN, EBADF, ENOTSOCK: as recv(2) reports them.
 */
ssize_t tcp_read_exact(int fd, void *buf, size_t len);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 4: Reading lines
 * @{ */

/**
 * @brief A buffered line reader on a socket: the C counterpart of
 *        Python's `sock.makefile().readline()` and Stevens' readline().
 *
 * It calls recv(2) for as many bytes as its buffer has room for, and hands
 * them out line by line: the bytes that follow a line wait in @p buf for
 * the next call. Once a reader is in use, read the socket only through it:
 * a recv(2) of your own would miss the bytes it holds.
 */
typedef struct tcp_reader {
    int fd;                      /**< the socket it reads */
    size_t start;                /**< first byte of buf not yet handed out */
    size_t end;                  /**< one past the last byte read into buf */
    char buf[TCP_READER_SIZE];   /**< bytes read ahead: buf[start, end) */
} tcp_reader_t;

/**
 * @brief Makes @p r a reader of socket @p fd, with nothing read yet.
 *
 * Cannot fail; @p r must not be NULL.
 * @param r the reader, in memory the caller owns.
 * @param fd a connected stream socket.
 */
void tcp_reader_init(tcp_reader_t *r, int fd);

/**
 * @brief Reads the next line: the bytes up to and including the next
 *        `\n`.
 *
 * The bytes are copied into @p line, followed by a NUL; a line may hold
 * any byte, NUL included, so use the returned length rather than
 * strlen(). A line is limited by @p size only, not by #TCP_READER_SIZE: a
 * line longer than the reader's buffer is gathered over several recv(2)
 * calls. A recv(2) that a signal interrupts is made again.
 *
 * - At the end of the stream, a last line without `\n` is returned as it
 *   is; the call after it returns 0.
 * - If @p size - 1 bytes have come and none of them is a `\n`, the line
 *   does not fit: the call fails with EMSGSIZE. Those @p size - 1 bytes are
 *   in @p line (NUL-terminated) and are consumed: the next call goes on
 *   with the rest of the line, as fgets(3) would. A caller that needs
 *   whole lines drops the peer instead.
 *
 * @code
 * stream "one\ntwo"    calls return 4 ("one\n"), 3 ("two"), then 0
 * size 8, "abcdefg\n"  -1 EMSGSIZE with "abcdefg" in line; then 1 ("\n")
 * size 8, "abcdef\n"   7: six letters and the \n fill line with its NUL
 * @endcode
 *
 * @param r a reader (tcp_reader_init()).
 * @param line where to copy the line and its NUL.
 * @param size size of @p line: 2 or more, so that one byte and the NUL fit.
 * @return the length of the line, `\n` included (NUL not counted); 0 at the
 *         end of the stream, when no byte is left; or -1 with errno set to:
 *         - EINVAL: @p r or @p line is NULL, or @p size is less than 2.
 *         - EMSGSIZE: the line does not fit, as described above.
 *         - what recv(2) failed with: ECONNRESET, EAGAIN or EWOULDBLOCK
 *           (non-blocking, or a receive timeout), EBADF, ... The bytes of
 *           the unfinished line that came before are lost: close the
 *           stream.
 */
ssize_t tcp_read_line(tcp_reader_t *r, char *line, size_t size);

/**
 * @brief Copies the bytes waiting on a socket into @p buf without
 *        consuming them: recv(2) with `MSG_PEEK`.
 *
 * The next recv(2) (or tcp_peek()) returns the same bytes again. Like
 * recv(2), it waits on a blocking socket until at least one byte is there,
 * and returns at most @p len bytes, maybe fewer than are waiting. A call
 * that a signal interrupts is made again.
 *
 * @param fd a connected stream socket.
 * @param buf where to copy the bytes.
 * @param len room in @p buf, more than 0.
 * @return the number of bytes copied (1 to @p len), 0 at the end of the
 *         stream, or -1 with errno set to:
 *         - EINVAL: @p buf is NULL or @p len is 0.
 *         - EAGAIN or EWOULDBLOCK: the socket is non-blocking and nothing
 *           is waiting, or its receive timeout passed.
 *         - ECONNRESET, ENOTCONN, EBADF, ENOTSOCK: as recv(2) reports them.
 */
ssize_t tcp_peek(int fd, void *buf, size_t len);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 5: Blocking, non-blocking and timeouts
 * @{ */

/**
 * @brief Makes a descriptor non-blocking (@p on not 0) or blocking (@p on 0).
 *
 * Sets or clears `O_NONBLOCK` with fcntl(2), keeping every other file
 * status flag as it was (read them with `F_GETFL` first). On a
 * non-blocking socket a call that would wait fails at once instead:
 * recv(2), send(2) and accept(2) with EAGAIN or EWOULDBLOCK (the same
 * value on Linux), connect(2) with EINPROGRESS.
 *
 * @param fd any open descriptor.
 * @param on not 0: non-blocking; 0: blocking.
 * @return 0, or -1 with errno set to EBADF (not an open descriptor).
 */
int tcp_set_nonblocking(int fd, int on);

/**
 * @brief Sets how long a blocking socket waits in a receive and in a send:
 *        `SO_RCVTIMEO` and `SO_SNDTIMEO`.
 *
 * A receive that waits longer than @p recv_ms with no byte fails with
 * EAGAIN or EWOULDBLOCK. A send waits for room in the send buffer, and
 * the kernel wakes it only once a good part of the buffer is free, not
 * for each byte the peer reads: a send that is not woken within @p
 * send_ms fails the same way (or returns a short count if it took bytes
 * first). So a send timeout drops a peer that reads nothing, and also one
 * that reads only a trickle (4 KiB every 100 ms, say). 0 means no
 * timeout: wait as long as it takes (the default). Python's
 * `sock.settimeout(t)` is both at once.
 *
 * @param fd a socket.
 * @param recv_ms the receive timeout in milliseconds, 0 for none.
 * @param send_ms the send timeout in milliseconds, 0 for none.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: @p recv_ms or @p send_ms is negative.
 *         - EBADF, ENOTSOCK: see the conventions.
 */
int tcp_set_timeout(int fd, int recv_ms, int send_ms);

/**
 * @brief Like tcp_connect(), but gives up after @p ms milliseconds.
 *
 * For each address: a non-blocking socket, connect(2), which fails with
 * EINPROGRESS while the handshake goes on; poll(2) for POLLOUT (again,
 * with the time left, after EINTR); then getsockopt(2) `SO_ERROR` says
 * whether the connection succeeded (0) or why it failed. An address that
 * fails goes on to the next one. The time is for all the addresses
 * together, counted from the end of the lookup (getaddrinfo(3) itself
 * cannot be bounded): each address gets its share of the time left, what
 * is left divided by the addresses not tried yet, so that one that never
 * answers leaves time for the next, and the last gets all that is left.
 * The socket returned is blocking again.
 *
 * @param host the server; NULL for the loopback addresses.
 * @param port the server's port.
 * @param ms the longest time to wait, in milliseconds, more than 0.
 * @return the connected socket (blocking), or -1 with errno set to:
 *         - EINVAL: @p port is NULL, or @p ms is 0 or negative.
 *         - ETIMEDOUT: no connection within @p ms (the last address tried
 *           did not answer in its time).
 *         - ENXIO, EAGAIN, ENOMEM: the lookup failed (see the conventions).
 *         - what the last address tried failed with, for instance
 *           ECONNREFUSED.
 */
int tcp_connect_timeout(const char *host, const char *port, int ms);

/** @} */

#endif
