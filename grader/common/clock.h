/**
 * @file clock.h
 * @brief The one clock of the grader: seconds on CLOCK_MONOTONIC.
 */
#ifndef SL_CLOCK_H
#define SL_CLOCK_H

/** @brief Seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double clk_now(void);

/**
 * @brief Sleeps for @p seconds (0 or less: not at all), resuming after a
 *        signal until the time is up.
 * @param seconds how long.
 */
void clk_sleep(double seconds);

#endif
