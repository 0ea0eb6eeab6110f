/**
 * @file verdict.h
 * @brief From what a test process reported and how it ended to a verdict.
 *
 * vd_judge() decides, in this order (the first that applies wins):
 *
 * 1. an error record: the grader could not set the test up (grader error);
 * 2. main() of the test binary never reached: the student's code hangs,
 *    crashes or exits before any test runs (a constructor?);
 * 3. TODO() reached: not implemented (a failure, if a check failed first);
 * 4. a sanitizer ended the process: crash, with its kind and place;
 * 5. the deadline passed: timeout;
 * 6. killed by a signal: crash, naming it;
 * 7. no genuine done record: the body did not finish (exit() mid-test);
 * 8. failed checks: fail, with the first one (and a line saying that
 *    leaks were found too, if the student's code allocated them);
 * 9. leaks found after the body returned, allocated by the student's code
 *    (never the test's own): fail;
 * 10. otherwise: pass.
 */
#ifndef SL_VERDICT_H
#define SL_VERDICT_H

#include <stddef.h>

#include "supervise.h"

/** What the records of one test process said. */
typedef struct vd_records {
    int began;      /**< main() of the test binary was reached */
    int done;       /**< a genuine done record came: the body returned */
    int todo;       /**< TODO() was reached */
    int error;      /**< the grader could not set the test up */
    int sanitizer;  /**< a sanitizer ended the process */
    int leak;       /**< LeakSanitizer found leaks after the body returned */
    int failures;                 /**< failed checks, all of them */
    char first[SUP_MSG_MAX];      /**< the first: "FILE:LINE: message" */
    char hint[SUP_HINT_MAX];      /**< its check's own hint, or "" */
    char cause[32];               /**< its cause, an errno symbol, or "" */
    char rest[SUP_MSG_MAX];       /**< the next few, a line each ("\nthen: ...") */
    char san_hint[SUP_HINT_MAX];  /**< the hint in force when a sanitizer ended it */
    char what[SUP_MSG_MAX];       /**< the TODO's function, or the error */
} vd_records_t;

/** How the test process ended. */
typedef struct vd_end {
    int status;            /**< its wait status */
    int timed_out;         /**< killed at its deadline */
    double limit_s;        /**< that deadline, in seconds */
    int probe;             /**< a probe of main(), not a test */
    const char *sanitizer; /**< the sanitizer's report in a line, or "" */
    int test_leak;         /**< the leaks found are the test's own (allocated by
                                its code): never the student's */
    double cpu_s;          /**< CPU seconds the process used */
    const char *blocked;   /**< where it was at its deadline, or "" */
} vd_end_t;

/**
 * @brief Parses the records a test process sent.
 * @param buf the bytes received on its report socket.
 * @param len how many.
 * @param nonce the nonce a genuine done record carries.
 * @param r filled in.
 */
void vd_parse(const char *buf, size_t len, const char *nonce, vd_records_t *r);

/**
 * @brief The verdict: status, message and hint into @p slot.
 * @param r what the records said.
 * @param e how the process ended.
 * @param slot where the verdict goes.
 */
void vd_judge(const vd_records_t *r, const vd_end_t *e, sup_slot_t *slot);

#endif
