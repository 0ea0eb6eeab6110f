/* server.c - lesson 08: the plumbing of unix-echo-server (see server.h).
 * Given whole, in the skeleton as in the solution: read it, it is the
 * frame your worker runs in.
 *
 * Two processes. The listener (this process) accepts each client, checks
 * its uid (SO_PEERCRED), and passes the connected socket to the worker,
 * a child made with ux_fork_pair(), over their socketpair: one byte and
 * one descriptor (SCM_RIGHTS) per client, then it closes its own copy.
 * The worker serves the clients one after another. The listener could
 * run with privileges the worker has dropped: OpenSSH's privilege
 * separation and the preforked servers of UNP 30.9 pass sockets so. */
#define _GNU_SOURCE   /* ppoll(), accept4(): Linux, the BSDs, POSIX.1-2024 */
#include "server.h"

#include "unix.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BACKLOG 16
#define PAUSE_MS 100   /* after a failed accept() */

/* What the command line asks for. */
typedef struct srv_options {
    const char *name;   /* -u: a path or @NAME */
    int type;           /* -t: SOCK_STREAM or SOCK_SEQPACKET */
    uid_t allowed;      /* -U: the uid served (default: ours) */
} srv_options_t;

/* ---- the command line ---------------------------------------------------- */

static void usage(const char *name, FILE *to)
{
    fprintf(to, "usage: %s -u NAME [-t stream|seqpacket] [-U UID]\n"
                "  -u NAME  where to listen: a path, or @NAME for an abstract name\n"
                "  -t TYPE  stream (default) or seqpacket\n"
                "  -U UID   serve the clients of this uid only (default: mine)\n", name);
}

/* Is s a uid, decimal digits alone? Into *uid. */
static int parse_uid(const char *s, uid_t *uid)
{
    size_t n = strspn(s, "0123456789");
    unsigned long v;

    if (n == 0 || n > 10 || s[n] != '\0')
        return -1;
    v = strtoul(s, NULL, 10);
    if (v > 4294967294UL)   /* (uid_t)-1 is no user */
        return -1;
    *uid = (uid_t)v;
    return 0;
}

/* Reads the options into o: 0, 1 for -h, or -1 (said why). */
static int parse_args(const char *name, int argc, char **argv, srv_options_t *o)
{
    int opt;

    opterr = 0;   /* the messages are ours */
    while ((opt = getopt(argc, argv, "u:t:U:h")) != -1) {
        switch (opt) {
        case 'u': o->name = optarg; break;
        case 't':
            if (strcmp(optarg, "stream") != 0 && strcmp(optarg, "seqpacket") != 0) {
                fprintf(stderr, "%s: bad type '%s': stream or seqpacket\n", name, optarg);
                return -1;
            }
            o->type = strcmp(optarg, "stream") == 0 ? SOCK_STREAM : SOCK_SEQPACKET;
            break;
        case 'U':
            if (parse_uid(optarg, &o->allowed) < 0) {
                fprintf(stderr, "%s: bad uid '%s': give a number\n", name, optarg);
                return -1;
            }
            break;
        case 'h': return 1;
        default:
            fprintf(stderr, "%s: %s -%c\n", name,
                    strchr("utU", optopt) ? "missing value after" : "unknown option", optopt);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", name, argv[optind]);
        return -1;
    }
    if (o->name == NULL) {
        fprintf(stderr, "%s: no name to listen on: give -u NAME\n", name);
        return -1;
    }
    return 0;
}

/* ---- signals --------------------------------------------------------------
 * SIGTERM and SIGINT set `stop`. They stay blocked except while a process
 * waits in ppoll(), which unblocks them and waits in one atomic step: a
 * signal can never land between the test of `stop` and the wait. The
 * worker, a fork of this process, inherits all of it: the listener sends
 * it SIGTERM when it is time to stop. */

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

/* Waits for fds (their events) until one is ready: 0; -1 once asked to
 * stop, or on an error of the wait. */
static int wait_any(struct pollfd *fds, nfds_t n)
{
    while (!stop) {
        if (ppoll(fds, n, NULL, &wait_mask) > 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
    return -1;
}

int srv_wait_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    return wait_any(&p, 1);
}

int srv_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- the socket file --------------------------------------------------------
 * A path names a file that outlives the socket: remove it at the end, but
 * only if it is still ours (the same inode), not one another server made
 * since. An abstract name goes with the socket. */

typedef struct srv_file {
    const char *path;   /* NULL: an abstract name */
    dev_t dev;
    ino_t ino;
} srv_file_t;

static void remember_file(srv_file_t *f, const char *name)
{
    struct stat st;

    f->path = NULL;
    if (name[0] != '@' && lstat(name, &st) == 0) {
        f->path = name;
        f->dev = st.st_dev;
        f->ino = st.st_ino;
    }
}

static void remove_file(const srv_file_t *f)
{
    struct stat st;

    if (f->path && lstat(f->path, &st) == 0 && st.st_dev == f->dev && st.st_ino == f->ino)
        unlink(f->path);
}

/* ---- the listener ------------------------------------------------------------ */

/* Listens, non-blocking (so that accept() never waits when ppoll() said a
 * client was there), and remembers the file: the socket, or -1 (said why). */
static int open_listener(const char *name, const srv_options_t *o, srv_file_t *file)
{
    int fd = ux_listen(o->name, o->type, BACKLOG);

    if (fd < 0) {
        fprintf(stderr, "%s: listen on %s: %s\n", name, o->name, strerror(errno));
        return -1;
    }
    remember_file(file, o->name);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        fprintf(stderr, "%s: listening socket: %s\n", name, strerror(errno));
        remove_file(file);
        close(fd);
        return -1;
    }
    return fd;
}

/* Says where it listens: `listening on unix:NAME`, read back from the
 * socket (getsockname), once it listens. 0, or -1 (said why). */
static int say_listening(const char *name, int lfd)
{
    char where[UX_NAMESTRLEN];

    if (ux_local_name(lfd, where, sizeof where) < 0) {
        fprintf(stderr, "%s: listening socket: %s\n", name, strerror(errno));
        return -1;
    }
    printf("listening on unix:%s\n", where);
    fflush(stdout);
    return 0;
}

/* Is the client of fd one we serve? 1 yes; 0 no (said why). */
static int allowed(const char *name, int fd, uid_t uid)
{
    pid_t pid = 0;
    uid_t peer = 0;

    if (ux_peer_allowed(fd, uid) == 0)
        return 1;
    if (errno == EACCES && ux_peer_cred(fd, &pid, &peer, NULL) == 0)
        fprintf(stderr, "%s: refused pid %ld of uid %lu: only uid %lu is served\n", name,
                (long)pid, (unsigned long)peer, (unsigned long)uid);
    else
        fprintf(stderr, "%s: peer credentials: %s\n", name, strerror(errno));
    return 0;
}

/* Hands client fd to the worker: one byte and the descriptor. Our end of
 * the channel is non-blocking: while the worker is busy with one client,
 * the others queue in the channel, and once it is full a blocking send
 * would wait there, deaf to SIGTERM. So wait for room in ppoll(), where
 * the signals come through. 0: handed over, or dropped (asked to stop, or
 * too many descriptors in flight, ETOOMANYREFS: said); -1 when the worker
 * is gone, or on an error (said why). */
static int hand_over(const char *name, int chan, int fd)
{
    struct pollfd p = {.fd = chan, .events = POLLOUT};

    while (ux_send_fds(chan, "c", 1, &fd, 1) < 0) {
        if (errno == ETOOMANYREFS) {
            fprintf(stderr, "%s: hand a client to the worker: %s (that client dropped)\n",
                    name, strerror(errno));
            return 0;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            fprintf(stderr, "%s: hand a client to the worker: %s\n", name, strerror(errno));
            return -1;
        }
        if (wait_any(&p, 1) < 0) {
            if (stop)
                return 0;   /* that client is dropped: we are stopping */
            fprintf(stderr, "%s: wait for the worker: %s\n", name, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Accepts the next client and hands it to the worker: 0, or -1 when the
 * worker is gone (said why). Out of descriptors (EMFILE) the client stays
 * queued and the listener readable: say so once, and pause, rather than
 * spin. */
static int next_client(const char *name, int lfd, int chan, uid_t uid)
{
    static int failing;   /* accept() failed last time: said already */
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC), rc = 0;

    if (fd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            if (!failing++)
                fprintf(stderr, "%s: accept: %s (trying again)\n", name, strerror(errno));
            ppoll(NULL, 0, &(struct timespec){0, PAUSE_MS * 1000000L}, &wait_mask);
        }
        return 0;
    }
    failing = 0;
    if (allowed(name, fd, uid))
        rc = hand_over(name, chan, fd);
    close(fd);   /* the worker has its own descriptor now (or it was refused) */
    return rc;
}

/* Accepts clients until asked to stop: 0, or -1 if the worker ended
 * first, or on an error (said). */
static int serve_clients(const char *name, int lfd, int chan, uid_t uid)
{
    struct pollfd p[2] = {{.fd = lfd, .events = POLLIN}, {.fd = chan, .events = POLLIN}};

    while (wait_any(p, 2) == 0) {
        if (p[1].revents) {   /* the worker writes nothing: it ended */
            fprintf(stderr, "%s: the worker ended\n", name);
            return -1;
        }
        if (next_client(name, lfd, chan, uid) < 0)
            return -1;
    }
    if (!stop) {
        fprintf(stderr, "%s: wait for clients: %s\n", name, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- the worker -------------------------------------------------------------- */

/* Starts the worker: its pid, with *chan our end (non-blocking: see
 * hand_over()); -1 (said why). In the child, runs worker() and exits with
 * its status. */
static pid_t start_worker(const char *name, int lfd, int type, srv_worker_fn *worker, int *chan)
{
    pid_t pid = ux_fork_pair(SOCK_SEQPACKET, chan);

    if (pid < 0) {
        fprintf(stderr, "%s: start the worker: %s\n", name, strerror(errno));
        return -1;
    }
    if (pid > 0 && fcntl(*chan, F_SETFL, fcntl(*chan, F_GETFL) | O_NONBLOCK) < 0) {
        fprintf(stderr, "%s: the worker's channel: %s\n", name, strerror(errno));
        close(*chan);   /* the worker sees the end of the channel, and ends */
        waitpid(pid, NULL, 0);
        return -1;
    }
    if (pid == 0) {
        int status;

        close(lfd);   /* the worker never accepts */
        status = worker(*chan, type);
        close(*chan);
        exit(status);
    }
    return pid;
}

/* Stops the worker and waits for it: 0 if it ended with status 0. */
static int stop_worker(const char *name, pid_t pid, int chan)
{
    int st;

    close(chan);              /* no more clients: the worker sees the end */
    kill(pid, SIGTERM);       /* and stops serving a client that is quiet */
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (WIFSIGNALED(st))
        fprintf(stderr, "%s: the worker was killed by signal %d (%s)\n", name,
                WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        fprintf(stderr, "%s: the worker exited with status %d\n", name, WEXITSTATUS(st));
    return -1;
}

/* ---- the server ---------------------------------------------------------------- */

int srv_main(const char *name, int argc, char **argv, srv_worker_fn *worker)
{
    srv_options_t o = {.name = NULL, .type = SOCK_STREAM, .allowed = geteuid()};
    srv_file_t file;
    int lfd, chan, rc, args = parse_args(name, argc, argv, &o);
    pid_t pid;

    if (args != 0) {
        usage(name, args > 0 ? stdout : stderr);
        return args > 0 ? 0 : 2;
    }
    if (catch_signals() < 0) {
        fprintf(stderr, "%s: signals: %s\n", name, strerror(errno));
        return 1;
    }
    lfd = open_listener(name, &o, &file);
    if (lfd < 0)
        return 1;
    pid = start_worker(name, lfd, o.type, worker, &chan);
    rc = pid < 0 || say_listening(name, lfd) < 0 ? -1 : serve_clients(name, lfd, chan, o.allowed);
    close(lfd);
    remove_file(&file);
    if (pid > 0 && stop_worker(name, pid, chan) < 0)
        rc = -1;
    return rc == 0 ? 0 : 1;
}
