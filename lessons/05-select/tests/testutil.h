/* testutil.h - helpers of lesson 05's library tests alone: connected
 * sockets and descriptors at chosen numbers, made with plain system calls
 * (never with the student's functions, so that each task is graded on its
 * own), and heap blocks filled for AddressSanitizer. What other lessons'
 * tests use too (the SIGALRM timer, blocks, byte patterns) is in
 * grader/include: sl_sockets.h and sl_util.h. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "select.h"
#include "sl_harness.h"
#include "sl_checks.h"
#include "sl_sockets.h"
#include "sl_util.h"
#include "sl_test.h"

/* ---- sockets and descriptors, by plain system calls ------------------------- */

/* A connected TCP pair over 127.0.0.1: *a (the test's connect) and *b
 * (accepted), both blocking. Ends the test if that fails. */
static inline void tu_pair(int *a, int *b)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 1) < 0 ||
        getsockname(lfd, (struct sockaddr *)&sin, &len) < 0)
        SL_FAIL_FATAL("test setup: cannot listen on 127.0.0.1: %s", strerror(errno));
    *a = socket(AF_INET, SOCK_STREAM, 0);
    if (*a < 0 || connect(*a, (struct sockaddr *)&sin, sizeof sin) < 0)
        SL_FAIL_FATAL("test setup: cannot connect over 127.0.0.1: %s", strerror(errno));
    *b = accept(lfd, NULL, NULL);
    close(lfd);
    if (*b < 0)
        SL_FAIL_FATAL("test setup: accept: %s", strerror(errno));
}

/* A copy of fd at the lowest free number of at least min (fcntl
 * F_DUPFD), or the test ends. */
static inline int tu_dup_from(int fd, int min)
{
    int d = fcntl(fd, F_DUPFD, min);

    if (d < 0)
        SL_FAIL_FATAL("test setup: cannot copy a descriptor to %d or above: %s", min,
                      strerror(errno));
    return d;
}

/* A copy of fd at exactly number at (which must be free), or the test ends. */
static inline int tu_dup_at(int fd, int at)
{
    if (fcntl(at, F_GETFD) >= 0)
        SL_FAIL_FATAL("test setup: descriptor %d is in use already", at);
    if (dup2(fd, at) != at)
        SL_FAIL_FATAL("test setup: cannot copy a descriptor to %d: %s", at, strerror(errno));
    return at;
}

/* The highest descriptor number this process may open, at most cap. */
static inline int tu_fd_limit(int cap)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
        return cap;
    return (long long)rl.rlim_cur - 1 < cap ? (int)rl.rlim_cur - 1 : cap;
}

/* Waits until fd is readable (the test's own poll()), at most ms: 1 or 0. */
static inline int tu_wait_readable(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    return poll(&p, 1, ms) > 0;
}

/* ---- memory ------------------------------------------------------------------ */

/* A block of sl_alloc() (exactly len bytes, under AddressSanitizer's
 * eye), filled with fill; free it with sl_free(). */
static inline void *tu_alloc(size_t len, int fill)
{
    void *p = sl_alloc(len);

    memset(p, fill, len);
    return p;
}

/* ---- bytes ------------------------------------------------------------------- */

/* The bytes waiting in a buffer, for messages. */
static inline const char *tu_waiting(const mux_buf_t *b)
{
    return b->data ? sl_bytes_brief(b->data + b->start, b->end - b->start) : "(nothing)";
}

/* How many bytes wait in a buffer. */
static inline size_t tu_len(const mux_buf_t *b)
{
    return b->end - b->start;
}

#endif
