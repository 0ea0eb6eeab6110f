/* ccutil.h - helpers shared by the tests of lesson 06: sockets made with
 * plain system calls (never with the student's functions, so that each
 * task is graded on its own), children and threads counted in /proc, and
 * many clients at once driven by one poll() loop. The library tests and
 * the program tests both use it; the program tests call nothing of
 * concurrency.h (they read its constants only). */
#ifndef CCUTIL_H
#define CCUTIL_H

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "concurrency.h"
#include "sl_checks.h"
#include "sl_harness.h"
#include "sl_test.h"

/* ---- errno by name ----------------------------------------------------------- */

/* An errno value as a student reads it: "ENOTTY", "0" for none. */
static inline const char *cu_errno(int err)
{
    const char *name = sl_errno_name(err);

    return err == 0 ? "0 (none)" : name != NULL ? name : "an unknown errno";
}

/* errno got should be want: a failure that names both, never numbers. */
#define CU_CHECK_ERRNO(what, got, want) cu_check_errno(__FILE__, __LINE__, (what), (got), (want))

static inline int cu_check_errno(const char *file, int line, const char *what, int got, int want)
{
    if (got == want)
        return 1;
    sl_fail_at(file, line, 0, "%s: expected %s, got %s", what, cu_errno(want), cu_errno(got));
    return 0;
}

/* ---- sockets -------------------------------------------------------------- */

/* A listening socket on 127.0.0.1, port chosen by the kernel: *port. */
static inline int cu_listener(int *port, int nonblocking)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    int fd = socket(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0), 0);

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(fd, 256) < 0 ||
        getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
        SL_FAIL_FATAL("test setup: cannot listen on 127.0.0.1: %s", strerror(errno));
    *port = ntohs(sin.sin_port);
    return fd;
}

/* A socket connected (blocking) to host:port, from source address src
 * (NULL: any), or -1 with errno. */
static inline int cu_connect_from(const char *host, int port, const char *src)
{
    struct sockaddr_storage ss, from;
    socklen_t len, flen;
    int v6 = strchr(host, ':') != NULL, fd;

    memset(&ss, 0, sizeof ss);
    memset(&from, 0, sizeof from);
    if (v6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)port);
        inet_pton(AF_INET6, host, &s6->sin6_addr);
        len = sizeof *s6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

        s4->sin_family = AF_INET;
        s4->sin_port = htons((unsigned short)port);
        inet_pton(AF_INET, host, &s4->sin_addr);
        len = sizeof *s4;
    }
    fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (src != NULL) {
        struct sockaddr_in *f4 = (struct sockaddr_in *)&from;

        f4->sin_family = AF_INET;
        inet_pton(AF_INET, src, &f4->sin_addr);
        flen = sizeof *f4;
        if (bind(fd, (struct sockaddr *)&from, flen) < 0) {
            close(fd);
            return -1;
        }
    }
    if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
        int err = errno;

        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

/* Connected to 127.0.0.1:port, or the test ends. */
static inline int cu_connect(int port)
{
    int fd = cu_connect_from("127.0.0.1", port, NULL);

    if (fd < 0)
        SL_FAIL_FATAL("test setup: cannot connect to 127.0.0.1:%d: %s", port, strerror(errno));
    return fd;
}

/* Sets a receive timeout on fd (so that a test never waits for ever). */
static inline void cu_timeout(int fd, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

/* Reads until EOF, the timeout (ms, per read) or cap bytes: how many came;
 * *eof says how it ended: 1 the end of the stream, 2 a reset (a socket
 * closed with bytes unread sends one), 0 neither (the timeout). */
static inline size_t cu_read_all(int fd, char *buf, size_t cap, int ms, int *eof)
{
    size_t got = 0;

    cu_timeout(fd, ms);
    *eof = 0;
    while (got < cap) {
        ssize_t n = recv(fd, buf + got, cap - got, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *eof = n == 0 ? 1 : errno == ECONNRESET ? 2 : 0;
            break;
        }
        got += (size_t)n;
    }
    return got;
}

/* ---- /proc: children, zombies, threads -------------------------------------- */

/* How many processes whose parent is ppid are zombies (state Z); *all:
 * how many children it has at all. */
static inline int cu_zombies(pid_t ppid, int *all)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int z = 0, n = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char path[300], buf[512], state;
        const char *close_paren;
        int pp;
        FILE *f;

        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        if ((f = fopen(path, "r")) == NULL)
            continue;
        buf[0] = '\0';
        if (fgets(buf, sizeof buf, f) == NULL)
            buf[0] = '\0';
        fclose(f);
        close_paren = strrchr(buf, ')');   /* the name may hold spaces and ')' */
        if (close_paren == NULL || sscanf(close_paren + 1, " %c %d", &state, &pp) != 2 ||
            pp != ppid)
            continue;
        n++;
        if (state == 'Z')
            z++;
    }
    closedir(d);
    if (all != NULL)
        *all = n;
    return z;
}

/* The pid of one child of ppid that is not a zombie, or -1. */
static inline pid_t cu_live_child(pid_t ppid)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t found = -1;

    if (d == NULL)
        return -1;
    while (found < 0 && (e = readdir(d)) != NULL) {
        char path[300], buf[512], state;
        const char *close_paren;
        int pp;
        FILE *f;

        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        if ((f = fopen(path, "r")) == NULL)
            continue;
        if (fgets(buf, sizeof buf, f) == NULL)
            buf[0] = '\0';
        fclose(f);
        close_paren = strrchr(buf, ')');
        if (close_paren != NULL && sscanf(close_paren + 1, " %c %d", &state, &pp) == 2 &&
            pp == ppid && state != 'Z')
            found = (pid_t)atoi(e->d_name);
    }
    closedir(d);
    return found;
}

/* How many mappings process pid has (lines of /proc/PID/maps), or -1. A
 * thread's stack is one or two (its guard page), and stays until the
 * thread is joined or, detached, has ended. */
static inline long cu_maps(pid_t pid)
{
    char path[64], line[512];
    long n = 0;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (strchr(line, '\n') != NULL)
            n++;
    fclose(f);
    return n;
}

/* How many threads process pid has (/proc/PID/task), or -1. */
static inline int cu_threads(pid_t pid)
{
    char path[64];
    DIR *d;
    struct dirent *e;
    int n = 0;

    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    if ((d = opendir(path)) == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (isdigit((unsigned char)e->d_name[0]))
            n++;
    closedir(d);
    return n;
}

/* ---- many clients at once ----------------------------------------------------- */

/* One of many clients: its socket, what it sent, what came back. */
typedef struct cu_peer {
    int fd;
    char out[48];
    size_t out_len;
    char in[64];
    size_t in_len;
    int eof;     /* the server closed */
    int error;   /* errno of a failure, 0 if none */
} cu_peer_t;

/* Connects n clients to host:port (each a blocking connect: they complete
 * in the kernel's backlog, whether the server accepts or not). Ends the
 * test if one cannot connect. */
static inline cu_peer_t *cu_peers_connect(const char *host, int port, int n)
{
    cu_peer_t *p = calloc((size_t)n, sizeof *p);

    if (p == NULL)
        SL_FAIL_FATAL("test setup: out of memory");
    for (int i = 0; i < n; i++) {
        p[i].fd = cu_connect_from(host, port, NULL);
        if (p[i].fd < 0)
            SL_FAIL_FATAL("client %d of %d could not connect to [%s]:%d: %s", i + 1, n, host,
                          port, strerror(errno));
        p[i].out_len = (size_t)snprintf(p[i].out, sizeof p[i].out, "client %04d says hi\n", i);
    }
    return p;
}

/* Each client sends its line and half-closes; then all are read together
 * until each has its EOF or ms pass. Returns how many got exactly their
 * own line back, then EOF. */
static inline int cu_peers_echo(cu_peer_t *p, int n, int ms)
{
    struct pollfd *pf = calloc((size_t)n, sizeof *pf);
    double end = sl_now_ms() + sl_scaled_ms(ms);
    int open = 0, good = 0;

    for (int i = 0; i < n; i++) {
        if (send(p[i].fd, p[i].out, p[i].out_len, MSG_NOSIGNAL) < 0 || shutdown(p[i].fd, SHUT_WR) < 0)
            p[i].error = errno;
        fcntl(p[i].fd, F_SETFL, fcntl(p[i].fd, F_GETFL) | O_NONBLOCK);
    }
    for (;;) {
        open = 0;
        for (int i = 0; i < n; i++)
            if (!p[i].eof && !p[i].error) {
                pf[open].fd = p[i].fd;
                pf[open].events = POLLIN;
                pf[open++].revents = 0;
            }
        if (open == 0 || sl_now_ms() >= end)
            break;
        if (poll(pf, (nfds_t)open, 50) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < n; i++) {
            ssize_t r;

            if (p[i].eof || p[i].error)
                continue;
            r = recv(p[i].fd, p[i].in + p[i].in_len, sizeof p[i].in - p[i].in_len, 0);
            if (r > 0)
                p[i].in_len += (size_t)r;
            else if (r == 0 || p[i].in_len == sizeof p[i].in)
                p[i].eof = 1;
            else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                p[i].error = errno;
        }
    }
    free(pf);
    for (int i = 0; i < n; i++)
        if (p[i].eof && p[i].in_len == p[i].out_len && memcmp(p[i].in, p[i].out, p[i].out_len) == 0)
            good++;
    return good;
}

/* The first client that did not get exactly its own line then EOF, in
 * words; NULL if all did. */
static inline const char *cu_peers_first_bad(const cu_peer_t *p, int n)
{
    static char out[400];

    for (int i = 0; i < n; i++) {
        if (p[i].eof && p[i].in_len == p[i].out_len && memcmp(p[i].in, p[i].out, p[i].out_len) == 0)
            continue;
        snprintf(out, sizeof out, "client %d sent %s and got %s, then %s", i,
                 sl_bytes(p[i].out, p[i].out_len), sl_bytes(p[i].in, p[i].in_len),
                 p[i].eof ? "the end of the stream" : p[i].error ? strerror(p[i].error) :
                 "nothing more (no end of the stream)");
        return out;
    }
    return NULL;
}

/* Did every client get its own line back, yet not the end of the stream? */
static inline int cu_peers_no_eof(const cu_peer_t *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i].eof || p[i].in_len != p[i].out_len || memcmp(p[i].in, p[i].out, p[i].out_len) != 0)
            return 0;
    return 1;
}

/* Is some client's echo another client's line? (A request that was served
 * with the socket of another: a connection handed to a thread through a
 * variable the next accept overwrote.) */
static inline int cu_peers_crossed(const cu_peer_t *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i].in_len > 0 && (p[i].in_len != p[i].out_len ||
                                memcmp(p[i].in, p[i].out, p[i].out_len) != 0) &&
            strncmp(p[i].in, "client ", 7) == 0)
            return 1;
    return 0;
}

static inline void cu_peers_free(cu_peer_t *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i].fd >= 0)
            close(p[i].fd);
    free(p);
}

/* ---- the servers ---------------------------------------------------------------- */

/* Starts server name on host with args, or ends the test. */
#define CU_START(s, name, host, args)                                          \
    do {                                                                      \
        if (sl_server_start((s), (name), (host), (args)) < 0)                \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/* Everything server s printed so far, read in. */
static inline void cu_drain(sl_server_t *s)
{
    sl_prog_read(&s->prog, NULL, sl_deadline(0));
}

/* Ends the test if server s has ended (a crash, an exit), saying how. */
static inline void cu_still_running(sl_server_t *s, const char *after)
{
    char how[SL_PROG_HOW_MAX];

    cu_drain(s);
    if (!s->prog.ended && kill(s->prog.pid, 0) == 0)
        return;
    sl_prog_check_todo(&s->prog);
    SL_FAIL_FATAL("%s %s after %s; its stderr: %s", s->prog.name,
                  sl_prog_how(&s->prog, how, sizeof how), after,
                  sl_bytes(s->prog.err.data, s->prog.err.len));
}

/* One client: sends text, half-closes, expects text back then EOF. */
static inline void cu_echo_once(sl_server_t *s, const char *text, int ms)
{
    sl_conn_t c;

    SL_CONNECT(&c, s);
    SL_SEND(&c, text);
    if (sl_conn_shutdown(&c) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    SL_EXPECT(&c, text, ms);
    if (sl_conn_expect_eof(&c, ms) < 0) {
        if (strstr(s->prog.name, "fork") != NULL)
            SL_FAIL_FATAL("the parent not closing the connection: the client half-closed and "
                          "got its echo, but no end of the stream within %d ms: the child has "
                          "ended, and the parent's copy of the socket keeps the connection "
                          "open (%s)", sl_scaled_ms(ms), sl_harness_error());
        sl_harness_fail(__FILE__, __LINE__);
    }
    sl_conn_close(&c);
}

#endif
