/* harness.h - what the harness's files share (not for tests: they include
 * sl_harness.h). */
#ifndef SL_HARNESS_INTERNAL_H
#define SL_HARNESS_INTERNAL_H

#include <stddef.h>

#include "sl_harness.h"

/** @brief Sets sl_harness_error() (printf-style); always returns -1. */
int hn_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** @brief Milliseconds left until @p deadline (0 when past), for poll(). */
int hn_ms_left(double deadline);

/** @brief The last @p max bytes of a capture, from a line start when it
 *  can, for a sentence ("..." in front when cut). */
const char *hn_tail(const sl_capture_t *c, size_t max, char *out, size_t outsz);

/** @brief Reads the output of every program the test runs, so no pipe
 *  fills and blocks a program; called in every wait of the harness. */
void hn_drain_all(void);

#endif
