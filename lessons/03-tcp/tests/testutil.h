/* testutil.h - helpers of lesson 03's library tests alone: TCP sockets
 * and connections made with plain system calls (never with the student's
 * functions, so that each task is graded on its own), a peer in a child
 * process, a silent server, and the checks whose messages name errno.
 * What other lessons' tests use too (addresses, descriptor counts,
 * children, the SIGALRM timer, byte patterns, errno in words) is in
 * grader/include: sl_sockets.h and sl_util.h.
 *
 * Every wait of the tests' own is scaled by SOCKLAB_TIMEOUT_SCALE
 * (sl_scaled_ms()), as the harness's deadlines are. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* strerrorname_np(): include this file first */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sl_harness.h"
#include "sl_checks.h"
#include "sl_sockets.h"
#include "sl_util.h"
#include "sl_test.h"
#include "tcp.h"

/* ---- addresses and sockets, by plain system calls ------------------------- */

/* The port of the peer of a connected socket (getpeername), or -1. */
static inline int tu_peer_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    return sl_port_in(&ss);
}

/* A socket of the test's listening on host (numeric) and a free port;
 * *port set to it. Ends the test if that fails. */
static inline int tu_listener(const char *host, int backlog, int *port)
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, host, 0);
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);

    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, backlog) < 0)
        SL_FAIL_FATAL("test setup: cannot listen on %s: %s", host, strerror(errno));
    *port = sl_port_of(fd);
    return fd;
}

/* A socket of the test's listening on host (numeric) and port, or -1
 * with errno (EADDRINUSE: the port is taken on that address). */
static inline int tu_listener_on(const char *host, int port, int backlog)
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, host, port);
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, backlog) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* A blocking connection of the test's to host:port, or -1 with errno. */
static inline int tu_connect(const char *host, int port)
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, host, port);
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* A connected pair over host: *client (the test's connect) and *server
 * (accepted). Both blocking. Ends the test if that fails. */
static inline void tu_pair(const char *host, int *client, int *server)
{
    int port, lfd = tu_listener(host, 1, &port);

    *client = tu_connect(host, port);
    *server = *client < 0 ? -1 : sl_accept_within(lfd, 2000);
    close(lfd);
    if (*client < 0 || *server < 0)
        SL_FAIL_FATAL("test setup: cannot connect over %s: %s", host, strerror(errno));
}

/* "A B" in a static buffer (one of a few used in turn): words for a message. */
static inline const char *tu_of_words(const char *a, const char *b)
{
    static char bufs[6][256];
    static unsigned next;
    char *o = bufs[next++ % 6];

    snprintf(o, sizeof bufs[0], "%s %s", a, b);
    return o;
}

/* ---- errno in words, and checks that use them ------------------------------- */

/* The call expr must return -1 with errno err (errno is cleared first). */
#define TU_FAILS_WITH(expr, err)                                              \
    do {                                                                      \
        errno = 0;                                                            \
        long long tu_ret_ = (long long)(expr);                                \
        int tu_err_ = errno;                                                  \
        if (tu_ret_ != -1 || tu_err_ != (err))                                \
            SL_FAIL("%s: expected -1 with errno %s, got %s", #expr,           \
                    sl_errno_text(err), sl_returned(tu_ret_, tu_err_));            \
    } while (0)

/* The hint for a tcp_listen() or tcp_connect() on host that failed with
 * err where it should have worked. */
static inline const char *tu_lookup_hint(const char *host, int err)
{
    if (err == ENXIO)
        return "getaddrinfo() found no address: pass hints.ai_family = AF_UNSPEC (AF_INET "
               "resolves IPv4 only, and ::1 is IPv6), ai_socktype = SOCK_STREAM, and map "
               "only a failed getaddrinfo() to ENXIO.";
    if (err == EAFNOSUPPORT || err == EINVAL || err == EPROTONOSUPPORT)
        return strchr(host, ':') ? "Make the socket with the family, type and protocol of "
                                   "the address getaddrinfo() returned (ai_family is "
                                   "AF_INET6 for ::1): a hard-coded AF_INET cannot bind or "
                                   "connect to it."
                                 : "Make the socket with ai_family, ai_socktype and "
                                   "ai_protocol of the address, and pass ai_addr and "
                                   "ai_addrlen to bind() or connect() as they are.";
    if (err == 0)
        return "Return -1 only with errno set: the error of the call that failed.";
    return NULL;
}

/* ---- a peer in a child process ------------------------------------------------
 * The child runs fn(fd, arg) and ends with _exit() (never exit(): that
 * would run the test's own exit handlers). The parent closes nothing. */

/* send() of all of buf for a child: ends the child if the peer is gone
 * (no check of the test's may run in a child). */
static inline void tu_child_send(int fd, const void *buf, size_t len)
{
    if (sl_send_all(fd, buf, len) < 0)
        _exit(1);
}

/* ---- a silent server ------------------------------------------------------------
 * A listener on loopback whose accept queue is full: a connection the test
 * made and never accepted fills it, so the kernel drops the SYN of the next
 * client, whose connect() hears nothing and waits (the kernel sends the SYN
 * again after 1 s, then later and later). Never an address off this
 * machine. tu_silent_wake() makes it answer after a while, so that a call
 * that never gives up by itself still ends, and the test can say so. */

typedef struct tu_silent {
    int lfd;       /* the listener */
    int port;      /* its port */
    int fill[2];   /* the connections that fill its queue */
    int nfill;
    pid_t waker;   /* the child of tu_silent_wake(), or 0 */
} tu_silent_t;

/* Is the accept queue of the listener lfd full? TCP_INFO of a listening
 * socket gives the queue's length (tcpi_unacked) and its backlog
 * (tcpi_sacked); Linux queues backlog + 1 connections. */
static inline int tu_queue_full(int lfd)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;

    return getsockopt(lfd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
           ti.tcpi_unacked > ti.tcpi_sacked;
}

/* Makes *s a silent server on host (numeric) and port (0: any free port):
 * 0, or -1 with errno (EADDRINUSE: that port is taken on host). */
static inline int tu_silent_on(tu_silent_t *s, const char *host, int port)
{
    s->nfill = 0;
    s->waker = 0;
    s->lfd = tu_listener_on(host, port, 0);
    if (s->lfd < 0 && port == 0)
        SL_FAIL_FATAL("test setup: cannot listen on %s: %s", host, strerror(errno));
    if (s->lfd < 0)
        return -1;
    s->port = sl_port_of(s->lfd);
    while (s->nfill < 2 && !tu_queue_full(s->lfd)) {
        struct sockaddr_storage ss;
        socklen_t len = sl_addr(&ss, host, s->port);
        int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

        if (fd < 0)
            break;
        connect(fd, (struct sockaddr *)&ss, len);
        s->fill[s->nfill++] = fd;
        for (int i = 0; i < 1000 && !tu_queue_full(s->lfd); i++)
            sl_sleep_ms(1);
    }
    if (!tu_queue_full(s->lfd))
        SL_FAIL_FATAL("test setup: the backlog of a listener on %s never filled up", host);
    return 0;
}

/* The waker: after `after_ms`, accepts every connection that comes (and
 * keeps it), so the queue has room for the next SYN the kernel sends. */
static inline void tu_silent_waker(int lfd, long after_ms)
{
    sl_sleep_ms((int)after_ms);
    for (;;)
        accept(lfd, NULL, NULL);
}

/* From `after_ms` (scaled) on, the silent server s answers: a client that
 * still waits connects when its kernel sends its SYN again. Call it before
 * the call under test (the child must not inherit that call's socket). */
static inline void tu_silent_wake(tu_silent_t *s, int after_ms)
{
    s->waker = sl_child(tu_silent_waker, s->lfd, sl_scaled_ms(after_ms));
}

static inline void tu_silent_close(tu_silent_t *s)
{
    if (s->waker > 0) {
        kill(s->waker, SIGKILL);
        waitpid(s->waker, NULL, 0);
        s->waker = 0;
    }
    for (int i = 0; i < s->nfill; i++)
        close(s->fill[i]);
    close(s->lfd);
}

/* ---- bytes ------------------------------------------------------------------- */

/* FNV-1a of len bytes, continued from h (start with 2166136261u). */
static inline uint32_t tu_hash(uint32_t h, const void *buf, size_t len)
{
    const unsigned char *p = buf;

    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

#endif
