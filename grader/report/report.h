/**
 * @file report.h
 * @brief Rendering a course's results: terminal table, Gradescope
 *        `results.json`, JUnit XML, tab-separated lines for scripts, and a
 *        class report over many students (the `sl-report` program).
 *
 * The input is one res_lesson_t per lesson (res_read() of each lesson's raw
 * results file), in the order they should appear. Every renderer cleans the
 * strings it shows (txt_clean()), so even a hand-made results file cannot
 * put terminal escapes on a screen or make the JSON or XML invalid.
 *
 * @code
 * rep_opts_t o = {.title = "socklab", .color = 0, .width = 100};
 * rep_write("build/junit.xml", REP_JUNIT, lessons, n, &o);
 * @endcode
 *
 * The files, each calling only into those below it:
 *
 * - report_main.c: main() alone;
 * - report_cli.c: the command line, rep_main();
 * - report.c: rep_render(), the one dispatch to the renderers, with
 *   rep_write() and rep_expect() (the --expect check);
 * - report_text.c, report_json.c, report_junit.c, report_tsv.c,
 *   report_class.c: the renderers, one format each;
 * - report_util.c: leaf helpers the renderers share (rep_clean() and the
 *   others under "helpers" below), which call no renderer.
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
    REP_JUNIT,  /**< JUnit XML */
    REP_TSV,    /**< one tab-separated line per test, for scripts */
    REP_CLASS   /**< a class report: one HTML page over many students */
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
    int width;          /**< columns the text report fits in: 0 for
                             REP_WIDTH_DEFAULT; raised to REP_WIDTH_MIN and
                             lowered to REP_WIDTH_MAX */
    const char *hidden; /**< Gradescope's visibility of hidden tests:
                             "after_due_date" (NULL) or "hidden" */
} rep_opts_t;

/** Width of the text report when nothing says otherwise (a pipe, a file). */
#define REP_WIDTH_DEFAULT 80

/** The narrowest the text report gets, in columns. */
#define REP_WIDTH_MIN 40

/** The widest the text report gets, in columns. */
#define REP_WIDTH_MAX 1000

/** How many lines of a failed build's compiler output are shown, from its
 *  first error on. */
#define REP_BUILD_LINES 25

/** How many of the last lines of a failing test's output the terminal
 *  table shows (JSON and JUnit keep all of it). */
#define REP_OUTPUT_LINES 12

/** How many rows of the terminal one line of a program's output may take,
 *  wrapped, before it is cut with "…" (a line of the harness's transcript,
 *  which holds command lines, is never cut). */
#define REP_OUTPUT_ROWS 4

/**
 * @brief Parses a format name ("text", "json", "junit", "tsv").
 * @return the format, or -1 if unknown.
 */
int rep_format_parse(const char *name);

/**
 * @brief The terminal table: a row per lesson, under it a row per task
 *        (tests passed/total, points/max), each failing test under its
 *        task's row with what went wrong, its hint and its output; then
 *        the course total.
 *
 * Fits in @p o->width columns: the name column narrows (names cut with
 * "…"); what went wrong, hints and compiler output wrap, breaking only at
 * spaces, so never inside a word or a file:line (a word wider than a whole
 * line stands alone on its line, overflowing). A test's output is cut to
 * its last REP_OUTPUT_LINES lines, each wrapped to the width (a line of
 * the program's own cut after REP_OUTPUT_ROWS rows), with a line saying
 * what was left out. Tests stopped by the same TODO() (status RES_TODO,
 * same message, same task) are listed together, once. Tests of task 0 come
 * first, with no task row; a lesson that did not build shows its compiler
 * output instead of task rows. The title line comes once, at the top.
 * @param out where to write.
 * @param ls the lessons.
 * @param n how many.
 * @param o options; NULL for the defaults.
 * @return 0, or -1 with errno set (write error, ENOMEM).
 */
int rep_text(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o);

/**
 * @brief Only the first failing test (lesson order, then test order), its
 *        task on a line before it; when none fails, a line per lesson:
 *        "02-lookup: all 50 tests pass (98/98)".
 * @param out where to write.
 * @param ls the lessons.
 * @param n how many.
 * @param o options (colour, width); NULL for the defaults.
 * @return 0, or -1 with errno set.
 */
int rep_hint(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o);

/**
 * @brief Gradescope's results.json for the whole course: one entry in
 *        `tests` per test, named "LESSON: TEST", or "LESSON, Task N
 *        (TITLE): TEST" when it belongs to a task, and numbered "NN.K";
 *        the top-level `output` totals each lesson and each of its tasks.
 * @param out where to write.
 * @param ls the lessons.
 * @param n how many.
 * @param o options (the title); NULL for the defaults.
 * @return 0, or -1 with errno set.
 */
int rep_json(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o);

/**
 * @brief JUnit XML: a testsuite per lesson, a testcase per test with the
 *        classname "socklab.LESSON", or "socklab.LESSON.taskN" when it
 *        belongs to task N; failed assertions and TODOs are `<failure>`,
 *        crashes, timeouts, build and grader errors are `<error>`.
 *        Well-formed whatever the strings hold.
 * @param out where to write.
 * @param ls the lessons.
 * @param n how many.
 * @param o options (the title); NULL for the defaults.
 * @return 0, or -1 with errno set.
 */
int rep_junit(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o);

/**
 * @brief One line per test, seven fields separated by tabs, no header:
 *        lesson, task number (0: none), test name, status
 *        (res_status_name()), points earned, points it is worth, and the
 *        first line of its message ("" on a pass). Tabs and newlines in a
 *        field become spaces; every field is cleaned text.
 * @param out where to write.
 * @param ls the lessons.
 * @param n how many.
 * @return 0, or -1 with errno set.
 */
int rep_tsv(FILE *out, const res_lesson_t *ls, size_t n);

/**
 * @brief One line of course totals, five integers separated by single
 *        spaces: `PASSED FAILED TODO POINTS MAX` (tests passed; tests that
 *        ended any other way but RES_TODO; tests that reached a TODO();
 *        points earned; points available).
 * @param out where to write.
 * @param ls the lessons.
 * @param n how many.
 * @return 0, or -1 with errno set.
 */
int rep_summary(FILE *out, const res_lesson_t *ls, size_t n);

/** One student of a class report. */
typedef struct rep_student {
    const char *name;             /**< as the teacher knows them */
    const char *note;             /**< what happened, when not graded as usual
                                       (lines of text); NULL or "" otherwise */
    const res_lesson_t *lessons;  /**< their results, one per lesson (none
                                       when nothing could be graded) */
    size_t nlessons;              /**< how many */
} rep_student_t;

/**
 * @brief The class report: one self-contained HTML page (inline CSS and
 *        SVG; no script, font, image or link to fetch) with a header
 *        (title, date, number of students), each lesson's and the
 *        course's score distribution, per lesson the tests most students
 *        failed having tried (how many, how, what went wrong, the hint),
 *        and a table of students by lessons and tasks (points), with what
 *        happened to a student not graded as usual.
 *
 * Lessons are matched by name across students and shown in name order,
 * each with the tests and tasks of its first student that has it; a
 * student without a lesson shows "—" there. Every string from a student
 * (names, notes, results) is cleaned and HTML-escaped. The date is
 * SOURCE_DATE_EPOCH's when set (UTC), else now.
 * @param out where to write.
 * @param s the students, in the order of the table.
 * @param n how many.
 * @param o options (the title); NULL for the defaults.
 * @return 0, or -1 with errno set.
 */
int rep_class(FILE *out, const rep_student_t *s, size_t n, const rep_opts_t *o);

/**
 * @brief The class report of students' folders, as `make batch` leaves
 *        them (`--format class`): the student is the folder's name, their
 *        results the `.json` files of its `raw/` (in name order), their note its `note`
 *        file (optional, its first 4 KiB). A results file that cannot be
 *        read is left out and said in the student's note.
 * @param path where to write, complete or not at all (see res_out_open());
 *        "-" is stdout.
 * @param dirs the folders, in the order of the table.
 * @param n how many.
 * @param o options; NULL for the defaults.
 * @param why on failure, one line saying what went wrong.
 * @param whysz size of @p why.
 * @return 0, or -1 with errno set (EPIPE: the reader went away).
 */
int rep_class_dirs(const char *path, char *const *dirs, size_t n, const rep_opts_t *o,
                   char *why, size_t whysz);

/**
 * @brief Renders in format @p f to @p out.
 *
 * REP_CLASS renders @p ls as the class report of one student, named by
 * its first lesson's `impl` (rep_class_dirs() does a whole class).
 * @param out where to write.
 * @param f the format.
 * @param ls the lessons.
 * @param n how many.
 * @param o options; NULL for the defaults.
 * @return 0, or -1 with errno set (EINVAL for an unknown format).
 */
int rep_render(FILE *out, rep_format_t f, const res_lesson_t *ls, size_t n,
               const rep_opts_t *o);

/**
 * @brief Renders to a file that appears complete or not at all (see
 *        res_out_open()); "-" is stdout.
 * @param path the file.
 * @param f the format.
 * @param ls the lessons.
 * @param n how many.
 * @param o options; NULL for the defaults.
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
 * @param argc as main()'s.
 * @param argv as main()'s.
 * @return the exit status: 0 done, 1 unreadable input, write error or unmet
 *         --expect, 2 bad usage.
 */
int rep_main(int argc, char **argv);

/* ---- helpers shared by the renderers (report_util.c) ------------------- */

/** A task of a lesson and its totals. */
typedef struct rep_task {
    int number;          /**< its number (> 0) */
    const char *title;   /**< its title (its first test's), not cleaned */
    size_t passed;       /**< tests passed */
    size_t tests;        /**< tests in it */
    int score;           /**< points earned */
    int max;             /**< points available */
} rep_task_t;

/**
 * @brief The tasks of a lesson: those its tests name (task > 0), by number.
 * @param l the lesson.
 * @param tasks set to a new array (free it), of at least one element.
 * @param n set to the number of tasks in it.
 * @return 0, or -1 with errno set (ENOMEM).
 */
int rep_tasks(const res_lesson_t *l, rep_task_t **tasks, size_t *n);

/**
 * @brief The width the text report should fit in: COLUMNS when it is a
 *        whole number above 0, else the width of the terminal @p fd is
 *        (TIOCGWINSZ), else REP_WIDTH_DEFAULT; kept within REP_WIDTH_MIN
 *        and REP_WIDTH_MAX.
 * @param fd where the report goes (-1: no terminal).
 * @return the number of columns.
 */
int rep_width(int fd);

/**
 * @brief txt_clean() of a NUL-terminated string; NULL counts as "".
 * @param s the string.
 * @return a new string, or NULL on ENOMEM.
 */
char *rep_clean(const char *s);

/**
 * @brief The report's title.
 * @param o the options, or NULL.
 * @return @p o->title, or "socklab".
 */
const char *rep_title(const rep_opts_t *o);

/**
 * @brief Label of a failed status.
 * @param s the status.
 * @return "crash", "timeout", "not implemented", "the lesson did not
 *         build", "grader error"; "" for RES_FAIL and RES_PASS.
 */
const char *rep_label(res_status_t s);

/**
 * @brief What went wrong, cleaned: "LABEL: MESSAGE", or just MESSAGE when
 *        it already says so ("crashed: ...", "timed out: ...", "grader:
 *        ...", "not implemented: ...", "the lesson did not build: ...");
 *        may span several lines.
 * @param t the test.
 * @return a new string, or NULL on ENOMEM.
 */
char *rep_what(const res_test_t *t);

/**
 * @brief The lessons of @p ls with only the tests @p keep says yes to
 *        (those that ran, those a student may see), for renderers that
 *        total and list a part. The tests are shared with @p ls: free with
 *        rep_lessons_free().
 * @param ls the lessons.
 * @param n how many.
 * @param keep 1 for a test to keep.
 * @return @p n lessons, or NULL on ENOMEM.
 */
res_lesson_t *rep_lessons_where(const res_lesson_t *ls, size_t n,
                                int (*keep)(const res_test_t *));

/** @brief Frees the first @p n lessons of what rep_lessons_where() made. */
void rep_lessons_free(res_lesson_t *v, size_t n);

/**
 * @brief Did a lesson not build?
 * @param l the lesson.
 * @return non-zero when @p l has tests and all are RES_BUILD.
 */
int rep_unbuilt(const res_lesson_t *l);

/**
 * @brief The compiler's output of a lesson that did not build, cleaned and
 *        cut to REP_BUILD_LINES lines from its first error on (see
 *        txt_first_error()), or to its last REP_BUILD_LINES lines when no
 *        line looks like an error; notes say what is left out.
 * @param l the lesson.
 * @return a new string, or NULL on ENOMEM.
 */
char *rep_build_log(const res_lesson_t *l);

/**
 * @brief The hint for a lesson that did not build, cleaned: what its
 *        message says after "the lesson did not build:", else a general
 *        hint. (A test's own hint is about the test, not about the build.)
 * @param l the lesson.
 * @return a new string, or NULL on ENOMEM.
 */
char *rep_build_hint(const res_lesson_t *l);

/**
 * @brief Start of the last @p nlines lines of @p s (a final newline does
 *        not start a line).
 * @param s the text.
 * @param nlines how many lines to keep.
 * @param skipped set to the number of lines before it.
 * @return a pointer into @p s.
 */
const char *rep_tail(const char *s, size_t nlines, size_t *skipped);

/**
 * @brief Where a sanitizer's report starts in a test's output: the line of
 *        its "ERROR: AddressSanitizer:", "ERROR: LeakSanitizer:" or UBSan's
 *        "runtime error:", the first of them; NULL when there is none. The
 *        text table shows such an output from there, not its last lines.
 */
const char *rep_sanitizer_head(const char *s);

/**
 * @brief Length of the first line of @p s.
 * @param s the text.
 * @return the bytes up to '\\n' or the end.
 */
size_t rep_line_len(const char *s);

/**
 * @brief The number of a lesson: its leading digits ("01"), else
 *        @p index + 1 as two digits.
 * @param l the lesson.
 * @param index its place in the report.
 * @param buf where to write it.
 * @param bufsz size of @p buf.
 */
void rep_lesson_number(const res_lesson_t *l, size_t index, char *buf, size_t bufsz);

/**
 * @brief Course totals; any pointer may be NULL.
 * @param ls the lessons.
 * @param n how many.
 * @param score set to the points earned.
 * @param max set to the points available.
 * @param passed set to the tests passed.
 * @param tests set to the number of tests.
 */
void rep_totals(const res_lesson_t *ls, size_t n, int *score, int *max,
                size_t *passed, size_t *tests);

/**
 * @brief Wall-clock seconds of all lessons together.
 * @param ls the lessons.
 * @param n how many.
 * @return the sum of their seconds.
 */
double rep_seconds(const res_lesson_t *ls, size_t n);

#endif
