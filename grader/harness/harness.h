/* harness.h - what the harness's files share (not for tests: they include
 * sl_harness.h). */
#ifndef SL_HARNESS_INTERNAL_H
#define SL_HARNESS_INTERNAL_H

#include <stddef.h>

#include "sl_harness.h"

/** Longest line of the transcript, and longest harness error. */
#define HN_LINE_MAX 4096

/** Bytes of data shown in a sentence (sl_show()'s max): an expected value
 *  of a test is short, and shown whole. */
#define HN_SHOW 200

/** Room for what sl_show() writes of HN_SHOW bytes, escapes included. */
#define HN_SHOWN (4 * HN_SHOW + 64)

/** @brief Sets sl_harness_error() (printf-style), with no errno as its
 *  cause; always returns -1. */
int hn_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** @brief Like hn_error() for a step that failed with errno @p err (0: none
 *  known): sl_harness_fail() hands it on as the failure's cause. */
int hn_error_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** @brief Writes once per server the transcript's line that replays what the
 *  test does by hand: `nc HOST PORT`, or for a test that talks to it with
 *  datagrams (@p udp) `nc -u HOST PORT (or socat - UDP4:HOST:PORT)`. */
void hn_replay_talk(const sl_server_t *s, int udp);

/** @brief Milliseconds left until @p deadline (0 when past), for poll(). */
int hn_ms_left(double deadline);

/** @brief The last @p max bytes of a capture, from a line start when it
 *  can, for a sentence ("..." in front when cut). */
const char *hn_tail(const sl_capture_t *c, size_t max, char *out, size_t outsz);

/** @brief Reads the output of every program the test runs, so no pipe
 *  fills and blocks a program, and reaps those that ended. */
void hn_drain_all(void);

/**
 * @brief The one wait of the harness: polls @p fd (if >= 0) for @p events
 *        together with the pipes of every program the harness started and
 *        of @p also (may be NULL: a program a test set up by hand), until
 *        something is ready, @p deadline, or a short step (to see
 *        programs' exits), then drains them all. Callers loop until what
 *        they wait for is there: a chatty program is read as it writes,
 *        and never waits on the test.
 * @return 1 if @p fd is ready, else 0.
 */
int hn_wait(sl_prog_t *also, int fd, short events, double deadline);

#endif
