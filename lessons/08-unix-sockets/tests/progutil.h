/* progutil.h - helpers shared by the program tests of lesson 08 (the files
 * with SL_TASK_PROGRAMS). They drive unix-echo-server and unix-echo-client
 * over Unix-domain sockets and pipes with the harness (sl_harness.h) and
 * plain system calls, and call no function of unix.h: these tests run
 * with no student code in their process.
 *
 * The harness starts a program and reads its output; its sl_server_start()
 * knows `listening on ADDR:PORT` only, so these helpers start the server
 * themselves (`-u NAME`), read its `listening on unix:NAME` line, and
 * connect with their own code. Connections are sl_conn_t all the same, so
 * that the harness's send and expect steps, with their transcript, work
 * on them.
 *
 * A failure says what the program did, in words, and, when the program
 * has ended, how it ended: that is nearly always the cause, so it comes
 * first. */
#ifndef PROGUTIL_H
#define PROGUTIL_H

#include "names.h"
#include "sl_checks.h"
#include "todo.h"

#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PU_SERVER "unix-echo-server"
#define PU_CLIENT "unix-echo-client"
#define PU_LISTENING "listening on unix:"

/* ---- words ---------------------------------------------------------------- */

/* Text a program printed, for a message: the newline that ends it left
 * out (a "\n" at the end reads as noise), the rest as sl_show() shows it. */
static inline const char *pu_show_out(const char *buf, size_t len)
{
    if (len > 0 && buf[len - 1] == '\n' && memchr(buf, '\n', len - 1) == NULL)
        len--;
    return sl_bytes(buf, len);
}

/* ---- a server the test started ------------------------------------------------ */

typedef struct pu_srv {
    sl_prog_t prog;     /* the listener; its worker is a child of it */
    char name[160];     /* what -u got */
    char where[180];    /* "unix-echo-server at unix:NAME", for messages */
    int type;           /* SOCK_STREAM or SOCK_SEQPACKET */
} pu_srv_t;

/* If server s, or its worker (a child of it, on the same stderr), stopped
 * at a TODO(), ends the test as not implemented, naming it: whatever
 * failed next was its consequence. The listener then ends with status 1
 * ("the worker exited with status 3"), which the harness cannot read as
 * a TODO by itself. */
static inline void pu_check_todo(pu_srv_t *s)
{
    static const char mark[] = "not implemented: ";
    const char *at;

    sl_prog_read(&s->prog, NULL, sl_deadline(0));
    sl_prog_check_todo(&s->prog);
    at = strstr(s->prog.err.data, mark);
    if (at != NULL) {
        char func[400];
        size_t n = strcspn(at + strlen(mark), "\n");

        snprintf(func, sizeof func, "%.*s (in the worker of %s)", (int)(n < 300 ? n : 300),
                 at + strlen(mark), PU_SERVER);
        sl_note("the worker of %s says: %.*s", PU_SERVER, (int)(n < 300 ? n : 300) +
                (int)strlen(mark), at);
        sl_todo(func, NULL, 0);
    }
}

/* The hint for a server that ended as p did, when a test did not expect it. */
static inline const char *pu_end_hint(const sl_prog_t *p)
{
    if (sl_end_of(p) == SL_END_SIGPIPE)
        return "A send() on a connection the peer has closed raises SIGPIPE, which kills "
               "the process: send with MSG_NOSIGNAL (srv_send_all() does), take the EPIPE "
               "and drop that client.";
    if (strstr(p->err.data, "the worker"))
        return "The listener (server.c) ends when its worker ends: worker() must go on "
               "serving until the channel ends (ux_recv_fds() returns 0) or SIGTERM comes "
               "(srv_wait_readable() returns -1), and serve() must return, not exit, "
               "whatever a client does.";
    if (sl_end_of(p) != SL_END_SIGNAL)
        return "What goes wrong with one client costs that client only: say it on stderr "
               "and return from serve(); never exit. Its last words above say what failed.";
    return "The server crashed. Run it by hand (the replay line in the transcript) and "
           "do what the test did; a sanitizer's report on its stderr names the line.";
}

/* If server s has ended, ends the test saying how, after `said` (what
 * went wrong, or what the server had just been through). */
static inline void pu_if_ended(pu_srv_t *s, const char *said, const char *file, int line)
{
    pu_check_todo(s);
    if (!s->prog.ended)
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
 * sentence, and with how the server ended if it did. */
static inline void pu_step_failed(pu_srv_t *s, const char *file, int line)
{
    char said[1024];

    snprintf(said, sizeof said, "%s", sl_harness_error());
    sl_sleep_ms(50);   /* a server that is dying: let it end */
    pu_if_ended(s, said, file, line);
    sl_fail_at(file, line, 1, "%s", said);
}

/* The line a started server printed first, without its newline. */
static inline const char *pu_first_line(const sl_prog_t *p)
{
    static char line[256];

    snprintf(line, sizeof line, "%.*s", (int)strcspn(p->out.data, "\n"), p->out.data);
    return line;
}

/* Starts `unix-echo-server -u NAME [-t seqpacket] [more...]` into s and
 * waits for its line, which must be exactly `listening on unix:NAME`. */
static inline void pu_server_start(pu_srv_t *s, const char *name, int type,
                                   const char *const *more, const char *file, int line)
{
    const char *args[16] = {"-u", name};
    size_t n = 2;
    char want[200], said[1700];
    int got;

    if (type == SOCK_SEQPACKET) {
        args[n++] = "-t";
        args[n++] = "seqpacket";
    }
    for (size_t i = 0; more && more[i] && n < 15; i++)
        args[n++] = more[i];
    args[n] = NULL;
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->where, sizeof s->where, PU_SERVER " at unix:%s", name);
    s->type = type;
    if (sl_prog_start(&s->prog, PU_SERVER, args, 0) < 0)
        sl_harness_fail(file, line);
    got = sl_prog_read(&s->prog, "listening on ", sl_deadline(SL_LISTEN_MS));
    if (got <= 0) {
        char how[SL_PROG_HOW_MAX];

        pu_check_todo(s);
        if (got < 0)
            snprintf(said, sizeof said, PU_SERVER " %s before listening%s",
                     sl_prog_how(&s->prog, how, sizeof how), sl_last_words(&s->prog));
        else
            snprintf(said, sizeof said, PU_SERVER " printed no line 'listening on unix:%s' "
                     "within %d ms (print it, then fflush(stdout), once the socket listens)",
                     name, sl_scaled_ms(SL_LISTEN_MS));
        SL_HINT("The server could not start. server.c listens with ux_listen() (Task 2) and "
                "prints the line with ux_local_name() (Task 1), and starts the worker with "
                "ux_fork_pair() (Task 4): if their tests fail, fix those first; else its "
                "last words say what failed.")
        {
            sl_fail_errno_at(file, line, 1, sl_prog_errno(&s->prog), "%s", said);
        }
    }
    pu_check_todo(s);   /* a worker that stopped at once */
    snprintf(want, sizeof want, PU_LISTENING "%s", name);
    if (strcmp(pu_first_line(&s->prog), want) != 0) {
        SL_HINT("server.c prints `listening on unix:` and what ux_local_name() writes for the "
                "listening socket: the name it was given, a path as it is, an abstract name "
                "as @NAME. A name that differs comes from ux_listen() binding another "
                "address (an abstract name's length?) or from ux_name().")
        {
            sl_fail_at(file, line, 1, PU_SERVER " -u %s printed %s: expected \"%s\"", name,
                       sl_bytes(pu_first_line(&s->prog), strlen(pu_first_line(&s->prog))), want);
        }
    }
    sl_note("%s: listening on unix:%s", PU_SERVER, name);
    sl_note("replay by hand: %s", s->prog.command);
    if (name[0] == '@')
        sl_note("then: socat - ABSTRACT-CONNECT:%s%s", name + 1,
                type == SOCK_SEQPACKET ? ",type=5" : "");
    else
        sl_note("then: socat - UNIX-CONNECT:%s%s", name, type == SOCK_SEQPACKET ? ",type=5" : "");
}
#define PU_SERVER_START(s, name) pu_server_start((s), (name), SOCK_STREAM, NULL, __FILE__, __LINE__)
#define PU_SERVER_START_ARGS(s, name, type, more)                             \
    pu_server_start((s), (name), (type), (more), __FILE__, __LINE__)

/* Stops server s with sig: it must exit with status 0 within SL_STOP_MS. */
static inline void pu_server_stop_sig(pu_srv_t *s, int sig, const char *file, int line)
{
    if (sl_prog_stop(&s->prog, sig, SL_STOP_MS) < 0) {
        char said[1024];

        snprintf(said, sizeof said, "%s", sl_harness_error());
        sl_prog_free(&s->prog);
        SL_HINT("SIGTERM or SIGINT: server.c stops accepting, closes the channel and sends "
                "the worker SIGTERM, then waits for it. The worker must then return 0: "
                "srv_wait_readable() returns -1 once the signal came (also in serve(), "
                "while a client is quiet), and ux_recv_fds() returns 0 once the channel "
                "is closed.")
        {
            sl_fail_at(file, line, 1, "%s", said);
        }
    }
    sl_prog_free(&s->prog);
}
#define PU_SERVER_STOP(s) pu_server_stop_sig((s), SIGTERM, __FILE__, __LINE__)

/* The worker of server s: the first child of its listener, or 0. */
static inline pid_t pu_worker(const pu_srv_t *s)
{
    char path[64];
    FILE *f;
    int pid = 0;

    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)s->prog.pid, (int)s->prog.pid);
    f = fopen(path, "r");
    if (f != NULL) {
        if (fscanf(f, "%d", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    if (pid == 0) {   /* no children file: look for its parent in each stat */
        DIR *d = opendir("/proc");
        struct dirent *e;

        while (d && pid == 0 && (e = readdir(d)) != NULL) {
            char stat[512];
            int ppid = 0;
            FILE *sf;

            if (e->d_name[0] < '0' || e->d_name[0] > '9')
                continue;
            snprintf(path, sizeof path, "/proc/%.20s/stat", e->d_name);
            sf = fopen(path, "r");
            if (sf == NULL)
                continue;
            if (fgets(stat, sizeof stat, sf) && strrchr(stat, ')') &&
                sscanf(strrchr(stat, ')') + 2, "%*c %d", &ppid) == 1 && ppid == s->prog.pid)
                pid = atoi(e->d_name);
            fclose(sf);
        }
        if (d)
            closedir(d);
    }
    return (pid_t)pid;
}

/* Does a stream connect() to name succeed? 1 yes, 0 no. */
static inline int pu_connect_ok(const char *name)
{
    int fd = nm_connect(name, SOCK_STREAM);

    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

/* ---- connections: the test's own connect, the harness's steps -------------------- */

/* Connects to server s with a socket of its type, within SL_CONNECT_MS
 * (a connect() to a full backlog waits; SO_SNDTIMEO bounds it), then
 * makes it non-blocking, as the harness's steps want it. */
static inline int pu_conn_open(sl_conn_t *c, pu_srv_t *s)
{
    static int opened;
    struct sockaddr_un sun;
    socklen_t len = nm_sun(&sun, s->name);
    struct timeval tv = {sl_scaled_ms(SL_CONNECT_MS) / 1000, (sl_scaled_ms(SL_CONNECT_MS) % 1000) * 1000};
    int e;

    memset(c, 0, sizeof *c);
    snprintf(c->peer, sizeof c->peer, "%s", PU_SERVER);
    snprintf(c->label, sizeof c->label, "client %d", ++opened);
    c->fd = socket(AF_UNIX, s->type | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -1;
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(c->fd, (struct sockaddr *)&sun, len) < 0) {
        e = errno;
        close(c->fd);
        c->fd = -1;
        errno = e;
        return -1;
    }
    memset(&tv, 0, sizeof tv);
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    fcntl(c->fd, F_SETFL, O_NONBLOCK);
    sl_note("%s: connected to %s at unix:%s", c->label, PU_SERVER, s->name);
    return 0;
}

static inline void pu_connect(sl_conn_t *c, pu_srv_t *s, const char *file, int line)
{
    if (pu_conn_open(c, s) == 0)
        return;
    {
        int e = errno;
        char said[400];

        snprintf(said, sizeof said, "cannot connect to %s: %s", s->where, strerror(e));
        sl_sleep_ms(50);
        pu_if_ended(s, said, file, line);
        sl_fail_errno_at(file, line, 1, e, "%s", said);
    }
}
#define PU_CONNECT(c, s) pu_connect((c), (s), __FILE__, __LINE__)

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
    "Echo in a loop: recv(), srv_send_all() what came, recv() again, until recv() "  \
    "returns 0, which happens only once the client half-closes (shutdown(SHUT_WR)). "  \
    "One recv() is not a whole client."

/* An expect failed: if the server closed the connection, say that first. */
static inline void pu_expect_failed(pu_srv_t *s, int half_closed, const char *file, int line)
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
                       "the client sent (the client had half-closed): %s", PU_SERVER, said);
        }
    }
    SL_HINT(PU_ONE_RECV_HINT)
    {
        sl_fail_at(file, line, 1, "%s ended the connection before the client half-closed: "
                   "does it stop after one recv()? %s", PU_SERVER, said);
    }
}

#define PU_EXPECT_BYTES(c, s, buf, len, ms)                                   \
    do {                                                                      \
        if (sl_conn_expect((c), (buf), (len), (ms)) < 0)                      \
            pu_expect_failed((s), 0, __FILE__, __LINE__);                     \
    } while (0)
#define PU_EXPECT(c, s, text, ms) PU_EXPECT_BYTES((c), (s), (text), strlen(text), (ms))
#define PU_EXPECT_REST(c, s, text, ms)                                        \
    do {                                                                      \
        if (sl_conn_expect((c), (text), strlen(text), (ms)) < 0)              \
            pu_expect_failed((s), 1, __FILE__, __LINE__);                     \
    } while (0)

/* The client half-closes; it fails only if the server reset first. */
static inline void pu_shutdown(sl_conn_t *c, pu_srv_t *s, const char *file, int line)
{
    if (sl_conn_shutdown(c) == 0)
        return;
    pu_step_failed(s, file, line);
}
#define PU_SHUTDOWN(c, s) pu_shutdown((c), (s), __FILE__, __LINE__)

/* After the client half-closed and got all its echo back, the server must
 * close: the worker returns from serve() and close()s the descriptor it
 * got. */
static inline void pu_expect_end(sl_conn_t *c, pu_srv_t *s, const char *file, int line)
{
    if (sl_conn_expect_eof(c, 2000) == 0)
        return;
    {
        char said[1100];

        snprintf(said, sizeof said, "%s", sl_harness_error());
        sl_sleep_ms(30);
        pu_if_ended(s, said, file, line);
        SL_HINT("When serve() returns, the worker must close() the descriptor it got from "
                "ux_recv_fds(): the listener closed its copy after handing it over, so the "
                "worker's is the last, and until it closes, the client waits for the end "
                "of its connection. (A descriptor received is yours: close it.)")
        {
            sl_fail_at(file, line, 1, "after the client half-closed and all its bytes came "
                       "back: %s (the connection never ended: does the worker close() the "
                       "descriptor ux_recv_fds() gave it, once serve() returns?)", said);
        }
    }
}
#define PU_EXPECT_END(c, s) pu_expect_end((c), (s), __FILE__, __LINE__)

/* One exchange: send text, expect it back. */
#define PU_EXCHANGE(c, s, text)                                               \
    do {                                                                      \
        PU_SEND((c), (s), (text));                                            \
        PU_EXPECT((c), (s), (text), 2000);                                    \
    } while (0)

/* One complete session with server s: connect, two exchanges, half-close,
 * the end. */
#define PU_ECHO_ONCE(s, text)                                                 \
    do {                                                                      \
        sl_conn_t pu_c_;                                                      \
        PU_CONNECT(&pu_c_, (s));                                              \
        PU_EXCHANGE(&pu_c_, (s), (text));                                     \
        PU_EXCHANGE(&pu_c_, (s), "and once more\n");                          \
        PU_SHUTDOWN(&pu_c_, (s));                                             \
        PU_EXPECT_END(&pu_c_, (s));                                           \
        sl_conn_close(&pu_c_);                                                \
    } while (0)

/* Stops server s: first two new clients must still be served, then
 * SIGTERM must end it with status 0. */
#define PU_STOP(s)                                                            \
    do {                                                                      \
        sl_note("two more clients, to see that %s still serves", PU_SERVER);  \
        for (int pu_i_ = 0; pu_i_ < 2; pu_i_++)                               \
            PU_ECHO_ONCE((s), "still serving?\n");                            \
        PU_SERVER_STOP(s);                                                    \
    } while (0)

/* A client that resets: it sends text, waits until the echo is there,
 * and closes without reading it. A Unix-domain socket closed with bytes
 * unread resets the connection: the server's next recv() or send() fails
 * with ECONNRESET (or EPIPE). */
static inline void pu_conn_reset(sl_conn_t *c, const void *buf, size_t len)
{
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    size_t off = 0;

    while (off < len) {
        ssize_t n = send(c->fd, (const char *)buf + off, len - off, MSG_NOSIGNAL);

        if (n > 0)
            off += (size_t)n;
        else if (n < 0 && errno == EAGAIN)
            poll(&(struct pollfd){.fd = c->fd, .events = POLLOUT}, 1, 100);
        else
            break;
    }
    poll(&p, 1, sl_scaled_ms(500));
    sl_note("%s: sent %zu bytes, then closed with the echo unread (a reset)", c->label, off);
    sl_conn_close(c);
}

/* ---- records (SOCK_SEQPACKET) ----------------------------------------------------- */

/* Sends one record of len bytes on c. */
static inline void pu_record_send(sl_conn_t *c, pu_srv_t *s, const void *buf, size_t len,
                                  const char *file, int line)
{
    for (int tries = 0; tries < 300; tries++) {
        ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL);

        if (n == (ssize_t)len) {
            sl_note("%s: sent a record of %zu bytes: %s", c->label, len, sl_bytes(buf, len));
            return;
        }
        if (n >= 0 || (errno != EAGAIN && errno != EINTR)) {
            char said[300];

            snprintf(said, sizeof said, "%s: a send() of a record of %zu bytes failed: %s",
                     c->label, len, n < 0 ? strerror(errno) : "a short count");
            sl_sleep_ms(30);
            pu_if_ended(s, said, file, line);
            sl_fail_at(file, line, 1, "%s", said);
        }
        poll(&(struct pollfd){.fd = c->fd, .events = POLLOUT}, 1, 10);
    }
    sl_fail_at(file, line, 1, "%s: no room to send a record of %zu bytes for 3 s (does %s "
               "read?)", c->label, len, PU_SERVER);
}
#define PU_RECORD_SEND(c, s, buf, len) pu_record_send((c), (s), (buf), (len), __FILE__, __LINE__)

/* Expects one record equal to want within ms: it must come whole, as one. */
static inline void pu_record_expect(sl_conn_t *c, pu_srv_t *s, const void *want, size_t len,
                                    int ms, const char *file, int line)
{
    static char got[1 << 18];
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    ssize_t n = -1;
    char said[600];

    if (poll(&p, 1, sl_scaled_ms(ms)) > 0)
        n = recv(c->fd, got, sizeof got, MSG_TRUNC);
    if (n >= 0 && (size_t)n == len && len <= sizeof got && memcmp(got, want, len) == 0) {
        sl_note("%s: got back the record of %zu bytes, whole", c->label, len);
        return;
    }
    if (n < 0)
        snprintf(said, sizeof said, "%s: expected the record of %zu bytes back within %d ms: "
                 "%s", c->label, len, sl_scaled_ms(ms), p.revents ? strerror(errno) : "nothing came");
    else if (n == 0)
        snprintf(said, sizeof said, "%s: expected the record of %zu bytes back: %s closed "
                 "the connection", c->label, len, PU_SERVER);
    else if ((size_t)n != len)
        snprintf(said, sizeof said, "%s: sent a record of %zu bytes, got back a record of "
                 "%zd: each record goes back as one, as it came (receive a whole record, "
                 "send it in one send())", c->label, len, n);
    else
        snprintf(said, sizeof said, "%s: the record of %zu bytes came back with other "
                 "bytes: %s", c->label, len, sl_bytes(got, (size_t)n));
    sl_sleep_ms(30);
    pu_if_ended(s, said, file, line);
    sl_fail_at(file, line, 1, "%s", said);
}
#define PU_RECORD_EXPECT(c, s, want, len, ms)                                 \
    pu_record_expect((c), (s), (want), (len), (ms), __FILE__, __LINE__)

/* ---- programs run to their end ---------------------------------------------- */

/* Runs the server with args as a run that must end by itself (it was
 * given something it must refuse): killed if still running after ms,
 * with r->timed_out set; the test looks at what it left first. */
static inline void pu_run_server(sl_run_t *r, const char *const *args, int ms)
{
    if (sl_run(r, PU_SERVER, args, NULL, 0, ms) < 0 && !r->timed_out)
        sl_harness_fail(__FILE__, __LINE__);
    sl_prog_check_todo(&r->prog);
}

/* ---- an echo server of the test's own ------------------------------------------
 * A correct iterative echo server on a Unix-domain stream socket, in a
 * child process of plain system calls: the client's tests run against
 * it, so that they grade the client alone. It counts what it sees in
 * memory it shares with the test. */

typedef struct pu_echo_seen {
    volatile int connections;   /* clients accepted */
    volatile long received;     /* bytes received */
    volatile long echoed;       /* bytes sent back */
    volatile int half_closed;   /* clients whose end of stream came */
} pu_echo_seen_t;

typedef struct pu_echo {
    pid_t pid;
    char name[160];
    pu_echo_seen_t *seen;
    int reply;   /* 1: echo; 0: read one line, close without an echo */
} pu_echo_t;

static inline void pu_echo_serve(int lfd, pu_echo_seen_t *seen, int reply)
{
    char buf[16384];

    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        ssize_t n;

        if (fd < 0)
            continue;
        seen->connections++;
        while ((n = recv(fd, buf, reply ? sizeof buf : 1, 0)) != 0) {
            ssize_t off = 0;

            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                break;
            seen->received += n;
            if (!reply) {
                if (buf[0] == '\n')
                    break;   /* a line read: close, all of it read (no reset) */
                continue;
            }
            while (off < n) {
                ssize_t w = send(fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0)
                    break;
                off += w;
                seen->echoed += w;
            }
            if (off < n)
                break;
        }
        if (n == 0)
            seen->half_closed++;
        close(fd);
    }
}

/* Starts the test's own server on name (reply 1: an echo server; 0: one
 * that reads a line and closes). Stop it with pu_echo_stop(). */
static inline void pu_echo_start(pu_echo_t *e, const char *name, int reply)
{
    int lfd = nm_listener(name, SOCK_STREAM, 16);

    snprintf(e->name, sizeof e->name, "%s", name);
    e->reply = reply;
    e->seen = mmap(NULL, sizeof *e->seen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                   -1, 0);
    if (e->seen == MAP_FAILED)
        SL_FAIL_FATAL("test setup: mmap: %s", strerror(errno));
    memset((void *)e->seen, 0, sizeof *e->seen);
    e->pid = sl_fork();
    if (e->pid == 0) {
        pu_echo_serve(lfd, e->seen, reply);
        _exit(0);
    }
    close(lfd);
    sl_note("the test's own %s listens on unix:%s", reply ? "echo server" :
            "server (it reads a line and closes without an echo)", name);
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

/* ---- bulk bytes -------------------------------------------------------------- */

/* Sends all of data on c and reads as much back at the same time (poll,
 * non-blocking), then half-closes and expects the end. Every byte back
 * must equal the byte sent, within ms. */
static inline void pu_echo_bulk(sl_conn_t *c, pu_srv_t *s, const unsigned char *data,
                                size_t len, int ms, const char *file, int line)
{
    static unsigned char back[65536];
    double end = sl_now_ms() + sl_scaled_ms(ms);
    size_t sent = 0, got = 0;
    char said[600];

    said[0] = '\0';
    while (got < len && !said[0]) {
        struct pollfd p = {.fd = c->fd, .events = POLLIN | (sent < len ? POLLOUT : 0)};
        ssize_t n;

        if (sl_now_ms() > end) {
            snprintf(said, sizeof said, "sent %zu of %zu bytes and got %zu back within %d ms: "
                     "expected all of them back", sent, len, got, sl_scaled_ms(ms));
            break;
        }
        poll(&p, 1, 100);
        if ((p.revents & POLLOUT) && sent < len) {
            n = send(c->fd, data + sent, len - sent < 65536 ? len - sent : 65536, MSG_NOSIGNAL);
            if (n > 0)
                sent += (size_t)n;
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                snprintf(said, sizeof said, "send failed after %zu of %zu bytes (%zu back): %s",
                         sent, len, got, strerror(errno));
            if (sent == len)
                shutdown(c->fd, SHUT_WR);
        }
        if (!said[0] && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
            n = recv(c->fd, back, len - got < sizeof back ? len - got : sizeof back, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                snprintf(said, sizeof said, "%s %s the connection after %zu of %zu bytes came "
                         "back", PU_SERVER, n == 0 ? "closed" : "reset", got, len);
            else if (n > 0 && memcmp(back, data + got, (size_t)n) != 0)
                snprintf(said, sizeof said, "a byte near %zu came back other than it was sent "
                         "(send back exactly the n bytes recv() gave, in order)", got);
            else if (n > 0)
                got += (size_t)n;
        }
    }
    if (said[0]) {
        sl_sleep_ms(50);
        pu_if_ended(s, said, file, line);
        sl_fail_at(file, line, 1, "%s", said);
    }
    sl_note("%s: all %zu bytes came back", c->label, len);
    pu_expect_end(c, s, file, line);
}
#define PU_ECHO_BULK(c, s, data, len, ms) pu_echo_bulk((c), (s), (data), (len), (ms), __FILE__, __LINE__)

#endif
