/**
 * @file listing.h
 * @brief The tests of a lesson, as its test binary without student code
 *        lists them (`--sl-list`, see protocol.h).
 */
#ifndef SL_LISTING_H
#define SL_LISTING_H

#include <stddef.h>

/** One test of a lesson. */
typedef struct lst_test {
    char *name;        /**< identifier */
    int points;        /**< what it is worth */
    int timeout_ms;    /**< its wall-clock limit */
    int solo;          /**< runs alone */
    int task;          /**< the task's number */
    char *task_title;  /**< the task's title */
    int programs;      /**< drives programs: runs without student code */
    char *file;        /**< where it is declared */
    int line;          /**< where it is declared */
    char *hint;        /**< its hint */
    int hidden;        /**< a teacher's hidden test */
} lst_test_t;

/** A hint a lesson gives for a kind of sanitizer finding. */
typedef struct lst_san_hint {
    char *kind;        /**< "leak", "overflow", ... (see SL_LESSON_SANITIZER_HINT()) */
    char *text;        /**< the hint */
} lst_san_hint_t;

/** A tool a test needs on PATH (see SL_TEST_NEEDS()). */
typedef struct lst_need {
    char *test;        /**< the test's name */
    char *tool;        /**< the program it runs, e.g. "python3" */
} lst_need_t;

/** A lesson's tests, in declaration order, and its settings. */
typedef struct lst_list {
    lst_test_t *tests; /**< the tests */
    size_t n;          /**< how many */
    int errno_hints;   /**< 0: the lesson said SL_LESSON_NO_ERRNO_HINTS() */
    lst_san_hint_t *san_hints; /**< its hints for sanitizer findings */
    size_t nsan_hints; /**< how many */
    lst_need_t *needs; /**< the tools its tests need */
    size_t nneeds;     /**< how many */
} lst_list_t;

/**
 * @brief Runs `BINARY --sl-list` and `BINARY --sl-lesson` (at most
 *        @p timeout_s seconds each) and parses what they print; a binary
 *        that knows no `--sl-lesson` has the default settings.
 * @param binary the test binary (one without student code).
 * @param timeout_s how long it may take.
 * @param out filled in; free with lst_free().
 * @param err set to a one-line reason on failure.
 * @param errsz size of @p err.
 * @return 0, or -1.
 */
int lst_load(const char *binary, double timeout_s, lst_list_t *out, char *err, size_t errsz);

/**
 * @brief Parses the text of a listing.
 * @param text the listing, NUL-terminated.
 * @param out filled in; free with lst_free().
 * @param err set to a one-line reason on failure.
 * @param errsz size of @p err.
 * @return 0, or -1.
 */
int lst_parse(const char *text, lst_list_t *out, char *err, size_t errsz);

/**
 * @brief Parses a lesson's settings (`--sl-lesson`) into @p l.
 * @param text what it printed, NUL-terminated.
 * @param l the listing they belong to.
 * @return 0, or -1 (out of memory).
 */
int lst_parse_settings(const char *text, lst_list_t *l);

/** @brief The lesson's hint for a sanitizer finding of @p kind, or NULL. */
const char *lst_san_hint(const lst_list_t *l, const char *kind);

/** @brief The tool test @p name needs on PATH (SL_TEST_NEEDS()), or NULL. */
const char *lst_need(const lst_list_t *l, const char *name);

/** @brief Frees what lst_load() or lst_parse() filled in. */
void lst_free(lst_list_t *l);

/** @brief The test called @p name, or NULL. */
const lst_test_t *lst_find(const lst_list_t *l, const char *name);

#endif
