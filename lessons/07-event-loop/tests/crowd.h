/* crowd.h - helpers of the tests of the two programs (Tasks 6 and 7):
 * starting a server on a backend, counting its descriptors and memory,
 * and a crowd of non-blocking clients that the test drives with epoll,
 * so that ten thousand of them cost one process and little time. No
 * student code runs in these tests' process. */
#ifndef CROWD_H
#define CROWD_H

#include "rtest.h"

#include <sys/wait.h>

#define ECHO "reactor-echo-server"
#define CHAT "reactor-chat-server"

/* Starts name on backend over host, with more arguments (NULL-ended, or
 * NULL), or ends the test. */
static inline void cr_start_at(sl_server_t *s, const char *name, const char *backend,
                               const char *host, const char *const *more, const char *file,
                               int line)
{
    const char *args[16] = {"--backend", backend};
    int n = 2;

    for (int i = 0; more != NULL && more[i] != NULL && n < 15; i++)
        args[n++] = more[i];
    args[n] = NULL;
    if (sl_server_start(s, name, host, args) < 0)
        sl_harness_fail(file, line);
}
#define CR_START(s, name, backend, host, more)                                \
    cr_start_at((s), (name), (backend), (host), (more), __FILE__, __LINE__)

/* The first line of a server's stderr that says something (not blank,
 * not a sanitizer's row of '='), without a sanitizer's "==PID==": with
 * sl_prog_how()'s summary it is all a failure quotes, so that the same
 * failure on three backends reads the same (a stack's frames differ). */
static inline const char *cr_first_line(const char *err, char *buf, size_t size)
{
    buf[0] = '\0';
    for (const char *at = err != NULL ? err : ""; *at != '\0';) {
        size_t len = strcspn(at, "\n"), skip = 0;

        if (at[0] == '=' && at[1] == '=')   /* "==1234==ERROR: ..." */
            for (skip = 2; skip < len && at[skip] >= '0' && at[skip] <= '9'; skip++)
                ;
        if (skip > 2 && skip + 1 < len && at[skip] == '=' && at[skip + 1] == '=')
            skip += 2;
        else
            skip = 0;
        if (strspn(at, "= \t") < len) {
            snprintf(buf, size, "%.*s", (int)(len - skip), at + skip);
            break;
        }
        at += len + (at[len] == '\n');
    }
    return buf;
}

/* Stops s (SIGTERM; it must exit 0), or ends the test saying how it ended
 * and its first line. */
static inline void cr_stop_at(sl_server_t *s, const char *file, int line)
{
    char how[SL_PROG_HOW_MAX], first[240], name[64];
    int err;

    int rc = sl_prog_stop(&s->prog, SIGTERM, SL_STOP_MS);

    if (rc == 0 || !s->prog.ended || !WIFEXITED(s->prog.status)) {
        sl_prog_free(&s->prog);   /* sl_server_stop()'s end: a hang or a signal as it says */
        if (rc < 0)
            sl_harness_fail(file, line);
        return;
    }
    err = sl_prog_errno(&s->prog);
    snprintf(name, sizeof name, "%s", s->prog.name);
    sl_prog_how(&s->prog, how, sizeof how);
    cr_first_line(s->prog.err.data, first, sizeof first);
    sl_prog_free(&s->prog);
    sl_fail_errno_at(file, line, 1, err, "%s %s after SIGTERM (expected exit status 0)%s%s",
                     name, how, *first ? "; its stderr began: " : "", first);
}
#define CR_STOP(s) cr_stop_at((s), __FILE__, __LINE__)

/* The server's resident memory in KiB (VmRSS), or -1. */
static inline long cr_rss_kb(pid_t pid)
{
    char path[64], line[256];
    long kb = -1;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* The server's descriptors, once they settle at want (or after ms). */
static inline int cr_fds_settle(sl_server_t *s, int want, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);
    int n;

    while ((n = sl_prog_fd_count(&s->prog)) != want && sl_now_ms() < end)
        sl_sleep_ms(10);
    return n;
}

/* Ends the test if the server has exited, saying how (a sanitizer's
 * summary included), with the first line of its stderr. */
static inline void cr_alive_at(sl_server_t *s, const char *after, const char *file, int line)
{
    char how[SL_PROG_HOW_MAX], why[240];

    if (s->prog.ended || sl_prog_wait(&s->prog, sl_deadline(0)) == 0) {
        sl_prog_check_todo(&s->prog);
        cr_first_line(s->prog.err.data, why, sizeof why);
        sl_fail_at(file, line, 1, "%s ended after %s: %s%s%s", s->prog.name, after,
                   sl_prog_how(&s->prog, how, sizeof how), *why ? "; it said: " : "", why);
    }
}
#define CR_ALIVE(s, after) cr_alive_at((s), (after), __FILE__, __LINE__)

/* 1 once the server has dropped c (the end of the stream, or a reset)
 * within ms, whatever it sent before; 0 if it kept it open. */
static inline int cr_dropped(sl_conn_t *c, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);
    char buf[65536];

    for (;;) {
        struct pollfd p = {.fd = c->fd, .events = POLLIN};
        int left = (int)(end - sl_now_ms());
        ssize_t n;

        if (left <= 0 || poll(&p, 1, left) <= 0)
            return 0;
        n = recv(c->fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            sl_note("%s: the server %s", c->label, n == 0 ? "closed it" : "reset it");
            return 1;
        }
    }
}

/* ---- a crowd of clients ------------------------------------------------------------ */

#define CR_MSG 64   /* the longest message of a peer */

typedef struct cr_peer {
    int fd;                /* -1 once closed */
    int open;              /* connected, and not closed by the server */
    char out[CR_MSG];      /* what it sends */
    size_t out_len, sent;
    char in[CR_MSG + 1];   /* what came back (one byte more: an echo too long shows) */
    size_t got;
    int closed;            /* the server closed it */
} cr_peer_t;

typedef struct cr_crowd {
    cr_peer_t *p;
    int n, ep;
} cr_crowd_t;

static inline void cr_free(cr_crowd_t *c)
{
    for (int i = 0; i < c->n; i++)
        if (c->p[i].fd >= 0)
            close(c->p[i].fd);
    if (c->ep >= 0)
        close(c->ep);
    free(c->p);
    c->p = NULL;
    c->n = 0;
    c->ep = -1;
}

/* Waits for writability (connected) of peers [from, to); returns how many. */
static inline int cr_wait_connected(cr_crowd_t *c, int from, int to, double end)
{
    struct epoll_event ev[256];
    int left = to - from, ok = 0;

    while (left > 0 && sl_now_ms() < end) {
        int n = epoll_wait(c->ep, ev, 256, 50);

        for (int k = 0; k < n; k++) {
            cr_peer_t *p = &c->p[ev[k].data.u32];
            struct epoll_event in = {.events = EPOLLIN, .data.u32 = ev[k].data.u32};
            int err = 0;
            socklen_t len = sizeof err;

            if (p->open)
                continue;
            getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            left--;
            if (err == 0) {
                p->open = 1;
                ok++;
            }
            epoll_ctl(c->ep, EPOLL_CTL_MOD, p->fd, &in);
        }
    }
    return ok;
}

/* Connects n peers to sa, in waves of wave (fewer than the server's listen
 * backlog): how many connected within ms. */
static inline int cr_connect(cr_crowd_t *c, int n, const struct sockaddr *sa, socklen_t salen,
                             int wave, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);
    int ok = 0;

    c->p = calloc((size_t)n, sizeof *c->p);
    c->n = 0;
    c->ep = epoll_create1(EPOLL_CLOEXEC);
    if (c->p == NULL || c->ep < 0)
        SL_FAIL_FATAL("no memory or epoll for %d clients: %s", n, strerror(errno));
    for (int from = 0; from < n; from += wave) {
        int to = from + wave < n ? from + wave : n;

        for (int i = from; i < to; i++) {
            struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = (uint32_t)i};
            cr_peer_t *p = &c->p[i];

            p->fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            c->n = i + 1;
            if (p->fd < 0)
                SL_FAIL_FATAL("the test could not make socket %d: %s", i, strerror(errno));
            if (connect(p->fd, sa, salen) < 0 && errno != EINPROGRESS)
                SL_FAIL_FATAL("connect() of client %d failed: %s", i, strerror(errno));
            epoll_ctl(c->ep, EPOLL_CTL_ADD, p->fd, &ev);
        }
        ok += cr_wait_connected(c, from, to, end);
    }
    return ok;
}

/* Each open peer sends out[sent, upto) (upto capped at out_len). */
static inline void cr_send(cr_crowd_t *c, size_t upto)
{
    for (int i = 0; i < c->n; i++) {
        cr_peer_t *p = &c->p[i];
        size_t to = upto < p->out_len ? upto : p->out_len;

        while (p->open && p->sent < to) {
            ssize_t n = send(p->fd, p->out + p->sent, to - p->sent, MSG_NOSIGNAL);

            if (n <= 0)
                break;
            p->sent += (size_t)n;
        }
    }
}

/* Reads until every open peer got want bytes, or ms passed: how many got
 * them. A peer the server closes is no longer open (closed set). */
static inline int cr_collect(cr_crowd_t *c, size_t want, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);
    struct epoll_event ev[512];
    int done = 0;

    for (;;) {
        int pending = 0, n;

        for (int i = 0; i < c->n; i++)
            pending += c->p[i].open && c->p[i].got < want;
        if (pending == 0 || sl_now_ms() >= end)
            break;
        n = epoll_wait(c->ep, ev, 512, 20);
        for (int k = 0; k < n; k++) {
            cr_peer_t *p = &c->p[ev[k].data.u32];
            ssize_t r;

            if (!p->open)
                continue;
            if (p->got < sizeof p->in)
                r = recv(p->fd, p->in + p->got, sizeof p->in - p->got, 0);
            else   /* more than it sent: keep the count */
                r = recv(p->fd, (char[256]){0}, 256, 0);
            if (r > 0) {
                p->got += (size_t)r;
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                p->open = 0;
                p->closed = 1;
                epoll_ctl(c->ep, EPOLL_CTL_DEL, p->fd, NULL);
            }
        }
    }
    for (int i = 0; i < c->n; i++)
        done += c->p[i].open && c->p[i].got >= want;
    return done;
}

/* The first open peer whose echo is not what it sent, or -1. */
static inline int cr_first_wrong(const cr_crowd_t *c)
{
    for (int i = 0; i < c->n; i++) {
        const cr_peer_t *p = &c->p[i];

        if (!p->open || p->got != p->out_len || memcmp(p->in, p->out, p->out_len) != 0)
            return i;
    }
    return -1;
}

#endif
