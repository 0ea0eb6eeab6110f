/* tcp.c - lesson 03, reference solution: listening and connecting by name,
 * the addresses of a connection, sending and reading under short counts,
 * a line reader, peeking, blocking modes and timeouts.
 *
 * The contract is in tcp.h; the ideas are in the lesson's README. */
#include "tcp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* ---- Helpers ----------------------------------------------------------- */

/* Closes fd, keeping errno: the caller reports the error that came first. */
static void close_keep_errno(int fd)
{
    int saved = errno;

    close(fd);
    errno = saved;
}

/* freeaddrinfo(), keeping errno for the same reason. */
static void free_keep_errno(struct addrinfo *res)
{
    int saved = errno;

    freeaddrinfo(res);
    errno = saved;
}

/* errno for a getaddrinfo() error code (see "the conventions" in tcp.h). */
static int lookup_errno(int gai)
{
    switch (gai) {
    case EAI_AGAIN:  return EAGAIN;
    case EAI_MEMORY: return ENOMEM;
    case EAI_SYSTEM: return errno;
    default:         return ENXIO;
    }
}

/* getaddrinfo() for a stream socket; -1 with errno on failure. */
static int lookup(const char *host, const char *port, int flags, struct addrinfo **res)
{
    struct addrinfo hints;
    int gai;

    if (port == NULL) {
        errno = EINVAL;
        return -1;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = flags;
    gai = getaddrinfo(host, port, &hints, res);
    if (gai != 0) {
        errno = lookup_errno(gai);
        return -1;
    }
    return 0;
}

/* Milliseconds left until deadline (CLOCK_MONOTONIC seconds): 0 once it
 * has passed, else rounded up (never 0 before it), at most INT_MAX. */
static int ms_left(double deadline)
{
    struct timespec ts;
    double left;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    left = deadline - ((double)ts.tv_sec + ts.tv_nsec / 1e9);
    if (left <= 0)
        return 0;
    left = left * 1000.0 + 1;
    return left >= INT_MAX ? INT_MAX : (int)left;
}

/* The clock of ms_left(), ms milliseconds from now. */
static double deadline_in(int ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9 + ms / 1000.0;
}

/* Waits for a connect() in progress on fd to finish, until deadline
 * (a negative deadline: as long as it takes). 0 once connected, else -1
 * with errno: why it failed, or ETIMEDOUT. */
static int finish_connect(int fd, double deadline)
{
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int n, err = 0;
    socklen_t len = sizeof err;

    do {   /* EINTR: the handshake goes on; wait again, for the time left */
        n = poll(&p, 1, deadline < 0 ? -1 : ms_left(deadline));
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n == 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        return -1;
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}

/* ---- Task 1: listening and connecting ------------------------------------ */

/* A socket listening on one address of getaddrinfo(), or -1. */
static int listen_on(const struct addrinfo *ai, int backlog)
{
    int fd, one = 1;

    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0)
        return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, backlog) < 0) {
        close_keep_errno(fd);
        return -1;
    }
    return fd;
}

int tcp_listen(const char *host, const char *port, int backlog)
{
    struct addrinfo *res, *ai;
    int fd = -1;

    if (backlog < 0) {
        errno = EINVAL;
        return -1;
    }
    if (lookup(host, port, AI_PASSIVE, &res) < 0)
        return -1;
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
        fd = listen_on(ai, backlog);
    free_keep_errno(res);
    return fd;
}

/* Errors of accept(2) that concern the new connection, not the listener:
 * accept again (accept(2), "Error handling"). EOPNOTSUPP is one of them
 * on Linux, but it is also what accept(2) says of a socket that cannot
 * accept at all (UDP): only while fd listens is it worth another call. */
static int accept_again(int fd, int err)
{
    int listening = 0;
    socklen_t len = sizeof listening;

    switch (err) {
    case ECONNABORTED:
    case EPROTO:
#ifdef ENONET
    case ENONET:
#endif
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
        break;
    default:
        return 0;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 || !listening) {
        errno = err;
        return 0;
    }
    return 1;
}

int tcp_accept(int fd)
{
    int c;

    do {
        c = accept(fd, NULL, NULL);
    } while (c < 0 && accept_again(fd, errno));
    return c;
}

/* A socket connected to one address of getaddrinfo(), or -1. A connect()
 * that a signal interrupts goes on in the kernel: wait for it to end
 * (calling connect() again would do the same on Linux, but fails with
 * EALREADY on the BSDs). */
static int connect_to(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);

    if (fd < 0)
        return -1;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 &&
        (errno != EINTR || finish_connect(fd, -1) < 0)) {
        close_keep_errno(fd);
        return -1;
    }
    return fd;
}

int tcp_connect(const char *host, const char *port)
{
    struct addrinfo *res, *ai;
    int fd = -1;

    if (lookup(host, port, 0, &res) < 0)
        return -1;
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
        fd = connect_to(ai);
    free_keep_errno(res);
    return fd;
}

/* ---- Task 2: the addresses of a connection ------------------------------ */

/* "ADDR:PORT" or "[ADDR]:PORT" of an IPv4 or IPv6 address, into buf. */
static int address_text(const struct sockaddr_storage *ss, socklen_t len,
                        char *buf, size_t size)
{
    char host[NI_MAXHOST], port[NI_MAXSERV];
    const char *form = ss->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s";
    int n;

    if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof host, port,
                    sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        errno = EINVAL;
        return -1;
    }
    n = snprintf(buf, size, form, host, port);
    if (n < 0 || (size_t)n >= size) {
        if (size > 0)
            buf[0] = '\0';
        errno = ENOSPC;
        return -1;
    }
    return 0;
}

/* The work of tcp_local_text() and tcp_peer_text(): name is getsockname
 * or getpeername. */
static int name_text(int fd, int (*name)(int, struct sockaddr *, socklen_t *),
                     char *buf, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (buf == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (size > 0)
        buf[0] = '\0';
    if (name(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    return address_text(&ss, len, buf, size);
}

int tcp_local_text(int fd, char *buf, size_t size)
{
    return name_text(fd, getsockname, buf, size);
}

int tcp_peer_text(int fd, char *buf, size_t size)
{
    return name_text(fd, getpeername, buf, size);
}

/* ---- Task 3: short counts: send all, read exact ------------------------- */

int tcp_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    if (buf == NULL && len > 0) {
        errno = EINVAL;
        return -1;
    }
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

ssize_t tcp_read_exact(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t got = 0;

    if (buf == NULL && len > 0) {
        errno = EINVAL;
        return -1;
    }
    while (got < len) {
        ssize_t n = recv(fd, p + got, len - got, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;   /* the end of the stream: got < len */
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* ---- Task 4: reading lines ------------------------------------------------ */

void tcp_reader_init(tcp_reader_t *r, int fd)
{
    r->fd = fd;
    r->start = 0;
    r->end = 0;
}

/* Reads more bytes into the empty buffer of r: what recv() returns (0 at
 * the end of the stream, -1 on an error). */
static ssize_t reader_fill(tcp_reader_t *r)
{
    ssize_t n;

    r->start = r->end = 0;
    do {
        n = recv(r->fd, r->buf, sizeof r->buf, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0)
        r->end = (size_t)n;
    return n;
}

ssize_t tcp_read_line(tcp_reader_t *r, char *line, size_t size)
{
    size_t used = 0;

    if (r == NULL || line == NULL || size < 2) {
        errno = EINVAL;
        return -1;
    }
    for (;;) {
        const char *from = r->buf + r->start, *nl;
        size_t n;

        if (used == size - 1) {
            line[used] = '\0';
            errno = EMSGSIZE;
            return -1;
        }
        if (r->start == r->end) {
            ssize_t got = reader_fill(r);

            if (got < 0)
                return -1;
            if (got == 0)
                break;   /* the end: what we have is the last line */
            continue;
        }
        /* Copy up to the newline, or what the buffer holds, or the room left. */
        n = r->end - r->start;
        nl = memchr(from, '\n', n);
        if (nl != NULL)
            n = (size_t)(nl - from) + 1;
        if (n > size - 1 - used)
            n = size - 1 - used;
        memcpy(line + used, from, n);
        used += n;
        r->start += n;
        if (line[used - 1] == '\n')
            break;
    }
    line[used] = '\0';
    return (ssize_t)used;
}

ssize_t tcp_peek(int fd, void *buf, size_t len)
{
    ssize_t n;

    if (buf == NULL || len == 0) {
        errno = EINVAL;
        return -1;
    }
    do {
        n = recv(fd, buf, len, MSG_PEEK);
    } while (n < 0 && errno == EINTR);
    return n;
}

/* ---- Task 5: blocking, non-blocking and timeouts ------------------------ */

int tcp_set_nonblocking(int fd, int on)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0)
        return -1;
    flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    return fcntl(fd, F_SETFL, flags) < 0 ? -1 : 0;
}

/* One of SO_RCVTIMEO and SO_SNDTIMEO, from milliseconds. */
static int set_timeo(int fd, int option, int ms)
{
    struct timeval tv;

    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

int tcp_set_timeout(int fd, int recv_ms, int send_ms)
{
    if (recv_ms < 0 || send_ms < 0) {
        errno = EINVAL;
        return -1;
    }
    if (set_timeo(fd, SO_RCVTIMEO, recv_ms) < 0 || set_timeo(fd, SO_SNDTIMEO, send_ms) < 0)
        return -1;
    return 0;
}

/* A socket connected to one address within ms milliseconds, blocking
 * again, or -1. A non-blocking connect() never waits, so no signal can
 * interrupt it: EINPROGRESS, then finish_connect() waits. */
static int connect_within(const struct addrinfo *ai, int ms)
{
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);

    if (fd < 0)
        return -1;
    if (tcp_set_nonblocking(fd, 1) < 0)
        goto fail;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 &&
        (errno != EINPROGRESS || finish_connect(fd, deadline_in(ms)) < 0))
        goto fail;
    if (tcp_set_nonblocking(fd, 0) < 0)
        goto fail;
    return fd;
fail:
    close_keep_errno(fd);
    return -1;
}

int tcp_connect_timeout(const char *host, const char *port, int ms)
{
    struct addrinfo *res, *ai;
    double deadline;
    int fd = -1, untried = 0;

    if (ms <= 0) {
        errno = EINVAL;
        return -1;
    }
    if (lookup(host, port, 0, &res) < 0)
        return -1;
    deadline = deadline_in(ms);
    for (ai = res; ai != NULL; ai = ai->ai_next)
        untried++;
    /* Each address gets its share of the time left (rounded up: never 0
     * while time is left), so that one that never answers leaves time for
     * the next; the last gets all of it. */
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next, untried--) {
        int left = ms_left(deadline);

        if (left == 0) {
            errno = ETIMEDOUT;   /* the time is up */
            break;
        }
        fd = connect_within(ai, left / untried + (left % untried != 0));
    }
    free_keep_errno(res);
    return fd;
}
