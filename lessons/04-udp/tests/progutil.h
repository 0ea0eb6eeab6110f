/* progutil.h - helpers shared by the program tests of lesson 04 (the files
 * with SL_TASK_PROGRAMS). They drive the programs over sockets and pipes
 * with the harness (sl_harness.h) and plain system calls, and call no
 * function of udp.h: these tests run with no student code in their
 * process. */
#ifndef PROGUTIL_H
#define PROGUTIL_H

#include <dirent.h>
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
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sl_checks.h"
#include "sl_harness.h"
#include "sl_sockets.h"
#include "sl_util.h"
#include "sl_test.h"

#define PU_MAX_DATAGRAM 65507   /* the largest over IPv4 (udp.h: UDP_MAX_DATAGRAM) */
#define PU_MAX_DATAGRAM6 65527  /* the largest over IPv6 without jumbograms */
#define PU_BUFFER 65536         /* holds any datagram */

/* ---- words ------------------------------------------------------------------ */

/* A number as text, in a static buffer (one of a few in turn). */
static inline const char *pu_num(long n)
{
    static char bufs[6][24];
    static unsigned next;
    char *b = bufs[next++ % 6];

    snprintf(b, sizeof bufs[0], "%ld", n);
    return b;
}

/* "ADDR:PORT" or "[ADDR]:PORT" for host (numeric) and port. */
static inline const char *pu_where(const char *host, int port)
{
    static char bufs[4][80];
    static unsigned next;
    char *b = bufs[next++ % 4];

    snprintf(b, sizeof bufs[0], strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
    return b;
}

/* ---- servers ---------------------------------------------------------------- */

/* If server s has ended (crashed, exited), ends the test saying how, after
 * `said` (what went wrong, or what the server had just been through). */
static inline void pu_if_ended(sl_server_t *s, const char *said, const char *file, int line)
{
    char how[SL_PROG_HOW_MAX];

    sl_prog_read(&s->prog, NULL, sl_deadline(0));
    if (!s->prog.ended)
        return;
    sl_prog_check_todo(&s->prog);
    sl_prog_how(&s->prog, how, sizeof how);
    sl_fail_at(file, line, 1, "%s: %s %s%s; a UDP server serves every peer from one socket, "
               "and no datagram may end it", said, s->prog.name, how, sl_last_words(&s->prog));
}

/* A step with server s failed (`said` says how): ends the test, saying
 * how the server ended if it did (the usual reason), else what it said
 * last on stderr. */
static inline void pu_failed_with(sl_server_t *s, const char *said, const char *file, int line)
{
    sl_sleep_ms(50);   /* a server that is dying: let it end */
    pu_if_ended(s, said, file, line);
    sl_fail_at(file, line, 1, "%s%s", said, s->prog.err.len ? sl_last_words(&s->prog) : "");
}

/* A harness step with server s failed: ends the test with the harness's
 * sentence (see pu_failed_with()). */
static inline void pu_step_failed(sl_server_t *s, const char *file, int line)
{
    char said[1024];

    snprintf(said, sizeof said, "%s", sl_harness_error());
    pu_failed_with(s, said, file, line);
}

/* The harness's datagram checks, with the server named: a failure says
 * whether the server had died. */
#define PU_UDP_OPEN(u, s)                                                     \
    do {                                                                      \
        if (sl_udp_open((u), (s)) < 0)                                        \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)
#define PU_UDP_SEND(u, s, buf, len)                                           \
    do {                                                                      \
        if (sl_udp_send((u), (buf), (len)) < 0)                               \
            pu_step_failed((s), __FILE__, __LINE__);                          \
    } while (0)
#define PU_UDP_EXPECT(u, s, buf, len, ms)                                     \
    pu_udp_expect((u), (s), (buf), (len), (ms), __FILE__, __LINE__)

static inline int pu_recv_any(sl_udp_t *u, void *buf, size_t cap, size_t *len,
                              struct sockaddr_storage *from, socklen_t *fromlen, int ms);

/* Expects on u, within ms, a datagram of exactly `want` from server s's
 * own address and port; anything else ends the test, saying what came
 * (nothing, other bytes, a datagram from another address or port) and,
 * if the server ended, how. */
static inline void pu_udp_expect(sl_udp_t *u, sl_server_t *s, const void *want, size_t len,
                                 int ms, const char *file, int line)
{
    static unsigned char got[PU_BUFFER];
    struct sockaddr_storage from;
    socklen_t fromlen = 0;
    size_t n = 0;
    char said[1024];

    if (!pu_recv_any(u, got, sizeof got, &n, &from, &fromlen, ms)) {
        snprintf(said, sizeof said, "expected a datagram of %zu bytes %s from %s within %d ms: "
                 "got nothing", len, sl_bytes(want, len), u->peer_text, sl_scaled_ms(ms));
        pu_failed_with(s, said, file, line);
    }
    if (fromlen != u->peerlen || memcmp(&from, &u->peer, fromlen) != 0) {
        char host[64] = "?", serv[16] = "?";

        getnameinfo((struct sockaddr *)&from, fromlen, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV);
        sl_fail_at(file, line, 1, "the echo of %s came from %s%s%s:%s, not from %s: send it "
                   "from the socket the datagram came to (a client that sent to the server's "
                   "port takes replies from that port only)", sl_bytes(want, len),
                   from.ss_family == AF_INET6 ? "[" : "", host,
                   from.ss_family == AF_INET6 ? "]" : "", serv, u->peer_text);
    }
    if (n != len || memcmp(got, want, len) != 0) {
        snprintf(said, sizeof said, "expected a datagram of %zu bytes %s from %s: got %zu bytes "
                 "%s", len, sl_bytes(want, len), u->peer_text, n,
                 sl_bytes(got, n < sizeof got ? n : sizeof got));
        pu_failed_with(s, said, file, line);
    }
    sl_note("%s: received a datagram of %zu bytes: %s", u->label, n, sl_bytes(got, n));
}

/* One exchange with server s from a socket of its own: "text" goes and
 * must come back. */
#define PU_ECHO_ONCE(s, text)                                                 \
    do {                                                                      \
        sl_udp_t pu_u_;                                                       \
        PU_UDP_OPEN(&pu_u_, (s));                                             \
        PU_UDP_SEND(&pu_u_, (s), (text), strlen(text));                       \
        PU_UDP_EXPECT(&pu_u_, (s), (text), strlen(text), 1000);               \
        sl_udp_close(&pu_u_);                                                 \
    } while (0)

/* Ends the test unless server s still serves after `after`: it must be
 * running, and echo a datagram from a peer it has never seen. */
static inline void pu_still_serving(sl_server_t *s, const char *after, const char *file, int line)
{
    static unsigned char got[PU_BUFFER];
    struct sockaddr_storage from;
    socklen_t fromlen;
    char said[300];
    size_t n = 0;
    sl_udp_t u;

    snprintf(said, sizeof said, "after %s", after);
    sl_sleep_ms(20);
    pu_if_ended(s, said, file, line);
    if (sl_udp_open(&u, s) < 0 || sl_udp_send(&u, "still serving?", 14) < 0)
        pu_step_failed(s, file, line);
    if (!pu_recv_any(&u, got, sizeof got, &n, &from, &fromlen, 1000)) {
        snprintf(said, sizeof said, "after %s, a datagram from a new peer got no echo within "
                 "%d ms, though udp-echo-server still runs: it serves only the peers it saw "
                 "first (does it connect() to one, or keep its address?)", after,
                 sl_scaled_ms(1000));
        pu_failed_with(s, said, file, line);
    }
    sl_udp_close(&u);
    if (n != 14 || memcmp(got, "still serving?", 14) != 0)
        sl_fail_at(file, line, 1, "after %s, a new peer sent \"still serving?\" and got %s "
                   "back", after, sl_bytes(got, n < sizeof got ? n : sizeof got));
    sl_note("the server still serves a new peer");
}

#define PU_STILL_SERVING(s, after) pu_still_serving((s), (after), __FILE__, __LINE__)

/* Stops the server; it must exit with status 0 (a crash is named). */
#define PU_STOP(s) SL_SERVER_STOP(s)

/* ---- datagrams of the test's own ----------------------------------------------- */

/* Receives one datagram on u within ms, from any address: 1 with its
 * length and sender, 0 if none came. Unlike sl_udp_recv(), it keeps a
 * datagram from another address, so that a test can say where it came
 * from. */
static inline int pu_recv_any(sl_udp_t *u, void *buf, size_t cap, size_t *len,
                              struct sockaddr_storage *from, socklen_t *fromlen, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);

    for (;;) {
        struct pollfd p = {.fd = u->fd, .events = POLLIN};
        socklen_t fl = sizeof *from;
        int left = (int)(end - sl_now_ms());
        ssize_t n;

        if (left <= 0 || poll(&p, 1, left) <= 0)
            return 0;
        n = recvfrom(u->fd, buf, cap, MSG_TRUNC | MSG_DONTWAIT, (struct sockaddr *)from, &fl);
        if (n < 0)
            continue;
        *len = (size_t)n;
        *fromlen = fl;
        return 1;
    }
}

/* ---- the fault injectors (grader/faults/) --------------------------------------- */

/* Every injector a test starts ends by itself, after 10 s (scaled, as the
 * test's own timeout is: under valgrind a test may run longer than 10 s). */
static inline const char *pu_fault_seconds(void)
{
    static char text[16];

    snprintf(text, sizeof text, "%d", (sl_scaled_ms(10000) + 999) / 1000);
    return text;
}

/* Starts sl-udp-relay on host in front of `to` ("ADDR:PORT", "[::1]:PORT")
 * with the faults given ("--drop", "0.2", ..., NULL) and a seed: the k-th
 * datagram each way meets the same fate on every run. */
static inline void pu_start_relay(sl_server_t *px, const char *host, const char *to,
                                  const char *seed, const char *const *faults)
{
    const char *args[20] = {"--to", to, "--seed", seed, "--max-seconds", pu_fault_seconds()};
    size_t n = 6;
    char said[200];
    size_t k = 0;

    for (size_t i = 0; faults && faults[i] && n < 19; i++)
        args[n++] = faults[i];
    args[n] = NULL;
    for (size_t i = 6; i < n && k + 2 < sizeof said; i++)
        k += (size_t)snprintf(said + k, sizeof said - k, "%s%s", i > 6 ? " " : "", args[i]);
    said[k < sizeof said ? k : sizeof said - 1] = '\0';
    sl_note("sl-udp-relay %s --seed %s (the same seed replays the same faults)", said, seed);
    SL_SERVER_START_ARGS(px, "sl-udp-relay", host, args);
}

/* Stops the relay and notes its counts. */
static inline void pu_stop_relay(sl_server_t *px)
{
    const char *counts;

    SL_SERVER_STOP(px);
    counts = strstr(px->prog.out.data, "datagrams:");
    if (counts)
        sl_note("sl-udp-relay: %.*s", (int)strcspn(counts, "\n"), counts);
}

/* ---- a UDP echo server of the test's own ------------------------------------------
 * A correct echo server in a child process, built from plain system calls:
 * the client's tests run against it (or against a scripted server, below),
 * so that they grade the client alone, whatever state the student's
 * udp-echo-server is in. */

/* A UDP socket of the test's bound to host (numeric), port 0. */
static inline int pu_udp_bound(const char *host)
{
    struct addrinfo hints, *res;
    int fd;

    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    hints.ai_socktype = SOCK_DGRAM;
    if (getaddrinfo(host, "0", &hints, &res) != 0)
        SL_FAIL_FATAL("test setup: \"%s\" is not an address", host);
    fd = socket(res->ai_family, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0) {
        freeaddrinfo(res);
        SL_FAIL_FATAL("test setup: cannot bind a UDP socket to %s: %s", host, strerror(errno));
    }
    freeaddrinfo(res);
    return fd;
}

/* Starts the test's echo server on host: its pid; *port is where it is. */
static inline pid_t pu_echo_start(const char *host, int *port)
{
    int fd = pu_udp_bound(host);
    pid_t pid;

    *port = sl_port_of(fd);
    pid = sl_fork();
    if (pid == 0) {
        static unsigned char buf[PU_BUFFER];

        for (;;) {
            struct sockaddr_storage from;
            socklen_t len = sizeof from;
            ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

            if (n >= 0)
                sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
        }
    }
    close(fd);
    sl_note("the test's own UDP echo server is at %s", pu_where(host, *port));
    return pid;
}

static inline void pu_echo_stop(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* ---- a scripted server for the client --------------------------------------------
 * The test's own server in the test's process: while udp-echo-client runs,
 * each datagram it sends is noted (the kernel's time of arrival, its id and
 * first bytes) and handed to a policy that decides what to answer: echo it,
 * drop it, answer twice, answer with another id, send junk... */

#define PU_SEEN 64
#define PU_SEEN_BYTES 96

/* One datagram the client sent. */
typedef struct pu_seen {
    double at_ms;                          /* when it came, since the client started */
    size_t len;                            /* its length */
    long id;                               /* its id (digits, then a space), or -1 */
    size_t head;                           /* where its payload starts */
    unsigned char data[PU_SEEN_BYTES];     /* its first bytes */
} pu_seen_t;

typedef struct pu_script pu_script_t;

/* What to do with the k-th datagram (k from 0); d and len are all of it. */
typedef void (*pu_policy_t)(pu_script_t *s, int k, const unsigned char *d, size_t len);

struct pu_script {
    int fd;                            /* the server's socket */
    int port;                          /* its port */
    struct sockaddr_storage client;    /* who sent the last datagram */
    socklen_t clientlen;
    pu_seen_t seen[PU_SEEN];           /* what came, in order */
    int count;
    pu_policy_t policy;
    long arg;                          /* for the policy */
    double chatter_ms;                 /* > 0: junk to the client this often */
    sl_prog_t *prog;                   /* the client, while it runs */
    double next_chatter, t0;
    double ran_ms;                     /* how long the client ran */
};

/* Reads the id of a datagram: 1 to 10 digits, then a space; -1 if not. */
static inline long pu_id_of(const unsigned char *d, size_t len, size_t *head)
{
    long v = 0;
    size_t i = 0;

    while (i < len && i < 10 && d[i] >= '0' && d[i] <= '9')
        v = v * 10 + (d[i++] - '0');
    if (i == 0 || i >= len || d[i] != ' ')
        return -1;
    if (head)
        *head = i + 1;
    return v;
}

/* How many datagrams of id `id` the server got so far. */
static inline int pu_tries_of(const pu_script_t *s, long id)
{
    int n = 0;

    for (int i = 0; i < s->count && i < PU_SEEN; i++)
        n += s->seen[i].id == id;
    return n;
}

/* The line (1, 2, ...) whose request has id `id`: the order in which the
 * ids first came, so that a retry, however early, never shifts the count;
 * 0 if no datagram had that id. */
static inline int pu_line_of(const pu_script_t *s, long id)
{
    int line = 0;

    for (int i = 0; i < s->count && i < PU_SEEN; i++) {
        int first = 1;

        for (int j = 0; j < i && first; j++)
            first = s->seen[j].id != s->seen[i].id;
        line += first;
        if (s->seen[i].id == id)
            return line;
    }
    return 0;
}

/* How many lines (requests of distinct ids) the server got. */
static inline int pu_lines_sent(const pu_script_t *s)
{
    int n = 0;

    for (int i = 0; i < s->count && i < PU_SEEN; i++)
        if (pu_line_of(s, s->seen[i].id) > n)
            n = pu_line_of(s, s->seen[i].id);
    return n;
}

/* The index in s->seen of try `try` (1, 2, ...) of line `line`, or -1. */
static inline int pu_seen_index(const pu_script_t *s, int line, int try)
{
    for (int i = 0; i < s->count && i < PU_SEEN; i++)
        if (pu_line_of(s, s->seen[i].id) == line && --try == 0)
            return i;
    return -1;
}

/* Sends a datagram to the client. */
static inline void pu_script_send(pu_script_t *s, const void *d, size_t len)
{
    sendto(s->fd, d, len, 0, (struct sockaddr *)&s->client, s->clientlen);
}

/* Sends "ID payload" to the client. */
static inline void pu_script_reply(pu_script_t *s, long id, const void *payload, size_t len)
{
    static unsigned char out[PU_BUFFER];
    int h = snprintf((char *)out, 16, "%ld ", id);

    if (len > sizeof out - (size_t)h)
        len = sizeof out - (size_t)h;
    memcpy(out + h, payload, len);
    pu_script_send(s, out, (size_t)h + len);
}

/* A scripted server on host with a policy. */
static inline void pu_script_init(pu_script_t *s, const char *host, pu_policy_t policy, long arg)
{
    int one = 1;

    memset(s, 0, sizeof *s);
    s->fd = pu_udp_bound(host);
    s->port = sl_port_of(s->fd);
    s->policy = policy;
    s->arg = arg;
    setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    sl_wait_stamps(s->fd);
    sl_note("the test's scripted UDP server is at %s", pu_where(host, s->port));
}

/* Takes the datagrams waiting on the server's socket. */
static inline void pu_script_take(pu_script_t *s)
{
    static unsigned char buf[PU_BUFFER];

    for (;;) {
        union { struct cmsghdr align; char space[CMSG_SPACE(sizeof(struct timespec))]; } cbuf;
        struct iovec iov = {buf, sizeof buf};
        struct msghdr msg;
        struct timespec at;
        pu_seen_t *seen;
        ssize_t n;

        memset(&msg, 0, sizeof msg);
        msg.msg_name = &s->client;
        msg.msg_namelen = sizeof s->client;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf.space;
        msg.msg_controllen = sizeof cbuf.space;
        n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
        if (n < 0)
            return;
        s->clientlen = msg.msg_namelen;
        clock_gettime(CLOCK_REALTIME, &at);
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
                memcpy(&at, CMSG_DATA(c), sizeof at);
        if (s->count < PU_SEEN) {
            seen = &s->seen[s->count];
            memset(seen, 0, sizeof *seen);
            seen->at_ms = at.tv_sec * 1000.0 + at.tv_nsec / 1e6 - s->t0;
            seen->len = (size_t)n;
            seen->id = pu_id_of(buf, (size_t)n, &seen->head);
            memcpy(seen->data, buf, (size_t)n < PU_SEEN_BYTES ? (size_t)n : PU_SEEN_BYTES);
            sl_note("the server got datagram %d at %.0f ms after udp-echo-client started (the "
                    "kernel's time of arrival): %zu bytes %s", s->count + 1,
                    seen->at_ms, seen->len, sl_bytes(buf, (size_t)n));
        }
        s->count++;
        if (s->policy)
            s->policy(s, s->count - 1, buf, (size_t)n);
    }
}

/* Writes what of in the program takes now; closes its stdin once all is in
 * (or once it stopped reading). */
static inline void pu_feed(sl_prog_t *p, const char *in, size_t len, size_t *off)
{
    while (p->in_fd >= 0 && *off < len) {
        ssize_t n = write(p->in_fd, in + *off, len - *off);

        if (n > 0) {
            *off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EAGAIN)
            return;
        break;
    }
    if (p->in_fd >= 0) {
        close(p->in_fd);
        p->in_fd = -1;
    }
}

/* Runs `udp-echo-client args` with stdin `in` against the scripted server
 * for at most ms (and never past the test's own deadline, so that the test
 * says what happened): 0 once it ended, -1 if it was still running at the
 * end (then killed; p->ended is set, s->ran_ms says when). The client
 * stopped at a TODO() ends the test as not implemented. */
static inline int pu_script_run(pu_script_t *s, sl_prog_t *p, const char *const *args,
                                const void *in, size_t in_len, int ms)
{
    const char *data = in;
    double start = sl_now_ms(), end = sl_deadline(ms) * 1000.0;   /* CLOCK_MONOTONIC, as sl_now_ms() */
    struct timespec t0;
    size_t off = 0;

    clock_gettime(CLOCK_REALTIME, &t0);
    s->t0 = t0.tv_sec * 1000.0 + t0.tv_nsec / 1e6;
    s->next_chatter = 0;
    s->prog = p;
    if (sl_prog_start(p, "udp-echo-client", args, 1) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    if (in_len)
        sl_note("udp-echo-client's stdin: %zu bytes: %s", in_len, sl_bytes(in, in_len));
    signal(SIGPIPE, SIG_IGN);
    fcntl(p->in_fd, F_SETFL, O_NONBLOCK);
    for (;;) {
        struct pollfd f = {.fd = s->fd, .events = POLLIN};

        pu_feed(p, data, in_len, &off);
        poll(&f, 1, 5);
        pu_script_take(s);
        if (s->chatter_ms > 0 && s->clientlen > 0 && sl_now_ms() >= s->next_chatter) {
            pu_script_send(s, "999999 junk\n", 12);
            s->next_chatter = sl_now_ms() + s->chatter_ms;
        }
        if (sl_prog_wait(p, sl_deadline(0)) == 0)
            break;
        if (sl_now_ms() > end) {
            s->ran_ms = sl_now_ms() - start;
            kill(p->pid, SIGKILL);
            sl_prog_wait(p, sl_deadline(1000));
            sl_note("udp-echo-client was still running after %.0f ms: killed", s->ran_ms);
            return -1;
        }
    }
    s->ran_ms = sl_now_ms() - start;
    pu_script_take(s);
    char how[SL_PROG_HOW_MAX];
    sl_note("udp-echo-client %s; stdout %zu bytes, stderr %zu bytes", sl_prog_how(p, how,
            sizeof how), p->out.total, p->err.total);
    sl_prog_check_todo(p);
    return 0;
}

/* What the server saw of a client run with -t ms (unscaled) -r retries
 * that had to be killed, for a sentence: how far it got, and, if it ran
 * past the time its tries take, that it should have given up by then. */
static inline const char *pu_script_story(const pu_script_t *s, int ms, int retries)
{
    static char out[500];
    const pu_seen_t *last;
    int n = s->count < PU_SEEN ? s->count : PU_SEEN, len, first;
    double budget = sl_scaled_ms(ms) * (double)((2L << retries) - 1);

    if (n == 0)
        return ": the server got no datagram from it at all";
    last = &s->seen[n - 1];
    len = snprintf(out, sizeof out, ": the server got %d datagram%s for %d line%s, the last "
                   "one (line %d, sent %d time%s) %.0f ms after the start", s->count,
                   s->count == 1 ? "" : "s", pu_lines_sent(s), pu_lines_sent(s) == 1 ? "" : "s",
                   pu_line_of(s, last->id), pu_tries_of(s, last->id),
                   pu_tries_of(s, last->id) == 1 ? "" : "s", last->at_ms);
    first = pu_seen_index(s, pu_line_of(s, last->id), 1);
    if (first >= 0 && s->ran_ms - s->seen[first].at_ms > 1.2 * budget + 200)
        snprintf(out + len, sizeof out - (size_t)len, "; with -t %d -r %d all the tries of a "
                 "line take %.0f ms: it should have given up on line %d by then, never wait "
                 "for ever", sl_scaled_ms(ms), retries, budget, pu_line_of(s, last->id));
    return out;
}

/* The policies every test may use. */
static inline void pu_policy_echo(pu_script_t *s, int k, const unsigned char *d, size_t len)
{
    (void)k;
    pu_script_send(s, d, len);
}

static inline void pu_script_free(pu_script_t *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

#endif
