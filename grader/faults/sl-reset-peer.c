/* sl-reset-peer.c - a peer that resets the connection (SO_LINGER {1, 0},
 * then close(): an RST, not a FIN) at a chosen point. As a client
 * (--connect) it connects, sends, reads, waits, then resets; as a server
 * it accepts, reads, sends, waits, then resets, for --count clients. */
#include "fault.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: sl-reset-peer --connect HOST:PORT [--send TEXT] [--read N] [--after-ms N]\n"
    "       sl-reset-peer [-b ADDR] [-p PORT] [--read N] [--send TEXT] [--after-ms N]\n"
    "                     [--count N]\n"
    "A peer that ends each connection with a reset (SO_LINGER 0, close) instead of\n"
    "a normal close. As a client it connects, sends TEXT, reads N bytes, waits,\n"
    "then resets. As a server (without --connect) it accepts a client, reads N\n"
    "bytes, sends TEXT, waits, then resets; it serves COUNT clients, then exits.\n"
    "  --connect HOST:PORT  be a client of HOST:PORT ([::1]:PORT for IPv6)\n"
    "  -b ADDR, -p PORT     be a server on ADDR (default 127.0.0.1), PORT (default 0)\n"
    "  --send TEXT          what to send first (client) or after reading (server)\n"
    "  --read N             bytes to read before the reset (default 0)\n"
    "  --after-ms N         wait N ms before the reset (default 0)\n"
    "  --count N            server: clients to serve (default 1)\n"
    "  --max-seconds N      exit after N seconds (default 30)\n"
    "A reset throws away what the peer has not read yet: to have TEXT read before\n"
    "the reset, give --after-ms time for it.\n"
    "Prints what it did on stdout; exits 1 if the peer closed or reset first.\n"
    "A server prints 'listening on ADDR:PORT' first; SIGTERM or SIGINT: exit 0.\n";

#define RP_CONNECT_MS 2000

typedef struct rp_opts {
    fault_addr_t to, bind;
    int client;         /* --connect given */
    const char *text;   /* --send */
    long long read;     /* --read */
    long long after_ms; /* --after-ms */
    long long count;    /* --count */
} rp_opts_t;

static void parse_args(int argc, char **argv, rp_opts_t *o)
{
    static const struct option longs[] = {
        {"connect", required_argument, NULL, 'C'},
        {"send", required_argument, NULL, 's'},
        {"read", required_argument, NULL, 'r'},
        {"after-ms", required_argument, NULL, 'a'},
        {"count", required_argument, NULL, 'n'},
        {0, 0, 0, 0},
    };
    const char *host = NULL, *port = NULL, *to = NULL;
    int opt;
    o->count = 1;
    while ((opt = fault_getopt(argc, argv, "b:p:", longs)) != -1) {
        if (opt == 'C')
            to = optarg;
        else if (opt == 's')
            o->text = optarg;
        else if (opt == 'r')
            o->read = fault_opt_num("--read", optarg, 0, 1 << 30, 1);
        else if (opt == 'a')
            o->after_ms = fault_opt_num("--after-ms", optarg, 0, 3600000, 0);
        else if (opt == 'n')
            o->count = fault_opt_num("--count", optarg, 1, 10000, 0);
        else if (opt == 'b')
            host = optarg;
        else if (opt == 'p')
            port = optarg;
    }
    o->client = to != NULL;
    if (o->client && (host || port))
        fault_bad_usage("--connect makes a client: it takes no -b or -p");
    if (o->client)
        fault_opt_addr("--connect", to, &o->to);
    else
        fault_opt_bind(host ? host : "127.0.0.1", port ? port : "0", &o->bind);
}

/* Writes the reason into err; returns -1. */
static int rp_fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int rp_fail(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, FAULT_ERR_LEN, fmt, ap);
    va_end(ap);
    return -1;
}

/* Waits until fd is ready for events; 0, or -1 when it is time to stop. */
static int wait_for(int fd, short events)
{
    for (;;) {
        struct pollfd p = {fd, events, 0};
        if (fault_stopping())
            return -1;
        if (poll(&p, 1, fault_poll_ms(-1)) > 0)
            return 0;
    }
}

/* Sends all of text on the non-blocking socket fd. */
static int send_text(char *err, int fd, const char *text)
{
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = send(fd, text + off, len - off, MSG_NOSIGNAL);
        if (n > 0)
            off += (size_t)n;
        else if (errno != EAGAIN && errno != EINTR)
            return rp_fail(err, "%s after %zu of %zu bytes", strerror(errno), off, len);
        else if (wait_for(fd, POLLOUT) < 0)
            return rp_fail(err, "stopped after %zu of %zu bytes", off, len);
    }
    printf("sent %zu bytes\n", len);
    return 0;
}

/* Reads want bytes (and throws them away). */
static int read_bytes(char *err, int fd, long long want)
{
    char buf[4096];
    long long got = 0;
    while (got < want) {
        size_t room = want - got < (long long)sizeof buf ? (size_t)(want - got) : sizeof buf;
        ssize_t n = recv(fd, buf, room, 0);
        if (n > 0)
            got += n;
        else if (n == 0)
            return rp_fail(err, "the peer closed after %lld of %lld bytes", got, want);
        else if (errno != EAGAIN && errno != EINTR)
            return rp_fail(err, "%s after %lld of %lld bytes", strerror(errno), got, want);
        else if (wait_for(fd, POLLIN) < 0)
            return rp_fail(err, "stopped after %lld of %lld bytes", got, want);
    }
    printf("read %lld bytes\n", want);
    return 0;
}

/* The end of one connection: wait, then reset. */
static void reset_after(int fd, long long ms)
{
    fault_sleep_ms((int)ms);
    fault_reset(fd);
    printf("reset the connection\n");
    fflush(stdout);
}

static int run_client(const rp_opts_t *o)
{
    char err[FAULT_ERR_LEN], where[96];
    fault_addr_str((const struct sockaddr *)&o->to.ss, o->to.len, where, sizeof where);
    int fd = fault_connect(err, &o->to, SOCK_STREAM, 0, RP_CONNECT_MS);
    if (fd < 0)
        fault_die(where, err);
    printf("connected to %s\n", where);
    /* after SIGTERM or SIGINT it goes on to the reset at once */
    if (o->text && send_text(err, fd, o->text) < 0 && !fault_signalled())
        fault_die("send", err);
    if (read_bytes(err, fd, o->read) < 0 && !fault_signalled())
        fault_die("read", err);
    reset_after(fd, o->after_ms);
    return 0;
}

/* One client of the server: 0, or -1 if it went wrong (said on stderr). */
static int serve_one(const rp_opts_t *o, int fd)
{
    char err[FAULT_ERR_LEN];
    fault_set_nonblock(fd, 1);
    if (read_bytes(err, fd, o->read) < 0 || (o->text && send_text(err, fd, o->text) < 0)) {
        close(fd);
        if (fault_signalled())
            return 0;
        fault_note("client: %s", err);
        return -1;
    }
    reset_after(fd, o->after_ms);
    return 0;
}

static int run_server(const rp_opts_t *o)
{
    char err[FAULT_ERR_LEN], where[96];
    int lfd = fault_listen(err, &o->bind, SOCK_STREAM), failed = 0;
    if (lfd < 0)
        fault_die(fault_addr_str((const struct sockaddr *)&o->bind.ss, o->bind.len, where,
                                 sizeof where), err);
    if (fault_announce(err, lfd) < 0)
        fault_die("announce", err);
    for (long long served = 0; served < o->count && !fault_stopping();) {
        if (wait_for(lfd, POLLIN) < 0)
            break;
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            continue;
        printf("accepted client %lld\n", ++served);
        failed |= serve_one(o, fd) < 0;
        fflush(stdout);
    }
    close(lfd);
    return failed;
}

int main(int argc, char **argv)
{
    rp_opts_t o = {0};
    fault_start("sl-reset-peer", usage);
    parse_args(argc, argv, &o);
    fault_arm_timer();
    int rc = o.client ? run_client(&o) : run_server(&o);
    if (fault_out_of_time())
        fault_note("stopping: --max-seconds %d reached", fault_max_seconds());
    return rc;
}
