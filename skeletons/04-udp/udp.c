/* udp.c - lesson 04: datagram sockets by name, addresses as text, whole
 * datagrams sent and received with truncation detected, connected UDP,
 * broadcast, and a request/reply exchange with timeouts, retries, backoff
 * and request ids.
 *
 * Your work. Each function below starts with TODO(): replace that line with
 * your code. udp.h says exactly what each function must do (every error
 * case and its errno); the lesson's README explains the ideas. Check your
 * work with `make grade LESSON=04`.
 *
 * You may add helper functions: make them static. Several functions share
 * work (a getaddrinfo() call with its error mapping; a recvfrom() with
 * MSG_TRUNC): write it once. */
#include "udp.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "todo.h"

/* ---- Task 1: datagram sockets ----------------------------------------------
 * getaddrinfo(host, port, &hints, &res) with hints.ai_family = AF_UNSPEC,
 * hints.ai_socktype = SOCK_DGRAM (and ai_flags = AI_PASSIVE to bind) gives
 * a list of addresses: try each in turn, with the family, type and protocol
 * it names (never a hard-coded AF_INET), until one works; then
 * freeaddrinfo(res). getaddrinfo() returns an EAI_ code, not -1: turn it
 * into errno as udp.h says. Close the socket of every address that fails. */

int udp_bind(const char *host, const char *port)
{
    /* For each address: socket(), bind(). No SO_REUSEADDR: on UDP it
     * would let another socket share the port. */
    (void)host;
    (void)port;
    TODO();
}

int udp_addr_text(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
    /* Check the family first (getnameinfo() happily names an AF_UNIX
     * address "localhost"), and that len is long enough for it. Then
     * getnameinfo(..., NI_NUMERICHOST | NI_NUMERICSERV) gives the address
     * and the port as text (no ntohs() to forget); IPv6 goes in brackets.
     * snprintf() returns the length it needed: size or more means it did
     * not fit. */
    (void)sa;
    (void)len;
    (void)buf;
    (void)size;
    TODO();
}

int udp_local_text(int fd, char *buf, size_t size)
{
    /* getsockname() into a struct sockaddr_storage, then udp_addr_text(). */
    (void)fd;
    (void)buf;
    (void)size;
    TODO();
}

/* ---- Task 2: sending and receiving datagrams -------------------------------
 * One call, one datagram: no loop for short counts (there are none), only
 * for EINTR. */

ssize_t udp_send_to(int fd, const void *buf, size_t len, const struct sockaddr *to,
                    socklen_t tolen)
{
    /* sendto(fd, buf, len, 0, to, tolen), again on EINTR. A NULL `to`
     * sends to the connected peer, as sendto() itself does. */
    (void)fd;
    (void)buf;
    (void)len;
    (void)to;
    (void)tolen;
    TODO();
}

ssize_t udp_recv_from(int fd, void *buf, size_t cap, struct sockaddr_storage *from,
                      socklen_t *fromlen)
{
    /* recvfrom(fd, buf, cap, MSG_TRUNC, ...): with MSG_TRUNC it returns
     * the datagram's whole length, even when only cap bytes fit. More than
     * cap means it was cut: -1 with EMSGSIZE. (Without MSG_TRUNC a cut
     * datagram of 100 bytes and a whole one of cap bytes look the same.)
     * The address length is in/out for recvfrom(): start it at
     * sizeof *from. 0 is an empty datagram: return it like any other. */
    (void)fd;
    (void)buf;
    (void)cap;
    (void)from;
    (void)fromlen;
    TODO();
}

/* ---- Task 3: truncation the portable way, and peeking ---------------------- */

ssize_t udp_recv_msg(int fd, void *buf, size_t cap, struct sockaddr_storage *from,
                     socklen_t *fromlen, int *truncated)
{
    /* A struct iovec {buf, cap} and a struct msghdr (memset() to 0 first)
     * with msg_name = from, msg_namelen = sizeof *from, msg_iov = &iov,
     * msg_iovlen = 1; then recvmsg(fd, &msg, 0). On return msg.msg_flags
     * has MSG_TRUNC if the datagram did not fit, and msg.msg_namelen is
     * the address length. */
    (void)fd;
    (void)buf;
    (void)cap;
    (void)from;
    (void)fromlen;
    (void)truncated;
    TODO();
}

ssize_t udp_peek_size(int fd)
{
    /* recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC): nothing copied, nothing
     * consumed, and the whole length returned. */
    (void)fd;
    TODO();
}

/* ---- Task 4: connected UDP ---------------------------------------------------- */

int udp_connect(const char *host, const char *port)
{
    /* As udp_bind(), without AI_PASSIVE, and connect() instead of bind().
     * It sends nothing: it only tells the kernel who the peer is. */
    (void)host;
    (void)port;
    TODO();
}

/* ---- Task 5: broadcast ------------------------------------------------------------ */

int udp_set_broadcast(int fd, int on)
{
    /* setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, sizeof v), v 1 or 0. */
    (void)fd;
    (void)on;
    TODO();
}

/* ---- Task 6: request and reply -----------------------------------------------------
 * The datagram is "ID PAYLOAD": the id in decimal, one space, the payload
 * bytes. */

ssize_t udp_frame(uint32_t id, const void *data, size_t len, void *out, size_t cap)
{
    /* snprintf() the id and its space into a small buffer, check that it
     * and the payload fit in cap, then memcpy() both into out. */
    (void)id;
    (void)data;
    (void)len;
    (void)out;
    (void)cap;
    TODO();
}

ssize_t udp_unframe(const void *dgram, size_t len, uint32_t *id, const void **data)
{
    /* Read up to 10 digits into a uint64_t (so that 4294967296 can be
     * seen to overflow), then require a space right after them. Not
     * strtoul(): it skips blanks, takes signs and "0x", and reads past
     * the end of a datagram, which has no NUL. */
    (void)dgram;
    (void)len;
    (void)id;
    (void)data;
    TODO();
}

long udp_next_wait(long prev_ms)
{
    /* Twice prev_ms, at most UDP_WAIT_MAX_MS: compare before you multiply
     * (prev_ms * 2 of a large prev_ms overflows a long). */
    (void)prev_ms;
    TODO();
}

ssize_t udp_request(int fd, uint32_t id, const void *req, size_t len, void *reply, size_t cap,
                    int timeout_ms, int retries)
{
    /* Frame the request once (a buffer of UDP_BUFFER_SIZE bytes, from
     * malloc(): free it on every path). Then, for each of the 1 + retries
     * tries: send it; compute a deadline, now + wait, on CLOCK_MONOTONIC;
     * until then poll() for POLLIN with the time left (EINTR: again, with
     * the time left), receive (a datagram too long for your buffer, or not
     * framed, or of another id: drop it and wait on); the first datagram
     * with `id` is the reply. After each try that timed out, the next
     * wait is udp_next_wait() of the last. ECONNREFUSED ends it at once. */
    (void)fd;
    (void)id;
    (void)req;
    (void)len;
    (void)reply;
    (void)cap;
    (void)timeout_ms;
    (void)retries;
    TODO();
}
