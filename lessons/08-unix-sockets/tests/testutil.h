/* testutil.h - helpers of lesson 08's library tests alone: checks whose
 * messages name errno, and descriptors passed with the test's own
 * sendmsg() and recvmsg() (never the student's functions, so that each
 * task is graded on its own). Names, folders and addresses are in
 * names.h; what other lessons' tests use too (children, the SIGALRM
 * timer, descriptor counts, byte patterns, errno in words) is in
 * grader/include: sl_sockets.h and sl_util.h. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include "names.h"

#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "unix.h"

/* ---- errno in words, and checks that use them ------------------------------- */

/* The call expr must return -1 with errno err (errno is cleared first). */
#define TU_FAILS_WITH(expr, err)                                              \
    do {                                                                      \
        long long tu_ret_;                                                    \
        int tu_err_;                                                          \
        sl_stderr_capture_begin();   /* it prints nothing */                  \
        errno = 0;                                                            \
        tu_ret_ = (long long)(expr);                                          \
        tu_err_ = errno;                                                      \
        sl_stderr_capture_end(__FILE__, __LINE__, #expr);                     \
        if (tu_ret_ != -1 || tu_err_ != (err))                                \
            SL_FAIL("%s: expected -1 with errno %s, got %s", #expr,           \
                    sl_errno_text(err), sl_returned(tu_ret_, tu_err_));            \
    } while (0)

/* As TU_FAILS_WITH() for a call that returns a descriptor: one it
 * returned by mistake is closed, so that it is not counted as a leak. */
#define TU_FD_FAILS_WITH(expr, err)                                           \
    do {                                                                      \
        long long tu_ret_;                                                    \
        int tu_err_;                                                          \
        sl_stderr_capture_begin();   /* it prints nothing */                  \
        errno = 0;                                                            \
        tu_ret_ = (long long)(expr);                                          \
        tu_err_ = errno;                                                      \
        sl_stderr_capture_end(__FILE__, __LINE__, #expr);                     \
        if (tu_ret_ != -1 || tu_err_ != (err))                                \
            SL_FAIL("%s: expected -1 with errno %s, got %s", #expr,           \
                    sl_errno_text(err), sl_returned(tu_ret_, tu_err_));            \
        if (tu_ret_ > 2 && tu_ret_ < 65536)                                   \
            close((int)tu_ret_);                                              \
    } while (0)

/* The call expr must return a descriptor (0 or more), or the test ends. */
#define TU_REQUIRE_FD(var, expr)                                              \
    do {                                                                      \
        errno = 0;                                                            \
        (var) = (expr);                                                       \
        if ((var) < 0)                                                        \
            SL_FAIL_FATAL("%s returned %s: expected a descriptor", #expr,     \
                          sl_returned((var), errno));                         \
    } while (0)

/* Fails if this process has not `before` descriptors open: `what` left
 * some open (or closed one of the test's). */
#define TU_NO_FD_LEAK(before, what)                                           \
    do {                                                                      \
        int tu_now_ = sl_fd_count(0);                                         \
        if (tu_now_ > (before))                                               \
            SL_FAIL("%s left %d descriptor%s open (/proc/self/fd: every "     \
                    "descriptor a failed call made, or received, must be "    \
                    "closed)", (what), tu_now_ - (before),                    \
                    tu_now_ - (before) == 1 ? "" : "s");                      \
        else if (tu_now_ < (before))                                          \
            SL_FAIL("%s closed %d descriptor%s that were not its own",        \
                    (what), (before) - tu_now_,                               \
                    (before) - tu_now_ == 1 ? "" : "s");                      \
    } while (0)

/* The value of a socket option (SOL_SOCKET), or -1. */
static inline int tu_option(int fd, int option)
{
    int v = -1;
    socklen_t len = sizeof v;

    if (getsockopt(fd, SOL_SOCKET, option, &v, &len) < 0)
        return -1;
    return v;
}

/* "SOCK_STREAM" and friends, for messages. */
static inline const char *tu_type_name(int type)
{
    return type == SOCK_STREAM ? "SOCK_STREAM" : type == SOCK_DGRAM ? "SOCK_DGRAM"
         : type == SOCK_SEQPACKET ? "SOCK_SEQPACKET" : "another type";
}

/* ---- descriptors passed, by the test's own calls ------------------------------ */

/* A control buffer for the most descriptors a message may carry. */
typedef union tu_control {
    char buf[CMSG_SPACE(sizeof(int) * UX_MAX_FDS)];
    struct cmsghdr align;
} tu_control_t;

/* sendmsg() of buf with the n descriptors fds (n may be 0): what it returned. */
static inline ssize_t tu_send_fds(int sock, const void *buf, size_t len, const int *fds, size_t n)
{
    tu_control_t control;
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    struct msghdr msg;

    memset(&msg, 0, sizeof msg);
    memset(&control, 0, sizeof control);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (n > 0) {
        struct cmsghdr *c;

        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
        c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * n);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    }
    return sendmsg(sock, &msg, MSG_NOSIGNAL);
}

/* recvmsg() with room for every descriptor a message may carry: the
 * bytes into buf, the descriptors into fds (room for max; those beyond
 * are closed) and *n, msg_flags into *flags. Waits up to ms. */
static inline ssize_t tu_recv_fds(int sock, void *buf, size_t len, int *fds, size_t max,
                                  size_t *n, int *flags, int ms)
{
    tu_control_t control;
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    struct msghdr msg;
    struct pollfd p = {.fd = sock, .events = POLLIN};
    ssize_t got;

    *n = 0;
    *flags = 0;
    if (poll(&p, 1, sl_scaled_ms(ms)) <= 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    got = recvmsg(sock, &msg, MSG_DONTWAIT);
    if (got < 0)
        return -1;
    *flags = msg.msg_flags;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        for (size_t k = 0; k < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); k++) {
            int fd;

            memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof fd);
            if (*n < max)
                fds[(*n)++] = fd;
            else
                close(fd);
        }
    }
    return got;
}

/* A pipe of the test's: ends the test if it cannot. */
static inline void tu_pipe(int p[2])
{
    if (pipe(p) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
}

/* A socketpair of the test's: ends the test if it cannot. */
static inline void tu_socketpair(int type, int sv[2])
{
    if (socketpair(AF_UNIX, type, 0, sv) < 0)
        SL_FAIL_FATAL("test setup: socketpair: %s", strerror(errno));
}

/* Does fd lead to the pipe whose read end is rfd? Writes a word into fd
 * and reads it from rfd: 1 yes, 0 no. */
static inline int tu_writes_to(int fd, int rfd, const char *word)
{
    char buf[64];
    size_t len = strlen(word);
    struct pollfd p = {.fd = rfd, .events = POLLIN};

    if (write(fd, word, len) != (ssize_t)len || poll(&p, 1, sl_scaled_ms(1000)) <= 0)
        return 0;
    return read(rfd, buf, sizeof buf) == (ssize_t)len && memcmp(buf, word, len) == 0;
}

#endif
