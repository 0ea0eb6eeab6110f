/* greet-server.c - lesson 03: greets each client, then
 * closes the connection.
 *
 *   greet-server [-b ADDR] [-p PORT]
 *
 * Listens on ADDR (default 127.0.0.1) and PORT (default 0: a free port),
 * prints "listening on ADDR:PORT", then sends each client that connects
 * "Thank you for connecting\n" and closes. SIGTERM or SIGINT: exit 0.
 *
 * Your work: the functions that start with TODO() (the command line and
 * the signal handling are done for you). Replace each TODO() with your
 * code; the comment above it says what to do. The program contract is in
 * the README (section "The programs"); tcp.h has the functions to use. */
#include "tcp.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "todo.h"

#define NAME "greet-server"
#define GREETING "Thank you for connecting\n"
#define BACKLOG 16

/* ---- the command line ---------------------------------------------------- */

static void usage(FILE *to)
{
    fprintf(to, "usage: " NAME " [-b ADDR] [-p PORT]\n"
                "  -b ADDR  the address to listen on (default 127.0.0.1)\n"
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
 * wait, where it would go unnoticed until the next client. */

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

/* ---- the server ------------------------------------------------------------ */

/* Listens and says where: the listening socket, or -1 (said why). */
static int open_listener(const char *host, const char *port)
{
    /* tcp_listen(host, port, BACKLOG); on failure say on stderr
     * NAME ": listen on HOST port PORT: " and strerror(errno), and return -1.
     * Then tcp_local_text() gives ADDR:PORT: print "listening on ADDR:PORT\n"
     * and fflush(stdout) (a pipe is block-buffered: unflushed, the line would
     * wait). Make the socket non-blocking (tcp_set_nonblocking()), so that
     * accept() never waits for a client that left after pselect() said one
     * was there. Return the socket. */
    (void)host;
    (void)port;
    TODO();
}

/* The next client, blocking (on BSD an accepted socket inherits
 * O_NONBLOCK from the listener; on Linux it does not), or -1. */
static int next_client(int lfd)
{
    /* tcp_accept(lfd). EAGAIN, EWOULDBLOCK or EINTR: no client now, return -1
     * quietly. Any other error (EMFILE: out of descriptors): say it on stderr,
     * pause 100 ms (nanosleep()) so the loop does not spin, return -1.
     * Make the new socket blocking (tcp_set_nonblocking(fd, 0)): on BSD and
     * macOS it inherits O_NONBLOCK from the listener, on Linux it does not. */
    (void)lfd;
    TODO();
}

static void greet(int fd)
{
    /* tcp_send_all() the greeting. If that fails (the client reset, or is
     * gone), say so on stderr, naming the client (tcp_peer_text()); the
     * caller closes fd and serves the next client either way. */
    (void)fd;
    TODO();
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *port = "0";
    int lfd, args = parse_args(argc, argv, &host, &port);

    if (args != 0) {
        usage(args > 0 ? stdout : stderr);
        return args > 0 ? 0 : 2;
    }
    if (catch_signals() < 0) {
        fprintf(stderr, NAME ": signals: %s\n", strerror(errno));
        return 1;
    }
    lfd = open_listener(host, port);
    if (lfd < 0)
        return 1;
    while (wait_readable(lfd) == 0) {
        int fd = next_client(lfd);

        if (fd >= 0) {
            greet(fd);
            close(fd);
        }
    }
    if (!stop)
        fprintf(stderr, NAME ": wait for clients: %s\n", strerror(errno));
    close(lfd);
    return stop ? 0 : 1;
}
