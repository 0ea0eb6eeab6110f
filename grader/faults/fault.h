/**
 * @file fault.h
 * @brief What the fault injectors share: options, a seeded PRNG, loopback
 *        addresses, sockets, the `listening on` line, and a bound on time.
 *
 * Each injector (grader/faults/sl-NAME.c) is a program of its own, one
 * behaviour each, usable by hand and from a test. They share a contract:
 *
 * - only loopback: every address given is numeric and in 127.0.0.0/8 or
 *   ::1, anything else is refused with one line;
 * - bounded: `--max-seconds N` (default FAULT_MAX_SECONDS) ends a program
 *   by itself, and each one also bounds what it does in count;
 * - SIGTERM or SIGINT ends it with status 0;
 * - a program that draws random numbers prints `seed N` on stderr, and
 *   `--seed N` replays it;
 * - errors are one line on stderr, `sl-NAME: what failed: reason`, exit
 *   1; bad usage is one line too, exit 2; `-h` prints the usage, exit 0.
 *
 * Functions that can fail return -1 and, like redis's anet.c, write the
 * reason into an @p err buffer of FAULT_ERR_LEN bytes; printing it, and
 * exiting, is left to the program (fault_die(), fault_bad_usage()).
 */
#ifndef FAULT_H
#define FAULT_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/** Size of the error buffers the functions below fill in. */
#define FAULT_ERR_LEN 256

/** Default of --max-seconds: the longest a program runs. */
#define FAULT_MAX_SECONDS 30

/** The longest a poll() of fault_poll_ms() waits, so a stop is never missed. */
#define FAULT_TICK_MS 100

/* ---- the program: name, options, errors ----------------------------------- */

/**
 * @brief Names the program and its usage; sets SIGTERM and SIGINT to stop
 *        it (see fault_stopping()), ignores SIGPIPE. Call first in main().
 * @param name the program's name, e.g. "sl-split-proxy".
 * @param usage the text `-h` prints: a `usage:` line, then the options.
 */
void fault_start(const char *name, const char *usage);

/**
 * @brief getopt_long() with what every program takes: `-h`/`--help`,
 *        `--max-seconds N` and `--seed N` are handled here, and so are an
 *        unknown option, a missing argument and a stray argument (bad
 *        usage: one line, exit 2).
 * @param argc, argv main()'s.
 * @param shorts the program's short options, e.g. "b:p:".
 * @param longs the program's long options, ended by a zeroed entry.
 * @return the program's next option (as getopt_long()), or -1 at the end.
 */
int fault_getopt(int argc, char **argv, const char *shorts, const struct option *longs);

/**
 * @brief Prints `NAME: what: reason` on stderr and exits with status 1.
 * @param what what failed, e.g. "connect to 127.0.0.1:9".
 * @param reason why, e.g. strerror(errno).
 */
_Noreturn void fault_die(const char *what, const char *reason);

/**
 * @brief Prints `NAME: MESSAGE (NAME -h for usage)` on stderr, exits 2.
 * @param fmt printf-style.
 */
_Noreturn void fault_bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @brief Prints `NAME: MESSAGE` on stderr (a note, not an error).
 * @param fmt printf-style.
 */
void fault_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- parsing values ------------------------------------------------------- */

/**
 * @brief A whole number in [@p min, @p max]; a size may end in K or M
 *        (KiB, MiB) when @p sizes is 1.
 * @return 0, or -1 with errno EINVAL (not a number) or ERANGE.
 */
int fault_parse_num(const char *text, long long min, long long max, int sizes, long long *out);

/**
 * @brief A probability, a decimal from 0 to 1 ("0.25").
 * @return 0, or -1 with errno EINVAL.
 */
int fault_parse_prob(const char *text, double *out);

/** @brief fault_parse_num() for an option, or bad usage naming @p opt. */
long long fault_opt_num(const char *opt, const char *text, long long min, long long max,
                        int sizes);

/** @brief fault_parse_prob() for an option, or bad usage naming @p opt. */
double fault_opt_prob(const char *opt, const char *text);

/* ---- loopback addresses --------------------------------------------------- */

/** An address of a socket, and its length. */
typedef struct fault_addr {
    struct sockaddr_storage ss; /**< the address */
    socklen_t len;              /**< its length */
} fault_addr_t;

/**
 * @brief Parses `HOST:PORT` or `[V6]:PORT`, HOST numeric
 *        (getaddrinfo(AI_NUMERICHOST)) and on loopback.
 * @param err the reason on failure.
 * @param text the address.
 * @param a filled in.
 * @return 0, or -1.
 */
int fault_addr_parse(char *err, const char *text, fault_addr_t *a);

/**
 * @brief Like fault_addr_parse() with host and port apart (`-b ADDR -p
 *        PORT`); the port may be 0.
 */
int fault_addr_of(char *err, const char *host, const char *port, fault_addr_t *a);

/** @brief 1 if @p sa is in 127.0.0.0/8 or is ::1 (or ::ffff:127.x.y.z). */
int fault_is_loopback(const struct sockaddr *sa);

/**
 * @brief The address as `127.0.0.1:80` or `[::1]:80`.
 * @return @p buf.
 */
const char *fault_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t bufsz);

/** @brief fault_addr_parse() for an option, or bad usage naming @p opt. */
void fault_opt_addr(const char *opt, const char *text, fault_addr_t *a);

/** @brief fault_addr_of() for `-b HOST -p PORT`, or bad usage. */
void fault_opt_bind(const char *host, const char *port, fault_addr_t *a);

/* ---- sockets -------------------------------------------------------------- */

/**
 * @brief A socket of @p type (SOCK_STREAM or SOCK_DGRAM) bound to @p a
 *        (SO_REUSEADDR; IPv6 only for an IPv6 address), listening if a
 *        stream.
 * @return the socket, or -1 (the reason in @p err).
 */
int fault_listen(char *err, const fault_addr_t *a, int type);

/**
 * @brief Prints `listening on ADDR:PORT` (`[::1]:PORT` for IPv6) for the
 *        socket @p fd on stdout, and flushes it.
 * @return 0, or -1 (the reason in @p err).
 */
int fault_announce(char *err, int fd);

/**
 * @brief A non-blocking socket of @p type connected to @p to, within
 *        @p timeout_ms (and the time bound).
 * @param err the reason on failure.
 * @param to where.
 * @param type SOCK_STREAM or SOCK_DGRAM.
 * @param rcvbuf SO_RCVBUF to set before connecting, 0 to leave it.
 * @param timeout_ms how long a TCP connect may take.
 * @return the socket, or -1.
 */
int fault_connect(char *err, const fault_addr_t *to, int type, int rcvbuf, int timeout_ms);

/** @brief Sets or clears O_NONBLOCK; 0 or -1 (errno). */
int fault_set_nonblock(int fd, int on);

/** @brief Closes @p fd abruptly: SO_LINGER {1, 0}, then close(): a reset. */
void fault_reset(int fd);

/* ---- a seeded PRNG: xorshift64* ------------------------------------------- */

/** The state of a generator. */
typedef struct fault_rng {
    uint64_t s; /**< never 0 */
} fault_rng_t;

/**
 * @brief The seed of this run: --seed N, or one made of the time and the
 *        pid. The first call prints `seed N` on stderr, so a run can be
 *        replayed.
 */
uint64_t fault_seed(void);

/**
 * @brief Seeds @p r for stream @p stream of @p seed: streams are
 *        independent, so the fate of a connection's or a client's bytes
 *        does not hang on how others interleave with it.
 */
void fault_rng_init(fault_rng_t *r, uint64_t seed, uint64_t stream);

/** @brief The next 64 random bits. */
uint64_t fault_rng_next(fault_rng_t *r);

/** @brief A number in [0, @p n) (0 when @p n is 0). */
uint64_t fault_rng_below(fault_rng_t *r, uint64_t n);

/** @brief 1 with probability @p p. */
int fault_rng_chance(fault_rng_t *r, double p);

/* ---- a known pattern of bytes --------------------------------------------- */

/** @brief The byte at offset @p off of the pattern: (off % 251), so a
 *  byte lost, doubled or moved shows. */
unsigned char fault_pattern_at(uint64_t off);

/** @brief Fills @p buf with the pattern from offset @p off. */
void fault_pattern(unsigned char *buf, size_t len, uint64_t off);

/* ---- stopping ------------------------------------------------------------- */

/** @brief Starts the time bound: --max-seconds from now. */
void fault_arm_timer(void);

/** @brief 1 once SIGTERM or SIGINT came or the time bound passed. */
int fault_stopping(void);

/** @brief 1 if the time bound passed (rather than a signal). */
int fault_out_of_time(void);

/** @brief 1 if SIGTERM or SIGINT came. */
int fault_signalled(void);

/** @brief The --max-seconds in force. */
int fault_max_seconds(void);

/**
 * @brief A poll() timeout: @p ms (-1: no limit of its own) cut to the time
 *        left and to FAULT_TICK_MS.
 */
int fault_poll_ms(int ms);

/** @brief Seconds on CLOCK_MONOTONIC. */
double fault_now(void);

/** @brief Sleeps @p ms milliseconds, or until a stop. */
void fault_sleep_ms(int ms);

#endif
