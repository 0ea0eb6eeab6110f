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

/** A lesson's tests, in declaration order. */
typedef struct lst_list {
    lst_test_t *tests; /**< the tests */
    size_t n;          /**< how many */
} lst_list_t;

/**
 * @brief Runs `BINARY --sl-list` (at most @p timeout_s seconds) and parses
 *        what it prints.
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

/** @brief Frees what lst_load() or lst_parse() filled in. */
void lst_free(lst_list_t *l);

/** @brief The test called @p name, or NULL. */
const lst_test_t *lst_find(const lst_list_t *l, const char *name);

#endif
