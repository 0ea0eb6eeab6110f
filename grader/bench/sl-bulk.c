/* sl-bulk.c - bulk TCP over one loopback connection with lesson 03's
 * tcp_send_all() and tcp_read_exact(), as make bench sets it beside
 * iperf3.
 *
 *   sl-bulk [-n BYTES] [-b BUFSIZE] [-C RECV_CPU,SEND_CPU]
 *   sl-bulk -F          (prints a free port of 127.0.0.1, for iperf3)
 *
 * Listens on 127.0.0.1 (tcp_listen), forks a sender that connects
 * (tcp_connect) and sends BYTES (4 GiB) in tcp_send_all() calls of
 * BUFSIZE (128 KiB, iperf3's own), and reads them with tcp_read_exact()
 * calls of BUFSIZE, each end on its CPU when -C says so. Prints
 *
 *   bytes=N bufsize=B seconds=S gbps=G sends=N recvs=N
 *
 * gbps in 10^9 bytes a second; sends and recvs are the send() and recv()
 * calls that lesson 03's functions made, counted through the linker's
 * --wrap (see the Makefile): how many times each end entered the kernel
 * for its part of the stream. Exit 1 on a failure (said on stderr). */
#define _GNU_SOURCE
#include "tcp.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NAME "sl-bulk"
#define RUN_LIMIT_S 60   /* the whole run, whatever happens */

/* ---- the counted calls (-Wl,--wrap=send -Wl,--wrap=recv) --------------- */

static unsigned long bulk_sends, bulk_recvs;

ssize_t __real_send(int fd, const void *buf, size_t len, int flags);
ssize_t __real_recv(int fd, void *buf, size_t len, int flags);
ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags);
ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags);

ssize_t __wrap_send(int fd, const void *buf, size_t len, int flags)
{
    bulk_sends++;
    return __real_send(fd, buf, len, flags);
}

ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags)
{
    bulk_recvs++;
    return __real_recv(fd, buf, len, flags);
}

/* ---- the run ------------------------------------------------------------ */

typedef struct bulk_config {
    unsigned long long bytes;
    size_t bufsize;
    int recv_cpu, send_cpu;   /* -1: wherever the scheduler likes */
} bulk_config_t;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, NAME ": %s: %s\n", what, strerror(errno));
    exit(1);
}

static void pin(int cpu)
{
    cpu_set_t set;

    if (cpu < 0)
        return;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) < 0)
        die("sched_setaffinity");
}

/* The sender: connects, sends the bytes, tells its count of send() calls
 * on report, exits. */
static _Noreturn void sender(const bulk_config_t *cfg, const char *port, int report)
{
    char *buf = malloc(cfg->bufsize);
    unsigned long long left = cfg->bytes;
    int fd;

    pin(cfg->send_cpu);
    if (buf == NULL)
        die("malloc");
    memset(buf, 'x', cfg->bufsize);
    fd = tcp_connect("127.0.0.1", port);
    if (fd < 0)
        die("tcp_connect");
    while (left > 0) {
        size_t n = left < cfg->bufsize ? (size_t)left : cfg->bufsize;

        if (tcp_send_all(fd, buf, n) < 0)
            die("tcp_send_all");
        left -= n;
    }
    close(fd);
    if (write(report, &bulk_sends, sizeof bulk_sends) != (ssize_t)sizeof bulk_sends)
        die("write to the parent");
    free(buf);
    _exit(0);
}

/* The receiver: reads the whole stream; the seconds it took. */
static double receive(const bulk_config_t *cfg, int fd)
{
    char *buf = malloc(cfg->bufsize);
    unsigned long long left = cfg->bytes;
    double t0 = now_s();

    if (buf == NULL)
        die("malloc");
    while (left > 0) {
        size_t want = left < cfg->bufsize ? (size_t)left : cfg->bufsize;
        ssize_t n = tcp_read_exact(fd, buf, want);

        if (n < 0)
            die("tcp_read_exact");
        if ((size_t)n < want) {
            fprintf(stderr, NAME ": the stream ended %llu bytes early\n", left - (size_t)n);
            exit(1);
        }
        left -= want;
    }
    free(buf);
    return now_s() - t0;
}

static int run(const bulk_config_t *cfg)
{
    char local[TCP_ADDRSTRLEN], *port;
    int lfd, fd, pipefd[2], status;
    unsigned long sends = 0;
    double secs;
    pid_t pid;

    pin(cfg->recv_cpu);
    lfd = tcp_listen("127.0.0.1", "0", 1);
    if (lfd < 0 || tcp_local_text(lfd, local, sizeof local) < 0 || pipe(pipefd) < 0)
        die("listen");
    port = strrchr(local, ':') + 1;
    pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0)
        sender(cfg, port, pipefd[1]);
    fd = tcp_accept(lfd);
    if (fd < 0)
        die("tcp_accept");
    secs = receive(cfg, fd);
    if (read(pipefd[0], &sends, sizeof sends) != (ssize_t)sizeof sends)
        die("read the sender's count");
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, NAME ": the sender failed\n");
        return 1;
    }
    printf("bytes=%llu bufsize=%zu seconds=%.3f gbps=%.3f sends=%lu recvs=%lu\n", cfg->bytes,
           cfg->bufsize, secs, (double)cfg->bytes / secs / 1e9, sends, bulk_recvs);
    close(fd);
    close(lfd);
    return 0;
}

/* -F: a port of 127.0.0.1 that was free a moment ago. */
static int free_port(void)
{
    char local[TCP_ADDRSTRLEN];
    int fd = tcp_listen("127.0.0.1", "0", 1);

    if (fd < 0 || tcp_local_text(fd, local, sizeof local) < 0)
        die("listen");
    printf("%s\n", strrchr(local, ':') + 1);
    close(fd);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: " NAME " [-n BYTES] [-b BUFSIZE] [-C RECV_CPU,SEND_CPU] | -F\n");
    exit(2);
}

int main(int argc, char **argv)
{
    bulk_config_t cfg = {4ULL << 30, 128u << 10, -1, -1};
    int opt;

    while ((opt = getopt(argc, argv, "n:b:C:F")) != -1) {
        char *end;

        switch (opt) {
        case 'n': cfg.bytes = strtoull(optarg, &end, 10); if (*end || !cfg.bytes) usage(); break;
        case 'b': cfg.bufsize = strtoul(optarg, &end, 10); if (*end || !cfg.bufsize) usage(); break;
        case 'C': if (sscanf(optarg, "%d,%d", &cfg.recv_cpu, &cfg.send_cpu) != 2) usage(); break;
        case 'F': return free_port();
        default: usage();
        }
    }
    if (optind != argc || cfg.bufsize > (64u << 20))
        usage();
    signal(SIGPIPE, SIG_IGN);
    alarm(RUN_LIMIT_S);
    return run(&cfg);
}
