/* testutil.h - helpers of lesson 04's library tests alone: UDP sockets
 * and datagrams made with plain system calls (never with the student's
 * functions, so that each task is graded on its own), an interval timer
 * whose signal can send a datagram of its own, and a scripted peer in a
 * child process that notes when each datagram came. What other lessons'
 * tests use too (addresses, descriptor counts, the timer, byte patterns)
 * is in grader/include: sl_sockets.h and sl_util.h. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sl_harness.h"
#include "sl_checks.h"
#include "sl_sockets.h"
#include "sl_util.h"
#include "sl_test.h"
#include "udp.h"

/* ---- words ----------------------------------------------------------------- */

/* "-1 with errno EINTR (Interrupted system call)" for what a call left. */
static inline const char *tu_result(long long ret, int err)
{
    static char bufs[4][160];
    static unsigned next;
    char *b = bufs[next++ % 4];

    if (ret < 0)
        snprintf(b, sizeof bufs[0], "%lld with errno %s (%s)", ret,
                 sl_errno_name(err) ? sl_errno_name(err) : "?", strerror(err));
    else
        snprintf(b, sizeof bufs[0], "%lld", ret);
    return b;
}

/* An errno in words: "EBADMSG (Bad message)", in a static buffer (one of a
 * few used in turn). */
static inline const char *tu_err(int err)
{
    static char bufs[4][96];
    static unsigned next;
    char *b = bufs[next++ % 4];

    snprintf(b, sizeof bufs[0], "%s (%s)", sl_errno_name(err) ? sl_errno_name(err) : "errno",
             strerror(err));
    return b;
}

/* The hint of a call that works over IPv4 and fails over IPv6. */
#define TU_FAMILY_HINT                                                         \
    "It works over IPv4 and fails over IPv6: is a family hard-coded? Ask getaddrinfo() "  \
    "for AF_UNSPEC (hints.ai_family), and give socket() the ai_family, ai_socktype and "   \
    "ai_protocol of each address it returns, never AF_INET."

/* The call expr returns -1 with errno err; what names it in words (the
 * report shows what, never the test's own expression). */
#define TU_FAILS_WITH(what, expr, err)                                        \
    do {                                                                      \
        errno = 0;                                                            \
        long long tu_ret_ = (long long)(expr);                                \
        int tu_err_ = errno;                                                  \
        sl_check_fails(__FILE__, __LINE__, 0, (what), tu_ret_, tu_err_, (err)); \
    } while (0)

/* ---- addresses, by plain system calls --------------------------------------- */

/* An address as text, "127.0.0.1:53" or "[::1]:53", in a static buffer
 * (one of a few used in turn); written by the test, with getnameinfo(). */
static inline const char *tu_text(const struct sockaddr_storage *ss, socklen_t len)
{
    static char out[6][80];
    static unsigned next;
    char *o = out[next++ % 6], host[64], serv[16];

    if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(o, sizeof out[0], "(an address of family %d)", ss->ss_family);
    else
        snprintf(o, sizeof out[0], ss->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, serv);
    return o;
}

/* Where socket fd is bound, as text. */
static inline const char *tu_where(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return "(not bound)";
    return tu_text(&ss, len);
}

/* Do two addresses have the same family, address and port? */
static inline int tu_same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family || sl_port_in(a) != sl_port_in(b))
        return 0;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                  &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

/* ---- the test's own UDP sockets --------------------------------------------- */

/* A UDP socket of the test's bound to host (numeric) and port (0: a free
 * one). Ends the test if that fails. */
static inline int tu_udp_bound(const char *host, int port)
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, host, port);
    int fd = socket(ss.ss_family, SOCK_DGRAM, 0);

    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0)
        SL_FAIL_FATAL("test setup: cannot bind a UDP socket to %s port %d: %s", host, port,
                      tu_err(errno));
    return fd;
}

static inline int tu_udp(const char *host)
{
    return tu_udp_bound(host, 0);
}

/* The address of socket fd (getsockname). */
static inline socklen_t tu_name_of(int fd, struct sockaddr_storage *ss)
{
    socklen_t len = sizeof *ss;

    if (getsockname(fd, (struct sockaddr *)ss, &len) < 0)
        SL_FAIL_FATAL("test setup: getsockname: %s", tu_err(errno));
    return len;
}

/* Sends one datagram from the test's socket fd to the socket `to`. */
static inline void tu_send_to(int fd, const void *buf, size_t len, int to)
{
    struct sockaddr_storage ss;
    socklen_t sl = tu_name_of(to, &ss);

    if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl) != (ssize_t)len)
        SL_FAIL_FATAL("test: sendto %s: %s", tu_where(to), tu_err(errno));
}

/* Receives one datagram on the test's socket fd within ms: its whole
 * length (MSG_TRUNC: maybe more than cap), or -1 if none came; *from is
 * the sender when from is not NULL. The test's own recvfrom(), never the
 * student's. */
static inline long tu_recv(int fd, void *buf, size_t cap, int ms, struct sockaddr_storage *from)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);

    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int left = (int)(end - sl_now_ms());
        ssize_t n;

        if (left <= 0 || poll(&p, 1, left) <= 0)
            return -1;
        n = recvfrom(fd, buf, cap, MSG_TRUNC | MSG_DONTWAIT, (struct sockaddr *)&ss, &len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return -1;
        if (from)
            *from = ss;
        return (long)n;
    }
}

/* Sets a receive timeout of ms (scaled) on fd, so that a call of the
 * student's that would wait for ever ends with EAGAIN instead. */
static inline void tu_recv_timeout(int fd, int ms)
{
    int scaled = sl_scaled_ms(ms);
    struct timeval tv = {scaled / 1000, (scaled % 1000) * 1000};

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static inline void tu_nonblocking(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* A library function prints nothing (udp.h): the tests check it with the
 * grader's sl_stderr_capture_begin() / sl_stderr_capture_end() (sl_test.h),
 * which keep a sanitizer's report and its verdict when it ends the test
 * inside the call. */

/* ---- a signal that interrupts system calls ------------------------------------
 * SIGALRM every interval_us, with a handler installed without SA_RESTART:
 * a blocking call it interrupts fails with EINTR. The handler can also
 * send one datagram at a given tick (sendto() is async-signal-safe), so
 * that a blocking receive is interrupted many times before its datagram
 * comes; and it stops the timer itself after a number of ticks. */

static int tu_tick_send_at = -1, tu_tick_stop_at = -1, tu_tick_fd = -1;
static const void *tu_tick_buf;
static size_t tu_tick_len;
static struct sockaddr_storage tu_tick_to;
static socklen_t tu_tick_tolen;

static inline void tu_on_tick(int sig)
{
    int saved = errno;

    (void)sig;
    sl_ticks++;
    if (sl_ticks == tu_tick_send_at)
        sendto(tu_tick_fd, tu_tick_buf, tu_tick_len, 0, (struct sockaddr *)&tu_tick_to,
               tu_tick_tolen);
    if (sl_ticks == tu_tick_stop_at) {
        struct itimerval off;

        memset(&off, 0, sizeof off);
        setitimer(ITIMER_REAL, &off, NULL);   /* a plain system call on Linux */
    }
    errno = saved;
}

/* Starts the timer: a tick every interval_us; at tick send_at (or never,
 * -1) the datagram buf goes from fd to the socket `to`; at tick stop_at
 * (or never, -1) the timer stops. */
static inline void tu_timer_start(long interval_us, int send_at, int fd, const void *buf,
                                  size_t len, int to, int stop_at)
{
    tu_tick_send_at = send_at;
    tu_tick_stop_at = stop_at;
    tu_tick_fd = fd;
    tu_tick_buf = buf;
    tu_tick_len = len;
    if (send_at >= 0)
        tu_tick_tolen = tu_name_of(to, &tu_tick_to);
    sl_timer_start_on(tu_on_tick, interval_us, interval_us);
}

/* ---- a scripted peer in a child process ----------------------------------------
 * The peer owns a UDP socket on the loopback address of the test; for each
 * datagram it receives it writes a note to a pipe (when it came, by the
 * kernel's clock of arrival, and its first bytes), then does what its
 * script says: answer, answer twice, answer with another id, keep quiet...
 * The child never runs a check of the test's (it ends with _exit()). */

#define TU_NOTE_BYTES 48
#define TU_NOTES 64

/* What the peer saw of one datagram. */
typedef struct tu_note {
    double at_ms;                       /* when it came, since the peer was started */
    size_t len;                         /* its length */
    unsigned char head[TU_NOTE_BYTES];  /* its first bytes */
} tu_note_t;

/* A peer's script: called in the child for the k-th datagram (k from 0). */
typedef void (*tu_script_t)(int fd, int k, const unsigned char *d, size_t len,
                            const struct sockaddr *from, socklen_t fromlen, long arg);

typedef struct tu_peer {
    pid_t pid;
    int port;                     /* where it receives */
    int notes_fd;                 /* read end of its notes */
    tu_note_t note[TU_NOTES];     /* read by tu_peer_stop() */
    int count;                    /* how many */
} tu_peer_t;

/* Reads the id of a datagram that starts with digits and a space (the
 * test's own parse, not the student's): the id, or -1. */
static inline long tu_id_of(const unsigned char *d, size_t len)
{
    long v = 0;
    size_t i = 0;

    while (i < len && i < 10 && d[i] >= '0' && d[i] <= '9')
        v = v * 10 + (d[i++] - '0');
    return i > 0 && i < len && d[i] == ' ' ? v : -1;
}

/* Sends `id payload` to `to`, from the child's socket. */
static inline void tu_peer_reply(int fd, long id, const void *payload, size_t len,
                                 const struct sockaddr *to, socklen_t tolen)
{
    static unsigned char out[UDP_BUFFER_SIZE];
    int h = snprintf((char *)out, 16, "%ld ", id);

    if (len > sizeof out - (size_t)h)
        len = sizeof out - (size_t)h;
    memcpy(out + h, payload, len);
    sendto(fd, out, (size_t)h + len, 0, to, tolen);
}

/* The child: receives (the socket has SO_TIMESTAMPNS), notes, runs the
 * script, until nothing came for 3 s (or it is killed). t0: when the test
 * started the peer (CLOCK_REALTIME, the clock of the stamps), before the
 * fork: no datagram of the student's code can come before it, so no time
 * of arrival is negative, however late the child runs. */
static inline void tu_peer_loop(int fd, int notes, tu_script_t script, long arg,
                                struct timespec t0)
{
    static unsigned char buf[UDP_BUFFER_SIZE];

    for (int k = 0;; k++) {
        union { struct cmsghdr align; char space[CMSG_SPACE(sizeof(struct timespec))]; } cbuf;
        struct sockaddr_storage from;
        struct iovec iov = {buf, sizeof buf};
        struct msghdr msg;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        struct timespec at = t0;
        tu_note_t note;
        ssize_t n;

        if (poll(&p, 1, 3000) <= 0)
            return;
        memset(&msg, 0, sizeof msg);
        msg.msg_name = &from;
        msg.msg_namelen = sizeof from;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf.space;
        msg.msg_controllen = sizeof cbuf.space;
        n = recvmsg(fd, &msg, MSG_DONTWAIT);
        if (n < 0) {
            k--;
            continue;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
                memcpy(&at, CMSG_DATA(c), sizeof at);
        memset(&note, 0, sizeof note);
        note.at_ms = (at.tv_sec - t0.tv_sec) * 1000.0 + (at.tv_nsec - t0.tv_nsec) / 1e6;
        note.len = (size_t)n;
        memcpy(note.head, buf, (size_t)n < sizeof note.head ? (size_t)n : sizeof note.head);
        if (write(notes, &note, sizeof note) != (ssize_t)sizeof note)
            _exit(1);
        script(fd, k, buf, (size_t)n, (struct sockaddr *)&from, msg.msg_namelen, arg);
    }
}

/* Starts a peer on host (numeric) that runs script. */
static inline void tu_peer_start(tu_peer_t *pr, const char *host, tu_script_t script, long arg)
{
    int fd = tu_udp(host), pipefd[2];
    struct timespec t0;

    memset(pr, 0, sizeof *pr);
    pr->port = sl_port_of(fd);
    /* Before the fork, so that the first datagram is stamped on arrival,
     * however late the child runs (a datagram that came before the option
     * was set would be stamped when it is read). */
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &(int){1}, sizeof(int));
    sl_wait_stamps(fd);
    if (pipe(pipefd) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", tu_err(errno));
    fflush(NULL);
    clock_gettime(CLOCK_REALTIME, &t0);
    pr->pid = fork();
    if (pr->pid < 0)
        SL_FAIL_FATAL("test setup: fork: %s", tu_err(errno));
    if (pr->pid == 0) {
        struct itimerval off;

        memset(&off, 0, sizeof off);
        setitimer(ITIMER_REAL, &off, NULL);
        close(pipefd[0]);
        tu_peer_loop(fd, pipefd[1], script, arg, t0);
        _exit(0);
    }
    close(fd);
    close(pipefd[1]);
    pr->notes_fd = pipefd[0];
    sl_note("the test's peer listens on %s%s%s:%d", strchr(host, ':') ? "[" : "", host,
            strchr(host, ':') ? "]" : "", pr->port);
}

/* A UDP socket of the test's, connected to the peer (with plain
 * connect(), not the student's udp_connect()). */
static inline int tu_connected_to(const char *host, int port)
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, host, port);
    int fd = socket(ss.ss_family, SOCK_DGRAM, 0);

    if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) < 0)
        SL_FAIL_FATAL("test setup: cannot connect a UDP socket to %s port %d: %s", host, port,
                      tu_err(errno));
    return fd;
}

/* Stops the peer and reads what it noted. */
static inline void tu_peer_stop(tu_peer_t *pr)
{
    tu_note_t note;

    if (pr->pid > 0) {
        kill(pr->pid, SIGKILL);
        waitpid(pr->pid, NULL, 0);
        pr->pid = 0;
    }
    while (pr->notes_fd >= 0 && read(pr->notes_fd, &note, sizeof note) == (ssize_t)sizeof note)
        if (pr->count < TU_NOTES)
            pr->note[pr->count++] = note;
    if (pr->notes_fd >= 0)
        close(pr->notes_fd);
    pr->notes_fd = -1;
    for (int i = 0; i < pr->count; i++)
        sl_note("the peer got datagram %d at %.0f ms after it was started (the kernel's time "
                "of arrival): %zu bytes %s", i + 1, pr->note[i].at_ms,
                pr->note[i].len,
                sl_bytes_brief(pr->note[i].head, pr->note[i].len < TU_NOTE_BYTES ? pr->note[i].len
                                                                           : TU_NOTE_BYTES));
}

#endif
