/* udp.c - lesson 04, reference solution: datagram sockets by name,
 * addresses as text, whole datagrams sent and received with truncation
 * detected, connected UDP, broadcast, and a request/reply exchange with
 * timeouts, retries, backoff and request ids. */
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

/* ---- getaddrinfo() and its errors ------------------------------------------ */

/* errno for an EAI_ code (see udp.h). */
static int gai_errno(int gai)
{
    switch (gai) {
    case EAI_AGAIN:
        return EAGAIN;
    case EAI_MEMORY:
        return ENOMEM;
    case EAI_SYSTEM:
        return errno;
    default:
        return ENXIO;
    }
}

/* Resolves host and port for UDP (flags: AI_PASSIVE or 0): 0 with *res
 * set, or -1 with errno. */
static int resolve(const char *host, const char *port, int flags, struct addrinfo **res)
{
    struct addrinfo hints;
    int gai;

    if (port == NULL) {
        errno = EINVAL;
        return -1;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = flags;
    gai = getaddrinfo(host, port, &hints, res);
    if (gai != 0) {
        errno = gai_errno(gai);
        return -1;
    }
    return 0;
}

/* Closes fd keeping errno: close() may change it. */
static void close_keep_errno(int fd)
{
    int saved = errno;

    close(fd);
    errno = saved;
}

/* A socket for each address in turn, given to step (bind or connect) until
 * one works: that socket, or -1 with the errno of the last failure. */
static int first_that_works(struct addrinfo *res,
                            int (*step)(int, const struct sockaddr *, socklen_t))
{
    int fd = -1;

    errno = EADDRNOTAVAIL;   /* an empty list: nothing to try */
    for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd >= 0 && step(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            close_keep_errno(fd);
            fd = -1;
        }
    }
    return fd;
}

/* ---- Task 1: datagram sockets ------------------------------------------------ */

int udp_bind(const char *host, const char *port)
{
    struct addrinfo *res;
    int fd;

    if (resolve(host, port, AI_PASSIVE, &res) < 0)
        return -1;
    fd = first_that_works(res, bind);
    freeaddrinfo(res);
    return fd;
}

int udp_addr_text(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    int n;

    if (sa == NULL || buf == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (size > 0)
        buf[0] = '\0';
    if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    if (len < (sa->sa_family == AF_INET ? sizeof(struct sockaddr_in)
                                        : sizeof(struct sockaddr_in6))) {
        errno = EINVAL;
        return -1;
    }
    if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        errno = EINVAL;
        return -1;
    }
    n = snprintf(buf, size, sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, serv);
    if (n < 0 || (size_t)n >= size) {
        if (size > 0)
            buf[0] = '\0';
        errno = ENOSPC;
        return -1;
    }
    return 0;
}

int udp_local_text(int fd, char *buf, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (buf == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    return udp_addr_text((struct sockaddr *)&ss, len, buf, size);
}

/* ---- Task 2: sending and receiving datagrams ---------------------------------- */

ssize_t udp_send_to(int fd, const void *buf, size_t len, const struct sockaddr *to,
                    socklen_t tolen)
{
    ssize_t n;

    if (buf == NULL && len > 0) {
        errno = EINVAL;
        return -1;
    }
    do
        n = sendto(fd, buf, len, 0, to, to ? tolen : 0);
    while (n < 0 && errno == EINTR);
    return n;
}

/* One datagram into buf: its whole length (MSG_TRUNC), or -1 with errno;
 * EMSGSIZE when it was longer than cap. flags: 0 or MSG_DONTWAIT. */
static ssize_t recv_datagram(int fd, void *buf, size_t cap, int flags,
                             struct sockaddr_storage *from, socklen_t *fromlen)
{
    socklen_t len = sizeof *from;
    ssize_t n;

    do
        n = recvfrom(fd, buf, cap, flags | MSG_TRUNC, (struct sockaddr *)from,
                     from ? &len : NULL);
    while (n < 0 && errno == EINTR);
    if (n >= 0 && from != NULL)
        *fromlen = len;
    if (n > (ssize_t)cap) {
        errno = EMSGSIZE;   /* the rest of it is gone: never pass it off as whole */
        return -1;
    }
    return n;
}

ssize_t udp_recv_from(int fd, void *buf, size_t cap, struct sockaddr_storage *from,
                      socklen_t *fromlen)
{
    if ((buf == NULL && cap > 0) || (from != NULL && fromlen == NULL)) {
        errno = EINVAL;
        return -1;
    }
    return recv_datagram(fd, buf, cap, 0, from, fromlen);
}

/* ---- Task 3: truncation the portable way, and peeking ------------------------- */

ssize_t udp_recv_msg(int fd, void *buf, size_t cap, struct sockaddr_storage *from,
                     socklen_t *fromlen, int *truncated)
{
    struct iovec iov = {.iov_base = buf, .iov_len = cap};
    struct msghdr msg;
    ssize_t n;

    if (truncated == NULL || (buf == NULL && cap > 0) || (from != NULL && fromlen == NULL)) {
        errno = EINVAL;
        return -1;
    }
    do {
        memset(&msg, 0, sizeof msg);
        msg.msg_name = from;
        msg.msg_namelen = from ? sizeof *from : 0;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        n = recvmsg(fd, &msg, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (from != NULL)
        *fromlen = msg.msg_namelen;
    *truncated = (msg.msg_flags & MSG_TRUNC) != 0;
    return n;
}

ssize_t udp_peek_size(int fd)
{
    ssize_t n;

    do
        n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
    while (n < 0 && errno == EINTR);
    return n;
}

/* ---- Task 4: connected UDP ----------------------------------------------------- */

int udp_connect(const char *host, const char *port)
{
    struct addrinfo *res;
    int fd;

    if (resolve(host, port, 0, &res) < 0)
        return -1;
    fd = first_that_works(res, connect);
    freeaddrinfo(res);
    return fd;
}

/* ---- Task 5: broadcast ------------------------------------------------------------ */

int udp_set_broadcast(int fd, int on)
{
    int v = on != 0;

    return setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, sizeof v);
}

/* ---- Task 6: request and reply ----------------------------------------------------- */

ssize_t udp_frame(uint32_t id, const void *data, size_t len, void *out, size_t cap)
{
    char head[UDP_HEADER_MAX + 1];
    int h;

    if (out == NULL || (data == NULL && len > 0)) {
        errno = EINVAL;
        return -1;
    }
    h = snprintf(head, sizeof head, "%lu ", (unsigned long)id);
    if ((size_t)h > cap || len > cap - (size_t)h) {
        errno = EMSGSIZE;
        return -1;
    }
    memcpy(out, head, (size_t)h);
    if (len > 0)
        memcpy((char *)out + h, data, len);
    return (ssize_t)h + (ssize_t)len;
}

ssize_t udp_unframe(const void *dgram, size_t len, uint32_t *id, const void **data)
{
    const unsigned char *p = dgram;
    uint64_t value = 0;
    size_t digits = 0;

    if (id == NULL || data == NULL || (dgram == NULL && len > 0)) {
        errno = EINVAL;
        return -1;
    }
    while (digits < len && digits < 10 && p[digits] >= '0' && p[digits] <= '9')
        value = value * 10 + (uint64_t)(p[digits++] - '0');
    if (digits == 0 || digits >= len || p[digits] != ' ' || value > UINT32_MAX) {
        errno = EBADMSG;
        return -1;
    }
    *id = (uint32_t)value;
    *data = p + digits + 1;
    return (ssize_t)(len - digits - 1);
}

/* Milliseconds on the monotonic clock: a wall clock may jump. */
static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Waits until deadline (ms) for the reply with id `id`, dropping every
 * other datagram; in: a buffer of UDP_BUFFER_SIZE. The reply's payload
 * length, 0 ... cap; -2 when the deadline passed; -1 on an error. */
static ssize_t await_reply(int fd, uint32_t id, unsigned char *in, void *reply, size_t cap,
                           double deadline)
{
    for (;;) {
        double left = deadline - now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        const void *payload;
        uint32_t got;
        ssize_t n;
        int ready;

        if (left <= 0)
            return -2;
        ready = poll(&p, 1, (int)left + 1);
        if (ready < 0 && errno == EINTR)
            continue;   /* the deadline stays where it was */
        if (ready < 0)
            return -1;
        if (ready == 0)
            continue;   /* the loop sees the deadline has passed */
        n = recv_datagram(fd, in, UDP_BUFFER_SIZE, MSG_DONTWAIT, NULL, NULL);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EMSGSIZE))
            continue;   /* nothing after all, or a datagram no reply can be */
        if (n < 0)
            return -1;  /* ECONNREFUSED: nobody listens there */
        n = udp_unframe(in, (size_t)n, &got, &payload);
        if (n < 0 || got != id)
            continue;   /* not framed, or another request's reply: not ours */
        if ((size_t)n > cap) {
            if (cap > 0)
                memcpy(reply, payload, cap);
            errno = EMSGSIZE;
            return -1;
        }
        if (n > 0)
            memcpy(reply, payload, (size_t)n);
        return n;
    }
}

long udp_next_wait(long prev_ms)
{
    return prev_ms >= UDP_WAIT_MAX_MS / 2 ? UDP_WAIT_MAX_MS : prev_ms * 2;
}

/* Sends the framed request (out, len) and waits for its reply, again and
 * again with a doubling wait, as udp_request() says. */
static ssize_t exchange(int fd, uint32_t id, const unsigned char *out, size_t len,
                        unsigned char *in, void *reply, size_t cap, int timeout_ms, int retries)
{
    long wait = timeout_ms < UDP_WAIT_MAX_MS ? timeout_ms : UDP_WAIT_MAX_MS;

    for (int try = 0; try <= retries; try++) {
        ssize_t n;

        if (udp_send_to(fd, out, len, NULL, 0) < 0)
            return -1;
        n = await_reply(fd, id, in, reply, cap, now_ms() + wait);
        if (n != -2)
            return n;
        wait = udp_next_wait(wait);
    }
    errno = ETIMEDOUT;
    return -1;
}

ssize_t udp_request(int fd, uint32_t id, const void *req, size_t len, void *reply, size_t cap,
                    int timeout_ms, int retries)
{
    unsigned char *out, *in;
    ssize_t framed, n = -1;
    int saved;

    if ((req == NULL && len > 0) || (reply == NULL && cap > 0) || timeout_ms <= 0 ||
        retries < 0) {
        errno = EINVAL;
        return -1;
    }
    out = malloc(UDP_BUFFER_SIZE);
    in = malloc(UDP_BUFFER_SIZE);
    if (out == NULL || in == NULL) {
        free(out);
        free(in);
        errno = ENOMEM;
        return -1;
    }
    framed = udp_frame(id, req, len, out, UDP_BUFFER_SIZE);
    if (framed >= 0)
        n = exchange(fd, id, out, (size_t)framed, in, reply, cap, timeout_ms, retries);
    saved = errno;
    free(out);
    free(in);
    errno = saved;
    return n;
}
