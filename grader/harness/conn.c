/* conn.c - connections a test opens: connect, send, expect, with deadlines
 * (see sl_harness.h). Sockets are non-blocking; every wait is a poll()
 * of the socket and the programs' pipes together (hn_wait()). */
#include "harness.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* Waits until fd is ready for events, or the deadline: 1 ready, 0 not. */
static int wait_fd(int fd, short events, double deadline)
{
    for (;;) {
        int left = hn_ms_left(deadline);
        if (hn_wait(NULL, fd, events, deadline))
            return 1;
        if (left == 0)
            return 0;
    }
}

int sl_conn_open_addr(sl_conn_t *c, const struct sockaddr *sa, socklen_t len,
                      const char *who, double deadline)
{
    static int opened;
    memset(c, 0, sizeof *c);
    snprintf(c->peer, sizeof c->peer, "%s", who);
    snprintf(c->label, sizeof c->label, "connection %d", ++opened);
    c->fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (c->fd < 0)
        return hn_error_errno(errno, "cannot make a socket to reach %s: %s", who,
                              strerror(errno));
    if (connect(c->fd, sa, len) < 0 && errno != EINPROGRESS) {
        int e = errno;
        sl_conn_close(c);
        return hn_error_errno(e, "cannot connect to %s: %s", who, strerror(e));
    }
    int err = 0;
    socklen_t elen = sizeof err;
    if (!wait_fd(c->fd, POLLOUT, deadline)) {
        sl_conn_close(c);
        return hn_error("cannot connect to %s: no answer within the deadline (is it "
                        "accepting connections?)", who);
    }
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen);
    if (err) {
        sl_conn_close(c);
        return hn_error_errno(err, "cannot connect to %s: %s", who, strerror(err));
    }
    struct sockaddr_storage me;
    socklen_t mlen = sizeof me;
    char port[16] = "?";
    if (getsockname(c->fd, (struct sockaddr *)&me, &mlen) == 0)
        getnameinfo((struct sockaddr *)&me, mlen, NULL, 0, port, sizeof port, NI_NUMERICSERV);
    sl_note("%s: connected to %s from port %s", c->label, who, port);
    return 0;
}

int sl_conn_open(sl_conn_t *c, const sl_server_t *s, double deadline)
{
    char who[160];
    snprintf(who, sizeof who, "%s at %s", s->prog.name, s->where);
    hn_replay_talk(s, 0);
    return sl_conn_open_addr(c, (const struct sockaddr *)&s->addr, s->addrlen, who, deadline);
}

int sl_conn_send(sl_conn_t *c, const void *buf, size_t len, double deadline)
{
    const char *p = buf;
    size_t off = 0;
    char shown[HN_SHOWN];
    while (off < len) {
        ssize_t n = send(c->fd, p + off, len - off, MSG_NOSIGNAL);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN)
            return hn_error_errno(errno, "%s %s after taking %zu of %zu bytes", c->peer,
                            errno == ECONNRESET ? "reset the connection" : errno == EPIPE ?
                            "closed the connection" : strerror(errno), off, len);
        if (!wait_fd(c->fd, POLLOUT, deadline))
            return hn_error("could not send %zu bytes to %s in time: it took %zu (does it "
                            "read what it is sent?)", len, c->peer, off);
    }
    sl_note("%s: sent %zu bytes: %s", c->label, len, sl_show(buf, len, HN_SHOW, shown, sizeof shown));
    return 0;
}

/* Reads into buf[*got, cap) what comes by deadline; stops early when stop
 * is given and the bytes differ from it. Returns 1 on EOF, -1 on an error
 * (errno set), 0 otherwise. */
static int gather(sl_conn_t *c, char *buf, size_t cap, size_t *got, const char *stop,
                  double deadline)
{
    while (*got < cap) {
        ssize_t n = recv(c->fd, buf + *got, cap - *got, 0);
        if (n > 0) {
            *got += (size_t)n;
            if (stop && memcmp(buf, stop, *got) != 0)
                return 0;
            continue;
        }
        if (n == 0)
            return 1;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            return -1;
        if (!wait_fd(c->fd, POLLIN, deadline))
            return 0;
    }
    return 0;
}

static size_t first_difference(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* What came after the bytes of an expect that fell short. */
static const char *then_what(int end, int err, size_t got)
{
    if (end == 1)
        return got ? ", then the connection closed" : ": the connection closed";
    if (end < 0 && err == ECONNRESET)
        return got ? ", then a reset (ECONNRESET)" : ": a reset (ECONNRESET)";
    if (end < 0)
        return got ? ", then an error" : ": an error";
    return got ? ", then nothing" : "";
}

/* The sentence of an expect that failed. */
static int expect_failed(sl_conn_t *c, const char *want, size_t len, const char *buf,
                         size_t got, int end, int err, int ms)
{
    char w[HN_SHOWN], g[HN_SHOWN];
    sl_show(want, len, HN_SHOW, w, sizeof w);
    sl_show(buf, got, HN_SHOW, g, sizeof g);
    if (got > 0 && memcmp(buf, want, got) != 0) {
        char where[160] = "";
        if (w[0] == '"' && g[0] == '"')
            sl_text_difference(buf, got, want, got, where, sizeof where);
        return hn_error("expected %zu bytes %s from %s: got %s instead (first difference at "
                        "byte %zu%s%s)", len, w, c->peer, g, first_difference(buf, want, got),
                        *where ? ": " : "", where);
    }
    return hn_error("expected %zu bytes %s from %s within %d ms: got %s%s", len, w, c->peer,
                    sl_scaled_ms(ms), got ? g : "nothing", then_what(end, err, got));
}

int sl_conn_expect(sl_conn_t *c, const void *want, size_t len, int ms)
{
    char *buf = malloc(len ? len : 1), shown[HN_SHOWN];
    size_t got = 0;
    if (!buf)
        return hn_error("out of memory for %zu bytes", len);
    int end = gather(c, buf, len, &got, want, sl_deadline(ms)), err = errno;
    int rc = 0;
    if (got == len && memcmp(buf, want, len) == 0)
        sl_note("%s: received %zu bytes: %s", c->label, len,
                sl_show(buf, len, HN_SHOW, shown, sizeof shown));
    else
        rc = expect_failed(c, want, len, buf, got, end, err, ms);
    free(buf);
    return rc;
}

long sl_conn_read_to_eof(sl_conn_t *c, void *got, size_t cap, int ms)
{
    char scratch[65536], *buf = got ? got : scratch;
    size_t room = got ? cap : sizeof scratch, total = 0, n = 0;
    double deadline = sl_deadline(ms);
    for (;;) {
        int end = gather(c, buf, room, &n, NULL, deadline);
        total += got ? 0 : n;
        if (!got)
            n = 0;
        if (end == 1)
            break;
        if (end < 0)
            return hn_error_errno(errno, "%s %s after %zu bytes", c->peer, errno == ECONNRESET ?
                            "reset the connection" : strerror(errno), got ? n : total);
        if (got && n == room)
            return hn_error("%s sent more than the %zu bytes expected", c->peer, cap);
        if (clk_now() >= deadline)
            return hn_error("%s did not close the connection within %d ms (%zu bytes came)",
                            c->peer, sl_scaled_ms(ms), got ? n : total);
    }
    total = got ? n : total;
    sl_note("%s: read %zu bytes, then the end of the stream", c->label, total);
    return (long)total;
}

/* One read by ms: 1 data (into buf), 0 EOF, -1 error, -2 nothing. */
static int read_one(sl_conn_t *c, char *buf, size_t cap, ssize_t *n, int ms)
{
    double deadline = sl_deadline(ms);
    for (;;) {
        *n = recv(c->fd, buf, cap, 0);
        if (*n > 0)
            return 1;
        if (*n == 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            return -1;
        if (!wait_fd(c->fd, POLLIN, deadline))
            return -2;
    }
}

int sl_conn_expect_eof(sl_conn_t *c, int ms)
{
    char buf[256], shown[HN_SHOWN];
    ssize_t n;
    switch (read_one(c, buf, sizeof buf, &n, ms)) {
    case 0:
        sl_note("%s: %s closed it", c->label, c->peer);
        return 0;
    case 1:
        return hn_error("expected %s to close the connection, got %zd more bytes: %s", c->peer,
                        n, sl_show(buf, (size_t)n, HN_SHOW, shown, sizeof shown));
    case -1:
        return hn_error("expected %s to close the connection, got %s", c->peer,
                        errno == ECONNRESET ? "a reset (ECONNRESET)" : strerror(errno));
    default:
        return hn_error("expected %s to close the connection within %d ms; it stayed open",
                        c->peer, sl_scaled_ms(ms));
    }
}

int sl_conn_expect_reset(sl_conn_t *c, int ms)
{
    char buf[256], shown[HN_SHOWN];
    ssize_t n;
    switch (read_one(c, buf, sizeof buf, &n, ms)) {
    case -1:
        if (errno == ECONNRESET) {
            sl_note("%s: %s reset it", c->label, c->peer);
            return 0;
        }
        return hn_error("expected a reset from %s, got %s", c->peer, strerror(errno));
    case 0:
        return hn_error("expected a reset from %s: it closed the connection normally", c->peer);
    case 1:
        return hn_error("expected a reset from %s, got %zd bytes: %s", c->peer, n,
                        sl_show(buf, (size_t)n, HN_SHOW, shown, sizeof shown));
    default:
        return hn_error("expected a reset from %s within %d ms; the connection stayed open",
                        c->peer, sl_scaled_ms(ms));
    }
}

int sl_conn_expect_silence(sl_conn_t *c, int ms)
{
    char buf[256], shown[HN_SHOWN];
    ssize_t n;
    switch (read_one(c, buf, sizeof buf, &n, ms)) {
    case -2:
        return 0;
    case 1:
        return hn_error("expected nothing from %s for %d ms, got %zd bytes: %s", c->peer,
                        sl_scaled_ms(ms), n, sl_show(buf, (size_t)n, HN_SHOW, shown, sizeof shown));
    case 0:
        return hn_error("expected %s to keep the connection open; it closed it", c->peer);
    default:
        return hn_error_errno(errno, "expected %s to keep the connection open: %s", c->peer,
                              strerror(errno));
    }
}

int sl_conn_shutdown(sl_conn_t *c)
{
    if (shutdown(c->fd, SHUT_WR) < 0)
        return hn_error_errno(errno, "shutdown(SHUT_WR) of the connection to %s: %s", c->peer,
                              strerror(errno));
    sl_note("%s: half-closed (shutdown SHUT_WR)", c->label);
    return 0;
}

void sl_conn_reset(sl_conn_t *c)
{
    struct linger l = {1, 0};
    if (c->fd < 0)
        return;
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(c->fd);
    c->fd = -1;
    sl_note("%s: reset (SO_LINGER 0, close)", c->label);
}

void sl_conn_close(sl_conn_t *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}
