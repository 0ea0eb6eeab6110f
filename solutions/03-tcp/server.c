/* server.c - lesson 03: what greet-server and echo-server share (see
 * server.h). Given whole, in the skeleton as in the solution: read it, it
 * is the frame your per-client code runs in. */
#define _GNU_SOURCE   /* ppoll(): Linux, the BSDs, POSIX.1-2024 */
#include "server.h"

#include "tcp.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BACKLOG 16
#define PAUSE_MAX_MS 1000   /* the longest pause after a failed accept() */

/* ---- the command line ---------------------------------------------------- */

static void usage(const char *name, FILE *to)
{
    fprintf(to, "usage: %s [-b ADDR] [-p PORT]\n"
                "  -b ADDR  the address to listen on (default 127.0.0.1)\n"
                "  -p PORT  the port, 0 to 65535 (default 0: any free port)\n", name);
}

/* Is s a port number, 0 to 65535, in decimal digits alone? getaddrinfo()
 * itself takes "65536" as port 0 and "+7" as 7: check before. */
static int is_port(const char *s)
{
    size_t n = strspn(s, "0123456789");

    return n > 0 && n <= 5 && s[n] == '\0' && atol(s) <= 65535;
}

/* Reads the options into *host and *port: 0, 1 for -h, or -1 (said why). */
static int parse_args(const char *name, int argc, char **argv, const char **host,
                      const char **port)
{
    int opt;

    opterr = 0;   /* the messages are ours */
    while ((opt = getopt(argc, argv, "b:p:h")) != -1) {
        switch (opt) {
        case 'b': *host = optarg; break;
        case 'p': *port = optarg; break;
        case 'h': return 1;
        default:
            fprintf(stderr, "%s: %s -%c\n", name,
                    optopt == 'b' || optopt == 'p' ? "missing value after" : "unknown option",
                    optopt);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", name, argv[optind]);
        return -1;
    }
    if (!is_port(*port)) {
        fprintf(stderr, "%s: bad port '%s': give a number from 0 to 65535\n", name, *port);
        return -1;
    }
    return 0;
}

/* ---- signals --------------------------------------------------------------
 * SIGTERM and SIGINT set `stop`. They stay blocked except while the server
 * waits in ppoll(), which unblocks them and waits in one atomic step: a
 * signal can never land between the test of `stop` and the wait, where it
 * would go unnoticed until the next client. So a signal that comes while
 * a client's code runs (in tcp_send_all(), say) waits until that code
 * waits again: a client that reads nothing can delay a stop by up to the
 * send timeout its server set. */

static volatile sig_atomic_t stop;
static sigset_t wait_mask;   /* the signal mask while waiting: both unblocked */

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
    sigdelset(&wait_mask, SIGTERM);
    sigdelset(&wait_mask, SIGINT);
    return 0;
}

int srv_wait_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    while (!stop) {
        if (ppoll(&p, 1, NULL, &wait_mask) > 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
    return -1;
}

/* Waits ms milliseconds, or less if asked to stop. */
static void pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    if (!stop)
        ppoll(NULL, 0, &ts, &wait_mask);
}

/* ---- listening and accepting ------------------------------------------------ */

/* Listens and says where: the listening socket, or -1 (said why). The
 * line comes after listen(): a client that reads it may connect at once. */
static int open_listener(const char *name, const char *host, const char *port)
{
    char where[TCP_ADDRSTRLEN];
    int fd = tcp_listen(host, port, BACKLOG);

    if (fd < 0) {
        fprintf(stderr, "%s: listen on %s port %s: %s\n", name, host, port, strerror(errno));
        return -1;
    }
    /* Non-blocking, so that accept() never waits when ppoll() said a
     * client was there but none is any more. On the BSDs a client that
     * resets while it waits in the queue leaves it (UNP 16.6); on Linux it
     * stays (accept() returns it, and its first recv() fails with
     * ECONNRESET), but another process that shares the listening socket
     * may have taken it first (lesson 06). */
    if (tcp_local_text(fd, where, sizeof where) < 0 || tcp_set_nonblocking(fd, 1) < 0) {
        fprintf(stderr, "%s: listening socket: %s\n", name, strerror(errno));
        close(fd);
        return -1;
    }
    printf("listening on %s\n", where);
    fflush(stdout);
    return fd;
}

/* The next client, blocking, or -1 (none now). Out of descriptors (EMFILE,
 * ENFILE) or memory, the connection stays queued and the listener stays
 * readable: say so once, then pause, longer each time up to a second,
 * rather than spin. (Some servers keep a spare descriptor open instead,
 * to close it, accept the client and drop it at once.) */
static int next_client(const char *name, int lfd)
{
    static int backoff_ms;   /* 0 while accept() works */
    int fd = tcp_accept(lfd);

    if (fd < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return -1;   /* the client left, or was taken */
        if (backoff_ms == 0)
            fprintf(stderr, "%s: accept: %s (trying again)\n", name, strerror(errno));
        backoff_ms = backoff_ms == 0 ? 100 : 2 * backoff_ms;
        if (backoff_ms > PAUSE_MAX_MS)
            backoff_ms = PAUSE_MAX_MS;
        pause_ms(backoff_ms);
        return -1;
    }
    backoff_ms = 0;
    /* On the BSDs and macOS an accepted socket inherits O_NONBLOCK from
     * the listener; on Linux it does not. Either way: blocking. */
    if (tcp_set_nonblocking(fd, 0) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* ---- the server ------------------------------------------------------------- */

int srv_main(const char *name, int argc, char **argv, srv_serve_fn *serve)
{
    const char *host = "127.0.0.1", *port = "0";
    int lfd, args = parse_args(name, argc, argv, &host, &port);

    if (args != 0) {
        usage(name, args > 0 ? stdout : stderr);
        return args > 0 ? 0 : 2;
    }
    if (catch_signals() < 0) {
        fprintf(stderr, "%s: signals: %s\n", name, strerror(errno));
        return 1;
    }
    lfd = open_listener(name, host, port);
    if (lfd < 0)
        return 1;
    while (srv_wait_readable(lfd) == 0) {
        char peer[TCP_ADDRSTRLEN];
        int fd = next_client(name, lfd);

        if (fd < 0)
            continue;
        if (tcp_peer_text(fd, peer, sizeof peer) < 0)
            strcpy(peer, "a client");   /* it reset already: it has no address now */
        serve(fd, peer);
        close(fd);
    }
    if (!stop)
        fprintf(stderr, "%s: wait for clients: %s\n", name, strerror(errno));
    close(lfd);
    return stop ? 0 : 1;
}
