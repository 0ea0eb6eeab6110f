/* progutil.h - helpers shared by the program tests of lesson 03 (the files
 * with SL_TASK_PROGRAMS). They drive the programs over sockets and pipes
 * with the harness (sl_harness.h) and plain system calls, and call no
 * function of tcp.h: these tests run with no student code in their
 * process. */
#ifndef PROGUTIL_H
#define PROGUTIL_H

#include <dirent.h>
#include <limits.h>
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sl_harness.h"
#include "sl_test.h"

#define GREETING "Thank you for connecting\n"

/* ---- time ------------------------------------------------------------------ */

static inline double pu_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static inline void pu_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* ---- words ---------------------------------------------------------------- */

/* The port of a server as text, in a static buffer (one of a few in turn). */
static inline const char *pu_port(int port)
{
    static char bufs[4][8];
    static unsigned next;
    char *b = bufs[next++ % 4];

    snprintf(b, sizeof bufs[0], "%d", port);
    return b;
}

/* Bytes as a student reads them (sl_show()), in a static buffer. */
static inline const char *pu_show(const void *buf, size_t len)
{
    static char out[4][256];
    static unsigned next;
    char *o = out[next++ % 4];

    return sl_show(buf, len, 60, o, sizeof out[0]);
}

/* ---- servers --------------------------------------------------------------- */

/* The last line of what a program printed on stderr, for a sentence:
 * ": LINE", or "" if it printed nothing. */
static inline const char *pu_last_words(const sl_prog_t *p)
{
    static char out[300];
    size_t end = p->err.len, start;

    while (end > 0 && (p->err.data[end - 1] == '\n' || p->err.data[end - 1] == ' '))
        end--;
    start = end;
    while (start > 0 && p->err.data[start - 1] != '\n')
        start--;
    if (end == start)
        return "";
    snprintf(out, sizeof out, ": its last words: %s", pu_show(p->err.data + start, end - start));
    return out;
}

/* If server s has ended (crashed, exited), ends the test saying how, after
 * `said` (what went wrong, or what the server had just been through). */
static inline void pu_if_ended(sl_server_t *s, const char *said, const char *file, int line)
{
    char how[128];

    sl_prog_read(&s->prog, NULL, sl_deadline(0));
    if (!s->prog.ended)
        return;
    sl_prog_check_todo(&s->prog);
    sl_prog_how(&s->prog, how, sizeof how);
    if (WIFSIGNALED(s->prog.status) && WTERMSIG(s->prog.status) == SIGPIPE)
        sl_fail_at(file, line, 1, "%s: %s %s: a send() to a client that has gone raised "
                   "SIGPIPE, which kills the process; send with MSG_NOSIGNAL (tcp_send_all() "
                   "does)", said, s->prog.name, how);
    else
        sl_fail_at(file, line, 1, "%s: %s %s%s; a server drops a bad client and serves the "
                   "next one", said, s->prog.name, how, pu_last_words(&s->prog));
}

/* Ends the test if server s has ended: it must go on serving after `after`. */
#define PU_STILL_SERVING(s, after)                                            \
    do {                                                                      \
        char pu_after_[200];                                                  \
        snprintf(pu_after_, sizeof pu_after_, "after %s", (after));           \
        pu_sleep_ms(30);                                                      \
        pu_if_ended((s), pu_after_, __FILE__, __LINE__);                      \
    } while (0)

/* A harness step with server s failed: ends the test with the harness's
 * sentence, and with how the server ended if it did (the usual reason). */
static inline void pu_step_failed(sl_server_t *s, const char *file, int line)
{
    char said[1024];

    snprintf(said, sizeof said, "%s", sl_harness_error());
    pu_sleep_ms(50);   /* a server that is dying: let it end */
    pu_if_ended(s, said, file, line);
    sl_fail_at(file, line, 1, "%s", said);
}

/* The harness's checks, with the server named: a failure says whether the
 * server had died. */
#define PU_CONNECT(c, s)                                                      \
    do {                                                                      \
        if (sl_conn_open((c), (s), sl_deadline(SL_CONNECT_MS)) < 0)           \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)
#define PU_SEND_BYTES(c, s, buf, len)                                         \
    do {                                                                      \
        if (sl_conn_send((c), (buf), (len), sl_deadline(SL_SEND_MS)) < 0)     \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)
#define PU_SEND(c, s, text) PU_SEND_BYTES((c), (s), (text), strlen(text))
#define PU_EXPECT_BYTES(c, s, buf, len, ms)                                   \
    do {                                                                      \
        if (sl_conn_expect((c), (buf), (len), (ms)) < 0)                      \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)
#define PU_EXPECT(c, s, text, ms) PU_EXPECT_BYTES((c), (s), (text), strlen(text), (ms))
#define PU_EXPECT_EOF(c, s, ms)                                               \
    do {                                                                      \
        if (sl_conn_expect_eof((c), (ms)) < 0)                                \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)
#define PU_SHUTDOWN(c, s)                                                     \
    do {                                                                      \
        if (sl_conn_shutdown(c) < 0)                                          \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)

/* Stops the server; it must exit with status 0 (a crash is named). */
#define PU_STOP(s) SL_SERVER_STOP(s)

/* The server's open descriptors (/proc/PID/fd), or -1. */
static inline int pu_fd_count(pid_t pid)
{
    char path[64];
    struct dirent *e;
    DIR *d;
    int n = 0;

    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    d = opendir(path);
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

/* One complete exchange with server s: connect, send text, expect it
 * back, half-close, expect the end. */
#define PU_ECHO_ONCE(s, text)                                                 \
    do {                                                                      \
        sl_conn_t pu_c_;                                                      \
        PU_CONNECT(&pu_c_, (s));                                              \
        PU_SEND(&pu_c_, (s), (text));                                         \
        PU_EXPECT(&pu_c_, (s), (text), 2000);                                 \
        PU_SHUTDOWN(&pu_c_, (s));                                             \
        PU_EXPECT_EOF(&pu_c_, (s), 2000);                                     \
        sl_conn_close(&pu_c_);                                                \
    } while (0)

/* ---- an echo server of the test's own ------------------------------------------
 * A correct iterative echo server in a child process, built from plain
 * system calls: the echo client's tests run against it, so that they grade
 * the client alone, whatever state the student's echo-server is in. */

static inline void pu_echo_serve(int lfd)
{
    char buf[16384];

    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        ssize_t n;

        if (fd < 0)
            continue;
        while ((n = recv(fd, buf, sizeof buf, 0)) != 0) {
            ssize_t off = 0;

            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                break;
            while (off < n) {
                ssize_t w = send(fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0)
                    break;
                off += w;
            }
            if (off < n)
                break;
        }
        close(fd);
    }
}

/* Starts the test's echo server on host (numeric): its pid; *port is
 * where it listens. Stop it with pu_echo_stop(). */
static inline pid_t pu_echo_start(const char *host, int *port)
{
    struct addrinfo hints, *res;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int lfd, one = 1;
    pid_t pid;

    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, "0", &hints, &res) != 0)
        SL_FAIL_FATAL("test setup: \"%s\" is not an address", host);
    lfd = socket(res->ai_family, SOCK_STREAM, 0);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (lfd < 0 || bind(lfd, res->ai_addr, res->ai_addrlen) < 0 || listen(lfd, 16) < 0) {
        freeaddrinfo(res);
        SL_FAIL_FATAL("test setup: the test's echo server cannot listen on %s: %s", host,
                      strerror(errno));
    }
    freeaddrinfo(res);
    getsockname(lfd, (struct sockaddr *)&ss, &len);
    *port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                           : ((struct sockaddr_in *)&ss)->sin_port);
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        SL_FAIL_FATAL("test setup: fork: %s", strerror(errno));
    if (pid == 0) {
        pu_echo_serve(lfd);
        _exit(0);
    }
    close(lfd);
    sl_note("the test's own echo server listens on %s%s%s:%d", strchr(host, ':') ? "[" : "",
            host, strchr(host, ':') ? "]" : "", *port);
    return pid;
}

static inline void pu_echo_stop(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* ---- programs run to their end ---------------------------------------------- */

/* Runs program name with args and stdin bytes for at most ms; ends the
 * test if it could not start, or if it stopped at a TODO() of the
 * skeleton (not implemented); otherwise the caller looks at r. A program
 * that was still running at the deadline (and killed) is a failure. */
#define PU_RUN(r, name, args, in, in_len, ms)                                 \
    do {                                                                      \
        int pu_rc_ = sl_run((r), (name), (args), (in), (in_len), (ms));       \
        sl_prog_check_todo(&(r)->prog);                                       \
        if (pu_rc_ < 0 && (r)->timed_out && strstr((name), "server"))         \
            SL_FAIL_FATAL("%s was still running after %d ms (it was killed): "  \
                          "given these arguments it must not serve, but say " \
                          "what is wrong and exit", (r)->prog.command,        \
                          sl_scaled_ms(ms));                                  \
        if (pu_rc_ < 0)                                                       \
            sl_harness_fail(__FILE__, __LINE__);                              \
    } while (0)

/* The exit status of a program that ran, or -1 if a signal ended it. */
static inline int pu_status(const sl_run_t *r)
{
    return WIFEXITED(r->prog.status) ? WEXITSTATUS(r->prog.status) : -1;
}

/* Checks that the program r exited with status want, saying how it ran
 * (`what`: its command in words) otherwise. */
static inline int pu_exited(const sl_run_t *r, const char *what, int want)
{
    char how[128];

    if (pu_status(r) == want)
        return 1;
    SL_FAIL("%s %s: expected exit status %d%s%s", what, sl_prog_how(&r->prog, how, sizeof how),
            want, r->prog.err.len ? "; its stderr: " : "",
            r->prog.err.len ? pu_show(r->prog.err.data, r->prog.err.len) : "");
    return 0;
}

/* Checks that stderr of r is exactly one line that starts with "NAME: "
 * (and, if `has` is not NULL, contains it): the contract's error line. */
static inline void pu_one_error_line(const sl_run_t *r, const char *what, const char *has)
{
    const char *e = r->prog.err.data, *nl = memchr(e, '\n', r->prog.err.len);
    char prefix[80];

    snprintf(prefix, sizeof prefix, "%s: ", r->prog.name);
    if (r->prog.err.len == 0)
        SL_FAIL("%s printed nothing on stderr: expected one line \"%s...: reason\"", what,
                prefix);
    else if (nl == NULL || (size_t)(nl - e) + 1 != r->prog.err.len)
        SL_FAIL("%s printed %s on stderr: expected exactly one line \"%sWHAT FAILED: "
                "REASON\"", what, pu_show(e, r->prog.err.len), prefix);
    else if (strncmp(e, prefix, strlen(prefix)) != 0)
        SL_FAIL("%s printed %s on stderr: the line must start with \"%s\"", what,
                pu_show(e, r->prog.err.len), prefix);
    else if (has != NULL && strstr(e, has) == NULL)
        SL_FAIL("%s printed %s on stderr: expected the reason, \"%s\", in it", what,
                pu_show(e, r->prog.err.len), has);
}

/* Checks that a program with bad usage (`what` names the arguments in
 * words) exited with status 2, printed a usage line on stderr and nothing
 * on stdout. */
static inline void pu_bad_usage(const char *name, const char *const *args, const char *what)
{
    sl_run_t r;
    char words[160];

    snprintf(words, sizeof words, "%s %s", name, what);
    PU_RUN(&r, name, args, NULL, 0, 2000);
    if (pu_exited(&r, words, 2)) {
        if (strstr(r.prog.err.data, "usage") == NULL && strstr(r.prog.err.data, "Usage") == NULL)
            SL_FAIL("%s printed %s on stderr: expected a line saying the usage (\"usage: %s "
                    "...\")", words, pu_show(r.prog.err.data, r.prog.err.len), name);
        if (r.prog.out.len != 0)
            SL_FAIL("%s printed %s on stdout: bad usage goes to stderr", words,
                    pu_show(r.prog.out.data, r.prog.out.len));
    }
    sl_run_free(&r);
}

/* ---- the fault injectors (grader/faults/) --------------------------------------- */

#define PU_SEED "42"          /* of sl-split-proxy: the delays are the same each run */
#define PU_FAULT_SECONDS "10" /* every injector a test starts ends by itself */

/* Starts sl-split-proxy on host in front of the server at `to` ("ADDR:PORT",
 * "[::1]:PORT"): every byte goes on in a TCP segment of its own. */
static inline void pu_start_proxy(sl_server_t *px, const char *host, const char *to)
{
    const char *args[] = {"--to", to, "--seed", PU_SEED, "--max-delay-us", "200",
                          "--max-seconds", PU_FAULT_SECONDS, NULL};

    sl_note("sl-split-proxy seed %s (--seed %s replays it)", PU_SEED, PU_SEED);
    SL_SERVER_START_ARGS(px, "sl-split-proxy", host, args);
}

/* The environment of a program run under libsl-shortio.so, which makes
 * send(), recv() and friends on sockets return short counts and fail with
 * EINTR on a seeded schedule. */
/* The environment of a program under libsl-shortio.so (sl_shortio_env()),
 * or the test ends if the library is not there. */
typedef sl_shortio_t pu_env_t;

static inline const char *const *pu_shortio_env(pu_env_t *e, const char *seed, const char *modes)
{
    const char *const *vars = sl_shortio_env(e, seed, modes, NULL);
    if (!vars)
        sl_harness_fail(__FILE__, __LINE__);
    return vars;
}

/* ---- bulk bytes -------------------------------------------------------------- */

/* Fills buf with len bytes of a seeded pattern: every byte value comes,
 * NUL and '\n' included. */
static inline void pu_pattern(void *buf, size_t len, uint32_t seed)
{
    unsigned char *p = buf;
    uint32_t x = seed * 2654435761u + 1;

    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)(x >> 11);
    }
}

/* Sends all of data on the connection c and reads as much back at the same
 * time (poll(), non-blocking), so that neither side ever waits for the
 * other; then half-closes and expects the end of the stream. Each byte
 * back must equal the byte sent. 0 if all came back equal within ms,
 * else a failure is recorded and -1 returned. */
static inline int pu_echo_bulk(sl_conn_t *c, const char *who, const unsigned char *data,
                               size_t len, int ms)
{
    static unsigned char back[65536];
    double end = pu_ms() + sl_scaled_ms(ms), next_note = pu_ms() + 1000;
    size_t sent = 0, got = 0;
    int shut = 0;

    while (got < len) {
        struct pollfd p = {.fd = c->fd, .events = POLLIN | (sent < len ? POLLOUT : 0)};
        int left = (int)(end - pu_ms());
        ssize_t n;

        if (left <= 0) {
            SL_FAIL("%s: sent %zu of %zu bytes and got %zu back within %d ms: expected all "
                    "of them back", who, sent, len, got, sl_scaled_ms(ms));
            return -1;
        }
        if (poll(&p, 1, left < 100 ? left : 100) < 0 && errno != EINTR)
            return -1;
        if (pu_ms() > next_note) {
            sl_note("%s: %zu bytes sent, %zu back", who, sent, got);
            next_note = pu_ms() + 1000;
        }
        if ((p.revents & POLLOUT) && sent < len) {
            size_t chunk = len - sent < 65536 ? len - sent : 65536;

            n = send(c->fd, data + sent, chunk, MSG_NOSIGNAL);
            if (n > 0)
                sent += (size_t)n;
            else if (n < 0 && errno != EAGAIN && errno != EINTR) {
                SL_FAIL("%s: send failed after %zu of %zu bytes: %s (got %zu back)", who, sent,
                        len, strerror(errno), got);
                return -1;
            }
            if (sent == len && !shut) {
                shutdown(c->fd, SHUT_WR);
                shut = 1;
            }
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            size_t room = len - got < sizeof back ? len - got : sizeof back;

            n = recv(c->fd, back, room, 0);
            if (n == 0) {
                SL_FAIL("%s: the connection closed after %zu of %zu bytes came back", who,
                        got, len);
                return -1;
            }
            if (n < 0 && errno != EAGAIN && errno != EINTR) {
                SL_FAIL("%s: %s after %zu of %zu bytes came back", who, strerror(errno), got,
                        len);
                return -1;
            }
            if (n > 0) {
                if (memcmp(back, data + got, (size_t)n) != 0) {
                    size_t i = 0;

                    while (back[i] == data[got + i])
                        i++;
                    SL_FAIL("%s: byte %zu came back as 0x%02x, but 0x%02x was sent (the "
                            "bytes that came: %s; sent: %s)", who, got + i, back[i],
                            data[got + i], pu_show(back + i, (size_t)n - i < 16 ? (size_t)n - i : 16),
                            pu_show(data + got + i, len - got - i < 16 ? len - got - i : 16));
                    return -1;
                }
                got += (size_t)n;
            }
        }
    }
    sl_note("%s: all %zu bytes came back", who, len);
    if (!shut)
        shutdown(c->fd, SHUT_WR);
    if (sl_conn_expect_eof(c, 2000) < 0) {
        SL_FAIL("%s: after all the bytes came back and the client half-closed: %s", who,
                sl_harness_error());
        return -1;
    }
    return 0;
}

#endif
