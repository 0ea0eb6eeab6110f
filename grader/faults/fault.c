/* fault.c - what the fault injectors share (see fault.h). Kept plain, in
 * the manner of redis's anet.c: small functions, the reason of a failure
 * written into the caller's buffer. */
#include "fault.h"
#include "clock.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FAULT_MAX_LONGOPTS 32

static const char *prog_name = "sl-fault";
static const char *prog_usage = "";
static volatile sig_atomic_t got_stop;   /* SIGTERM, SIGINT */
static volatile sig_atomic_t got_alarm;  /* the time bound */
static int max_seconds = FAULT_MAX_SECONDS;
static double time_end;                  /* 0 until armed */
static int seed_given;
static uint64_t seed_value;

/* ---- the program ---------------------------------------------------------- */

static void on_signal(int sig)
{
    if (sig == SIGALRM)
        got_alarm = 1;
    else
        got_stop = 1;
}

void fault_start(const char *name, const char *usage)
{
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: calls wake */
    prog_name = name;
    prog_usage = usage;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

_Noreturn void fault_die(const char *what, const char *reason)
{
    fprintf(stderr, "%s: %s: %s\n", prog_name, what, reason);
    exit(1);
}

_Noreturn void fault_bad_usage(const char *fmt, ...)
{
    char msg[FAULT_ERR_LEN * 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s (%s -h for usage)\n", prog_name, msg, prog_name);
    exit(2);
}

void fault_note(const char *fmt, ...)
{
    char msg[FAULT_ERR_LEN * 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", prog_name, msg);
}

/* ---- options -------------------------------------------------------------- */

enum { OPT_MAX_SECONDS = 0x100, OPT_SEED };

/* The program's long options and the shared ones, in one table. */
static const struct option *all_longs(const struct option *longs)
{
    static struct option all[FAULT_MAX_LONGOPTS];
    static const struct option common[] = {
        {"help", no_argument, NULL, 'h'},
        {"max-seconds", required_argument, NULL, OPT_MAX_SECONDS},
        {"seed", required_argument, NULL, OPT_SEED},
    };
    size_t n = 0;
    for (; longs && longs[n].name && n < FAULT_MAX_LONGOPTS - 4; n++)
        all[n] = longs[n];
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        all[n++] = common[i];
    memset(&all[n], 0, sizeof all[n]);
    return all;
}

/* The option getopt_long() stopped at, as typed (a long one without its
 * "=value"). */
static const char *typed(char **argv, int opt)
{
    static char shown[64];
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    if (strncmp(arg, "--", 2) == 0)
        snprintf(shown, sizeof shown, "%.*s", (int)strcspn(arg, "="), arg);
    else
        snprintf(shown, sizeof shown, "-%c", opt);
    return shown;
}

/* Handles a shared option; returns 0 if opt is the program's own. */
static int common_option(int opt, char **argv)
{
    switch (opt) {
    case 'h':
        fputs(prog_usage, stdout);
        exit(0);
    case '?':
        fault_bad_usage("unknown option '%s'", typed(argv, optopt));
    case ':':
        fault_bad_usage("option '%s' needs a value", typed(argv, optopt));
    case OPT_MAX_SECONDS:
        max_seconds = (int)fault_opt_num("--max-seconds", optarg, 1, 86400, 0);
        return 1;
    case OPT_SEED:
        seed_value = (uint64_t)fault_opt_num("--seed", optarg, 0, INT64_MAX, 0);
        seed_given = 1;
        return 1;
    default:
        return 0;
    }
}

int fault_getopt(int argc, char **argv, const char *shorts, const struct option *longs)
{
    char all_shorts[64];
    snprintf(all_shorts, sizeof all_shorts, ":h%s", shorts);
    opterr = 0;
    for (;;) {
        int opt = getopt_long(argc, argv, all_shorts, all_longs(longs), NULL);
        if (opt == -1) {
            if (optind < argc)
                fault_bad_usage("unexpected argument '%s'", argv[optind]);
            return -1;
        }
        if (!common_option(opt, argv))
            return opt;
    }
}

/* ---- values --------------------------------------------------------------- */

int fault_parse_num(const char *text, long long min, long long max, int sizes, long long *out)
{
    char *end;
    if (!isdigit((unsigned char)text[0]) && text[0] != '-') {
        errno = EINVAL;
        return -1;
    }
    errno = 0;
    long long v = strtoll(text, &end, 10), unit = 1;
    if (end == text || errno) {
        errno = errno ? errno : EINVAL;
        return -1;
    }
    if (sizes && (*end == 'K' || *end == 'k'))
        unit = 1024;
    else if (sizes && (*end == 'M' || *end == 'm'))
        unit = 1024 * 1024;
    if (*end && unit > 1)
        end++;
    if (*end) {
        errno = EINVAL;
        return -1;
    }
    if (v < min / unit || v > max / unit || v * unit < min) {
        errno = ERANGE;
        return -1;
    }
    *out = v * unit;
    return 0;
}

int fault_parse_prob(const char *text, double *out)
{
    char *end;
    double p = strtod(text, &end);
    if (end == text || *end || !(p >= 0.0 && p <= 1.0)) {
        errno = EINVAL;
        return -1;
    }
    *out = p;
    return 0;
}

long long fault_opt_num(const char *opt, const char *text, long long min, long long max,
                        int sizes)
{
    long long v;
    if (fault_parse_num(text, min, max, sizes, &v) < 0)
        fault_bad_usage("%s %s: expected a whole number from %lld to %lld%s", opt, text, min,
                        max, sizes ? " (K and M allowed)" : "");
    return v;
}

double fault_opt_prob(const char *opt, const char *text)
{
    double p;
    if (fault_parse_prob(text, &p) < 0)
        fault_bad_usage("%s %s: expected a probability from 0 to 1, e.g. 0.25", opt, text);
    return p;
}

/* ---- addresses ------------------------------------------------------------ */

int fault_is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a))
            return 1;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return 0;
}

int fault_addr_of(char *err, const char *host, const char *port, fault_addr_t *a)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV}, *res;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        snprintf(err, FAULT_ERR_LEN, "not a numeric address and port: %s", gai_strerror(rc));
        return -1;
    }
    memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
    a->len = res->ai_addrlen;
    freeaddrinfo(res);
    if (!fault_is_loopback((struct sockaddr *)&a->ss)) {
        snprintf(err, FAULT_ERR_LEN, "%s is not a loopback address: only 127.0.0.0/8 and ::1 "
                 "are allowed", host);
        return -1;
    }
    return 0;
}

int fault_addr_parse(char *err, const char *text, fault_addr_t *a)
{
    char host[64];
    const char *colon = strrchr(text, ':');
    size_t hlen = colon ? (size_t)(colon - text) : 0;
    if (!colon || hlen == 0 || hlen >= sizeof host || !colon[1]) {
        snprintf(err, FAULT_ERR_LEN, "expected HOST:PORT or [V6]:PORT");
        return -1;
    }
    if (hlen > 2 && text[0] == '[' && text[hlen - 1] == ']')
        snprintf(host, sizeof host, "%.*s", (int)(hlen - 2), text + 1);
    else if (memchr(text, ':', hlen) || text[0] == '[') {
        snprintf(err, FAULT_ERR_LEN, "an IPv6 address goes in brackets: [::1]:PORT");
        return -1;
    } else
        snprintf(host, sizeof host, "%.*s", (int)hlen, text);
    long long port;
    if (fault_parse_num(colon + 1, 1, 65535, 0, &port) < 0) {
        snprintf(err, FAULT_ERR_LEN, "the port must be a number from 1 to 65535");
        return -1;
    }
    return fault_addr_of(err, host, colon + 1, a);
}

const char *fault_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t bufsz)
{
    char host[64], port[16];
    if (getnameinfo(sa, len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(buf, bufsz, "?");
    else
        snprintf(buf, bufsz, sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
    return buf;
}

void fault_opt_addr(const char *opt, const char *text, fault_addr_t *a)
{
    char err[FAULT_ERR_LEN];
    if (fault_addr_parse(err, text, a) < 0)
        fault_bad_usage("%s %s: %s", opt, text, err);
}

void fault_opt_bind(const char *host, const char *port, fault_addr_t *a)
{
    char err[FAULT_ERR_LEN];
    long long p;
    if (fault_parse_num(port, 0, 65535, 0, &p) < 0)
        fault_bad_usage("-p %s: expected a port from 0 to 65535", port);
    if (fault_addr_of(err, host, port, a) < 0)
        fault_bad_usage("-b %s: %s", host, err);
}

/* ---- sockets -------------------------------------------------------------- */

static int fail(char *err, const char *what, int fd)
{
    int e = errno;
    snprintf(err, FAULT_ERR_LEN, "%s: %s", what, strerror(e));
    if (fd >= 0)
        close(fd);
    errno = e;
    return -1;
}

int fault_listen(char *err, const fault_addr_t *a, int type)
{
    int one = 1, family = a->ss.ss_family;
    int fd = socket(family, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(err, "socket", -1);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (const struct sockaddr *)&a->ss, a->len) < 0)
        return fail(err, "bind", fd);
    if (type == SOCK_STREAM && listen(fd, 64) < 0)
        return fail(err, "listen", fd);
    return fd;
}

int fault_announce(char *err, int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char where[96];
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return fail(err, "getsockname", -1);
    printf("listening on %s\n", fault_addr_str((struct sockaddr *)&ss, len, where, sizeof where));
    if (fflush(stdout) == EOF)
        return fail(err, "stdout", -1);
    return 0;
}

int fault_set_nonblock(int fd, int on)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -1;
    return fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* Waits for a non-blocking connect of fd to finish. */
static int connect_wait(char *err, int fd, int timeout_ms)
{
    double end = fault_now() + timeout_ms / 1000.0;
    for (;;) {
        struct pollfd p = {fd, POLLOUT, 0};
        int left = (int)((end - fault_now()) * 1000);
        if (left <= 0 || fault_stopping()) {
            errno = ETIMEDOUT;
            return fail(err, "connect", fd);
        }
        int n = poll(&p, 1, fault_poll_ms(left));
        if (n < 0 && errno != EINTR)
            return fail(err, "connect: poll", fd);
        if (n > 0)
            break;
    }
    int e = 0;
    socklen_t elen = sizeof e;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen);
    if (e) {
        errno = e;
        return fail(err, "connect", fd);
    }
    return fd;
}

int fault_connect(char *err, const fault_addr_t *to, int type, int rcvbuf, int timeout_ms)
{
    int fd = socket(to->ss.ss_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return fail(err, "socket", -1);
    if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) < 0)
        return fail(err, "setsockopt SO_RCVBUF", fd);
    if (connect(fd, (const struct sockaddr *)&to->ss, to->len) == 0)
        return fd;
    if (errno != EINPROGRESS)
        return fail(err, "connect", fd);
    return connect_wait(err, fd, timeout_ms);
}

void fault_reset(int fd)
{
    struct linger l = {1, 0};
    if (fd < 0)
        return;
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
}

/* ---- the PRNG ------------------------------------------------------------- */

/* splitmix64: spreads a seed over all 64 bits. */
static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

uint64_t fault_seed(void)
{
    static int printed;
    if (!seed_given) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed_value = mix((uint64_t)ts.tv_sec ^ ((uint64_t)ts.tv_nsec << 20) ^
                         (uint64_t)getpid()) % 1000000000ULL;
        seed_given = 1;
    }
    if (!printed) {
        fprintf(stderr, "seed %llu\n", (unsigned long long)seed_value);
        printed = 1;
    }
    return seed_value;
}

void fault_rng_init(fault_rng_t *r, uint64_t seed, uint64_t stream)
{
    r->s = mix(seed ^ mix(stream));
    if (r->s == 0)
        r->s = 0x9E3779B97F4A7C15ULL;
}

uint64_t fault_rng_next(fault_rng_t *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

uint64_t fault_rng_below(fault_rng_t *r, uint64_t n)
{
    return n ? fault_rng_next(r) % n : 0;
}

int fault_rng_chance(fault_rng_t *r, double p)
{
    if (p <= 0.0)
        return 0;
    return (double)(fault_rng_next(r) >> 11) / 9007199254740992.0 < p; /* 53 bits */
}

/* ---- the pattern ---------------------------------------------------------- */

unsigned char fault_pattern_at(uint64_t off)
{
    return (unsigned char)(off % 251);
}

void fault_pattern(unsigned char *buf, size_t len, uint64_t off)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = fault_pattern_at(off + i);
}

/* ---- time ----------------------------------------------------------------- */

double fault_now(void)
{
    return clk_now();
}

void fault_arm_timer(void)
{
    time_end = fault_now() + max_seconds;
    alarm((unsigned)max_seconds);
}

int fault_out_of_time(void)
{
    return got_alarm || (time_end > 0 && fault_now() >= time_end);
}

int fault_signalled(void)
{
    return got_stop;
}

int fault_stopping(void)
{
    return got_stop || fault_out_of_time();
}

int fault_max_seconds(void)
{
    return max_seconds;
}

int fault_poll_ms(int ms)
{
    int cap = FAULT_TICK_MS;
    if (time_end > 0) {
        double left = (time_end - fault_now()) * 1000;
        cap = left <= 0 ? 0 : left < cap ? (int)left + 1 : cap;
    }
    return ms >= 0 && ms < cap ? ms : cap;
}

void fault_sleep_ms(int ms)
{
    double end = fault_now() + ms / 1000.0;
    while (!fault_stopping()) {
        double left = end - fault_now();
        if (left <= 0)
            return;
        poll(NULL, 0, fault_poll_ms((int)(left * 1000) + 1));
    }
}
