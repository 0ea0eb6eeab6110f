/**
 * @file supervise.h
 * @brief Running one test in a process of its own and judging how it ended.
 *
 * The verdict never comes from what the code under test prints: the test
 * process reports failures, "not implemented" and "done" on a private pipe,
 * and the supervisor combines that with how the process ended (exit status,
 * signal, timeout). A body that never says "done" did not finish.
 */
#ifndef SL_SUPERVISE_H
#define SL_SUPERVISE_H

#include <stddef.h>
#include <sys/types.h>

#include <CUnit/CUnit.h>

#include "sandbox.h"

#define SUP_MSG_MAX 2048 /**< longest verdict message kept */
#define SUP_OUT_MAX 4096 /**< output bytes kept: the last ones */

/** What the supervisor learnt about one test (lives in shared memory). */
typedef struct sup_slot {
    pid_t body;               /**< the test process (and its group), 0 before */
    int status;               /**< a res_status_t */
    double seconds;           /**< wall-clock time of the body */
    int swept;                /**< processes still alive when it ended */
    char message[SUP_MSG_MAX]; /**< what went wrong, "" on a pass */
    size_t output_len;        /**< bytes kept in output */
    size_t output_total;      /**< bytes the test printed in all */
    unsigned char output[SUP_OUT_MAX]; /**< the last bytes printed */
} sup_slot_t;

/**
 * @brief Names memory the test process must not see (the runner's slots
 *        of every test): it is unmapped in the test before the test runs.
 * @param base start of the mapping.
 * @param len its length.
 */
void sup_hide(void *base, size_t len);

/**
 * @brief Runs CUnit test @p test of @p suite in a new process under @p lim,
 *        waits for it (or its timeout), kills everything it started, and
 *        fills @p slot with the verdict.
 *
 * Call it in a process of its own (the runner forks one per test): it
 * changes signal handling and reaps every child.
 */
void sup_run(CU_pSuite suite, CU_pTest test, const sb_limits_t *lim,
             sup_slot_t *slot);

#endif
