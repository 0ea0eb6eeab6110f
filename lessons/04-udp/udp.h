/**
 * @file udp.h
 * @brief Lesson 04: UDP. Datagram sockets over IPv4 and IPv6, sending and
 *        receiving whole datagrams, truncation detected two ways, connected
 *        UDP, broadcast on loopback, and a request/reply exchange that
 *        survives loss, duplicates and reordering.
 *
 * The contract that the skeleton, the reference solution and the tests of
 * lesson 04 share. The lesson text (lessons/04-udp/README.md) explains the
 * ideas; this file says exactly what each function must do.
 *
 * Conventions, as in every socklab module:
 *
 * - A function that can fail returns -1 and sets errno; on success it
 *   returns 0, a descriptor or the documented count. It never prints and
 *   never exits.
 * - A NULL pointer argument that the function needs is an error: -1 with
 *   errno EINVAL (only where a parameter says NULL is allowed is it not).
 * - Hosts and ports are text, resolved with getaddrinfo(3) for
 *   `SOCK_DGRAM`: a host is a numeric address (`127.0.0.1`, `::1`) or a
 *   name (`localhost`); a port is a decimal number (`7`, `0`) or a service
 *   name (`echo`).
 * - When getaddrinfo(3) fails, errno tells how:
 *   - ENXIO: the host or the port does not resolve (EAI_NONAME,
 *     EAI_SERVICE, EAI_NODATA, EAI_ADDRFAMILY, EAI_FAIL): "no such
 *     address".
 *   - EAGAIN: the resolver failed for now (EAI_AGAIN); later may work.
 *   - ENOMEM: EAI_MEMORY.
 *   - for EAI_SYSTEM, the errno that getaddrinfo() left.
 * - Functions that take a descriptor expect a UDP socket; a descriptor that
 *   is not open fails with EBADF, one that is not a socket with ENOTSOCK,
 *   as the system calls report them.
 * - A system call that a signal interrupts (EINTR) is made again, with
 *   the time that is left where there is a deadline: EINTR never comes
 *   out of these functions.
 * - Every descriptor and every block of memory a function takes is given
 *   back on every path where it does not hand it to the caller.
 */
#ifndef UDP_H
#define UDP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/**
 * @brief The largest UDP payload over IPv4: 65535 bytes of IP packet, less
 *        20 of IPv4 header and 8 of UDP header.
 *
 * A larger datagram fails to send with EMSGSIZE. What counts is the IP
 * version on the wire, not the socket's family: 65507 when the datagram
 * goes over IPv4 (to an IPv4-mapped address `"::ffff:a.b.c.d"` from an
 * AF_INET6 socket too), 65527 over IPv6 without jumbograms (RFC 2675: the
 * IPv6 header is not counted in its payload length); less with IP
 * options, or when fragmenting is forbidden (IPV6_DONTFRAG). The kernel
 * knows each limit, so code sends and lets it say.
 */
#define UDP_MAX_DATAGRAM 65507

/** @brief A buffer this large holds any datagram IPv4 or IPv6 can bring. */
#define UDP_BUFFER_SIZE 65536

/**
 * @brief Size of a buffer that holds any text udp_local_text() or
 *        udp_addr_text() writes, with its NUL.
 *
 * The longest is `[` IPv6 (45) `%` scope (up to 15) `]:65535`: 70 bytes.
 */
#define UDP_ADDRSTRLEN 72

/** @brief The longest header udp_frame() writes: `4294967295 `, 11 bytes. */
#define UDP_HEADER_MAX 11

/** @brief The longest single wait of udp_request(), however many retries. */
#define UDP_WAIT_MAX_MS 60000

/* ------------------------------------------------------------------ */
/** @name Task 1: Datagram sockets
 * @{ */

/**
 * @brief Opens a UDP socket bound to @p host and @p port: where a server
 *        receives its datagrams.
 *
 * Resolves the pair with getaddrinfo(3) (`AI_PASSIVE`, any family,
 * `SOCK_DGRAM`) and tries each address it returns, in order, until one
 * works: socket(2), then bind(2). There is no listen(2) and no accept(2):
 * the one socket receives every peer's datagrams.
 *
 * It does not set `SO_REUSEADDR`. UDP has no TIME_WAIT to wait out, and on
 * a UDP socket the option means something else: on Linux two sockets that
 * both set it may bind the same port, and the one bound last takes the
 * datagrams.
 *
 * @code
 * int fd = udp_bind("127.0.0.1", "7007");   IPv4 loopback, port 7007
 * int fd = udp_bind("::1", "0");            IPv6 loopback, a free port
 * @endcode
 *
 * @param host the local address; NULL for every local address: glibc's
 *        getaddrinfo() gives `0.0.0.0` first, so NULL means every IPv4
 *        address only (an IPv6 wildcard is `"::"`, which on Linux also
 *        receives IPv4, as `"::ffff:a.b.c.d"`).
 * @param port the port; `"0"` lets the kernel pick a free one (ask
 *        udp_local_text() which).
 * @return the bound socket (blocking), or -1 with errno set to:
 *         - EINVAL: @p port is NULL.
 *         - ENXIO, EAGAIN, ENOMEM: the lookup failed (see the conventions).
 *         - what the last address tried failed with, for instance
 *           EADDRINUSE (another socket has that port), EADDRNOTAVAIL (the
 *           address is not one of this host's), EACCES (a port below 1024
 *           without the privilege), EAFNOSUPPORT (no IPv6 on this host).
 */
int udp_bind(const char *host, const char *port);

/**
 * @brief Writes an IPv4 or IPv6 socket address as text.
 *
 * `ADDR:PORT` for IPv4, `[ADDR]:PORT` for IPv6, the address numeric as
 * getnameinfo(3) writes it with `NI_NUMERICHOST` (a scope included), the
 * port in decimal: the form of every socklab `listening on` line, and of
 * the peers a server names in its messages.
 *
 * @code
 * 127.0.0.1:53
 * [::1]:5353
 * @endcode
 *
 * @param sa the address (a `struct sockaddr_in` or `struct sockaddr_in6`).
 * @param len its length, at least the size of its family's structure.
 * @param buf where to write the NUL-terminated text.
 * @param size size of @p buf; #UDP_ADDRSTRLEN is always enough.
 * @return 0, or -1 with errno set to:
 *         - EINVAL: @p sa or @p buf is NULL, or @p len is too short for
 *           the family.
 *         - EAFNOSUPPORT: the family is neither AF_INET nor AF_INET6.
 *         - ENOSPC: the text and its NUL do not fit in @p size bytes;
 *           @p buf then holds the empty string (if @p size > 0), never a
 *           cut address.
 */
int udp_addr_text(const struct sockaddr *sa, socklen_t len, char *buf, size_t size);

/**
 * @brief Writes the local address of a socket (getsockname(2)) as text, as
 *        udp_addr_text() does.
 *
 * @param fd an IPv4 or IPv6 socket.
 * @param buf where to write the NUL-terminated text.
 * @param size size of @p buf; #UDP_ADDRSTRLEN is always enough.
 * @return 0, or -1 with errno set as udp_addr_text() does (EAFNOSUPPORT for
 *         an AF_UNIX socket), or as getsockname(2) does (EBADF, ENOTSOCK).
 */
int udp_local_text(int fd, char *buf, size_t size);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 2: Sending and receiving datagrams
 * @{ */

/**
 * @brief Sends one datagram of @p len bytes to @p to: sendto(2).
 *
 * A datagram goes whole or not at all: there is no short count to loop on,
 * and @p len 0 sends an empty datagram, which is a datagram like any other.
 * A call that a signal interrupts is made again. Success means the kernel
 * took the datagram, not that anyone received it: a send to a port where
 * nobody listens succeeds.
 *
 * @param fd a UDP socket.
 * @param buf the bytes (NULL only if @p len is 0).
 * @param len how many.
 * @param to where to send; NULL for the peer of a connected socket
 *        (udp_connect()), as send(2) would.
 * @param tolen the length of @p to (ignored when @p to is NULL).
 * @return @p len, or -1 with errno set to:
 *         - EINVAL: @p buf is NULL and @p len is not 0, or @p tolen is
 *           too short for the family of @p to.
 *         - EMSGSIZE: the datagram is larger than the IP version it goes
 *           over allows (#UDP_MAX_DATAGRAM over IPv4, IPv4-mapped
 *           addresses included; 65527 over IPv6).
 *         - EACCES: @p to is a broadcast address and `SO_BROADCAST` is
 *           off (udp_set_broadcast()).
 *         - EDESTADDRREQ: @p to is NULL and the socket is not connected.
 *         - ECONNREFUSED: the socket is connected and an earlier datagram
 *           to its peer was refused (ICMP port unreachable).
 *         - EAGAIN or EWOULDBLOCK: the socket is non-blocking and its send
 *           buffer is full.
 *         - EAFNOSUPPORT: @p to is an IPv6 address and the socket is IPv4.
 *           (Linux takes an IPv4 address on an IPv6 socket, and sends over
 *           IPv4.)
 *         - EBADF, ENOTSOCK: see the conventions.
 */
ssize_t udp_send_to(int fd, const void *buf, size_t len, const struct sockaddr *to,
                    socklen_t tolen);

/**
 * @brief Receives one datagram and says who sent it: recvfrom(2), with
 *        truncation detected.
 *
 * Each call takes exactly one datagram, whatever @p cap is: three sends
 * are three receives, never merged and never split. A datagram longer than
 * @p cap does not fit: the kernel copies its first @p cap bytes and drops
 * the rest. Pass `MSG_TRUNC` to recvfrom(2) so that it returns the
 * datagram's whole length (Linux, FreeBSD 14), and report the cut, never
 * return it as if it were the whole message. A call that a signal
 * interrupts is made again.
 *
 * @code
 * 5 bytes "hello", cap 10   returns 5
 * 0 bytes, cap 10           returns 0: an empty datagram, not an end
 * 100 bytes, cap 10         -1 with EMSGSIZE, the first 10 bytes in buf
 * @endcode
 *
 * @param fd a UDP socket.
 * @param buf where to put the datagram (NULL only if @p cap is 0).
 * @param cap room in @p buf; #UDP_BUFFER_SIZE holds any datagram.
 * @param from set to the sender's address; NULL if not wanted (then
 *        @p fromlen is ignored too).
 * @param fromlen set to the length of @p from (its value on entry is not
 *        used: @p from always has room for any address).
 * @return the datagram's length (0 to @p cap), or -1 with errno set to:
 *         - EINVAL: @p buf is NULL and @p cap is not 0, or @p from is not
 *           NULL and @p fromlen is.
 *         - EMSGSIZE: the datagram was longer than @p cap. Its first @p cap
 *           bytes are in @p buf, @p from is set, and the datagram is
 *           consumed: the next call gets the next one.
 *         - EAGAIN or EWOULDBLOCK: the socket is non-blocking (or has a
 *           receive timeout) and no datagram came.
 *         - ECONNREFUSED: the socket is connected and a datagram it sent
 *           was refused (ICMP port unreachable); the error is reported
 *           once.
 *         - EBADF, ENOTSOCK: see the conventions.
 */
ssize_t udp_recv_from(int fd, void *buf, size_t cap, struct sockaddr_storage *from,
                      socklen_t *fromlen);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 3: Truncation the portable way, and peeking
 * @{ */

/**
 * @brief Receives one datagram with recvmsg(2), and says whether it was
 *        cut: `MSG_TRUNC` in `msg_flags`.
 *
 * The portable way to learn of a truncation: every system with recvmsg(2)
 * sets `MSG_TRUNC` in the `msg_flags` it returns when the datagram did not
 * fit, where the `MSG_TRUNC` flag of udp_recv_from() works on Linux and
 * FreeBSD only. A call that a signal interrupts is made again.
 *
 * @code
 * 100 bytes, cap 10   returns 10, *truncated 1
 * 10 bytes, cap 10    returns 10, *truncated 0: it fit exactly
 * 0 bytes, cap 10     returns 0, *truncated 0
 * @endcode
 *
 * @param fd a UDP socket.
 * @param buf where to put the datagram (NULL only if @p cap is 0).
 * @param cap room in @p buf.
 * @param from set to the sender's address; NULL if not wanted (then
 *        @p fromlen is ignored too).
 * @param fromlen set to the length of @p from.
 * @param truncated set to 1 if the datagram was longer than @p cap (its
 *        first @p cap bytes are in @p buf, the rest is lost), else 0.
 * @return how many bytes are in @p buf (0 to @p cap), or -1 with errno set
 *         to:
 *         - EINVAL: @p truncated is NULL, @p buf is NULL and @p cap is not
 *           0, or @p from is not NULL and @p fromlen is.
 *         - EAGAIN, EWOULDBLOCK, ECONNREFUSED, EBADF, ENOTSOCK: as for
 *           udp_recv_from().
 */
ssize_t udp_recv_msg(int fd, void *buf, size_t cap, struct sockaddr_storage *from,
                     socklen_t *fromlen, int *truncated);

/**
 * @brief The length of the next datagram, which stays queued: recv(2)
 *        with `MSG_PEEK | MSG_TRUNC` and no buffer at all.
 *
 * The next receive still gets that datagram, so a program can make a
 * buffer of the right size first. Waits for a datagram on a blocking
 * socket. A call that a signal interrupts is made again. (Linux and
 * FreeBSD 14; elsewhere `MSG_TRUNC` is not honoured on input.)
 *
 * @param fd a UDP socket.
 * @return the length of the next datagram (0 for an empty one), or -1 with
 *         errno set to:
 *         - EAGAIN or EWOULDBLOCK: the socket is non-blocking and no
 *           datagram is waiting.
 *         - ECONNREFUSED, EBADF, ENOTSOCK: as for udp_recv_from().
 */
ssize_t udp_peek_size(int fd);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 4: Connected UDP
 * @{ */

/**
 * @brief Opens a UDP socket connected to @p host and @p port.
 *
 * Resolves the pair with getaddrinfo(3) (any family, `SOCK_DGRAM`) and for
 * each address in turn makes a socket and connect(2)s it, until one works.
 * A connect(2) of UDP sends nothing: it only records the peer. From then
 * on the socket sends to that peer by default (udp_send_to() with a NULL
 * address, or send(2)), the kernel drops the datagrams that come from
 * anyone else, and an ICMP "port unreachable" for a datagram it sent is
 * reported as ECONNREFUSED by the next call on the socket. Whether anyone
 * listens is known only then: a connect(2) to a port where nobody listens
 * succeeds. So "until one works" means until connect(2) succeeds, which
 * it does on the first address whatever listens there; a caller that
 * wants to try the next address (`localhost` may be `::1`, then
 * `127.0.0.1`) does so when the first exchange fails with ECONNREFUSED,
 * or after its first timeout.
 *
 * @param host the peer; NULL for this host's loopback address.
 * @param port the peer's port.
 * @return the connected socket (blocking), or -1 with errno set to:
 *         - EINVAL: @p port is NULL.
 *         - ENXIO, EAGAIN, ENOMEM: the lookup failed (see the conventions).
 *         - what the last address tried failed with, for instance EACCES
 *           (a broadcast address, without `SO_BROADCAST`), ENETUNREACH (no
 *           route to it).
 */
int udp_connect(const char *host, const char *port);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 5: Broadcast
 * @{ */

/**
 * @brief Allows (@p on not 0) or forbids (@p on 0) sending to broadcast
 *        addresses: the socket option `SO_BROADCAST`.
 *
 * Without it, a datagram to a broadcast address (on Linux's loopback,
 * 127.255.255.255) fails to send with EACCES, and so does a connect(2) to
 * one: a program must say that it means to reach every host of a network.
 * IPv6 has no broadcast (it has multicast), but an AF_INET6 socket that
 * sends to an IPv4-mapped broadcast address (`"::ffff:127.255.255.255"`)
 * sends over IPv4, and needs the option just the same (EACCES without it:
 * checked on Linux 6).
 *
 * @param fd a UDP socket.
 * @param on not 0: allow; 0: forbid (the default of a new socket).
 * @return 0, or -1 with errno set to EBADF or ENOTSOCK (see the
 *         conventions).
 */
int udp_set_broadcast(int fd, int on);

/** @} */

/* ------------------------------------------------------------------ */
/** @name Task 6: Request and reply
 *
 * UDP loses datagrams, doubles them and changes their order, and says
 * nothing when it does. A client that sends a request and waits for its
 * reply must therefore give up waiting after a while and send again, wait
 * longer each time (backoff), and tell its reply from the other datagrams
 * that may come: a late reply to an earlier request, a second copy of one.
 * Each request carries an id for that, which the server sends back, and
 * the client takes only a reply with the id of the request it waits for.
 *
 * The datagrams of this lesson carry the id as text, so that they can be
 * read and typed by hand: the id in decimal, one space, then the payload.
 *
 * @code
 * "17 hello\n"    id 17, payload "hello\n"
 * "4294967295 "   id 4294967295, empty payload
 * @endcode
 * @{ */

/**
 * @brief Writes a datagram of id @p id and payload @p data into @p out:
 *        the id in decimal (no leading zeros), one space, the payload.
 *
 * @param id the request id.
 * @param data the payload (NULL only if @p len is 0); any bytes, NUL
 *        included.
 * @param len its length.
 * @param out where to write the datagram (no NUL is added).
 * @param cap room in @p out; @p len + #UDP_HEADER_MAX is always enough.
 * @return the datagram's length, or -1 with errno set to:
 *         - EINVAL: @p out is NULL, or @p data is NULL and @p len is not 0.
 *         - EMSGSIZE: the datagram does not fit in @p cap bytes.
 */
ssize_t udp_frame(uint32_t id, const void *data, size_t len, void *out, size_t cap);

/**
 * @brief Reads the id and the payload of a datagram that udp_frame() (or a
 *        person typing into `nc -u`) wrote.
 *
 * The datagram must start with 1 to 10 decimal digits (leading zeros
 * allowed) whose value fits in 32 bits, followed by one space; the payload
 * is everything after that space, any bytes, maybe none.
 *
 * @code
 * "17 hello"         id 17, payload "hello"
 * "007 x y"          id 7, payload "x y"
 * "5 "               id 5, empty payload
 * "hello", "5", " 5 x", "+5 x", "4294967296 x"    EBADMSG
 * @endcode
 *
 * @param dgram the datagram (NULL only if @p len is 0).
 * @param len its length.
 * @param id set to its id.
 * @param data set to where its payload starts, inside @p dgram.
 * @return the payload's length, or -1 with errno set to:
 *         - EINVAL: @p id or @p data is NULL, or @p dgram is NULL and
 *           @p len is not 0.
 *         - EBADMSG: the datagram does not start with an id and a space.
 */
ssize_t udp_unframe(const void *dgram, size_t len, uint32_t *id, const void **data);

/**
 * @brief The wait after a try that waited @p prev_ms: twice as long, but
 *        never more than #UDP_WAIT_MAX_MS, and without overflow whatever
 *        @p prev_ms is (udp_request() uses it between its tries).
 *
 * @code
 * udp_next_wait(25) == 50    udp_next_wait(40000) == 60000
 * udp_next_wait(60000) == 60000    udp_next_wait(LONG_MAX) == 60000
 * @endcode
 *
 * @param prev_ms the wait before, in milliseconds, more than 0.
 * @return the next wait, 2 to #UDP_WAIT_MAX_MS.
 */
long udp_next_wait(long prev_ms);

/**
 * @brief Sends a request and returns its reply, sending again after each
 *        timeout, waiting twice as long each time.
 *
 * On a connected socket (udp_connect()): sends udp_frame() of @p id and
 * @p req, then waits up to @p timeout_ms for a datagram whose id is @p id.
 * Every other datagram that comes meanwhile is dropped without a word: a
 * reply with another id (late, or a second copy of an earlier reply), one
 * that is not a framed datagram at all. When the wait ends with no reply,
 * the same datagram is sent again, with the same id, and the next wait is
 * twice as long as the last (never more than #UDP_WAIT_MAX_MS: compute
 * it so that it cannot overflow, whatever @p timeout_ms and @p retries),
 * up to @p retries times. Each wait counts from its own send: datagrams that are
 * dropped do not make it longer.
 *
 * @code
 * timeout_ms 100, retries 3: sends at 0, 100, 300 and 700 ms, gives up at
 * 1500 ms with ETIMEDOUT
 * @endcode
 *
 * The first reply with the id is the answer; copies of it that come later
 * stay queued on the socket, where the next call drops them, since it
 * waits for another id. So give each request an id of its own (a counter).
 *
 * @param fd a connected UDP socket.
 * @param id the request's id.
 * @param req the request's payload (NULL only if @p len is 0).
 * @param len its length.
 * @param reply where to copy the reply's payload (NULL only if @p cap is
 *        0).
 * @param cap room in @p reply.
 * @param timeout_ms how long to wait for the first reply, in milliseconds,
 *        more than 0.
 * @param retries how many times to send again, 0 or more: 1 + @p retries
 *        sends in all.
 * @return the length of the reply's payload (0 to @p cap), or -1 with
 *         errno set to:
 *         - EINVAL: @p timeout_ms is 0 or less, @p retries is negative, or
 *           a pointer is NULL with its length not 0.
 *         - ETIMEDOUT: no reply after 1 + @p retries sends.
 *         - ECONNREFUSED: an ICMP "port unreachable" came: nobody listens
 *           there. Returned at once, with no more retries.
 *         - EMSGSIZE: the request does not fit in a datagram (@p len plus
 *           the header), or the reply's payload is longer than @p cap (its
 *           first @p cap bytes are then in @p reply).
 *         - what sending or receiving failed with otherwise (EDESTADDRREQ
 *           for a socket that is not connected, EBADF, ENOTSOCK, ENOMEM).
 */
ssize_t udp_request(int fd, uint32_t id, const void *req, size_t len, void *reply, size_t cap,
                    int timeout_ms, int retries);

/** @} */

#endif
