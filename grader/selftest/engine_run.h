/* engine_run.h - what the engine's self-tests share: run sl-run on a
 * pretend lesson in a scratch folder, read its verdicts, check that nothing
 * it started is left. */
#ifndef ENGINE_RUN_H
#define ENGINE_RUN_H

#include <stddef.h>

#include "results.h"

/** A generous limit for a self-test that runs a whole nested grading. */
#define ER_TIMEOUT_MS 20000

/** One nested grading. */
typedef struct er_run {
    char dir[64];     /**< scratch folder: results, log, pids */
    char json[128];   /**< sl-run's results */
    res_lesson_t res; /**< what it wrote */
    double seconds;   /**< wall clock of the whole sl-run */
    int status;       /**< its wait status */
} er_run_t;

/** What to grade. */
typedef struct er_what {
    const char *tests;        /**< the listing binary, e.g. "fixtures" */
    const char *impl;         /**< the binary with "student code", or NULL */
    const char *src;          /**< the student's sources (--src), or NULL */
    const char *const *only;  /**< test names (NULL-terminated), or NULL: all */
    const char *jobs;         /**< "-j" value; NULL: "2" */
    const char *sandbox;      /**< SOCKLAB_SANDBOX for sl-run, or NULL */
    const char *option;       /**< one more option of sl-run, or NULL */
} er_what_t;

/** @brief Path of a program next to this test binary (SOCKLAB_EXE_DIR). */
void er_path(const char *name, char *out, size_t outsz);

/** @brief Runs argv, stdout and stderr into log; returns the wait status. */
int er_spawn(char *const argv[], const char *log);

/** @brief Is this binary built with AddressSanitizer? */
int er_sanitized(void);

/**
 * @brief Grades @p w with sl-run in a fresh scratch folder (FIXTURE_DIR).
 * @return 0, or -1 having recorded a failure (sl-run failed, or its
 *         results do not parse).
 */
int er_grade(const er_what_t *w, er_run_t *r);

/** @brief Grades only test @p name of the fixtures; the result, or NULL. */
const res_test_t *er_one(const char *name, er_run_t *r);

/** @brief The test called @p name in a run's results, or NULL (a failure). */
const res_test_t *er_test(const er_run_t *r, const char *name);

/** @brief Frees the results and removes the scratch folder. */
void er_cleanup(er_run_t *r);

/**
 * @brief Records a failure for every process of the test still alive (each
 *        noted itself with alive_note(), see alive.h).
 * @return how many had noted themselves (-1: no such folder).
 */
int er_all_gone(const char *dir);

/** @brief How many processes that noted themselves in @p dir are alive. */
int er_all_gone_quiet(const char *dir);

/** @brief Do tests see the machine's files read-only, with a /tmp of their own? */
int er_files_isolated(void);

/** @brief The sandbox sl-run gives tests here: 1 namespaces, 0 basic. */
int er_namespaces(void);

/** @brief Records a failure unless @p t has status @p st. */
#define ER_STATUS(t, st)                                                      \
    do {                                                                      \
        if ((t)->status != (st))                                              \
            SL_FAIL("fixture %s: expected %s, got %s: %s", (t)->name,         \
                    res_status_name(st), res_status_name((t)->status),        \
                    (t)->message);                                            \
    } while (0)

/** @brief Records a failure unless @p needle is in @p hay. */
#define ER_CONTAINS(hay, needle)                                              \
    do {                                                                      \
        if (!strstr((hay), (needle)))                                         \
            SL_FAIL("expected \"%s\" in: %s", (needle), (hay));               \
    } while (0)

/** @brief Like ER_CONTAINS(), but case does not matter. */
#define ER_CONTAINS_NOCASE(hay, needle)                                       \
    do {                                                                      \
        if (!strcasestr((hay), (needle)))                                     \
            SL_FAIL("expected \"%s\" (in any case) in: %s", (needle), (hay)); \
    } while (0)

#endif
