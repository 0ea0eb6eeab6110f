/* udp-echo-server.c - lesson 04, reference solution: a UDP echo server.
 *
 *   udp-echo-server [-b ADDR] [-p PORT]
 *
 * Binds one UDP socket to ADDR (default 127.0.0.1) and PORT (default 0: a
 * free port), prints "listening on ADDR:PORT", then sends every datagram
 * it receives back to its sender, unchanged: empty ones, binary ones and
 * the largest ones too. One socket serves every peer, and no peer can make
 * it wait: the socket is non-blocking, and an echo the kernel cannot take
 * at once is dropped, as the network may drop any datagram. Bound to a
 * wildcard (-b 0.0.0.0 or -b ::), it answers each datagram from the very
 * address it came to (IP_PKTINFO, IPV6_PKTINFO), as a peer connected to
 * that address expects. SIGTERM or SIGINT: exit 0. */
#define _GNU_SOURCE   /* struct in6_pktinfo */
#include "udp.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define NAME "udp-echo-server"
#define BATCH 64   /* datagrams echoed per wake-up, before the stop flag is looked at */

/* ---- the command line ---------------------------------------------------- */

static void usage(FILE *to)
{
    fprintf(to, "usage: " NAME " [-b ADDR] [-p PORT]\n"
                "  -b ADDR  the address to receive on (default 127.0.0.1)\n"
                "  -p PORT  the port, 0 to 65535 (default 0: any free port)\n");
}

/* Is s a port number, 0 to 65535, in decimal digits alone? */
static int is_port(const char *s)
{
    size_t n = strspn(s, "0123456789");

    return n > 0 && n <= 5 && s[n] == '\0' && atol(s) <= 65535;
}

/* Reads the options into *host and *port: 0, 1 for -h, or -1 (said why). */
static int parse_args(int argc, char **argv, const char **host, const char **port)
{
    int opt;

    opterr = 0;   /* the messages are ours */
    while ((opt = getopt(argc, argv, "b:p:h")) != -1) {
        switch (opt) {
        case 'b': *host = optarg; break;
        case 'p': *port = optarg; break;
        case 'h': return 1;
        default:
            fprintf(stderr, NAME ": %s -%c\n",
                    optopt == 'b' || optopt == 'p' ? "missing value after" : "unknown option",
                    optopt);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, NAME ": unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!is_port(*port)) {
        fprintf(stderr, NAME ": bad port '%s': give a number from 0 to 65535\n", *port);
        return -1;
    }
    return 0;
}

/* ---- signals --------------------------------------------------------------
 * SIGTERM and SIGINT set `stop`. They stay blocked except while
 * wait_readable() waits in pselect(), which unblocks them and waits in one
 * atomic step: a signal can never land between the test of `stop` and the
 * wait, where it would go unnoticed until the next datagram. */

static volatile sig_atomic_t stop;
static sigset_t wait_mask;   /* the signal mask while waiting */

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static int catch_signals(void)
{
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    if (sigprocmask(SIG_BLOCK, &block, &wait_mask) < 0 ||
        sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
        return -1;
    return 0;
}

/* Waits until fd can be read: 0, or -1 once asked to stop (or on an error). */
static int wait_readable(int fd)
{
    fd_set readable;

    while (!stop) {
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        if (pselect(fd + 1, &readable, NULL, NULL, NULL, &wait_mask) > 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
    return -1;
}

/* Sets O_NONBLOCK on fd, keeping its other flags: 0 or -1. */
static int make_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* ---- the server ------------------------------------------------------------ */

/* 1 when the socket is bound to a wildcard (0.0.0.0 or ::) and asked the
 * kernel for the address each datagram came to: see echo_waiting(). */
static int wildcard;

/* Is the socket fd bound to 0.0.0.0 or ::? If so, asks for the address
 * each datagram comes to: IP_PKTINFO, IPV6_RECVPKTINFO (which also covers
 * the IPv4 datagrams, as ::ffff:a.b.c.d, that a socket bound to :: gets).
 * 0, or -1 (errno). */
static int want_destinations(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int on = 1;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    if (ss.ss_family == AF_INET &&
        ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(INADDR_ANY)) {
        wildcard = 1;
        return setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
    }
    if (ss.ss_family == AF_INET6 &&
        IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&ss)->sin6_addr)) {
        wildcard = 1;
        return setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on);
    }
    return 0;
}

/* Binds and says where: the socket, or -1 (said why). */
static int open_socket(const char *host, const char *port)
{
    char where[UDP_ADDRSTRLEN];
    int fd = udp_bind(host, port);

    if (fd < 0) {
        fprintf(stderr, NAME ": bind to %s port %s: %s\n", host, port, strerror(errno));
        return -1;
    }
    if (udp_local_text(fd, where, sizeof where) < 0 || want_destinations(fd) < 0) {
        fprintf(stderr, NAME ": socket: %s\n", strerror(errno));
        close(fd);
        return -1;
    }
    printf("listening on %s\n", where);
    fflush(stdout);
    return fd;
}

/* The sender of a datagram in words, for a message. */
static const char *peer_text(const struct sockaddr_storage *from, socklen_t len, char *buf,
                             size_t size)
{
    if (udp_addr_text((const struct sockaddr *)from, len, buf, size) < 0)
        snprintf(buf, size, "a peer");
    return buf;
}

/* Says why an echo failed on stderr, at most once a second, and how many
 * went unsaid: a flood of failures (a full send buffer) must not make the
 * server wait on a stderr pipe that nobody reads. */
static void echo_failed(ssize_t n, const struct sockaddr_storage *to, socklen_t len, int err)
{
    static time_t last;
    static long unsaid;
    char peer[UDP_ADDRSTRLEN];
    time_t now = time(NULL);

    if (now == last) {
        unsaid++;
        return;
    }
    last = now;
    fprintf(stderr, NAME ": echo of %zd bytes to %s: %s", n, peer_text(to, len, peer, sizeof peer),
            strerror(err));
    if (unsaid > 0)
        fprintf(stderr, " (and %ld more failed echoes unsaid)", unsaid);
    fputc('\n', stderr);
    unsaid = 0;
}

/* The room for the one control message a datagram brings: its destination. */
typedef union {
    struct cmsghdr align;
    char space[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(struct in_pktinfo))];
} control_t;

/* Receives one datagram, as udp_recv_from() does, and puts in *ctl the
 * control message that says which address it came to (for a socket bound
 * to a wildcard): its length, or -1 (errno; EMSGSIZE for a cut one). */
static ssize_t recv_with_destination(int fd, void *buf, size_t cap,
                                     struct sockaddr_storage *from, socklen_t *fromlen,
                                     control_t *ctl, size_t *ctllen)
{
    struct iovec iov = {.iov_base = buf, .iov_len = cap};
    struct msghdr msg;
    ssize_t n;

    do {
        memset(&msg, 0, sizeof msg);
        msg.msg_name = from;
        msg.msg_namelen = sizeof *from;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = ctl->space;
        msg.msg_controllen = sizeof ctl->space;
        n = recvmsg(fd, &msg, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    *fromlen = msg.msg_namelen;
    *ctllen = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(c);

            pi->ipi_spec_dst = pi->ipi_addr;   /* answer from the address it came to */
            pi->ipi_ifindex = 0;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo *pi = (struct in6_pktinfo *)CMSG_DATA(c);

            if (!IN6_IS_ADDR_LINKLOCAL(&pi->ipi6_addr))
                pi->ipi6_ifindex = 0;   /* a link-local address needs its link */
        } else {
            continue;
        }
        memmove(ctl->space, c, c->cmsg_len);
        *ctllen = CMSG_SPACE(c->cmsg_len - CMSG_LEN(0));
        break;
    }
    if (msg.msg_flags & MSG_TRUNC) {
        errno = EMSGSIZE;
        return -1;
    }
    return n;
}

/* Sends n bytes to `to` from the address of the control message ctl (of
 * ctllen bytes; 0: the socket's own): -1 with errno on failure. */
static ssize_t send_from(int fd, const void *buf, size_t n, const struct sockaddr_storage *to,
                         socklen_t tolen, control_t *ctl, size_t ctllen)
{
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = n};
    struct msghdr msg;
    ssize_t sent;

    memset(&msg, 0, sizeof msg);
    msg.msg_name = (void *)to;
    msg.msg_namelen = tolen;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctllen > 0 ? ctl->space : NULL;
    msg.msg_controllen = ctllen;
    do
        sent = sendmsg(fd, &msg, 0);
    while (sent < 0 && errno == EINTR);
    return sent;
}

/* Echoes the datagrams waiting on fd (at most BATCH), each to its sender,
 * from the address it came to. */
static void echo_waiting(int fd)
{
    static unsigned char buf[UDP_BUFFER_SIZE];   /* any datagram fits */
    char peer[UDP_ADDRSTRLEN];

    for (int i = 0; i < BATCH; i++) {
        struct sockaddr_storage from;
        socklen_t len;
        control_t ctl;
        size_t ctllen = 0;
        ssize_t n = wildcard ? recv_with_destination(fd, buf, sizeof buf, &from, &len, &ctl,
                                                     &ctllen)
                             : udp_recv_from(fd, buf, sizeof buf, &from, &len);

        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;   /* none left: back to waiting */
        if (n < 0 && errno == EMSGSIZE) {
            fprintf(stderr, NAME ": dropped a datagram from %s: more than %zu bytes\n",
                    peer_text(&from, len, peer, sizeof peer), sizeof buf);
            continue;   /* never echo a cut datagram as if it were whole */
        }
        if (n < 0) {
            fprintf(stderr, NAME ": receive: %s\n", strerror(errno));
            return;
        }
        if ((wildcard ? send_from(fd, buf, (size_t)n, &from, len, &ctl, ctllen)
                      : udp_send_to(fd, buf, (size_t)n, (struct sockaddr *)&from, len)) < 0)
            echo_failed(n, &from, len, errno);
    }
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *port = "0";
    int fd, args = parse_args(argc, argv, &host, &port);

    if (args != 0) {
        usage(args > 0 ? stdout : stderr);
        return args > 0 ? 0 : 2;
    }
    if (catch_signals() < 0) {
        fprintf(stderr, NAME ": signals: %s\n", strerror(errno));
        return 1;
    }
    fd = open_socket(host, port);
    if (fd < 0)
        return 1;
    if (make_nonblocking(fd) < 0) {   /* no peer can make it wait */
        fprintf(stderr, NAME ": non-blocking: %s\n", strerror(errno));
        close(fd);
        return 1;
    }
    while (wait_readable(fd) == 0)
        echo_waiting(fd);
    if (!stop)
        fprintf(stderr, NAME ": wait for datagrams: %s\n", strerror(errno));
    close(fd);
    return stop ? 0 : 1;
}
