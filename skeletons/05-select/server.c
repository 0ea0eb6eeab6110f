/* server.c - lesson 05: what the three servers share (see server.h). Given
 * whole, in the skeleton as in the solution: read it, it is the frame your
 * event loop runs in.
 *
 * Signals come through a pipe (D. J. Bernstein's "self-pipe trick"): the
 * handler writes a byte into it, and the event loop watches its read end
 * like any socket. So select() and poll() need no signal mask of their
 * own, and a signal that lands just before the wait is not missed: its
 * byte is there, and the wait returns at once. */
#include "server.h"

#include "select.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BACKLOG 128   /* the accept queue: Linux caps it at net.core.somaxconn */

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

/* ---- signals: the self-pipe ------------------------------------------------ */

static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    int saved = errno;   /* the handler may run in the middle of any call */
    char byte = (char)sig;

    stop = 1;
    if (write(sig_pipe[1], &byte, 1) < 0) {
        /* the pipe is full: a byte is there already, which is enough */
    }
    errno = saved;
}

/* Both ends non-blocking (a full pipe must never block the handler) and
 * closed on exec. */
static int pipe_flags(int fd)
{
    return mux_set_nonblocking(fd) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? -1 : 0;
}

/* The read end of the pipe, or -1 with errno. SA_RESTART restarts what
 * the signal interrupts, except select() and poll(), which fail with
 * EINTR whatever the flags say (signal(7)). */
static int catch_signals(void)
{
    struct sigaction sa;

    if (pipe(sig_pipe) < 0)
        return -1;
    if (pipe_flags(sig_pipe[0]) < 0 || pipe_flags(sig_pipe[1]) < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
        return -1;
    signal(SIGPIPE, SIG_IGN);   /* besides MSG_NOSIGNAL: a write() to a socket raises it too */
    return sig_pipe[0];
}

int srv_stopping(const srv_t *srv)
{
    (void)srv;
    return stop;
}

/* ---- listening and accepting ------------------------------------------------ */

/* A listening socket on one of the addresses of host and port: the first
 * that works, or -1 with errno. */
static int listen_on(const char *host, const char *port)
{
    struct addrinfo hints, *res, *ai;
    int fd = -1, err = 0, gai, one = 1;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        errno = gai == EAI_SYSTEM ? errno : gai == EAI_AGAIN ? EAGAIN : ENXIO;
        return -1;
    }
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
            bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, BACKLOG) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        errno = err;
    return fd;
}

/* The address fd is bound to, or its peer's, as text ("[ADDR]:PORT" for
 * IPv6), into buf: 0, or -1. */
static int addr_text(int fd, int peer, char *buf, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
                 : getsockname(fd, (struct sockaddr *)&ss, &len);

    if (r < 0 || getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, serv, sizeof serv,
                             NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return -1;
    snprintf(buf, size, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, serv);
    return 0;
}

const char *srv_peer(int fd, char *buf, size_t size)
{
    if (addr_text(fd, 1, buf, size) < 0)
        snprintf(buf, size, "a client");
    return buf;
}

/* Listens and says where: the listening socket, non-blocking, or -1 (said
 * why). Non-blocking, because a client that select() or poll() saw
 * waiting may be gone by the time accept() runs: accept() must then fail
 * with EAGAIN rather than wait for the next one, with every other client
 * waiting too (UNP 16.6). */
static int open_listener(const char *name, const char *host, const char *port)
{
    char where[SRV_ADDRSTRLEN];
    int fd = listen_on(host, port);

    if (fd < 0) {
        fprintf(stderr, "%s: listen on %s port %s: %s\n", name, host, port, strerror(errno));
        return -1;
    }
    if (mux_set_nonblocking(fd) < 0 || addr_text(fd, 0, where, sizeof where) < 0) {
        fprintf(stderr, "%s: listening socket: %s\n", name, strerror(errno));
        close(fd);
        return -1;
    }
    printf("listening on %s\n", where);
    fflush(stdout);
    return fd;
}

/* A descriptor kept in reserve for when there are none left: closed, it
 * makes room to accept a client and close it at once (libev's remedy for
 * EMFILE; nginx instead stops accepting for a while). */
static int spare_fd = -1;

/* Out of descriptors: takes the first waiting client with the reserve's
 * place and closes it, so that it leaves the queue and the listener is
 * not readable for ever. Says so once. Without a reserve (reopening it
 * failed: the whole system is out of files) it tries to get one back
 * first; if that fails too, the client stays queued and the next round
 * tries again. */
static void take_and_close(const srv_t *srv)
{
    static int said;   /* a flag, not a count: a count would overflow */
    int fd;

    if (!said) {
        said = 1;
        fprintf(stderr, "%s: out of descriptors: turning clients away\n", srv->name);
    }
    if (spare_fd < 0 && (spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
        return;
    close(spare_fd);
    fd = accept(srv->lfd, NULL, NULL);
    if (fd >= 0)
        close(fd);
    spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int srv_accept(const srv_t *srv)
{
    static int in_a_row;   /* clients accepted since srv_accept() last said -1 */

    for (;;) {
        int fd;

        if (in_a_row >= BACKLOG) {   /* a flood: serve the clients, take more next round */
            in_a_row = 0;
            errno = EAGAIN;
            return -1;
        }
        fd = accept(srv->lfd, NULL, NULL);
        if (fd >= 0) {
            in_a_row++;
            return fd;
        }
        in_a_row = 0;
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
            continue;   /* that client gave up: take the next */
        if (errno == EMFILE || errno == ENFILE) {
            take_and_close(srv);
            errno = EAGAIN;
            return -1;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            fprintf(stderr, "%s: accept: %s\n", srv->name, strerror(errno));
        errno = EAGAIN;
        return -1;
    }
}

/* ---- the server ------------------------------------------------------------- */

int srv_main(const char *name, int argc, char **argv, srv_loop_fn *loop)
{
    const char *host = "127.0.0.1", *port = "0";
    srv_t srv = {name, -1, -1};
    int rc, args = parse_args(name, argc, argv, &host, &port);

    if (args != 0) {
        usage(name, args > 0 ? stdout : stderr);
        return args > 0 ? 0 : 2;
    }
    srv.sigfd = catch_signals();
    if (srv.sigfd < 0) {
        fprintf(stderr, "%s: signals: %s\n", name, strerror(errno));
        return 1;
    }
    spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    srv.lfd = open_listener(name, host, port);
    if (srv.lfd < 0)
        return 1;
    rc = loop(&srv);
    close(srv.lfd);
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    if (spare_fd >= 0)
        close(spare_fd);
    return rc == 0 ? 0 : 1;
}
