/* sl-epoll-echo.c - the plain epoll echo loop that make bench holds the
 * lesson 07 reactor against: what a reactor costs over the bare calls.
 *
 *   sl-epoll-echo [-b ADDR] [-p PORT]
 *
 * One thread, level-triggered epoll, non-blocking sockets. What a client
 * sends is read into one shared buffer and sent straight back; only an
 * echo the client does not take at once is kept, in a buffer of that
 * client's own, and the client is not read again until it is gone. An
 * idle client costs its descriptor and one pointer. SIGTERM or SIGINT
 * (a signalfd in the same set): exit 0. */
#define _GNU_SOURCE
#include "bench_srv.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define NAME "sl-epoll-echo"
#define READ_SIZE (64u << 10)
#define EVENTS_MAX 256
#define ACCEPT_MAX 128        /* accepts a round, so a flood does not starve clients */

/* An echo the client has not taken yet: data[off, len). */
typedef struct ee_pending {
    size_t off, len;
    char data[];
} ee_pending_t;

typedef struct ee_server {
    int ep, lfd, sigfd;
    ee_pending_t **pend;      /* by descriptor; NULL: nothing pending */
    size_t npend;
    char buf[READ_SIZE];
} ee_server_t;

static int ee_watch(ee_server_t *s, int op, int fd, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.fd = fd};

    return epoll_ctl(s->ep, op, fd, &ev);
}

static void ee_drop(ee_server_t *s, int fd)
{
    if ((size_t)fd < s->npend) {
        free(s->pend[fd]);
        s->pend[fd] = NULL;
    }
    close(fd);   /* leaves the epoll set with it */
}

/* Keeps data[0, len) for fd, to send when it is writable. */
static int ee_keep(ee_server_t *s, int fd, const char *data, size_t len)
{
    ee_pending_t *p;

    if ((size_t)fd >= s->npend) {
        size_t n = (size_t)fd * 2 + 64;
        ee_pending_t **grown = realloc(s->pend, n * sizeof *grown);

        if (grown == NULL)
            return -1;
        memset(grown + s->npend, 0, (n - s->npend) * sizeof *grown);
        s->pend = grown;
        s->npend = n;
    }
    p = malloc(sizeof *p + len);
    if (p == NULL)
        return -1;
    p->off = 0;
    p->len = len;
    memcpy(p->data, data, len);
    s->pend[fd] = p;
    return ee_watch(s, EPOLL_CTL_MOD, fd, EPOLLOUT);
}

/* Sends what it can of data[0, len): the bytes sent, or -1 on an error. */
static ssize_t ee_send(int fd, const char *data, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = send(fd, data + done, len - done, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n < 0)
            return -1;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

static void ee_on_readable(ee_server_t *s, int fd)
{
    ssize_t n = recv(fd, s->buf, sizeof s->buf, 0), sent;

    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        ee_drop(s, fd);   /* the end of its stream, or a reset: all it sent is back */
        return;
    }
    sent = ee_send(fd, s->buf, (size_t)n);
    if (sent < 0 || (sent < n && ee_keep(s, fd, s->buf + sent, (size_t)(n - sent)) < 0))
        ee_drop(s, fd);
}

static void ee_on_writable(ee_server_t *s, int fd)
{
    ee_pending_t *p = (size_t)fd < s->npend ? s->pend[fd] : NULL;
    ssize_t sent;

    if (p == NULL)
        return;
    sent = ee_send(fd, p->data + p->off, p->len - p->off);
    if (sent < 0) {
        ee_drop(s, fd);
        return;
    }
    p->off += (size_t)sent;
    if (p->off < p->len)
        return;
    free(p);
    s->pend[fd] = NULL;
    if (ee_watch(s, EPOLL_CTL_MOD, fd, EPOLLIN) < 0)
        ee_drop(s, fd);
}

static void ee_accept(ee_server_t *s)
{
    int k;

    for (k = 0; k < ACCEPT_MAX; k++) {
        int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (fd < 0 && errno == EINTR)
            continue;
        if (fd < 0)
            return;   /* EAGAIN: none left; EMFILE and the like: next round */
        if (ee_watch(s, EPOLL_CTL_ADD, fd, EPOLLIN) < 0)
            close(fd);
    }
}

/* The loop: returns 0 once SIGTERM or SIGINT came, -1 on an error. */
static int ee_loop(ee_server_t *s)
{
    struct epoll_event evs[EVENTS_MAX];

    for (;;) {
        int n = epoll_wait(s->ep, evs, EVENTS_MAX, -1), k;

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        for (k = 0; k < n; k++) {
            int fd = evs[k].data.fd;

            if (fd == s->sigfd)
                return 0;
            if (fd == s->lfd)
                ee_accept(s);
            else if (evs[k].events & EPOLLOUT)
                ee_on_writable(s, fd);
            else
                ee_on_readable(s, fd);
        }
    }
}

static int ee_signals(void)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
        return -1;
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int main(int argc, char **argv)
{
    static ee_server_t s;
    size_t fd;

    bsrv_raise_nofile();
    s.lfd = bsrv_listen(NAME, argc, argv);
    s.sigfd = ee_signals();
    s.ep = epoll_create1(EPOLL_CLOEXEC);
    if (s.sigfd < 0 || s.ep < 0 || ee_watch(&s, EPOLL_CTL_ADD, s.lfd, EPOLLIN) < 0 ||
        ee_watch(&s, EPOLL_CTL_ADD, s.sigfd, EPOLLIN) < 0) {
        fprintf(stderr, NAME ": set-up: %s\n", strerror(errno));
        return 1;
    }
    if (bsrv_announce(NAME, s.lfd) < 0)
        return 1;
    if (ee_loop(&s) < 0) {
        fprintf(stderr, NAME ": epoll_wait: %s\n", strerror(errno));
        return 1;
    }
    for (fd = 0; fd < s.npend; fd++)
        free(s.pend[fd]);
    free(s.pend);
    return 0;
}
