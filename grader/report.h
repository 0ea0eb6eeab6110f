/**
 * @file report.h
 * @brief Rendering a course's results: terminal table, Gradescope
 *        `results.json`, JUnit XML (the `sl-report` program).
 *
 * The input is one res_lesson_t per lesson (res_read() of each lesson's raw
 * results file), in the order they should appear. Every renderer cleans the
 * strings it shows (txt_clean()), so even a hand-made results file cannot
 * put terminal escapes on a screen or make the JSON or XML invalid.
 *
 * @code
 * rep_opts_t o = {.title = "socklab", .color = 0};
 * rep_write("build/junit.xml", REP_JUNIT, lessons, n, &o);
 * @endcode
 *
 * Files: report.c (main only), report_cli.c (the command line),
 * report_util.c (helpers below), report_text.c, report_json.c,
 * report_junit.c.
 */
#ifndef SL_REPORT_H
#define SL_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "results.h"

/** Output formats. */
typedef enum rep_format {
    REP_TEXT,   /**< terminal table (the default) */
    REP_JSON,   /**< Gradescope results.json */
    REP_JUNIT   /**< JUnit XML */
} rep_format_t;

/** What --expect asks of every lesson. */
typedef enum rep_expect {
    REP_EXPECT_NONE, /**< nothing: any score is fine */
    REP_EXPECT_FULL, /**< full marks */
    REP_EXPECT_ZERO  /**< no points, and the lesson built and ran */
} rep_expect_t;

/** Rendering options. */
typedef struct rep_opts {
    const char *title;  /**< heading of the report; NULL for "socklab" */
    int color;          /**< non-zero: ANSI colours (text and hint only) */
} rep_opts_t;

/** How many lines of a failed build's compiler output are shown, from its
 *  first error on. */
#define REP_BUILD_LINES 25

/** How many of the last lines of a failing test's output the terminal
 *  table shows (JSON and JUnit keep all of it). */
#define REP_OUTPUT_LINES 12

/** The widest line of a test's output the terminal table shows, in
 *  columns; a longer one is cut and ends with "…". */
#define REP_OUTPUT_COLS 74

/**
 * @brief Parses a format name ("text", "json", "junit").
 * @return the format, or -1 if unknown.
 */
int rep_format_parse(const char *name);

/**
 * @brief The terminal table: a row per lesson, each failing test with what
 *        went wrong, its hint and its output, then the course total.
 *
 * Made to be read at 80 columns: what went wrong and the hint are wrapped;
 * a test's output is cut to its last REP_OUTPUT_LINES lines, each to
 * REP_OUTPUT_COLS columns, with a line saying what was left out. Tests
 * stopped by the same TODO() (status RES_TODO, same message) are listed
 * together, once.
 * @return 0, or -1 with errno set (write error, ENOMEM).
 */
int rep_text(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o);

/**
 * @brief Only the first failing test (lesson order, then test order), or
 *        "All tests pass." when none fails.
 * @return 0, or -1 with errno set.
 */
int rep_hint(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o);

/**
 * @brief Gradescope's results.json for the whole course (one entry in
 *        `tests` per test, named "LESSON: TEST" and numbered "NN.K").
 * @return 0, or -1 with errno set.
 */
int rep_json(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o);

/**
 * @brief JUnit XML: a testsuite per lesson, a testcase per test; failed
 *        assertions and TODOs are `<failure>`, crashes, timeouts, build and
 *        grader errors are `<error>`. Well-formed whatever the strings hold.
 * @return 0, or -1 with errno set.
 */
int rep_junit(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o);

/**
 * @brief Renders in format @p f to @p out.
 * @return 0, or -1 with errno set.
 */
int rep_render(FILE *out, rep_format_t f, const res_lesson_t *ls, size_t n,
               const rep_opts_t *o);

/**
 * @brief Renders to a file that appears complete or not at all (see
 *        res_out_open()); "-" is stdout.
 * @return 0, or -1 with errno set.
 */
int rep_write(const char *path, rep_format_t f, const res_lesson_t *ls, size_t n,
              const rep_opts_t *o);

/**
 * @brief Checks an --expect condition.
 * @param ls the lessons.
 * @param n how many.
 * @param e what every lesson must meet.
 * @param why on failure, one line saying which lesson fell short, e.g.
 *        "expected full marks, got 38/40 in 01-addressing".
 * @param whysz size of @p why.
 * @return 0 if every lesson meets @p e, -1 if not.
 */
int rep_expect(const res_lesson_t *ls, size_t n, rep_expect_t e, char *why, size_t whysz);

/**
 * @brief The `sl-report` program (see its usage text); prints its own
 *        diagnostics, never exits.
 *
 * It ignores SIGPIPE: when the reader of its output goes away (`sl-report
 * r.json | head`), it stops writing and counts that as success, quietly.
 * @return the exit status: 0 done, 1 unreadable input, write error or unmet
 *         --expect, 2 bad usage.
 */
int rep_main(int argc, char **argv);

/* ---- helpers shared by the renderers (report_util.c) ------------------- */

/**
 * @brief txt_clean() of a NUL-terminated string; NULL counts as "".
 * @return a new string, or NULL on ENOMEM.
 */
char *rep_clean(const char *s);

/** @brief The report's title: @p o->title, or "socklab". */
const char *rep_title(const rep_opts_t *o);

/**
 * @brief Label of a failed status: "crash", "timeout", "not implemented",
 *        "the lesson did not build", "grader error"; "" for RES_FAIL and
 *        RES_PASS.
 */
const char *rep_label(res_status_t s);

/**
 * @brief What went wrong, cleaned: "LABEL: MESSAGE", or just MESSAGE when
 *        it already says so ("crashed: ...", "timed out: ...", "grader:
 *        ...", "not implemented: ...", "the lesson did not build: ...");
 *        may span several lines.
 * @return a new string, or NULL on ENOMEM.
 */
char *rep_what(const res_test_t *t);

/** @brief Non-zero when @p l did not build (it has tests, all RES_BUILD). */
int rep_unbuilt(const res_lesson_t *l);

/**
 * @brief The compiler's output of a lesson that did not build, cleaned and
 *        cut to REP_BUILD_LINES lines from its first error on (see
 *        rep_first_error()), or to its last REP_BUILD_LINES lines when no
 *        line looks like an error; notes say what is left out.
 * @return a new string, or NULL on ENOMEM.
 */
char *rep_build_log(const res_lesson_t *l);

/**
 * @brief Where the first error of a compiler's output is.
 *
 * The first line that holds "error:", "undefined reference" or "Error ",
 * or the line before it when that one gives the context (gcc's and ld's
 * "In function 'f':").
 * @param log the output, NUL-terminated.
 * @param before set to the number of lines before the returned one.
 * @return the start of that line, or NULL if no line holds an error.
 */
const char *rep_first_error(const char *log, size_t *before);

/**
 * @brief The hint for a lesson that did not build, cleaned: what its
 *        message says after "the lesson did not build:", else a general
 *        hint. (A test's own hint is about the test, not about the build.)
 * @return a new string, or NULL on ENOMEM.
 */
char *rep_build_hint(const res_lesson_t *l);

/**
 * @brief Start of the last @p nlines lines of @p s (a final newline does
 *        not start a line).
 * @param s the text.
 * @param nlines how many lines to keep.
 * @param skipped set to the number of lines before it.
 */
const char *rep_tail(const char *s, size_t nlines, size_t *skipped);

/** @brief Length of the first line of @p s (up to '\\n' or the end). */
size_t rep_line_len(const char *s);

/** @brief The number of a lesson: its leading digits ("01"), else @p index + 1. */
void rep_lesson_number(const res_lesson_t *l, size_t index, char *buf, size_t bufsz);

/** @brief Course totals; any pointer may be NULL. */
void rep_totals(const res_lesson_t *ls, size_t n, int *score, int *max,
                size_t *passed, size_t *tests);

/** @brief Wall-clock seconds of all lessons together. */
double rep_seconds(const res_lesson_t *ls, size_t n);

#endif
