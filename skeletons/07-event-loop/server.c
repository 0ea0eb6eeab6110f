/* server.c - lesson 07: what the two servers share (see server.h). Given
 * whole, in the skeleton as in the solution.
 *
 * Signals come through a pipe (the self-pipe trick, as in lesson 05): the
 * handler writes a byte, the loop watches the read end like a socket, and
 * its callback calls el_stop(). */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BACKLOG 511          /* the accept queue: Linux caps it at net.core.somaxconn */
#define SETSIZE_MAX (1 << 20) /* the largest loop made for a descriptor limit */

typedef struct options {
    const char *backend, *host, *port;
    int idle_ms;
} options_t;

static void usage(const char *name, FILE *to)
{
    fprintf(to, "usage: %s [--backend %s] [-b ADDR] [-p PORT] [-i IDLE_MS]\n"
                "  --backend NAME  the event loop's backend (default %s)\n"
                "  -b ADDR         the address to listen on (default 127.0.0.1)\n"
                "  -p PORT         the port, 0 to 65535 (default 0: any free port)\n"
                "  -i IDLE_MS      close a connection idle this long (default 0: never)\n",
            name, el_backend_list(), el_backend_named(NULL)->name);
}

/* A number from 0 to max in decimal digits alone, or -1. */
static long number(const char *s, long max)
{
    size_t n = strspn(s, "0123456789");

    if (n == 0 || n > 9 || s[n] != '\0' || atol(s) > max)
        return -1;
    return atol(s);
}

/* Reads the options: 0, 1 for -h, or -1 (said why). */
static int parse_args(const char *name, int argc, char **argv, options_t *o)
{
    static const struct option longs[] = {{"backend", required_argument, NULL, 'B'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
    int opt;

    opterr = 0;   /* the messages are ours */
    while ((opt = getopt_long(argc, argv, "b:p:i:h", longs, NULL)) != -1) {
        switch (opt) {
        case 'B': o->backend = optarg; break;
        case 'b': o->host = optarg; break;
        case 'p': o->port = optarg; break;
        case 'i':
            if ((o->idle_ms = (int)number(optarg, 86400000)) < 0) {
                fprintf(stderr, "%s: bad idle time '%s': give milliseconds\n", name, optarg);
                return -1;
            }
            break;
        case 'h': return 1;
        default:
            fprintf(stderr, "%s: unknown option or missing value: %s\n", name,
                    argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", name, argv[optind]);
        return -1;
    }
    if (number(o->port, 65535) < 0) {
        fprintf(stderr, "%s: bad port '%s': give a number from 0 to 65535\n", name, o->port);
        return -1;
    }
    if (el_backend_named(o->backend) == NULL) {
        fprintf(stderr, "%s: no backend '%s' here: give %s\n", name, o->backend,
                el_backend_list());
        return -1;
    }
    return 0;
}

/* ---- signals: the self-pipe ------------------------------------------------ */

static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    int saved = errno;
    char byte = (char)sig;

    if (write(sig_pipe[1], &byte, 1) < 0) {
        /* full: a byte is there already, which is enough */
    }
    errno = saved;
}

static int pipe_flags(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
                   fcntl(fd, F_SETFD, FD_CLOEXEC) < 0
               ? -1
               : 0;
}

static int catch_signals(void)
{
    struct sigaction sa;

    if (pipe(sig_pipe) < 0 || pipe_flags(sig_pipe[0]) < 0 || pipe_flags(sig_pipe[1]) < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
        return -1;
    signal(SIGPIPE, SIG_IGN);   /* besides MSG_NOSIGNAL */
    return 0;
}

static void on_stop(el_loop_t *loop, int fd, void *data, int mask)
{
    (void)fd;
    (void)data;
    (void)mask;
    el_stop(loop);
}

/* ---- listening ------------------------------------------------------------- */

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
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
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

static int say_where(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return -1;
    printf(ss.ss_family == AF_INET6 ? "listening on [%s]:%s\n" : "listening on %s:%s\n", host,
           serv);
    fflush(stdout);
    return 0;
}

/* ---- the server ------------------------------------------------------------- */

static const char *prog_name;

/* factory->refused: the library closed a client it could not serve; the
 * program says so, in one line. */
static void say_refused(pr_server_t *srv, int err)
{
    (void)srv;
    fprintf(stderr, "%s: a client turned away: %s\n", prog_name,
            err == ERANGE ? "its descriptor is past what the loop can watch" : strerror(err));
}

/* The loop's size: room for every descriptor the process may have
 * (RLIMIT_NOFILE), since pr_serve() gives the loop's setsize slots, one
 * per descriptor; at most the backend's (select: FD_SETSIZE) and
 * SETSIZE_MAX. files[], fired[] and the slots cost only the pages
 * written (with glibc, a calloc() this large maps fresh pages), but the
 * poll backend writes all setsize entries of its pollfd array at start
 * (fd -1, "not watched"): 8 bytes per descriptor resident before any
 * client, 160 KiB for a limit of 20,000, 8 MiB at SETSIZE_MAX. (The
 * loop then never grows for a server's clients: its doubling is for a
 * loop made small.) */
static int loop_size(const char *backend)
{
    struct rlimit rl;
    rlim_t want = 1024, most = (rlim_t)el_backend_named(backend)->max_setsize;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
        want = rl.rlim_cur;   /* RLIM_INFINITY too: cut below */
    if (most > SETSIZE_MAX)
        most = SETSIZE_MAX;
    return (int)(want < most ? want : most);
}

/* Serves until a signal: 0, or 1 (said why). */
static int serve(const char *name, const options_t *o, const pr_factory_t *factory,
                 el_loop_t *loop)
{
    pr_server_t *srv;
    int lfd, rc = 0;

    if (el_add(loop, sig_pipe[0], EL_READABLE, on_stop, NULL) < 0) {
        fprintf(stderr, "%s: watch the signal pipe: %s\n", name, strerror(errno));
        return 1;
    }
    lfd = listen_on(o->host, o->port);
    if (lfd < 0) {
        fprintf(stderr, "%s: listen on %s port %s: %s\n", name, o->host, o->port,
                strerror(errno));
        return 1;
    }
    srv = pr_serve(loop, lfd, factory, o->idle_ms);
    if (srv == NULL || say_where(lfd) < 0) {
        fprintf(stderr, "%s: serve: %s\n", name, strerror(errno));
        pr_server_free(srv);
        close(lfd);
        return 1;
    }
    if (el_run(loop) < 0) {
        fprintf(stderr, "%s: event loop (%s): %s\n", name, el_backend_name(loop),
                strerror(errno));
        rc = 1;
    }
    pr_server_free(srv);
    el_del(loop, sig_pipe[0], EL_READABLE);
    close(lfd);
    return rc;
}

int srv_main(const char *name, int argc, char **argv, const pr_factory_t *factory)
{
    options_t o = {NULL, "127.0.0.1", "0", 0};
    pr_factory_t f = *factory;   /* with the frame's refused(), unless it has its own */
    el_loop_t *loop;
    int rc, args = parse_args(name, argc, argv, &o);

    if (args != 0) {
        usage(name, args > 0 ? stdout : stderr);
        return args > 0 ? 0 : 2;
    }
    if (catch_signals() < 0) {
        fprintf(stderr, "%s: signals: %s\n", name, strerror(errno));
        return 1;
    }
    prog_name = name;
    if (f.refused == NULL)
        f.refused = say_refused;
    loop = el_create(o.backend, loop_size(o.backend));
    if (loop == NULL) {
        fprintf(stderr, "%s: event loop (%s): %s\n", name, o.backend ? o.backend : "default",
                strerror(errno));
        return 1;
    }
    rc = serve(name, &o, &f, loop);
    el_free(loop);
    close(sig_pipe[0]);
    close(sig_pipe[1]);
    return rc;
}
