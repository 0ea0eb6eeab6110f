/**
 * @file supervise.h
 * @brief Running one test binary in a sandboxed process and judging how it
 *        ended.
 *
 * The supervisor (trusted code: it never loads a lesson's code) forks the
 * test process, which enters the sandbox and execs the test binary. The
 * test process reports on a socket (protocol.h); the supervisor combines
 * that with how the process ended (exit status, signal, timeout), never
 * with what it printed, and writes the verdict into a slot the driver
 * reads.
 */
#ifndef SL_SUPERVISE_H
#define SL_SUPERVISE_H

#include <stddef.h>
#include <sys/types.h>

#include "sandbox.h"

#define SUP_MSG_MAX 8192   /**< longest verdict message kept */
#define SUP_HINT_MAX 1024  /**< longest hint of a check kept */
#define SUP_OUT_MAX 16384  /**< output bytes kept: the last ones */
#define SUP_SAN_MAX 12288  /**< bytes kept of a sanitizer's report, from its start */

/** What the supervisor learnt about one run (lives in shared memory). */
typedef struct sup_slot {
    pid_t body;               /**< the test process as the driver can signal
                                   it; 0 when it runs in a namespace of its own */
    int status;               /**< a res_status_t; -1 until judged */
    int began;                /**< main() of the test binary was reached */
    double seconds;           /**< wall-clock time of the test process */
    int swept;                /**< processes still alive when it ended */
    char message[SUP_MSG_MAX]; /**< what went wrong, "" on a pass */
    char hint[SUP_HINT_MAX];  /**< the failing check's own hint, or "" */
    char cause[32];           /**< the errno symbol the failure gave as its cause, or "" */
    char san_kind[24];        /**< the verdict is a sanitizer's finding of this kind
                                   (hint_finding_kind()), or "" */
    int san_verdict;          /**< the verdict is a sanitizer's: its report is shown */
    size_t output_len;        /**< bytes kept in output */
    size_t output_total;      /**< bytes the test printed in all */
    unsigned char output[SUP_OUT_MAX]; /**< the last bytes printed */
    char blocked[96];         /**< where the test process was at its deadline */
    size_t san_len;           /**< bytes kept in san */
    char san[SUP_SAN_MAX + 1]; /**< the first sanitizer report printed, from its
                                    start (a long one outgrows the output) */
} sup_slot_t;

/** What to run. */
typedef struct sup_job {
    const char *binary;   /**< the test binary */
    const char *test;     /**< the test's name; NULL: only probe main() */
    const char *src_dir;  /**< the student's sources, to find their frames
                               in a sanitizer's report; may be NULL */
    sb_limits_t limits;   /**< the sandbox's limits */
} sup_job_t;

/**
 * @brief Runs @p job under its limits, waits for it (or its timeout), kills
 *        everything it started, and fills @p slot with the verdict.
 *
 * Call it in the supervisor process (sb_spawn()'s child): it changes signal
 * handling and reaps every child.
 */
void sup_run(const sup_job_t *job, sup_slot_t *slot);

#endif
