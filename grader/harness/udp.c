/* udp.c - datagrams a test sends to a server and expects back (see
 * sl_harness.h). The socket is non-blocking; every wait is a poll() of
 * the socket and the programs' pipes together (hn_wait()). */
#include "harness.h"
#include "clock.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HN_DGRAM_MAX 65536

/* Waits until fd is readable, or the deadline: 1 readable, 0 not. */
static int readable(int fd, double deadline)
{
    for (;;) {
        int left = hn_ms_left(deadline);
        if (hn_wait(NULL, fd, POLLIN, deadline))
            return 1;
        if (left == 0)
            return 0;
    }
}

/* The loopback address of family, port 0. */
static socklen_t loopback(int family, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_addr = in6addr_loopback;
        return sizeof *s6;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    s4->sin_family = AF_INET;
    s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof *s4;
}

int sl_udp_open(sl_udp_t *u, const sl_server_t *s)
{
    static int opened;
    struct sockaddr_storage me;
    memset(u, 0, sizeof *u);
    snprintf(u->label, sizeof u->label, "socket %d", ++opened);
    snprintf(u->peer_text, sizeof u->peer_text, "%.28s at %.28s", s->prog.name, s->where);
    memcpy(&u->peer, &s->addr, s->addrlen);
    u->peerlen = s->addrlen;
    u->fd = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (u->fd < 0)
        return hn_error_errno(errno, "cannot make a UDP socket: %s", strerror(errno));
    socklen_t len = loopback(s->addr.ss_family, &me);
    if (bind(u->fd, (struct sockaddr *)&me, len) < 0) {
        int e = errno;
        sl_udp_close(u);
        return hn_error_errno(e, "cannot bind a UDP socket: %s", strerror(e));
    }
    char port[16] = "?";
    len = sizeof me;
    if (getsockname(u->fd, (struct sockaddr *)&me, &len) == 0)
        getnameinfo((struct sockaddr *)&me, len, NULL, 0, port, sizeof port, NI_NUMERICSERV);
    sl_note("%s: UDP, from port %s, to %s", u->label, port, u->peer_text);
    hn_replay_talk(s, 1);
    return 0;
}

int sl_udp_send(sl_udp_t *u, const void *buf, size_t len)
{
    char shown[HN_SHOWN];
    if (sendto(u->fd, buf, len, 0, (struct sockaddr *)&u->peer, u->peerlen) < 0)
        return hn_error_errno(errno, "cannot send a datagram of %zu bytes to %s: %s", len,
                              u->peer_text,
                        strerror(errno));
    sl_note("%s: sent a datagram of %zu bytes: %s", u->label, len,
            sl_show(buf, len, HN_SHOW, shown, sizeof shown));
    return 0;
}

/* Is from the server's address and port? */
static int from_server(const sl_udp_t *u, const struct sockaddr_storage *from, socklen_t len)
{
    return len == u->peerlen && memcmp(from, &u->peer, len) == 0;
}

int sl_udp_recv(sl_udp_t *u, void *buf, size_t cap, size_t *len, int ms)
{
    double deadline = sl_deadline(ms);
    for (;;) {
        struct sockaddr_storage from;
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(u->fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&from, &flen);
        if (n >= 0 && !from_server(u, &from, flen)) {
            sl_note("%s: a datagram from another address: ignored", u->label);
            continue;
        }
        if (n >= 0) {
            *len = (size_t)n;
            return 1;
        }
        if (errno == ECONNREFUSED) {
            hn_error_errno(ECONNREFUSED, "%s: ICMP port unreachable: nothing listens at %s",
                           u->label, u->peer_text);
            return -1;
        }
        if (errno != EAGAIN && errno != EINTR) {
            hn_error_errno(errno, "%s: recvfrom: %s", u->label, strerror(errno));
            return -1;
        }
        if (!readable(u->fd, deadline))
            return 0;
    }
}

int sl_udp_expect(sl_udp_t *u, const void *want, size_t len, int ms)
{
    static char buf[HN_DGRAM_MAX];
    char w[HN_SHOWN], g[HN_SHOWN];
    size_t got = 0;
    sl_show(want, len, HN_SHOW, w, sizeof w);
    int r = sl_udp_recv(u, buf, sizeof buf, &got, ms);
    if (r < 0)
        return -1;
    if (r == 0)
        return hn_error("expected a datagram of %zu bytes %s from %s within %d ms: got nothing",
                        len, w, u->peer_text, sl_scaled_ms(ms));
    size_t shown = got < sizeof buf ? got : sizeof buf;
    sl_show(buf, shown, HN_SHOW, g, sizeof g);
    if ((got != len || memcmp(buf, want, len) != 0) && len <= 48 && got <= 48)
        return hn_error("expected a datagram of %zu bytes %s from %s: got %s (%zu bytes)", len, w,
                        u->peer_text, g, got);
    if (got != len || memcmp(buf, want, len) != 0) {
        char where[2 * HN_SHOWN];
        sl_show_difference(want, len, buf, shown, where, sizeof where);
        return hn_error("expected a datagram of %zu bytes from %s: got %zu bytes; %s", len,
                        u->peer_text, got, where);
    }
    sl_note("%s: received a datagram of %zu bytes: %s", u->label, got, g);
    return 0;
}

int sl_udp_expect_silence(sl_udp_t *u, int ms)
{
    static char buf[HN_DGRAM_MAX];
    char g[HN_SHOWN];
    size_t got = 0;
    int r = sl_udp_recv(u, buf, sizeof buf, &got, ms);
    if (r == 0)
        return 0;
    if (r < 0)
        return -1;
    return hn_error("expected no datagram from %s for %d ms, got %zu bytes: %s", u->peer_text,
                    sl_scaled_ms(ms), got,
                    sl_show(buf, got < sizeof buf ? got : sizeof buf, HN_SHOW, g, sizeof g));
}

void sl_udp_close(sl_udp_t *u)
{
    if (u->fd >= 0)
        close(u->fd);
    u->fd = -1;
}
