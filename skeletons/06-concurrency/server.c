/* server.c - lesson 06: what the four servers share (see server.h). Given
 * whole, in the skeleton as in the solution: read it, it is the frame your
 * framework runs in.
 *
 * SIGTERM and SIGINT come through a pipe (the self-pipe trick of lesson
 * 05): the handler writes a byte, and ss_serve_forever() polls the read
 * end beside the server's socket. Both are installed with SA_RESTART, so
 * that the blocking recv() and send() of the handlers are restarted when
 * a signal lands (poll() never is: it fails with EINTR, and the loop looks
 * at the pipe). */
#define _GNU_SOURCE   /* pipe2(), and strerror_r() returning the text */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BACKLOG 128

/* ---- the command line ------------------------------------------------------ */

typedef struct options {
    const char *host, *port, *deny;
    ss_mode_t mode;
    long threads, queue;
} options_t;

static void usage(const srv_program_t *p, FILE *to)
{
    fprintf(to, "usage: %s [-b ADDR] [-p PORT] [-d ADDR]%s%s\n"
                "  -b ADDR  the address to listen on (default 127.0.0.1)\n"
                "  -p PORT  the port, 0 to 65535 (default 0: any free port)\n"
                "  -d ADDR  refuse the clients of this address (verify_request)\n",
            p->name, p->choose_mode ? " [-m serial|fork|thread]" : "",
            p->pool ? " [-t THREADS] [-q QUEUE]" : "");
    if (p->choose_mode)
        fprintf(to, "  -m MODE  where requests run: serial (default), fork or thread\n");
    if (p->pool)
        fprintf(to, "  -t N     threads in the pool, 1 to 256 (default 4)\n"
                    "  -q N     requests waiting for a thread, at most, 1 to 4096 (default 16)\n");
}

static int is_port(const char *s)
{
    size_t n = strspn(s, "0123456789");

    return n > 0 && n <= 5 && s[n] == '\0' && atol(s) <= 65535;
}

/* A number from 1 to max in decimal digits alone, or -1. */
static long count_of(const char *s, long max)
{
    size_t n = strspn(s, "0123456789");
    long v = n > 0 && n <= 5 && s[n] == '\0' ? atol(s) : -1;

    return v >= 1 && v <= max ? v : -1;
}

static int mode_of(const char *s, ss_mode_t *mode)
{
    static const char *const names[] = {"serial", "fork", "thread"};

    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *mode = (ss_mode_t)i;
            return 0;
        }
    return -1;
}

/* The value of option c, checked: 0, or -1 (said why). */
static int take_option(const srv_program_t *p, int c, const char *arg, options_t *o)
{
    switch (c) {
    case 'b': o->host = arg; return 0;
    case 'p': o->port = arg; return 0;
    case 'd': o->deny = arg; return 0;
    case 'm':
        if (p->choose_mode && mode_of(arg, &o->mode) == 0)
            return 0;
        fprintf(stderr, "%s: bad mode '%s': give serial, fork or thread\n", p->name, arg);
        return -1;
    case 't':
        if ((o->threads = count_of(arg, 256)) > 0)
            return 0;
        fprintf(stderr, "%s: bad thread count '%s': give 1 to 256\n", p->name, arg);
        return -1;
    default:
        if ((o->queue = count_of(arg, 4096)) > 0)
            return 0;
        fprintf(stderr, "%s: bad queue size '%s': give 1 to 4096\n", p->name, arg);
        return -1;
    }
}

/* Reads the options: 0, 1 for -h, or -1 (said why). */
static int parse_args(const srv_program_t *p, int argc, char **argv, options_t *o)
{
    char spec[16] = "b:p:d:h";
    int c;

    if (p->choose_mode)
        strcat(spec, "m:");
    if (p->pool)
        strcat(spec, "t:q:");
    opterr = 0;
    while ((c = getopt(argc, argv, spec)) != -1) {
        if (c == 'h')
            return 1;
        if (c == '?' || c == ':') {
            fprintf(stderr, "%s: %s -%c\n", p->name,
                    strchr(spec, optopt) != NULL ? "missing value after" : "unknown option",
                    optopt);
            return -1;
        }
        if (take_option(p, c, optarg, o) < 0)
            return -1;
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", p->name, argv[optind]);
        return -1;
    }
    if (!is_port(o->port)) {
        fprintf(stderr, "%s: bad port '%s': give a number from 0 to 65535\n", p->name, o->port);
        return -1;
    }
    return 0;
}

/* ---- signals: the self-pipe -------------------------------------------------- */

static int stop_pipe[2] = {-1, -1};

static void on_stop(int sig)
{
    int saved = errno;
    char byte = (char)sig;

    if (write(stop_pipe[1], &byte, 1) < 0) {
        /* full: a byte is there already, which is enough */
    }
    errno = saved;
}

/* The read end of the pipe that SIGTERM and SIGINT write to, or -1. */
static int catch_stop_signals(void)
{
    struct sigaction sa;

    if (pipe2(stop_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
        return -1;
    signal(SIGPIPE, SIG_IGN);
    return stop_pipe[0];
}

/* ---- the socket ---------------------------------------------------------------- */

void srv_format_addr(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(buf, size, "a client");
    else
        snprintf(buf, size, sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, serv);
}

/* A socket of type bound to host and port (listening, for a stream), or
 * -1 with errno. */
static int open_socket(int type, const char *host, const char *port)
{
    struct addrinfo hints, *res, *ai;
    int fd = -1, err = 0, gai, one = 1;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = type;
    hints.ai_flags = AI_PASSIVE;
    gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        errno = gai == EAI_SYSTEM ? errno : gai == EAI_AGAIN ? EAGAIN : ENXIO;
        return -1;
    }
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if ((type == SOCK_STREAM && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) ||
            bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
            (type == SOCK_STREAM && listen(fd, BACKLOG) < 0)) {
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

/* Opens the server's socket and says where: the socket, or -1 (said why). */
static int open_and_say(const srv_program_t *p, const options_t *o)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char where[SS_ADDRSTRLEN];
    int fd = open_socket(p->type, o->host, o->port);

    if (fd < 0) {
        fprintf(stderr, "%s: %s on %s port %s: %s\n", p->name,
                p->type == SOCK_STREAM ? "listen" : "bind", o->host, o->port, strerror(errno));
        return -1;
    }
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        fprintf(stderr, "%s: getsockname: %s\n", p->name, strerror(errno));
        close(fd);
        return -1;
    }
    srv_format_addr((struct sockaddr *)&ss, len, where, sizeof where);
    printf("listening on %s\n", where);
    fflush(stdout);
    return fd;
}

/* ---- verify_request() and handle_error() ---------------------------------------- */

/* -d ADDR: refuses the clients of that address (as text, compared with the
 * host part of the client's address). */
static int deny_peer(ss_server_t *srv, const ss_request_t *req)
{
    char host[NI_MAXHOST];

    if (getnameinfo((const struct sockaddr *)&req->peer, req->peerlen, host, sizeof host,
                    NULL, 0, NI_NUMERICHOST) != 0)
        return 1;
    return strcmp(host, (const char *)srv->user) != 0;
}

/* It runs in any thread at once: strerror_r(), not strerror(), whose
 * buffer may be shared. */
void srv_default_error(ss_server_t *srv, const ss_request_t *req, int err)
{
    char text[128];

    cc_log(2, "%s: %s: %s", srv->name, req->peer_text, strerror_r(err, text, sizeof text));
}

/* ---- the server ---------------------------------------------------------------------- */

/* Everything after the options: 0 or 1, main()'s status. */
static int run(const srv_program_t *p, const options_t *o)
{
    /* Static, not on run()'s stack: a request thread that outlived the
     * stop (stop_ms) still uses it while main() returns and exit() runs. */
    static ss_server_t srv;
    int rc = 0;

    if (ss_server_init(&srv, p->name, p->type, o->mode, p->handler) < 0) {
        fprintf(stderr, "%s: server: %s\n", p->name, strerror(errno));
        return 1;
    }
    srv.threads = (size_t)o->threads;
    srv.queue_cap = (size_t)o->queue;
    if (o->deny != NULL) {
        srv.verify_request = deny_peer;
        srv.user = (void *)o->deny;
    }
    if ((srv.stop_fd = catch_stop_signals()) < 0 ||
        (o->mode == SS_FORK && cc_catch_sigchld() < 0)) {
        fprintf(stderr, "%s: signals: %s\n", p->name, strerror(errno));
        return 1;
    }
    if ((srv.fd = open_and_say(p, o)) < 0)
        return 1;
    if (ss_serve_forever(&srv) < 0) {
        fprintf(stderr, "%s: serve: %s\n", p->name, strerror(errno));
        rc = 1;
    }
    cc_log(2, "%s: served %ld requests", p->name, cc_counter_get(&srv.served));
    close(srv.fd);
    if (cc_counter_get(&srv.active) == 0 && srv.workers == NULL)
        ss_server_close(&srv);   /* else a thread still runs, and uses them */
    close(stop_pipe[0]);
    close(stop_pipe[1]);
    return rc;
}

int srv_main(const srv_program_t *p, int argc, char **argv)
{
    options_t o = {"127.0.0.1", "0", NULL, p->mode, 4, 16};
    int args = parse_args(p, argc, argv, &o);

    if (args != 0) {
        usage(p, args > 0 ? stdout : stderr);
        return args > 0 ? 0 : 2;
    }
    return run(p, &o);
}
