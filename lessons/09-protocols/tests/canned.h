/* canned.h - the test's own loopback server for lesson 09's program
 * tests: a thread in the test process (trusted code, no student code)
 * that accepts connections on 127.0.0.1 or ::1, port 0, reads each
 * request up to its empty line (or a Gopher selector up to CRLF), keeps
 * it, and answers with the next canned response: all at once, one byte at
 * a time, or without end; then closes (or stays open, as a keep-alive
 * server that framed its body does). A request that does not end (no
 * empty line; for Gopher no LF) within 3 s gets no answer: the transcript
 * says so, and the connection is closed. */
#ifndef CANNED_H
#define CANNED_H

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sl_checks.h"
#include "sl_harness.h"
#include "sl_test.h"

#define CS_MAX_REPLIES 16
#define CS_MAX_REQUESTS 32
#define CS_REQ_MAX 8192

/* How a reply is sent. */
enum {
    CS_ALL = 0,     /* at once, then close */
    CS_BYTES = 1,   /* one byte per send(), TCP_NODELAY, then close */
    CS_HOLD = 2,    /* at once, then keep the connection open (until the client closes) */
    CS_ENDLESS = 4, /* the reply, then `endless` again and again until the client goes */
    CS_RESET = 8    /* at once, then a reset instead of a close */
};

/* One canned reply: its bytes (or a generated body), and how. */
typedef struct cs_reply {
    const char *data;        /* the bytes (a head, or all of it) */
    size_t len;
    int how;                 /* CS_* bits */
    const char *endless;     /* CS_ENDLESS: what to repeat */
    size_t body_len;         /* then this many bytes of cs_pattern() (0: none) */
} cs_reply_t;

/* The server. */
typedef struct cs {
    int lfd;
    int port;
    char host[48];
    int gopher;                          /* a request ends at its first LF */
    cs_reply_t reply[CS_MAX_REPLIES];    /* the n-th connection gets reply[n] (the last repeats) */
    int replies;
    char request[CS_MAX_REQUESTS][CS_REQ_MAX]; /* what each connection sent, NUL-terminated */
    int whole[CS_MAX_REQUESTS];          /* 1: that request came to its end */
    _Atomic int requests;                /* connections accepted */
    _Atomic int stop;
    pthread_t thread;
} cs_t;

/* The byte at offset i of a generated body: no period shorter than 65521. */
static inline char cs_byte(size_t i)
{
    return (char)((i % 65521) * 131 + i / 65521);
}

/* Sends all of buf (MSG_NOSIGNAL); 0, or -1 once the client is gone. */
static inline int cs_send(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads a request into out up to its end (an empty line; for Gopher, the
 * first LF), waiting at most 3 s for each byte; says in the transcript
 * what came. 1 when it came whole, 0 if not. */
static inline int cs_read_request(cs_t *s, int fd, char *out)
{
    size_t len = 0;
    struct pollfd p = {fd, POLLIN, 0};
    int whole = 0;

    out[0] = '\0';
    while (!whole && len < CS_REQ_MAX - 1 && !s->stop && poll(&p, 1, 3000) > 0) {
        ssize_t n = recv(fd, out + len, 1, 0);

        if (n <= 0)
            break;
        out[++len] = '\0';
        if (s->gopher ? out[len - 1] == '\n' : (len >= 4 && memcmp(out + len - 4, "\r\n\r\n", 4) == 0))
            whole = 1;
        if (!s->gopher && len >= 2 && memcmp(out + len - 2, "\n\n", 2) == 0)
            whole = 1;
    }
    if (whole)
        sl_note("the test's server received the request (%zu bytes) and answers", len);
    else
        sl_note("the test's server got %zu bytes, %s, and no end of the request (%s): it "
                "closes without an answer", len, sl_bytes(out, len),
                s->gopher ? "a selector ends with CRLF" : "a request ends with an empty "
                "line, CRLF CRLF");
    return whole;
}

/* Waits (at most 10 s) until the client closes, or the test stops. */
static inline void cs_hold(cs_t *s, int fd)
{
    char buf[4096];

    for (int i = 0; i < 100 && !s->stop; i++) {
        struct pollfd p = {fd, POLLIN, 0};

        if (poll(&p, 1, 100) > 0 && recv(fd, buf, sizeof buf, 0) <= 0)
            return;
    }
}

/* Serves one connection with reply r. */
static inline void cs_serve(cs_t *s, int fd, const cs_reply_t *r)
{
    static char body[65536];
    int one = 1;

    if (r->how & CS_BYTES) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        for (size_t i = 0; i < r->len && !s->stop; i++)
            if (cs_send(fd, r->data + i, 1) < 0)
                return;
    } else if (cs_send(fd, r->data, r->len) < 0) {
        return;
    }
    for (size_t off = 0; off < r->body_len;) {
        size_t n = r->body_len - off < sizeof body ? r->body_len - off : sizeof body;

        for (size_t i = 0; i < n; i++)
            body[i] = cs_byte(off + i);
        if (cs_send(fd, body, n) < 0)
            return;
        off += n;
    }
    if (r->how & CS_ENDLESS) {
        size_t n = strlen(r->endless), sent = 0;

        while (!s->stop && sent < ((size_t)1 << 30) && cs_send(fd, r->endless, n) == 0)
            sent += n;
        return;
    }
    if (r->how & CS_RESET) {
        struct linger lg = {1, 0};

        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        return;
    }
    if (r->how & CS_HOLD)
        cs_hold(s, fd);
}

static inline void *cs_main(void *arg)
{
    cs_t *s = arg;

    while (!s->stop) {
        struct pollfd p = {s->lfd, POLLIN, 0};
        int fd, i;

        if (poll(&p, 1, 50) <= 0)
            continue;
        fd = accept(s->lfd, NULL, NULL);
        if (fd < 0)
            continue;
        i = s->requests;
        s->requests = i + 1;
        if (cs_read_request(s, fd, s->request[i < CS_MAX_REQUESTS ? i : CS_MAX_REQUESTS - 1])) {
            s->whole[i < CS_MAX_REQUESTS ? i : CS_MAX_REQUESTS - 1] = 1;
            cs_serve(s, fd, &s->reply[i < s->replies ? i : s->replies - 1]);
        }
        close(fd);
    }
    return NULL;
}

/* The server the test started last and has not stopped (or NULL), for
 * the words of a program killed at its deadline (cs_stuck()). */
static cs_t *cs_last;

/* Starts the server on host with the replies set in s->reply (s->replies
 * of them). Ends the test when it cannot. */
static inline void cs_start(cs_t *s, const char *host)
{
    struct addrinfo hints, *res;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char port[16];
    pthread_attr_t attr;

    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, "0", &hints, &res) != 0)
        SL_FAIL_FATAL("test setup: \"%s\" is not an address", host);
    s->lfd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->lfd < 0 || bind(s->lfd, res->ai_addr, res->ai_addrlen) < 0 || listen(s->lfd, 16) < 0) {
        freeaddrinfo(res);
        SL_FAIL_FATAL("test setup: cannot listen on %s: %s", host, strerror(errno));
    }
    freeaddrinfo(res);
    getsockname(s->lfd, (struct sockaddr *)&ss, &len);
    getnameinfo((struct sockaddr *)&ss, len, NULL, 0, port, sizeof port, NI_NUMERICSERV);
    s->port = atoi(port);
    snprintf(s->host, sizeof s->host, "%s", host);
    s->requests = 0;
    s->stop = 0;
    signal(SIGPIPE, SIG_IGN);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    if (pthread_create(&s->thread, &attr, cs_main, s) != 0)
        SL_FAIL_FATAL("test setup: pthread_create failed");
    pthread_attr_destroy(&attr);
    cs_last = s;
    sl_note("the test's %s server listens on %s%s%s:%d", s->gopher ? "Gopher" : "HTTP",
            strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "", s->port);
}

/* Stops the server thread and closes its socket. */
static inline void cs_stop(cs_t *s)
{
    s->stop = 1;
    if (cs_last == s)
        cs_last = NULL;
    pthread_join(s->thread, NULL);
    close(s->lfd);
}

/* A new server: zeroed, with one reply. */
static inline cs_t *cs_new(const char *data, size_t len, int how)
{
    cs_t *s = calloc(1, sizeof *s);

    if (s == NULL)
        SL_FAIL_FATAL("test setup: out of memory");
    s->reply[0].data = data;
    s->reply[0].len = len;
    s->reply[0].how = how;
    s->replies = 1;
    return s;
}

/* Adds a reply for the next connection. */
static inline void cs_add(cs_t *s, const char *data, size_t len, int how)
{
    s->reply[s->replies].data = data;
    s->reply[s->replies].len = len;
    s->reply[s->replies].how = how;
    s->replies++;
}

/* What a client that was killed at its deadline waited for, in words:
 * that its request never ended when none came whole, else `stuck` (what
 * the server did: a client that sent dozens of whole requests, say in a
 * redirect loop, was not waiting for the end of the one it was sending). */
static inline const char *cs_stuck(const cs_t *s, const char *stuck)
{
    int i = s->requests, any = 0;

    if (i == 0)
        return "the test's server never got a connection";
    for (int j = 0; j < i && j < CS_MAX_REQUESTS; j++)
        any |= s->whole[j];
    if (!any)
        return s->gopher ? "the test's server was still waiting for the end of your request "
                           "(the selector's CRLF), and sent nothing"
                         : "the test's server was still waiting for the end of your request "
                           "(an empty line: CRLF CRLF), and sent nothing";
    return stuck;
}

/* The URL of path on s, into a rotating buffer. */
static inline const char *cs_url(const cs_t *s, const char *path)
{
    static char buf[4][512];
    static int i;
    char *o = buf[i++ % 4];

    snprintf(o, sizeof buf[0], "http://%s%s%s:%d%s", strchr(s->host, ':') ? "[" : "", s->host,
             strchr(s->host, ':') ? "]" : "", s->port, path);
    return o;
}

#endif
