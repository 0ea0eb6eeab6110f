/* sl-load.c - the load generator of make bench, as a program (see lg.h).
 *
 *   sl-load -p PORT [-b ADDR] [-c CONNS] [-s BYTES] [-d MS] [-r RATE]
 *           [-n MAX] [-H MS] [-t MS]
 *
 *   -b ADDR   the server's address, numeric and loopback (127.0.0.1)
 *   -p PORT   its port
 *   -c CONNS  connections (1)
 *   -s BYTES  message size (64)
 *   -d MS     how long requests are issued (1000)
 *   -r RATE   open loop: requests a second over all connections
 *             (0, the default: closed loop)
 *   -n MAX    no more requests than MAX (100000000)
 *   -H MS     hold mode: after the warm-up, print "held N connections",
 *             stay idle MS, then make one exchange on each
 *   -t MS     the deadline of each phase (10000)
 *
 * Prints one line of key=value pairs (requests, rps, mbps, p50_us, p99_us,
 * max_us, cpu ...) on stdout and exits 0; a failure is one line
 * "sl-load: ..." on stderr and exit 1; bad usage exits 2. */
#define _GNU_SOURCE
#include "lg.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#define NAME "sl-load"

static void usage(void)
{
    fprintf(stderr, "usage: " NAME " -p PORT [-b ADDR] [-c CONNS] [-s BYTES] [-d MS] [-r RATE]\n"
                    "               [-n MAX] [-H MS] [-t MS]\n");
    exit(2);
}

static long number(const char *s, long lo, long hi)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        usage();
    return v;
}

static void parse(int argc, char **argv, lg_config_t *cfg)
{
    int opt;
    char *end;

    while ((opt = getopt(argc, argv, "b:p:c:s:d:r:n:H:t:")) != -1) {
        switch (opt) {
        case 'b': cfg->host = optarg; break;
        case 'p': cfg->port = optarg; break;
        case 'c': cfg->conns = (int)number(optarg, 1, 1000000); break;
        case 's': cfg->msg_size = (size_t)number(optarg, 1, LG_MAX_MSG); break;
        case 'd': cfg->duration_ms = (int)number(optarg, 1, 3600000); break;
        case 'n': cfg->max_requests = number(optarg, 1, 2000000000L); break;
        case 'H': cfg->hold_ms = (int)number(optarg, 1, 3600000); break;
        case 't': cfg->timeout_ms = (int)number(optarg, 1, 3600000); break;
        case 'r':
            cfg->rate = strtod(optarg, &end);
            if (end == optarg || *end || cfg->rate < 0)
                usage();
            break;
        default: usage();
        }
    }
    if (optind != argc || cfg->port == NULL)
        usage();
}

/* Room for the connections: the soft descriptor limit raised to the hard. */
static int descriptors_for(int conns)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return -1;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)conns + 16 > rl.rlim_cur) {
        fprintf(stderr, NAME ": %d connections need %d descriptors, the limit is %llu\n", conns,
                conns + 16, (unsigned long long)rl.rlim_cur);
        return -1;
    }
    return 0;
}

/* A bound on the whole run, whatever happens: the phases' deadlines and
 * a margin. SIGALRM's default action ends the process. */
static void bound_run(const lg_config_t *cfg)
{
    long ms = (long)cfg->duration_ms + (long)cfg->hold_ms + 4L * cfg->timeout_ms + 5000;

    alarm((unsigned)(ms / 1000 + 1));
}

int main(int argc, char **argv)
{
    lg_config_t cfg;
    lg_result_t res;

    lg_config_init(&cfg);
    parse(argc, argv, &cfg);
    if (descriptors_for(cfg.conns) < 0)
        return 1;
    prctl(PR_SET_TIMERSLACK, 1UL);   /* open-loop timers fire on time, not 50 us late */
    signal(SIGPIPE, SIG_IGN);
    bound_run(&cfg);
    if (lg_run(&cfg, &res) < 0) {
        fprintf(stderr, NAME ": %s\n", res.error);
        return 1;
    }
    if (cfg.hold_ms > 0)
        printf("conns=%d held=%ld\n", cfg.conns, res.held);
    else
        printf("conns=%d size=%zu rate=%.0f seconds=%.3f requests=%ld late=%ld rps=%.0f mbps=%.2f "
               "p50_us=%.1f p99_us=%.1f max_us=%.1f cpu=%.3f\n",
               cfg.conns, cfg.msg_size, cfg.rate, res.seconds, res.requests, res.late, res.rps,
               res.mbps, res.p50_us, res.p99_us, res.max_us, res.cpu);
    return 0;
}
