/* progutil.h - helpers shared by the program tests of lesson 05 (the files
 * with SL_TASK_PROGRAMS). They drive the servers over sockets and pipes
 * with the harness (sl_harness.h) and plain system calls, and call no
 * function of select.h: these tests run with no student code in their
 * process. (They read its limits, MUX_LINE_MAX and MUX_QUEUE_MAX.)
 *
 * Two kinds of client:
 *
 * - a few sl_conn_t, through the harness, whose every step goes into the
 *   transcript;
 * - many "peers" (pu_peer_t, up to a few thousand), plain non-blocking
 *   sockets driven together by one poll() loop, pu_peers_pump(), each
 *   sending its bytes and gathering what comes back; the transcript gets
 *   a summary of them, not each step.
 *
 * A failure says what the server did, in words, and, when the server has
 * ended, how it ended: that is nearly always the cause, so it comes first. */
#ifndef PROGUTIL_H
#define PROGUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

#include "select.h"
#include "sl_checks.h"
#include "sl_harness.h"
#include "sl_util.h"
#include "sl_test.h"

/* ---- how a server ended, and what that usually means ------------------------- */

static inline int pu_err_has(const sl_prog_t *p, const char *what)
{
    return strstr(p->err.data, what) != NULL;
}

/* What a sanitizer found in p, from its stderr, in words: its kind and the
 * first frame in the lesson's code ("AddressSanitizer: heap-use-after-free
 * in drop, chat-server.c:47"), or NULL if no sanitizer spoke. */
static inline const char *pu_sanitizer(const sl_prog_t *p)
{
    static const char *const marks[] = {"ERROR: AddressSanitizer: ", "ERROR: LeakSanitizer: ",
                                        "runtime error: "};
    static char out[400];
    const char *at = NULL, *frame;
    char kind[120] = "", func[80] = "", file[160] = "";
    int line = 0;

    for (size_t i = 0; i < SL_COUNT(marks) && at == NULL; i++)
        if ((at = strstr(p->err.data, marks[i])) != NULL)
            snprintf(kind, sizeof kind, "%s%.*s", i == 0 ? "AddressSanitizer: " :
                     i == 1 ? "LeakSanitizer: " : "UndefinedBehaviorSanitizer: ",
                     (int)strcspn(at + strlen(marks[i]), i == 2 ? "\n" : " \n"),
                     at + strlen(marks[i]));
    if (at == NULL)
        return NULL;
    for (frame = strstr(at, " in "); frame; frame = strstr(frame + 4, " in ")) {
        const char *path = strstr(frame, "05-select/"), *nl = strchr(frame, '\n');

        if (path && (!nl || path < nl) &&
            sscanf(frame, " in %79s %*[^:]:%d", func, &line) >= 1 &&
            sscanf(path, "05-select/%159[^:]:%d", file, &line) == 2)
            break;
    }
    if (frame && *file)
        snprintf(out, sizeof out, "%s in %s, %s:%d", kind, func, file, line);
    else
        snprintf(out, sizeof out, "%s", kind);
    return out;
}

/* The hint for a server that ended as p did, when a test did not expect it. */
static inline const char *pu_end_hint(const sl_prog_t *p)
{
    sl_end_t end = sl_end_of(p);

    if (end == SL_END_SIGPIPE)
        return "A send() on a connection the peer has closed raises SIGPIPE, which kills the "
               "process: mux_flush() sends with MSG_NOSIGNAL; take the EPIPE and drop that "
               "client.";
    if (pu_err_has(p, "use-after-free"))
        return "The server used a client it had freed: a client closed and freed but left in "
               "the set (or the poll array) is seen again the next round, and its descriptor "
               "number is soon another client's. Remove it (mux_sel_del(), mux_poll_remove()) "
               "before close() and free().";
    if ((pu_err_has(p, "buffer-overflow") || pu_err_has(p, "out of bounds")) &&
        (pu_err_has(p, "mux_sel") || pu_err_has(p, "fd_mask")))
        return "An fd_set holds FD_SETSIZE bits: a descriptor of FD_SETSIZE or more written "
               "into one writes past it. mux_sel_add() refuses it with ERANGE: close that "
               "client at once.";
    if (end == SL_END_EXIT_0)
        return "A server serves until SIGTERM or SIGINT: return from loop() only once "
               "srv_stopping() says 1, never because a client left.";
    if ((end == SL_END_EXIT || end == SL_END_EINTR) && pu_err_has(p, strerror(EBADF)))
        return "select() (or poll()) failed with EBADF: a client was closed but left in the "
               "set. Take it out (mux_sel_del() with both bits) before close(), and the next "
               "wait no longer sees it.";
    if (end == SL_END_EINTR)
        return "EINTR is no error: a signal interrupted the wait before anything was ready. "
               "Go round the loop again (srv_stopping() then says whether it was SIGTERM).";
    if (end == SL_END_EXIT)
        return "What goes wrong with one client (a recv() or send() that fails, a line too "
               "long) costs that client only: drop it and go on; return -1 from loop() only "
               "for an error of the server's own. Its last words above say what failed.";
    return "The server crashed. Run it by hand (the replay line in the transcript) and do "
           "what the test did; a sanitizer's report on its stderr names the line.";
}

/* If server s has ended, ends the test saying how, after `said` (a TODO()
 * it stopped at as not implemented). grace_ms: how long to wait for an end
 * that is under way (a process whose sockets are closed already may not be
 * reaped yet, and under a sanitizer its exit takes a while). */
static inline void pu_if_ended_in(sl_server_t *s, const char *said, const char *file, int line,
                                  int grace_ms)
{
    char how[SL_PROG_HOW_MAX];

    sl_prog_read(&s->prog, NULL, sl_deadline(0));
    if (!s->prog.ended && grace_ms > 0)
        sl_prog_read(&s->prog, NULL, sl_now_ms() / 1000.0 + grace_ms / 1000.0);
    if (!s->prog.ended)
        return;
    sl_prog_check_todo(&s->prog);
    sl_prog_how(&s->prog, how, sizeof how);
    SL_HINT(pu_end_hint(&s->prog))
    {
        if (pu_sanitizer(&s->prog))
            sl_fail_at(file, line, 1, "%s: %s was stopped by %s", said, s->prog.name,
                       pu_sanitizer(&s->prog));
        sl_fail_at(file, line, 1, "%s: %s %s%s", said, s->prog.name, how,
                   sl_last_words(&s->prog));
    }
}

/* Before a failure: if the server has ended, or ends within 100 ms, that
 * is the cause, and the test says it instead. */
static inline void pu_if_ended(sl_server_t *s, const char *said, const char *file, int line)
{
    pu_if_ended_in(s, said, file, line, 100);
}

/* Ends the test if server s has ended: it must go on serving after `after`. */
#define PU_STILL_SERVING(s, after)                                            \
    do {                                                                      \
        char pu_after_[200];                                                  \
        snprintf(pu_after_, sizeof pu_after_, "after %s", (after));           \
        sl_sleep_ms(20);                                                      \
        pu_if_ended_in((s), pu_after_, __FILE__, __LINE__, 0);                \
    } while (0)

/* A harness step with server s failed: ends the test with the harness's
 * sentence, and with how the server ended if it did. */
static inline void pu_step_failed(sl_server_t *s, const char *file, int line)
{
    char said[1024];

    snprintf(said, sizeof said, "%s", sl_harness_error());
    pu_if_ended(s, said, file, line);
    sl_fail_at(file, line, 1, "%s", said);
}

/* Reads what the server printed, so that its pipes never fill up while a
 * test drives many peers (the harness does it in its own waits). */
static inline void pu_drain(sl_server_t *s)
{
    sl_prog_read(&s->prog, NULL, sl_deadline(0));
}

/* ---- what a server says on stderr ------------------------------------------------ */

/* How many lines server s has printed on stderr, of those kept. */
static inline int pu_err_lines(const sl_prog_t *p)
{
    int n = 0;

    for (size_t i = 0; i < p->err.len; i++)
        n += p->err.data[i] == '\n';
    return n;
}

/* Ends the test if a line that server s printed on stderr is not in the
 * contract's form `NAME: what failed: reason` (sl_check_err_lines()). */
static inline void pu_check_err_form(sl_server_t *s, const char *file, int line)
{
    SL_HINT("Every line a server prints on stderr is `NAME: what failed: reason`, e.g. "
            "fprintf(stderr, NAME \": dropped %s: %s\\n\", peer, strerror(err)). "
            "perror(\"recv\") gives \"recv: ...\", without the program's name; "
            "a function of select.c prints nothing at all: it returns -1 with errno, "
            "and its caller says what failed.")
    {
        sl_check_err_lines_at(file, line, &s->prog);
    }
}
#define PU_CHECK_ERR_FORM(s) pu_check_err_form((s), __FILE__, __LINE__)

/* ---- starting, stopping, the harness's steps --------------------------------- */

static inline void pu_start_failed(sl_server_t *s, const char *file, int line)
{
    SL_HINT("The server could not start. server.c (given) makes its sockets non-blocking "
            "with mux_set_nonblocking() (Task 4) before it listens: if its tests fail, fix "
            "it first; else the server's last words say what failed.")
    {
        sl_fail_at(file, line, 1, "%s could not start: %s", s->prog.name, sl_harness_error());
    }
}

#define PU_SERVER_START(s, name, host)                                        \
    do {                                                                      \
        if (sl_server_start((s), (name), (host), NULL) < 0)                   \
            pu_start_failed((s), __FILE__, __LINE__);                         \
    } while (0)

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
#define PU_SILENCE(c, s, ms)                                                  \
    do {                                                                      \
        if (sl_conn_expect_silence((c), (ms)) < 0)                            \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)
#define PU_SHUTDOWN(c, s)                                                     \
    do {                                                                      \
        if (sl_conn_shutdown(c) < 0)                                          \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)

/* One complete session with echo server s: connect, two exchanges,
 * half-close, expect the end of the stream. */
#define PU_ECHO_ONCE(s, text)                                                 \
    do {                                                                      \
        sl_conn_t pu_c_;                                                      \
        PU_CONNECT(&pu_c_, (s));                                              \
        PU_SEND(&pu_c_, (s), (text));                                         \
        PU_EXPECT(&pu_c_, (s), (text), 2000);                                 \
        PU_SEND(&pu_c_, (s), "and once more\n");                              \
        PU_EXPECT(&pu_c_, (s), "and once more\n", 2000);                      \
        PU_SHUTDOWN(&pu_c_, (s));                                             \
        PU_EXPECT_EOF(&pu_c_, (s), 2000);                                     \
        sl_conn_close(&pu_c_);                                                \
    } while (0)

/* Stops server s: SIGTERM must end it with status 0 within SL_STOP_MS; a
 * sanitizer's finding on the way is named, with its usual cause. */
static inline void pu_stop(sl_server_t *s, const char *file, int line)
{
    char said[1024];

    if (sl_server_stop(s) == 0)
        return;
    snprintf(said, sizeof said, "%s", sl_harness_error());
    if (pu_sanitizer(&s->prog) == NULL && !pu_err_has(&s->prog, strerror(EBADF)))
        sl_fail_at(file, line, 1, "%s", said);
    SL_HINT(pu_end_hint(&s->prog))
    {
        if (pu_sanitizer(&s->prog))
            sl_fail_at(file, line, 1, "after SIGTERM, %s was stopped by %s", s->prog.name,
                       pu_sanitizer(&s->prog));
        sl_fail_at(file, line, 1, "%s", said);
    }
}
#define PU_STOP(s) pu_stop((s), __FILE__, __LINE__)

/* ---- the server's descriptors and its CPU time (/proc) ------------------------ */

/* The server's descriptors now, or the test ends. A server that has
 * ended has none to count (and its PID may be another process's by now):
 * the test then ends saying how it ended (a TODO() as not implemented).
 * sl_prog_fd_count() reads /proc/PID/fd only while the program runs. */
static inline int pu_fds_of_at(sl_server_t *s, const char *file, int line)
{
    int n = sl_prog_fd_count(&s->prog);

    if (n < 0) {
        char said[1024];

        snprintf(said, sizeof said, "%s", sl_harness_error());
        pu_if_ended(s, "while the test counted its descriptors", file, line);
        sl_fail_at(file, line, 1, "test: cannot count the descriptors of %s: %s",
                   s->prog.name, said);
    }
    return n;
}
#define pu_fds_of(s) pu_fds_of_at((s), __FILE__, __LINE__)

/* Waits until server s holds exactly `want` descriptors, at most ms
 * (scaled): the count then, which the caller compares. */
static inline int pu_wait_fds(sl_server_t *s, int want, int ms)
{
    double end = sl_deadline(ms) * 1000.0;
    int n;

    while ((n = pu_fds_of_at(s, __FILE__, __LINE__)) != want && sl_now_ms() < end) {
        pu_drain(s);
        sl_sleep_ms(5);
    }
    return n;
}

/* How many connections wait in the accept queue of server s (the
 * rx_queue of its LISTEN socket in /proc/net/tcp or tcp6: handshake done,
 * not accepted yet), or -1 if it cannot be told. */
static inline int pu_listen_queue(const sl_server_t *s)
{
    const char *path = s->addr.ss_family == AF_INET6 ? "/proc/net/tcp6" : "/proc/net/tcp";
    char line[512];
    int found = -1;
    FILE *f = fopen(path, "r");

    if (f == NULL)
        return -1;
    while (found < 0 && fgets(line, sizeof line, f)) {
        char local[80];
        unsigned port, state, txq, rxq;

        if (sscanf(line, " %*d: %79[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x %x:%x", local, &port,
                   &state, &txq, &rxq) == 5 && state == 0x0A && (int)port == s->port)
            found = (int)rxq;
    }
    fclose(f);
    return found;
}

/* Waits until server s has accepted every connection that waits for it
 * (at most ms, scaled): a test that opens many connections in a row waits
 * so, lest the queue fill and the kernel drop new connections for a
 * second (the client's SYN is sent again after 1 s). */
static inline void pu_wait_accepted(sl_server_t *s, int ms)
{
    double end = sl_deadline(ms) * 1000.0;

    while (pu_listen_queue(s) > 0 && sl_now_ms() < end) {
        pu_drain(s);
        sl_sleep_ms(1);
    }
}

/* Milliseconds of CPU the process has used (user and system), or -1. */
static inline double pu_cpu_ms(pid_t pid)
{
    char path[64], stat[1024];
    unsigned long long utime, stime;
    const char *p;
    size_t n;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    p = strrchr(stat, ')');   /* "PID (NAME) STATE PPID ...": fields 14 and 15 */
    if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                            &utime, &stime) != 2)
        return -1;
    return (double)(utime + stime) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* ---- the fault injectors (grader/faults/) ---------------------------------------- */

#define PU_SEED "42"          /* of sl-split-proxy: the delays are the same each run */
#define PU_FAULT_SECONDS "15" /* every injector a test starts ends by itself */

/* Starts sl-split-proxy on host in front of server s, for at most conns
 * connections: every byte goes on in a TCP segment of its own, after a
 * seeded pause of up to 100 us. */
static inline void pu_start_proxy(sl_server_t *px, const char *host, const sl_server_t *s,
                                  int conns)
{
    char n[16];
    const char *args[] = {"--to", s->where, "--seed", PU_SEED, "--max-delay-us", "100",
                          "--max-conns", n, "--max-seconds", PU_FAULT_SECONDS, NULL};

    snprintf(n, sizeof n, "%d", conns);
    SL_SERVER_START_ARGS(px, "sl-split-proxy", host, args);
}

/* ---- many peers at once ----------------------------------------------------------- */

#define PU_OPEN 0
#define PU_EOF 1    /* the server closed the connection */
#define PU_GONE 2   /* reset, or another error: err says which */

/* A client of the test's that takes part in a crowd. */
typedef struct pu_peer {
    int fd;                /* the socket, -1 once closed */
    int connected;         /* its connect() has finished */
    int rcvbuf;            /* if not 0: its SO_RCVBUF, set before the connect */
    int mss;               /* if not 0: its TCP_MAXSEG, set before the connect (a small
                              one keeps the server's send buffer small too) */
    int deaf;              /* it reads nothing (pu_peers_pump() only sends) */
    int ended;             /* PU_OPEN, PU_EOF, PU_GONE */
    int err;               /* the errno of PU_GONE */
    unsigned char *out;    /* what to send: out[sent, out_len) still to go */
    size_t out_len, out_cap, sent;
    unsigned char *in;     /* what came: in[0, in_len) */
    size_t in_len, in_cap;
    size_t want;           /* how many bytes to gather in all */
    double last;           /* when the last byte came (sl_now_ms()) */
} pu_peer_t;

/* The peers of the test, reachable from here: a test that ends at a fatal
 * check leaves them behind, and LeakSanitizer must not blame anyone. */
static pu_peer_t *pu_crowd;
static int pu_crowd_n;

/* n peers, none connected yet. */
static inline pu_peer_t *pu_peers_new(int n)
{
    pu_crowd = calloc((size_t)n, sizeof *pu_crowd);
    if (pu_crowd == NULL)
        SL_FAIL_FATAL("test: out of memory for %d peers", n);
    pu_crowd_n = n;
    for (int i = 0; i < n; i++)
        pu_crowd[i].fd = -1;
    return pu_crowd;
}

static inline void pu_peer_close(pu_peer_t *p)
{
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
}

static inline void pu_peers_free(pu_peer_t *peers, int n)
{
    for (int i = 0; i < n; i++) {
        pu_peer_close(&peers[i]);
        free(peers[i].out);
        free(peers[i].in);
    }
    free(peers);
    pu_crowd = NULL;
    pu_crowd_n = 0;
}

/* Grows *buf (of *cap bytes) to hold need bytes, or the test ends. */
static inline void pu_grow(unsigned char **buf, size_t *cap, size_t need)
{
    size_t c = *cap ? *cap : 256;
    unsigned char *b;

    if (need <= *cap)
        return;
    while (c < need)
        c *= 2;
    b = realloc(*buf, c);
    if (b == NULL)
        SL_FAIL_FATAL("test: out of memory");
    *buf = b;
    *cap = c;
}

/* Adds bytes to what peer p is to send. */
static inline void pu_peer_queue(pu_peer_t *p, const void *bytes, size_t len)
{
    pu_grow(&p->out, &p->out_cap, p->out_len + len);
    memcpy(p->out + p->out_len, bytes, len);
    p->out_len += len;
}

/* Starts a non-blocking connect of peer p to sa: 0, or -1 with errno. */
static inline int pu_peer_connect(pu_peer_t *p, const struct sockaddr *sa, socklen_t len)
{
    p->fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (p->fd < 0)
        return -1;
    if (p->rcvbuf)
        setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &p->rcvbuf, sizeof p->rcvbuf);
    if (p->mss)
        setsockopt(p->fd, IPPROTO_TCP, TCP_MAXSEG, &p->mss, sizeof p->mss);
    if (connect(p->fd, sa, len) < 0 && errno != EINPROGRESS) {
        int e = errno;

        pu_peer_close(p);
        errno = e;
        return -1;
    }
    p->ended = PU_OPEN;
    return 0;
}

/* Connects peers [from, to) to server (or proxy) at: the connects are
 * started, then waited for together. Ends the test if one fails. */
static inline void pu_peers_connect(pu_peer_t *peers, int from, int to, const sl_server_t *at,
                                    sl_server_t *s)
{
    static struct pollfd fds[4096];
    static int index[4096];
    double end = sl_deadline(SL_CONNECT_MS) * 1000.0;

    for (int i = from; i < to; i++)
        if (pu_peer_connect(&peers[i], (const struct sockaddr *)&at->addr, at->addrlen) < 0) {
            int e = errno;

            pu_if_ended(s, "while peers connected", __FILE__, __LINE__);
            SL_FAIL_FATAL("test: peer %d cannot connect to %s: %s", i, at->where, strerror(e));
        }
    for (;;) {
        int n = 0, ms = (int)(end - sl_now_ms());

        for (int i = from; i < to; i++)
            if (!peers[i].connected) {
                index[n] = i;
                fds[n++] = (struct pollfd){.fd = peers[i].fd, .events = POLLOUT};
            }
        if (n == 0)
            return;
        if (ms <= 0 || poll(fds, (nfds_t)n, ms < 50 ? ms : 50) < 0) {
            pu_if_ended(s, "while peers connected", __FILE__, __LINE__);
            SL_FAIL_FATAL("%d of %d connections to %s were not made within %d ms (is it "
                          "accepting connections?)", n, to - from, at->where,
                          sl_scaled_ms(SL_CONNECT_MS));
        }
        for (int k = 0; k < n; k++) {
            int err = 0;
            socklen_t elen = sizeof err;

            if (!fds[k].revents)
                continue;
            getsockopt(fds[k].fd, SOL_SOCKET, SO_ERROR, &err, &elen);
            if (err) {
                pu_if_ended(s, "while peers connected", __FILE__, __LINE__);
                SL_FAIL_FATAL("a connection to %s failed: %s", at->where, strerror(err));
            }
            peers[index[k]].connected = 1;
        }
        pu_drain(s);
    }
}

/* Is peer p done: all sent (or ended), and all it wants come (or ended)? */
static inline int pu_peer_done(const pu_peer_t *p)
{
    return p->ended != PU_OPEN ||
           (p->sent == p->out_len && (p->deaf || p->in_len >= p->want));
}

/* Sends what peer p may send now; reads what came. */
static inline void pu_peer_move(pu_peer_t *p, short revents)
{
    static unsigned char buf[65536];
    ssize_t n;

    if ((revents & POLLOUT) && p->sent < p->out_len) {
        n = send(p->fd, p->out + p->sent, p->out_len - p->sent, MSG_NOSIGNAL);
        if (n > 0)
            p->sent += (size_t)n;
        else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            p->ended = PU_GONE;
            p->err = errno;
        }
    }
    if (!(revents & (POLLIN | POLLHUP | POLLERR)) || p->ended != PU_OPEN || p->deaf)
        return;
    n = recv(p->fd, buf, sizeof buf, 0);
    if (n > 0) {
        pu_grow(&p->in, &p->in_cap, p->in_len + (size_t)n);
        memcpy(p->in + p->in_len, buf, (size_t)n);
        p->in_len += (size_t)n;
        p->last = sl_now_ms();
    } else if (n == 0) {
        p->ended = PU_EOF;
    } else if (errno != EAGAIN && errno != EINTR) {
        p->ended = PU_GONE;
        p->err = errno;
    }
}

/* Moves the bytes of peers [0, n) until each is done or ms (scaled)
 * pass; with once set, one round of at most ms (not scaled) instead. The
 * server's output is read on the way. Returns how many are not done. */
static inline int pu_peers_pump(pu_peer_t *peers, int n, sl_server_t *s, int ms, int once)
{
    static struct pollfd fds[4096];
    static int index[4096];
    double end = once ? sl_now_ms() + ms : sl_deadline(ms) * 1000.0, next_drain = 0;

    for (;;) {
        int k = 0, left = (int)(end - sl_now_ms());

        for (int i = 0; i < n; i++)
            if (peers[i].fd >= 0 && !pu_peer_done(&peers[i])) {
                short ev = (peers[i].deaf ? 0 : POLLIN) |
                           (peers[i].sent < peers[i].out_len ? POLLOUT : 0);

                index[k] = i;
                fds[k++] = (struct pollfd){.fd = peers[i].fd, .events = ev};
            }
        if (k == 0 || left <= 0)
            return k;
        if (poll(fds, (nfds_t)k, left < 50 ? left : 50) > 0)
            for (int j = 0; j < k; j++)
                if (fds[j].revents)
                    pu_peer_move(&peers[index[j]], fds[j].revents);
        if (sl_now_ms() > next_drain) {
            pu_drain(s);
            next_drain = sl_now_ms() + 50;
        }
        if (once)
            return -1;
    }
}

/* How peer p ended, in words. */
static inline const char *pu_peer_how(const pu_peer_t *p)
{
    static char out[4][160];
    static unsigned next;
    char *o = out[next++ % 4];

    if (p->ended == PU_EOF)
        snprintf(o, sizeof out[0], "the server closed the connection");
    else if (p->ended == PU_GONE)
        snprintf(o, sizeof out[0], "the connection failed: %s", strerror(p->err));
    else
        snprintf(o, sizeof out[0], "still open, nothing more came");
    return o;
}

#endif
