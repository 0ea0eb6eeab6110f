/**
 * @file lg.h
 * @brief The load generator of `make bench`: one thread, epoll,
 * non-blocking sockets, N connections to an echo server on loopback.
 *
 * Each connection carries a stream of messages of one size; every byte
 * that comes back is checked against what was sent. Two ways to load:
 *
 * - **closed loop** (rate 0): each connection sends its next message when
 *   the echo of the last one is back, as fast as the server answers.
 *   Latency is the round trip of one message.
 * - **open loop** (rate R): requests are due at fixed times, R a second
 *   over all connections, whether or not the server kept up; a message
 *   that waits behind a slow echo is sent as soon as it can be (echo keeps
 *   the order, so messages pipeline) and its latency counts from the time
 *   it was *due*, not from when it went out. A server that stalls shows
 *   as latency, not as fewer samples (no coordinated omission).
 *
 * Before the clock starts every connection makes one warm-up exchange, so
 * the connects and the server's first accept are not measured. Every
 * phase has a deadline and the request count a bound: a run ends by
 * itself. Only loopback addresses are accepted.
 *
 * The hold mode opens the connections, makes the warm-up exchange, says so
 * on stdout, stays idle, then makes one more exchange on each: the idle
 * memory of a server is measured meanwhile from outside.
 */
#ifndef LG_H
#define LG_H

#include <stddef.h>
#include <stdint.h>

/** @brief Room for the message of a failed run, in lg_result_t. */
#define LG_ERRLEN 256

/** @brief What one run of the load generator does. */
typedef struct lg_config {
    const char *host;     /**< a numeric loopback address: 127.0.0.1 or ::1 */
    const char *port;     /**< the server's port, as text */
    int conns;            /**< connections, opened before the clock starts */
    size_t msg_size;      /**< bytes of one message (1 .. LG_MAX_MSG) */
    int duration_ms;      /**< how long requests are issued */
    double rate;          /**< open loop: requests a second over all; 0: closed loop */
    long max_requests;    /**< no more requests than this are issued */
    int hold_ms;          /**< > 0: the hold mode, idle this long */
    int timeout_ms;       /**< the deadline of each phase: connect, warm-up, drain */
} lg_config_t;

/** @brief The largest message: a connection's bytes in flight stay below it. */
#define LG_MAX_MSG (4u << 20)

/** @brief What a run measured. */
typedef struct lg_result {
    long requests;        /**< echoes completed within the measured window */
    long late;            /**< echoes completed after it, while draining */
    double seconds;       /**< the measured window */
    double rps;           /**< requests / seconds */
    double mbps;          /**< echoed payload, MB (10^6 bytes) a second, one way */
    double p50_us;        /**< median latency, microseconds */
    double p99_us;        /**< 99th percentile latency */
    double max_us;        /**< the largest latency seen */
    double cpu;           /**< the generator's CPU time over the window, in cores */
    long held;            /**< hold mode: connections that echoed after the hold */
    char error[LG_ERRLEN];/**< why the run failed, when lg_run() returned -1 */
} lg_result_t;

/**
 * @brief Sets a configuration to the defaults: 127.0.0.1, one connection,
 * 64-byte messages, one second, closed loop, a 10-second deadline.
 * @param cfg the configuration to fill; port stays NULL.
 */
void lg_config_init(lg_config_t *cfg);

/**
 * @brief Runs the load described by cfg.
 * @param cfg what to do (see lg_config_t).
 * @param res what was measured; on failure res->error says why.
 * @return 0, or -1 when the run failed: a connection refused, reset or
 *         closed, an echoed byte that differs from the one sent, a deadline
 *         missed, or a bad configuration.
 */
int lg_run(const lg_config_t *cfg, lg_result_t *res);

/** @brief A latency histogram: log-linear buckets, about 3% wide. */
typedef struct lg_hist {
    uint64_t count;       /**< samples added */
    uint64_t max_ns;      /**< the largest sample */
    uint64_t bucket[1184];/**< samples per bucket (see lg_hist_add()) */
} lg_hist_t;

/**
 * @brief Empties a histogram.
 * @param h the histogram.
 */
void lg_hist_reset(lg_hist_t *h);

/**
 * @brief Adds one sample.
 * @param h the histogram.
 * @param ns the sample, in nanoseconds: below 64 exact, above within 1/32.
 */
void lg_hist_add(lg_hist_t *h, uint64_t ns);

/**
 * @brief The value below which a fraction p of the samples lie.
 * @param h the histogram.
 * @param p the fraction, 0 to 1 (0.5 the median, 0.99 the 99th percentile).
 * @return nanoseconds (the upper edge of the bucket, at most the max), or
 *         0 for an empty histogram.
 */
uint64_t lg_hist_percentile(const lg_hist_t *h, double p);

#endif
