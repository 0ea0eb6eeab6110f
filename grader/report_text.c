/* report_text.c - the terminal table and the single hint (see report.h). */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 80          /* wrap hints to this many columns */
#define NAME_MAX_WIDTH 40 /* widest lesson column */

#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_OFF "\033[0m"

/* A text renderer: where it writes, whether in colour, whether memory ran out. */
typedef struct tx {
    FILE *f;
    int color;
    int nomem;
} tx_t;

/* Starts colour (or attribute) code, if colours are on. */
static void sgr(tx_t *t, const char *code)
{
    if (t->color && code)
        fputs(code, t->f);
}

/* Display width of len bytes of UTF-8: one column per code point. */
static size_t width(const char *s, size_t len)
{
    size_t w = 0;

    for (size_t i = 0; i < len; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

static void spaces(tx_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(' ', t->f);
}

/* Remembers an allocation that failed; returns p. */
static void *need(tx_t *t, void *p)
{
    if (!p)
        t->nomem = 1;
    return p;
}

/* Ends the renderer: 0, or -1 with errno set. */
static int finish(tx_t *t)
{
    if (t->nomem) {
        errno = ENOMEM;
        return -1;
    }
    return ferror(t->f) ? -1 : 0;
}

/* Prints each line of s after prefix, in colour code (no trailing blanks). */
static void lines(tx_t *t, const char *prefix, const char *s, const char *code)
{
    size_t plen = strlen(prefix);

    while (plen > 0 && prefix[plen - 1] == ' ')
        plen--;
    while (*s) {
        size_t len = rep_line_len(s);

        sgr(t, code);
        if (len == 0)
            fprintf(t->f, "%.*s", (int)plen, prefix);
        else
            fprintf(t->f, "%s%.*s", prefix, (int)len, s);
        sgr(t, code ? C_OFF : NULL);
        fputc('\n', t->f);
        s += len + (s[len] == '\n');
    }
}

/* Breaks the line inside a wrapped paragraph and indents the next one. */
static size_t wrap_break(tx_t *t, size_t indent, const char *code)
{
    sgr(t, code ? C_OFF : NULL);
    fputc('\n', t->f);
    spaces(t, indent);
    sgr(t, code);
    return indent;
}

/* Prints prefix and text, word-wrapped at WIDTH, continuation lines aligned. */
static void wrap(tx_t *t, const char *prefix, const char *text, const char *code)
{
    size_t indent = width(prefix, strlen(prefix)), col = indent;
    int first = 1;

    sgr(t, code);
    fputs(prefix, t->f);
    for (const char *p = text; *p;) {
        if (*p == ' ' || *p == '\n') {
            if (*p++ == '\n' && *p) {
                col = wrap_break(t, indent, code);
                first = 1;
            }
            continue;
        }
        size_t len = strcspn(p, " \n"), w = width(p, len);
        if (!first && col + 1 + w > WIDTH) {
            col = wrap_break(t, indent, code);
            first = 1;
        }
        if (!first) {
            fputc(' ', t->f);
            col++;
        }
        fwrite(p, 1, len, t->f);
        col += w;
        first = 0;
        p += len;
    }
    sgr(t, code ? C_OFF : NULL);
    fputc('\n', t->f);
}

/* "    hint: ..." for a non-empty hint. */
static void hint(tx_t *t, const char *raw)
{
    char *h = need(t, rep_clean(raw));

    if (h && *h)
        wrap(t, "    hint: ", h, C_DIM);
    free(h);
}

/* The captured output, each line behind "    | ". */
static void output(tx_t *t, const char *raw)
{
    char *out = need(t, rep_clean(raw));

    if (out)
        lines(t, "    | ", out, C_DIM);
    free(out);
}

/* One failing test: what went wrong, the hint, the output. */
static void test_block(tx_t *t, const res_test_t *r)
{
    char *name = need(t, rep_clean(r->name)), *what = need(t, rep_what(r));

    if (name && what) {
        size_t len = rep_line_len(what);

        sgr(t, C_RED);
        fprintf(t->f, "  \u2717 %s (%d pt): %.*s", name, r->points, (int)len, what);
        sgr(t, C_OFF);
        fputc('\n', t->f);
        if (what[len])
            lines(t, "      ", what + len + 1, NULL);
        hint(t, r->hint);
        output(t, r->output);
    }
    free(name);
    free(what);
}

/* A lesson that did not build: the compiler's words once, then the hint. */
static void build_block(tx_t *t, const res_lesson_t *l)
{
    char *log = need(t, rep_build_log(l));

    sgr(t, C_RED);
    fputs("  lesson did not build:", t->f);
    sgr(t, C_OFF);
    fputc('\n', t->f);
    if (log)
        lines(t, "    | ", log, C_DIM);
    free(log);
    log = need(t, rep_build_hint(l));
    if (log)
        wrap(t, "    hint: ", log, C_DIM);
    free(log);
}

/* Is test k "not implemented" with the same message as test i? */
static int same_todo(const res_lesson_t *l, size_t i, size_t k)
{
    return l->tests[k].status == RES_TODO &&
           strcmp(l->tests[k].message, l->tests[i].message) == 0;
}

/* Every test stopped by one TODO(), once: the function, the tests, the
 * points, and the first test's hint. An untouched skeleton then reads as a
 * short list of functions to write, not a wall of identical failures. */
static void todo_block(tx_t *t, const res_lesson_t *l, size_t i)
{
    size_t count = 0, len = 0;
    int points = 0;
    for (size_t k = i; k < l->ntests; k++)
        if (same_todo(l, i, k))
            count++, points += l->tests[k].points, len += strlen(l->tests[k].name) + 2;
    char *head = need(t, malloc(strlen(l->tests[i].message) + len + 64));
    char *msg = need(t, rep_clean(l->tests[i].message));
    if (head && msg) {
        int n = sprintf(head, "%s (%zu test%s, %d pt:", msg, count,
                        count == 1 ? "" : "s", points);
        for (size_t k = i; k < l->ntests; k++)
            if (same_todo(l, i, k))
                n += sprintf(head + n, " %s,", l->tests[k].name);
        head[n - 1] = ')';
        wrap(t, "  \u2717 ", head, C_RED);
        hint(t, l->tests[i].hint);
    }
    free(head);
    free(msg);
}

/* The failing tests of a lesson, or its build failure. */
static void failures(tx_t *t, const res_lesson_t *l)
{
    if (rep_unbuilt(l)) {
        build_block(t, l);
        return;
    }
    for (size_t i = 0; i < l->ntests; i++) {
        const res_test_t *r = &l->tests[i];
        int shown = 0;
        if (r->status == RES_PASS)
            continue;
        for (size_t k = 0; r->status == RES_TODO && k < i && !shown; k++)
            shown = same_todo(l, i, k);
        if (r->status == RES_TODO && !shown)
            todo_block(t, l, i);
        else if (r->status != RES_TODO)
            test_block(t, r);
    }
}

/* Width of the lesson column: its widest name, within limits. */
static size_t name_width(tx_t *t, const res_lesson_t *ls, size_t n)
{
    size_t w = strlen("lesson");

    for (size_t i = 0; i < n; i++) {
        char *name = need(t, rep_clean(ls[i].lesson));
        size_t nw = name ? width(name, strlen(name)) : 0;

        if (nw > w)
            w = nw;
        free(name);
    }
    return w < NAME_MAX_WIDTH ? w : NAME_MAX_WIDTH;
}

/* One table row, in colour code, with a mark after it ("" for none). */
static void row(tx_t *t, const char *code, const char *name, size_t w,
                const char *tests, const char *points, const char *mark)
{
    size_t nw = width(name, strlen(name));

    sgr(t, code);
    fputs(name, t->f);
    spaces(t, nw < w ? w - nw : 0);
    fprintf(t->f, "  %7s  %9s%s%s", tests, points, *mark ? "  " : "", mark);
    sgr(t, C_OFF);
    fputc('\n', t->f);
}

/* A row of counts: tests passed/total, points/max; green when full. */
static void count_row(tx_t *t, const char *name, size_t w, size_t passed,
                      size_t ntests, int score, int max, int bold)
{
    char tests[48], points[48];
    int full = passed == ntests && ntests > 0;
    const char *code = full ? C_GREEN : ntests > 0 ? C_RED : NULL;

    snprintf(tests, sizeof tests, "%zu/%zu", passed, ntests);
    snprintf(points, sizeof points, "%d/%d", score, max);
    if (bold)
        sgr(t, C_BOLD);
    row(t, code, name, w, tests, points, full ? "\u2713" : "");
}

static void lesson_row(tx_t *t, const res_lesson_t *l, size_t w)
{
    char *name = need(t, rep_clean(l->lesson));

    if (name)
        count_row(t, name, w, res_passed(l), l->ntests, res_score(l),
                  res_max_score(l), 0);
    free(name);
}

/* The implementation all lessons share, or NULL. */
static const char *common_impl(const res_lesson_t *ls, size_t n)
{
    if (n == 0 || !ls[0].impl || !*ls[0].impl)
        return NULL;
    for (size_t i = 1; i < n; i++)
        if (!ls[i].impl || strcmp(ls[i].impl, ls[0].impl) != 0)
            return NULL;
    return ls[0].impl;
}

static void title(tx_t *t, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    char *head = need(t, rep_clean(rep_title(o)));
    char *impl = need(t, rep_clean(common_impl(ls, n)));

    if (head && impl) {
        sgr(t, C_BOLD);
        fputs(head, t->f);
        sgr(t, C_OFF);
        if (*impl)
            fprintf(t->f, " (%s)", impl);
        fputs("\n\n", t->f);
    }
    free(head);
    free(impl);
}

static void rule(tx_t *t, size_t w)
{
    for (size_t i = 0; i < w + 20; i++)
        fputs("\u2500", t->f);
    fputc('\n', t->f);
}

int rep_text(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    tx_t t = {out, o ? o->color : 0, 0};
    size_t w = name_width(&t, ls, n), passed, ntests;
    int score, max;

    title(&t, ls, n, o);
    sgr(&t, C_BOLD);
    row(&t, NULL, "lesson", w, "tests", "points", "");
    for (size_t i = 0; i < n; i++) {
        lesson_row(&t, &ls[i], w);
        failures(&t, &ls[i]);
    }
    rule(&t, w);
    rep_totals(ls, n, &score, &max, &passed, &ntests);
    count_row(&t, "total", w, passed, ntests, score, max, 1);
    return finish(&t);
}

/* Failing tests after test k of lesson i (a lesson that did not build counts whole). */
static size_t failing_after(const res_lesson_t *ls, size_t n, size_t i, size_t k)
{
    size_t count = 0;

    for (size_t j = i; j < n; j++)
        for (size_t m = j == i ? k + 1 : 0; m < ls[j].ntests; m++)
            count += ls[j].tests[m].status != RES_PASS;
    return count;
}

/* Prints lesson i's heading and its first failure; returns its test index. */
static size_t first_failure(tx_t *t, const res_lesson_t *l)
{
    char *name = need(t, rep_clean(l->lesson));
    size_t k = 0;

    sgr(t, C_BOLD);
    fputs(name ? name : "?", t->f);
    sgr(t, C_OFF);
    fputc('\n', t->f);
    free(name);
    if (rep_unbuilt(l)) {
        build_block(t, l);
        return l->ntests - 1;
    }
    while (l->tests[k].status == RES_PASS)
        k++;
    test_block(t, &l->tests[k]);
    return k;
}

int rep_hint(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    tx_t t = {out, o ? o->color : 0, 0};

    for (size_t i = 0; i < n; i++) {
        size_t k, more;

        if (res_passed(&ls[i]) == ls[i].ntests)
            continue;
        k = first_failure(&t, &ls[i]);
        more = failing_after(ls, n, i, k);
        if (more > 0) {
            sgr(&t, C_DIM);
            fprintf(out, "(%zu more failing test%s)", more, more == 1 ? "" : "s");
            sgr(&t, C_OFF);
            fputc('\n', out);
        }
        return finish(&t);
    }
    fputs("All tests pass.\n", out);
    return finish(&t);
}
