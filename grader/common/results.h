/**
 * @file results.h
 * @brief A lesson's raw test results: what the runner writes and the
 *        reporters read.
 *
 * The runner of each lesson writes one JSON file (`res_write()`):
 *
 * @code{.json}
 * { "lesson": "01-addressing", "impl": "skeletons", "seconds": 0.84,
 *   "tests": [ { "name": "parse_rejects_empty", "points": 1,
 *                "status": "todo", "message": "not implemented: addr_parse",
 *                "hint": "...", "task": 3, "task_title": "host:port",
 *                "output": "...", "file": "lessons/...c",
 *                "line": 42, "seconds": 0.003 } ] }
 * @endcode
 *
 * Every string in it is valid UTF-8 already (txt_clean() at the source), so
 * reporters pass them on as they are.
 */
#ifndef SL_RESULTS_H
#define SL_RESULTS_H

#include <stddef.h>
#include <stdio.h>

/** How a test ended. */
typedef enum res_status {
    RES_PASS,    /**< the body ran to its end with no failed assertion */
    RES_FAIL,    /**< an assertion failed, or the body did not finish (exit()) */
    RES_CRASH,   /**< killed by a signal (the message names it) */
    RES_TIMEOUT, /**< still running at its wall-clock limit */
    RES_TODO,    /**< reached a TODO(): not implemented */
    RES_BUILD,   /**< the lesson did not build; output holds the compiler's words */
    RES_ERROR,   /**< the grader itself could not run the test */
    RES_SKIP     /**< not run: it needs a tool this machine lacks (SL_TEST_NEEDS());
                      its points count neither way */
} res_status_t;

/** One test's outcome. */
typedef struct res_test {
    char *name;        /**< test identifier */
    int points;        /**< what it is worth */
    res_status_t status; /**< how it ended */
    char *message;     /**< what went wrong (empty on a pass) */
    char *hint;        /**< the hint: the failing check's own, else the test's */
    int task;          /**< the number of the task it belongs to (0: none) */
    char *task_title;  /**< that task's title */
    int hidden;        /**< a teacher's hidden test (not in the hand-out) */
    char *output;      /**< last bytes the code under test printed, cleaned */
    char *file;        /**< where the test is declared */
    int line;          /**< where the test is declared */
    double seconds;    /**< how long it ran */
} res_test_t;

/** One lesson's outcome. */
typedef struct res_lesson {
    char *lesson;      /**< e.g. "01-addressing" */
    char *impl;        /**< "skeletons", "solutions", or a submission's name */
    double seconds;    /**< wall-clock time of the whole lesson */
    res_test_t *tests; /**< the tests, in declaration order */
    size_t ntests;     /**< how many tests */
    size_t unrun;      /**< tests not run (sl-run --until-failure stopped first) */
} res_lesson_t;

/** @brief Short lower-case name of a status ("pass", "timeout", ...). */
const char *res_status_name(res_status_t s);

/**
 * @brief Parses a status name.
 * @return the status, or -1 if @p name is none of them.
 */
int res_status_parse(const char *name);

/**
 * @brief Writes a lesson's results as JSON.
 * @param l the results.
 * @param path file to (re)write; "-" for stdout.
 * @return 0, or -1 with errno set.
 */
int res_write(const res_lesson_t *l, const char *path);

/**
 * @brief Reads a file written by res_write().
 *
 * Required: `lesson` (string), `tests` (array), and in each test `name`
 * (string), `points` (integer >= 0) and `status` (a res_status_name()).
 * Optional (absent or null): `impl`, `message`, `hint`, `task_title`,
 * `output`, `file` (strings, default ""), `task` and `line` (integers,
 * default 0), `seconds` (number, default 0), `hidden` (true or false,
 * default false). Unknown keys are ignored. Strings are passed through
 * txt_clean() (which leaves clean text as it is), so what comes out is
 * always valid, printable UTF-8, even from a file written by other means.
 *
 * @param path the file; "-" for stdin.
 * @param out filled in; free with res_free(). Untouched on failure.
 * @param err set to a one-line reason on failure (static storage), starting
 *        with the path, e.g. `r.json: tests[3].points: expected an integer`.
 * @return 0, or -1.
 */
int res_read(const char *path, res_lesson_t *out, const char **err);

/** @brief Frees what res_read() (or a caller that used malloc) filled in. */
void res_free(res_lesson_t *l);

/** @brief Points earned in @p l (a test earns all its points or none). */
int res_score(const res_lesson_t *l);

/** @brief Points available in @p l (a skipped test's are not: it did not run). */
int res_max_score(const res_lesson_t *l);

/** @brief Number of passed tests in @p l. */
size_t res_passed(const res_lesson_t *l);

/** @brief Number of tests of @p l that ran: all but the skipped ones. */
size_t res_ran(const res_lesson_t *l);

/**
 * @brief An output file that readers see only once it is complete.
 *
 * res_out_open() opens a temporary file next to the final one;
 * res_out_commit() renames it into place. Standard output and existing
 * paths that are not regular files (a terminal, a pipe, /dev/null, a
 * symbolic link such as /dev/stdout) are written in place.
 */
typedef struct res_out {
    FILE *fp;    /**< write here */
    char *tmp;   /**< the temporary file, or NULL when writing in place */
    char *path;  /**< the final name, or NULL for stdout */
} res_out_t;

/**
 * @brief Opens @p path for writing, by way of a temporary file.
 * @param o filled in.
 * @param path the file; "-" for stdout.
 * @return 0, or -1 with errno set.
 */
int res_out_open(res_out_t *o, const char *path);

/**
 * @brief Flushes and closes @p o, then renames it into place.
 *
 * On failure the temporary file is removed and the old file, if any, stays.
 * @return 0, or -1 with errno set (e.g. ENOSPC).
 */
int res_out_commit(res_out_t *o);

/** @brief Closes @p o and removes its temporary file: nothing is written. */
void res_out_abort(res_out_t *o);

#endif
