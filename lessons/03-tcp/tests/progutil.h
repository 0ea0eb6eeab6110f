/* progutil.h - helpers shared by the program tests of lesson 03 (the files
 * with SL_TASK_PROGRAMS). They drive the programs over sockets and pipes
 * with the harness (sl_harness.h) and plain system calls, and call no
 * function of tcp.h: these tests run with no student code in their
 * process.
 *
 * A failure says what the program did, in words ("echo-server closed the
 * connection before the client half-closed"), and, when the program has
 * ended, how it ended: that is nearly always the cause, so it comes first. */
#ifndef PROGUTIL_H
#define PROGUTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* pipe2(), F_SETPIPE_SZ: include this file first */
#endif
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
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sl_checks.h"
#include "sl_harness.h"
#include "sl_sockets.h"
#include "sl_util.h"
#include "sl_test.h"

#define GREETING "Thank you for connecting\n"

/* ---- servers: how they ended ------------------------------------------------ */

/* The hint for a server that ended as p did, when a test did not expect it. */
static inline const char *pu_end_hint(const sl_prog_t *p)
{
    switch (sl_end_of(p)) {
    case SL_END_SIGPIPE:
        return "A send() on a connection the peer has closed raises SIGPIPE, which kills "
               "the process: send with MSG_NOSIGNAL (tcp_send_all() does), take the EPIPE "
               "and drop that client.";
    case SL_END_EXIT_0:
        return "A server serves one client after another until SIGTERM or SIGINT: when you "
               "are done with a client, return from your function (the loop of server.c "
               "closes its socket and accepts the next); never exit for a client's sake.";
    case SL_END_EINTR:
        return "EINTR is no error of the connection: a signal interrupted the call before "
               "anything moved. Call recv() again (tcp_send_all() and tcp_read_line() do "
               "so themselves); and never exit for a client's sake.";
    case SL_END_EXIT:
        return "What goes wrong with one client (a recv() or send() that fails) costs that "
               "client only: say it on stderr and return from your function; never exit. "
               "Its last words above say what failed.";
    default:
        return "The server crashed. Run it by hand (the replay line in the transcript) and "
               "do what the test did; a sanitizer's report on its stderr names the line.";
    }
}

/* If server s has ended (crashed, exited), ends the test saying how, after
 * `said` (what went wrong, or what the server had just been through), with
 * a hint for that ending. */
static inline void pu_if_ended(sl_server_t *s, const char *said, const char *file, int line)
{
    if (!sl_prog_ended(&s->prog))
        return;
    SL_HINT(pu_end_hint(&s->prog))
    {
        sl_fail_ended_at(file, line, &s->prog, said);
    }
}

/* Ends the test if server s has ended: it must go on serving after `after`. */
#define PU_STILL_SERVING(s, after)                                            \
    do {                                                                      \
        char pu_after_[200];                                                  \
        snprintf(pu_after_, sizeof pu_after_, "after %s", (after));           \
        sl_sleep_ms(30);                                                      \
        pu_if_ended((s), pu_after_, __FILE__, __LINE__);                      \
    } while (0)

/* A harness step with server s failed: ends the test with the harness's
 * sentence, and with how the server ended if it did (the usual reason).
 * The step's errno (a connect() refused: ECONNREFUSED) is kept with the
 * sentence, before anything else is asked of the harness, and given to
 * the grader as the cause. */
static inline void pu_step_failed(sl_server_t *s, const char *file, int line)
{
    char said[1024];
    int err = sl_harness_errno();

    snprintf(said, sizeof said, "%s", sl_harness_error());
    sl_sleep_ms(50);   /* a server that is dying: let it end */
    pu_if_ended(s, said, file, line);
    sl_fail_errno_at(file, line, 1, err, "%s", said);
}

/* Starts server name on host, or ends the test saying why; a server that
 * cannot listen usually has a Task 1 or 2 function to fix first. */
#define PU_SERVER_START(s, name, host) PU_SERVER_START_ARGS((s), (name), (host), NULL)
#define PU_SERVER_START_ARGS(s, name, host, args)                             \
    do {                                                                      \
        if (sl_server_start((s), (name), (host), (args)) < 0)                \
            pu_start_failed((s), __FILE__, __LINE__);                         \
    } while (0)

static inline void pu_start_failed(sl_server_t *s, const char *file, int line)
{
    SL_HINT("The server could not start. server.c listens with tcp_listen() (Task 1) and "
            "prints the line with tcp_local_text() (Task 2): if their tests fail, fix those "
            "first; else its last words say what failed.")
    {
        /* The cause as a number (the server's "bind: Address already in
         * use": EADDRINUSE), not left to be found in the text. */
        sl_fail_errno_at(file, line, 1, sl_harness_errno(), "%s could not start: %s",
                         s->prog.name, sl_harness_error());
    }
}

/* ---- connections: the harness's steps, with what the server did named ----------- */

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
#define PU_EXPECT_EOF(c, s, ms)                                               \
    do {                                                                      \
        if (sl_conn_expect_eof((c), (ms)) < 0)                                \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)

/* The hint for an echo server that ends a connection before its client
 * half-closed. */
#define PU_ONE_RECV_HINT                                                      \
    "Echo in a loop: recv(), send back what came, recv() again, until recv() returns " \
    "0, which happens only once the client half-closes (shutdown(SHUT_WR)). One "     \
    "recv() is not a whole client: a person types line after line."

/* An expect (the echo of what the client sent) failed: if the server
 * closed or reset the connection, say that in words first. half_closed:
 * whether the client had half-closed by then. */
static inline void pu_expect_failed(sl_server_t *s, int half_closed, const char *file, int line)
{
    char said[1100];

    snprintf(said, sizeof said, "%s", sl_harness_error());
    sl_sleep_ms(50);
    pu_if_ended(s, said, file, line);
    if (!sl_peer_ended())
        sl_fail_at(file, line, 1, "%s", said);
    if (half_closed) {
        SL_HINT("After the client's half-close, recv() returns 0 only once every byte before "
                "it has been read: send back all you received, and return only at that 0.")
        {
            sl_fail_at(file, line, 1, "%s ended the connection before it had sent back all "
                       "the client sent (the client had half-closed): %s", s->prog.name, said);
        }
    }
    SL_HINT(PU_ONE_RECV_HINT)
    {
        sl_fail_at(file, line, 1, "%s ended the connection before the client half-closed: "
                   "does it stop after one recv()? %s", s->prog.name, said);
    }
}

/* The connection c to server s must stay open (nothing comes) for ms: an
 * echo server does not close before its client half-closes. */
static inline void pu_still_open(sl_conn_t *c, sl_server_t *s, int ms, const char *file,
                                 int line)
{
    char said[1100];

    if (sl_conn_expect_silence(c, ms) == 0)
        return;
    snprintf(said, sizeof said, "%s", sl_harness_error());
    sl_sleep_ms(50);
    pu_if_ended(s, said, file, line);
    SL_HINT(PU_ONE_RECV_HINT)
    {
        sl_fail_at(file, line, 1, "%s ended the connection before the client half-closed: "
                   "does it stop after one recv()? %s", s->prog.name, said);
    }
}
#define PU_STILL_OPEN(c, s, ms) pu_still_open((c), (s), (ms), __FILE__, __LINE__)

#define PU_EXPECT_BYTES(c, s, buf, len, ms)                                   \
    do {                                                                      \
        if (sl_conn_expect((c), (buf), (len), (ms)) < 0)                      \
            pu_expect_failed((s), 0, __FILE__, __LINE__);                     \
    } while (0)
#define PU_EXPECT(c, s, text, ms) PU_EXPECT_BYTES((c), (s), (text), strlen(text), (ms))
/* The same after the client half-closed. */
#define PU_EXPECT_REST(c, s, text, ms)                                        \
    do {                                                                      \
        if (sl_conn_expect((c), (text), strlen(text), (ms)) < 0)              \
            pu_expect_failed((s), 1, __FILE__, __LINE__);                     \
    } while (0)

/* The client half-closes: shutdown(SHUT_WR). It fails (ENOTCONN) only if
 * the server reset the connection first: say so. */
static inline void pu_shutdown(sl_conn_t *c, sl_server_t *s, const char *file, int line)
{
    char said[1100];

    if (sl_conn_shutdown(c) == 0)
        return;
    snprintf(said, sizeof said, "%s", sl_harness_error());
    sl_sleep_ms(50);
    pu_if_ended(s, said, file, line);
    SL_HINT(PU_ONE_RECV_HINT " A server that closes with bytes of the client unread "
            "resets the connection.")
    {
        sl_fail_at(file, line, 1, "%s reset the connection before the client half-closed "
                   "(%s): does it stop after one recv()?", s->prog.name, said);
    }
}
#define PU_SHUTDOWN(c, s) pu_shutdown((c), (s), __FILE__, __LINE__)

/* One exchange: send text, expect it back. */
#define PU_EXCHANGE(c, s, text)                                               \
    do {                                                                      \
        PU_SEND((c), (s), (text));                                            \
        PU_EXPECT((c), (s), (text), 2000);                                    \
    } while (0)

/* One complete session with echo server s: connect, two exchanges (a
 * server that stops after one recv() fails the second every time),
 * half-close, expect the end. */
#define PU_ECHO_ONCE(s, text)                                                 \
    do {                                                                      \
        sl_conn_t pu_c_;                                                      \
        PU_CONNECT(&pu_c_, (s));                                              \
        PU_EXCHANGE(&pu_c_, (s), (text));                                     \
        PU_EXCHANGE(&pu_c_, (s), "and once more\n");                          \
        PU_SHUTDOWN(&pu_c_, (s));                                             \
        PU_EXPECT_EOF(&pu_c_, (s), 2000);                                     \
        sl_conn_close(&pu_c_);                                                \
    } while (0)

/* A client of greet server s gets the greeting, then the end of the stream. */
static inline void pu_greeted(sl_server_t *s, const char *file, int line)
{
    sl_conn_t c;

    if (sl_conn_open(&c, s, sl_deadline(SL_CONNECT_MS)) < 0 ||
        sl_conn_expect(&c, GREETING, strlen(GREETING), 2000) < 0 ||
        sl_conn_expect_eof(&c, 2000) < 0)
        pu_step_failed(s, file, line);
    sl_conn_close(&c);
}
#define PU_GREETED(s) pu_greeted((s), __FILE__, __LINE__)

/* Stops server s: first two new clients must still be served (a server
 * that exits after a client, whatever its exit status, fails the second
 * every time), then SIGTERM must end it with status 0. */
#define PU_STOP(s)                                                            \
    do {                                                                      \
        sl_note("two more clients, to see that %s still serves", (s)->prog.name); \
        for (int pu_i_ = 0; pu_i_ < 2; pu_i_++) {                             \
            if (strcmp((s)->prog.name, "greet-server") == 0)                  \
                PU_GREETED(s);                                                \
            else                                                              \
                PU_ECHO_ONCE((s), "still serving?\n");                        \
        }                                                                     \
        SL_SERVER_STOP(s);                                                    \
    } while (0)

/* Waits until the program pid is stopped (SIGSTOP): 0, or -1 after ms. */
static inline int pu_wait_stopped(pid_t pid, int ms)
{
    char path[64], stat[512];
    double end = sl_now_ms() + sl_scaled_ms(ms);

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    while (sl_now_ms() < end) {
        FILE *f = fopen(path, "r");
        const char *state;
        size_t n;

        if (f == NULL)
            return -1;
        n = fread(stat, 1, sizeof stat - 1, f);
        fclose(f);
        stat[n] = '\0';
        state = strrchr(stat, ')');   /* "PID (NAME) STATE ..." */
        if (state && state[1] == ' ' && (state[2] == 'T' || state[2] == 't'))
            return 0;
        sl_sleep_ms(1);
    }
    return -1;
}

/* ---- a server whose stdout the test holds ------------------------------------------
 * The contract says: print `listening on` once the socket listens. A
 * server that prints first and listens after may refuse the client that
 * read the line, now and then. To make that certain, the test starts the
 * server with its stdout a pipe that is already full: its write of the
 * line blocks until the test reads, and the test meanwhile looks at the
 * port. A server that listens, then prints, accepts connections while it
 * waits; one that prints first waits with its port bound but refusing. */

/* Is something bound to sa, though nothing listens there? 1 yes. (A
 * blocking connect(): on loopback a refusal comes at once.) */
static inline int pu_bound_not_listening(const struct sockaddr *sa, socklen_t len)
{
    int fd = socket(sa->sa_family, SOCK_STREAM, 0), r = 0;

    if (fd < 0)
        return 0;
    if (connect(fd, sa, len) < 0 && errno == ECONNREFUSED) {
        int probe = socket(sa->sa_family, SOCK_STREAM, 0);

        r = probe >= 0 && bind(probe, sa, len) < 0 && errno == EADDRINUSE;
        if (probe >= 0)
            close(probe);
    }
    close(fd);
    return r;
}

/* Does a connection to sa succeed within ms? 1 yes, 0 refused or no answer. */
static inline int pu_accepts(const struct sockaddr *sa, socklen_t len, int ms)
{
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK, 0), err = 0, ok = 0;
    socklen_t elen = sizeof err;
    struct pollfd p;

    if (fd < 0)
        return 0;
    if (connect(fd, sa, len) == 0 || errno == EINPROGRESS) {
        p.fd = fd;
        p.events = POLLOUT;
        ok = poll(&p, 1, ms) == 1 &&
             getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 && err == 0;
    }
    close(fd);
    return ok;
}

/* A free port on host (numeric), or -1. */
static inline int pu_free_port(const char *host, struct sockaddr_storage *ss, socklen_t *len)
{
    struct addrinfo hints, *res;
    int fd, port = -1;

    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, "0", &hints, &res) != 0)
        return -1;
    fd = socket(res->ai_family, SOCK_STREAM, 0);
    *len = res->ai_addrlen;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (fd >= 0 && bind(fd, (struct sockaddr *)ss, *len) == 0 &&
        getsockname(fd, (struct sockaddr *)ss, len) == 0)
        port = ntohs(ss->ss_family == AF_INET6 ? ((struct sockaddr_in6 *)ss)->sin6_port
                                               : ((struct sockaddr_in *)ss)->sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* Starts `NAME -b HOST -p PORT` (a free port) with its stdout a full pipe,
 * into p; *ss is where it should listen, *filler the bytes to read first. */
static inline void pu_start_held(sl_prog_t *p, const char *name, const char *host,
                                 struct sockaddr_storage *ss, socklen_t *sslen, size_t *filler)
{
    static char junk[1 << 16];
    const char *dir = getenv("SOCKLAB_BIN_DIR");
    char path[1024], port[8];
    int out[2], err[2], port_n = pu_free_port(host, ss, sslen);
    ssize_t n;
    pid_t pid;

    if (dir == NULL || port_n < 0)
        SL_FAIL_FATAL("test setup: no SOCKLAB_BIN_DIR, or no free port on %s", host);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(port, sizeof port, "%d", port_n);
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
        SL_FAIL_FATAL("test setup: pipe: %s", strerror(errno));
    fcntl(out[1], F_SETPIPE_SZ, 4096);
    fcntl(out[1], F_SETFL, O_NONBLOCK);
    *filler = 0;
    while ((n = write(out[1], junk, sizeof junk)) > 0)
        *filler += (size_t)n;
    fcntl(out[1], F_SETFL, 0);   /* the server's writes block */
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->command, sizeof p->command, "%.400s/%s -b %s -p %s",
             getenv("SOCKLAB_BIN_SHOWN") ? getenv("SOCKLAB_BIN_SHOWN") : dir, name, host, port);
    pid = sl_fork();
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);

        dup2(in, STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        signal(SIGPIPE, SIG_DFL);
        execl(path, name, "-b", host, "-p", port, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    p->pid = pid;
    p->in_fd = -1;
    p->out_fd = out[0];
    p->err_fd = err[0];
    sl_note("started %s, with its stdout a full pipe: its 'listening on' line waits until "
            "the test reads", p->command);
}

/* Starts server name on host as sl_server_start() does, and checks on the
 * way that it listens before it prints its line (see above). */
static inline void pu_server_start_held(sl_server_t *s, const char *name, const char *host,
                                        const char *file, int line)
{
    struct sockaddr_storage want;
    socklen_t wantlen;
    size_t filler, got = 0;
    double end, bound_since = 0;
    char buf[4096], shown[200];
    int early = 0, out_fd;

    memset(s, 0, sizeof *s);
    pu_start_held(&s->prog, name, host, &want, &wantlen, &filler);
    out_fd = s->prog.out_fd;
    s->prog.out_fd = -1;   /* not read while the test holds it */
    end = sl_deadline(SL_LISTEN_MS) * 1000.0;   /* sl_now_ms() and sl_deadline(): one clock */
    for (;;) {
        sl_prog_read(&s->prog, NULL, sl_deadline(0));   /* its stderr; reaps it */
        if (s->prog.ended)
            break;
        if (pu_accepts((struct sockaddr *)&want, wantlen, 50)) {
            sl_note("%s accepts connections on its port while its line waits: it listened "
                    "first", name);
            break;
        }
        if (!pu_bound_not_listening((struct sockaddr *)&want, wantlen))
            bound_since = 0;
        else if (bound_since == 0)
            bound_since = sl_now_ms();
        else if (sl_now_ms() - bound_since > sl_scaled_ms(300)) {
            early = 1;   /* bound, not listening, for 300 ms: it waits in write() */
            break;
        }
        if (sl_now_ms() > end)
            break;
        sl_sleep_ms(2);
    }
    s->prog.out_fd = out_fd;
    fcntl(out_fd, F_SETFL, O_NONBLOCK);
    while (got < filler) {   /* the test's filler, then the server's own output */
        struct pollfd p = {out_fd, POLLIN, 0};
        ssize_t n;

        if (poll(&p, 1, 1000) <= 0)
            break;
        n = read(out_fd, buf, filler - got < sizeof buf ? filler - got : sizeof buf);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (sl_prog_read(&s->prog, "listening on ", sl_deadline(SL_LISTEN_MS)) != 1) {
        sl_prog_check_todo(&s->prog);
        SL_HINT("The server could not start: its last words say why. server.c listens with "
                "tcp_listen() (Task 1) and prints with tcp_local_text() (Task 2).")
        {
            sl_fail_at(file, line, 1, "%s printed no line 'listening on ADDR:PORT'%s%s",
                       name, s->prog.ended ? " and ended" : "", sl_last_words(&s->prog));
        }
    }
    if (early) {
        SL_HINT("Print `listening on ADDR:PORT` only once listen() has returned: a client "
                "(a test, a script) that reads the line connects at once, and a port that "
                "is bound but not listening refuses it.")
        {
            sl_fail_at(file, line, 1, "%s printed its 'listening on' line before its socket "
                       "listened: while the line waited to be written (the test held its "
                       "stdout), its port was bound but refused connections for 300 ms",
                       name);
        }
    }
    if (sl_parse_listening(s->prog.out.data, &s->addr, &s->addrlen) < 0)
        sl_fail_at(file, line, 1, "%s printed %s: expected 'listening on ADDR:PORT' as its "
                   "first line", name, sl_show(s->prog.out.data, s->prog.out.len, 80, shown,
                                               sizeof shown));
    getnameinfo((struct sockaddr *)&s->addr, s->addrlen, s->host, sizeof s->host, buf, 16,
                NI_NUMERICHOST | NI_NUMERICSERV);
    s->port = atoi(buf);
    snprintf(s->where, sizeof s->where, s->addr.ss_family == AF_INET6 ? "[%s]:%d" : "%s:%d",
             s->host, s->port);
    sl_note("%s: listening on %s", name, s->where);
    sl_note("replay by hand: %s", s->prog.command);
}
#define PU_SERVER_START_HELD(s, name, host)                                   \
    pu_server_start_held((s), (name), (host), __FILE__, __LINE__)

/* ---- an echo server of the test's own ------------------------------------------
 * A correct iterative echo server in a child process, built from plain
 * system calls: the echo client's tests run against it, so that they grade
 * the client alone, whatever state the student's echo-server is in. It
 * counts what it sees in memory it shares with the test, so that a test
 * can say what the client did: never connected, sent all but never
 * half-closed, ... */

typedef struct pu_echo_seen {
    volatile int connections;   /* clients accepted */
    volatile long received;     /* bytes received, all clients */
    volatile long echoed;       /* bytes sent back */
    volatile int half_closed;   /* clients whose end of stream came */
    volatile double last;       /* sl_now_ms() of the last thing that happened */
} pu_echo_seen_t;

typedef struct pu_echo {
    pid_t pid;
    int port;
    char where[64];             /* "127.0.0.1:PORT", "[::1]:PORT" */
    pu_echo_seen_t *seen;       /* shared with the child */
} pu_echo_t;

static inline void pu_echo_serve(int lfd, pu_echo_seen_t *seen)
{
    char buf[16384];

    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        ssize_t n;

        if (fd < 0)
            continue;
        seen->connections++;
        seen->last = sl_now_ms();
        while ((n = recv(fd, buf, sizeof buf, 0)) != 0) {
            ssize_t off = 0;

            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                break;
            seen->received += n;
            seen->last = sl_now_ms();
            while (off < n) {
                ssize_t w = send(fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0)
                    break;
                off += w;
                seen->echoed += w;
                seen->last = sl_now_ms();
            }
            if (off < n)
                break;
        }
        if (n == 0)
            seen->half_closed++;
        seen->last = sl_now_ms();
        close(fd);
    }
}

/* Starts the test's echo server on host (numeric) into e. Stop it with
 * pu_echo_stop(). */
static inline void pu_echo_start(pu_echo_t *e, const char *host)
{
    struct addrinfo hints, *res;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int lfd, one = 1;

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
    e->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                             : ((struct sockaddr_in *)&ss)->sin_port);
    snprintf(e->where, sizeof e->where, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, e->port);
    e->seen = mmap(NULL, sizeof *e->seen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                   -1, 0);
    if (e->seen == MAP_FAILED)
        SL_FAIL_FATAL("test setup: mmap: %s", strerror(errno));
    memset((void *)e->seen, 0, sizeof *e->seen);
    e->pid = sl_fork();
    if (e->pid == 0) {
        pu_echo_serve(lfd, e->seen);
        _exit(0);
    }
    close(lfd);
    sl_note("the test's own echo server listens on %s", e->where);
}

static inline void pu_echo_stop(pu_echo_t *e)
{
    if (e->pid > 0) {
        kill(e->pid, SIGKILL);
        waitpid(e->pid, NULL, 0);
        e->pid = 0;
    }
    if (e->seen && e->seen != MAP_FAILED)
        munmap((void *)e->seen, sizeof *e->seen);
    e->seen = NULL;
}

/* ---- the echo client against the test's echo server ---------------------------------- */

#define PU_IDLE_MS 300   /* a client and the test's server both quiet this long: stuck */

/* The hint for an echo-client that failed, from its last words. */
static inline const char *pu_client_hint(const sl_prog_t *p)
{
    if (strstr(p->err.data, strerror(EMSGSIZE)))
        return "tcp_read_line() fails with EMSGSIZE for a line longer than your buffer, "
               "with the piece that fit in it: print that piece and call it again for the "
               "rest. It is no error.";
    if (strstr(p->err.data, strerror(EINTR)))
        return "A signal interrupted a call (EINTR): tcp_send_all() and tcp_read_line() "
               "call again after EINTR (Tasks 3 and 4); anything else that waits must too.";
    return NULL;
}

/* Runs echo-client with args and stdin `in` against the test's echo server
 * e, into r, for at most ms. Returns 0 once it ended by itself; ends the
 * test when it is stuck or could not connect, saying which, and as not
 * implemented at a TODO(). */
static inline void pu_client_run(sl_run_t *r, const char *const *args, const void *in,
                                 size_t len, int ms, pu_echo_t *e, const char *const *env,
                                 const char *file, int line)
{
    const char *from = in;
    size_t off = 0;
    double end;
    char shown[200];

    memset(r, 0, sizeof *r);
    if (sl_prog_start_env(&r->prog, "echo-client", args, 1, env) < 0)
        sl_harness_fail(file, line);
    fcntl(r->prog.in_fd, F_SETFL, O_NONBLOCK);
    if (len)
        sl_note("echo-client's stdin: %zu bytes: %s", len, sl_show(in, len, 60, shown, sizeof shown));
    signal(SIGPIPE, SIG_IGN);
    end = sl_now_ms() + sl_scaled_ms(ms);
    for (;;) {
        while (r->prog.in_fd >= 0 && off < len) {
            ssize_t n = write(r->prog.in_fd, from + off, len - off);

            if (n > 0)
                off += (size_t)n;
            else if (n < 0 && errno == EAGAIN)
                break;
            else
                off = len;   /* it stopped reading its stdin */
        }
        if (r->prog.in_fd >= 0 && off == len) {
            close(r->prog.in_fd);
            r->prog.in_fd = -1;
        }
        if (sl_prog_wait(&r->prog, sl_deadline(20)) == 0)
            break;
        /* Stuck: all sent and echoed, no half-close, and quiet since. */
        if (e && r->prog.in_fd < 0 && e->seen->received == (long)len &&
            e->seen->echoed == (long)len && e->seen->half_closed == 0 &&
            e->seen->connections == 1 && sl_now_ms() - e->seen->last > sl_scaled_ms(PU_IDLE_MS)) {
            sl_prog_free(&r->prog);
            SL_HINT("After the last line of stdin, half-close: shutdown(fd, SHUT_WR) tells the "
                    "server that nothing more comes; it then sends what is left and closes, "
                    "and reading until tcp_read_line() returns 0 ends too.")
            {
                sl_fail_at(file, line, 1, "echo-client sent all %zu bytes of its input and "
                           "got their echo, but never half-closed (shutdown SHUT_WR): the "
                           "server waited for more, and so did the client (killed after "
                           "%d ms of quiet)", len, sl_scaled_ms(PU_IDLE_MS));
            }
        }
        if (sl_now_ms() >= end) {
            /* What the server saw, before the client is killed: its end
             * of stream would then look like a half-close. */
            long received = e ? e->seen->received : 0, echoed = e ? e->seen->echoed : 0;
            int half_closed = e && e->seen->half_closed;

            r->timed_out = 1;
            sl_prog_free(&r->prog);
            sl_fail_at(file, line, 1, "echo-client was still running after %d ms (it was "
                       "killed); the test's echo server had received %ld of the %zu bytes "
                       "of its input and sent back %ld%s%s", sl_scaled_ms(ms), received, len,
                       echoed, half_closed ? ", and the client had half-closed" : "",
                       e && !half_closed && received > 0 && received < (long)len &&
                               echoed == received && from[received - 1] != '\n'
                           ? ", the end of what came in the middle of a line: a send() "
                             "that took only part of the line, and the rest never sent?"
                           : "");
        }
    }
    sl_note("echo-client %s; stdout %zu bytes, stderr %zu bytes",
            sl_prog_how(&r->prog, shown, sizeof shown), r->prog.out.total, r->prog.err.total);
    sl_prog_check_todo(&r->prog);
    for (int i = 0; e && i < 20 && e->seen->connections == 0; i++)
        sl_sleep_ms(5);   /* a connection it made may wait for accept() yet */
    if (e && e->seen->connections == 0 && !(WIFEXITED(r->prog.status) &&
                                            WEXITSTATUS(r->prog.status) == 0)) {
        SL_HINT("echo-client connects with tcp_connect() (Task 1): if its tests fail, fix "
                "those first. Else look at what it says.")
        {
            sl_fail_at(file, line, 1, "echo-client could not connect to %s, where the test's "
                       "echo server listens (it saw no connection): echo-client %s%s",
                       e->where, sl_prog_how(&r->prog, shown, sizeof shown),
                       sl_last_words(&r->prog));
        }
    }
}
#define PU_CLIENT_RUN(r, args, in, len, ms, e)                                \
    pu_client_run((r), (args), (in), (len), (ms), (e), NULL, __FILE__, __LINE__)
/* The same with extra environment variables, e.g. from sl_shortio_vars(). */
#define PU_CLIENT_RUN_ENV(r, args, in, len, ms, e, env)                       \
    pu_client_run((r), (args), (in), (len), (ms), (e), (env), __FILE__, __LINE__)

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

/* ---- bulk bytes -------------------------------------------------------------- */

/* Sends all of data on the connection c to server s and reads as much
 * back at the same time (poll(), non-blocking), so that neither side ever
 * waits for the other; then half-closes and expects the end of the
 * stream. Each byte back must equal the byte sent. Returns 0 if all came
 * back equal within ms; else ends the test, saying first how the server
 * ended if it did. */
static inline int pu_echo_bulk(sl_conn_t *c, sl_server_t *s, const char *who,
                               const unsigned char *data, size_t len, int ms, const char *file,
                               int line)
{
    static unsigned char back[65536];
    double end = sl_now_ms() + sl_scaled_ms(ms), next_note = sl_now_ms() + 1000;
    size_t sent = 0, got = 0;
    int shut = 0, ended = 0;
    char said[600];

    said[0] = '\0';
    while (got < len && !said[0]) {
        struct pollfd p = {.fd = c->fd, .events = POLLIN | (sent < len ? POLLOUT : 0)};
        int left = (int)(end - sl_now_ms());
        ssize_t n;

        if (left <= 0) {
            snprintf(said, sizeof said, "%s: sent %zu of %zu bytes and got %zu back within "
                     "%d ms: expected all of them back", who, sent, len, got, sl_scaled_ms(ms));
            break;
        }
        if (poll(&p, 1, left < 100 ? left : 100) < 0 && errno != EINTR) {
            snprintf(said, sizeof said, "%s: poll: %s", who, strerror(errno));
            break;
        }
        if (sl_now_ms() > next_note) {
            sl_note("%s: %zu bytes sent, %zu back", who, sent, got);
            next_note = sl_now_ms() + 1000;
        }
        if ((p.revents & POLLOUT) && sent < len) {
            size_t chunk = len - sent < 65536 ? len - sent : 65536;

            n = send(c->fd, data + sent, chunk, MSG_NOSIGNAL);
            if (n > 0)
                sent += (size_t)n;
            else if (n < 0 && (errno == ECONNRESET || errno == EPIPE)) {
                ended = 1;
                snprintf(said, sizeof said, "%s: %s ended the connection (%s) after %zu of %zu "
                         "bytes came back, before the client half-closed", who, s->prog.name,
                         strerror(errno), got, len);
            } else if (n < 0 && errno != EAGAIN && errno != EINTR)
                snprintf(said, sizeof said, "%s: send failed after %zu of %zu bytes: %s (got "
                         "%zu back)", who, sent, len, strerror(errno), got);
            if (sent == len && !shut) {
                shutdown(c->fd, SHUT_WR);
                shut = 1;
            }
        }
        if (!said[0] && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
            size_t room = len - got < sizeof back ? len - got : sizeof back;

            n = recv(c->fd, back, room, 0);
            if (n == 0 || (n < 0 && errno == ECONNRESET)) {
                ended = 1;
                snprintf(said, sizeof said, "%s: %s %s the connection after %zu of %zu bytes "
                         "came back, %s", who, s->prog.name, n == 0 ? "closed" : "reset", got,
                         len, shut ? "though it had more to send back (the client had "
                                     "half-closed)"
                                   : "before the client half-closed");
            } else if (n < 0 && errno != EAGAIN && errno != EINTR)
                snprintf(said, sizeof said, "%s: %s after %zu of %zu bytes came back", who,
                         strerror(errno), got, len);
            else if (n > 0 && memcmp(back, data + got, (size_t)n) != 0) {
                size_t i = 0;

                while (back[i] == data[got + i])
                    i++;
                snprintf(said, sizeof said, "%s: byte %zu came back as 0x%02x, but 0x%02x was "
                         "sent (the bytes that came: %s; sent: %s)", who, got + i, back[i],
                         data[got + i], sl_bytes(back + i, (size_t)n - i < 16 ? (size_t)n - i : 16),
                         sl_bytes(data + got + i, len - got - i < 16 ? len - got - i : 16));
            } else if (n > 0) {
                got += (size_t)n;
            }
        }
    }
    if (said[0]) {
        int eintr;

        sl_sleep_ms(50);
        pu_if_ended(s, said, file, line);   /* the cause, if it died, comes first */
        sl_prog_read(&s->prog, NULL, sl_deadline(0));
        /* Why it ended, when it says: a call that EINTR interrupted. */
        eintr = ended && s->prog.err.len && strstr(s->prog.err.data, strerror(EINTR));
        SL_HINT(eintr ? "A signal interrupted a recv() or a send() (EINTR) before it moved a "
                        "byte: that is no error of the connection. Call recv() again, and "
                        "send with tcp_send_all(), which does the same."
                : ended && !shut ? PU_ONE_RECV_HINT : NULL)
        {
            sl_fail_at(file, line, 1, "%s%s%s%s", said,
                       eintr ? ": it gave up on the client when a signal interrupted a call "
                               "(EINTR)"
                       : ended && !shut ? ": does it stop after one recv()?" : "",
                       s->prog.err.len ? "; it said on stderr: " : "",
                       s->prog.err.len ? sl_last_line(&s->prog) : "");
        }
    }
    sl_note("%s: all %zu bytes came back", who, len);
    if (!shut)
        shutdown(c->fd, SHUT_WR);
    if (sl_conn_expect_eof(c, 2000) < 0)
        sl_fail_at(file, line, 1, "%s: after all the bytes came back and the client "
                   "half-closed: %s", who, sl_harness_error());
    return 0;
}
#define PU_ECHO_BULK(c, s, who, data, len, ms)                                \
    pu_echo_bulk((c), (s), (who), (data), (len), (ms), __FILE__, __LINE__)

#endif
