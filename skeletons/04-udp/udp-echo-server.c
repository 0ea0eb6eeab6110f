/* udp-echo-server.c - lesson 04: a UDP echo server.
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
 * address it came to. SIGTERM or SIGINT: exit 0.
 *
 * Your work: the functions that start with TODO() (the command line and
 * the signal handling are done for you). Replace each TODO() with your
 * code; the comment above it says what to do. The program contract is in
 * the README (section "The programs"); udp.h has the functions to use. */
#define _GNU_SOURCE   /* struct in6_pktinfo, for IPV6_PKTINFO */
#include "udp.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "todo.h"

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

/* Binds and says where: the socket, or -1 (said why). */
static int open_socket(const char *host, const char *port)
{
    /* udp_bind(host, port), or say on stderr NAME ": bind to HOST port
     * PORT: " and strerror(errno) and return -1; print "listening on " and
     * udp_local_text(), then fflush(stdout): stdout into a pipe is
     * block-buffered, and the tests wait for that line. Return the socket.
     * If getsockname() shows a wildcard (0.0.0.0 or ::), also
     * setsockopt() IP_PKTINFO (IPPROTO_IP) or IPV6_RECVPKTINFO
     * (IPPROTO_IPV6), and remember it for echo_waiting(). */
    (void)host;
    (void)port;
    TODO();
}

/* Echoes the datagrams waiting on fd (at most BATCH), each to its sender. */
static void echo_waiting(int fd)
{
    /* Up to BATCH times: udp_recv_from() into a buffer that holds any
     * datagram (UDP_BUFFER_SIZE bytes: make it static, 64 KiB is a lot of
     * stack), with the sender's address; then udp_send_to() exactly the n
     * bytes received, to that address.
     *  - EAGAIN (the socket is non-blocking): none left, return;
     *  - EMSGSIZE: the datagram did not fit; say so on stderr and go on
     *    (never echo a cut datagram as if it were whole);
     *  - any other receive error: say why on stderr and return (the main
     *    loop waits again);
     *  - n == 0 is an empty datagram: echo it, it is not an end of anything;
     *  - a failed send (EAGAIN when the send buffer is full) costs that one
     *    echo: say so on stderr (name the peer with udp_addr_text()), at
     *    most once a second (a stderr pipe nobody reads would block the
     *    server), and go on with the next datagram.
     * On a socket bound to a wildcard, receive with recvmsg() and a
     * control buffer instead, and send the echo with sendmsg() and the
     * struct in_pktinfo that came (ipi_spec_dst = ipi_addr, ipi_ifindex =
     * 0; struct in6_pktinfo as it came for IPv6): the echo then leaves
     * from the address the datagram was sent to, as its peer expects.
     * Never exit for a peer's sake: every other peer is served by the same
     * socket. */
    (void)fd;
    TODO();
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
