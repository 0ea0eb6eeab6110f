/* report_text.c - the terminal table and the single hint (see report.h). */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define WIDTH 80          /* wrap messages and hints to this many columns */
#define NAME_MAX_WIDTH 40 /* widest lesson column */
#define WHOLE_OUTPUT "more with FORMAT=json" /* where to see more of an output */

#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_CYAN "\033[36m"
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

/* Display width of len bytes of UTF-8. */
static size_t width(const char *s, size_t len)
{
    return txt_width(s, len);
}

/* s, or "" for NULL. */
static const char *str(const char *s)
{
    return s ? s : "";
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

/*
 * A paragraph: a lead word or two after a margin ("    hint:"), then text
 * wrapped at WIDTH, each further line starting at column indent.
 */
typedef struct para {
    size_t margin;          /* spaces before the lead */
    const char *lead;       /* e.g. "hint:"; a space follows it */
    const char *lead_code;  /* colour of the lead, or NULL */
    const char *code;       /* colour of the text, or NULL */
    size_t indent;          /* where continuation lines start */
} para_t;

/* Ends a line of a paragraph and starts the next one (indented unless blank). */
static void para_break(tx_t *t, const para_t *pa, int blank)
{
    sgr(t, pa->code ? C_OFF : NULL);
    fputc('\n', t->f);
    if (!blank)
        spaces(t, pa->indent);
    sgr(t, pa->code);
}

/*
 * Bytes of s (a line of len bytes) that go on a line with avail columns
 * left, when a fresh line has fresh columns: up to the last space that lets
 * them fit. A first word too long for them goes to the next line (0) if it
 * fits on a fresh one, else it is cut (never inside a `\xNN` escape).
 */
static size_t fit_words(const char *s, size_t len, size_t avail, size_t fresh)
{
    size_t cut = txt_fit(s, len, avail), lead = 0, b;

    if (cut == len)
        return len;
    while (lead < len && s[lead] == ' ')
        lead++;
    for (b = cut; b > lead && s[b] != ' '; b--)
        ;
    if (b > lead)
        return b;
    for (b = cut > lead ? cut : lead; b < len && s[b] != ' '; b++)
        ;
    if (avail < fresh && width(s + lead, b - lead) <= fresh)
        return 0;
    return cut > lead ? cut : b;
}

/*
 * Prints a line of len bytes from column col, broken at spaces to fit
 * WIDTH; sep: put a space before it (after the lead), unless it moves to
 * the next line.
 */
static void wrap_line(tx_t *t, const para_t *pa, const char *s, size_t len, size_t col,
                      int sep)
{
    size_t fresh = WIDTH > pa->indent ? WIDTH - pa->indent : 0;

    for (;;) {
        size_t avail = WIDTH > col + sep ? WIDTH - col - sep : 0;
        size_t n = fit_words(s, len, avail, fresh), end = n;

        while (end > 0 && s[end - 1] == ' ')
            end--;
        if (sep && end > 0)
            fputc(' ', t->f);
        fwrite(s, 1, end, t->f);
        while (n < len && s[n] == ' ')
            n++;
        if (n >= len)
            return;
        s += n;
        len -= n;
        para_break(t, pa, 0);
        col = pa->indent;
        sep = 0;
    }
}

/* Prints the lead of pa and len bytes of text, wrapped; spaces within a line kept. */
static void wrap(tx_t *t, const para_t *pa, const char *text, size_t len)
{
    size_t col = pa->margin + width(pa->lead, strlen(pa->lead));

    spaces(t, pa->margin);
    sgr(t, pa->lead_code);
    fputs(pa->lead, t->f);
    if (pa->code != pa->lead_code) {
        sgr(t, pa->lead_code ? C_OFF : NULL);
        sgr(t, pa->code);
    }
    for (size_t i = 0, first = 1; i < len; first = 0) {
        size_t n = rep_line_len(text + i);

        n = n < len - i ? n : len - i;
        if (!first)
            para_break(t, pa, n == 0);
        wrap_line(t, pa, text + i, n, first ? col : pa->indent, (int)first);
        i += n + 1;
    }
    sgr(t, pa->code ? C_OFF : NULL);
    fputc('\n', t->f);
}

/* "    hint: ..." for a non-empty hint, in the normal colour. */
static void hint(tx_t *t, const char *raw)
{
    static const para_t pa = {4, "hint:", C_CYAN, NULL, 10};
    char *h = need(t, rep_clean(raw));

    if (h && *h)
        wrap(t, &pa, h, strlen(h));
    free(h);
}

/* One line of a test's output, dim, cut to REP_OUTPUT_COLS; 1 if it was cut. */
static int output_line(tx_t *t, const char *s, size_t len)
{
    int cut = width(s, len) > REP_OUTPUT_COLS;
    size_t n = cut ? txt_fit(s, len, REP_OUTPUT_COLS - 1) : len;

    sgr(t, C_DIM);
    fputs(len > 0 ? "    | " : "    |", t->f);
    fwrite(s, 1, n, t->f);
    if (cut)
        fputs("\u2026", t->f);
    sgr(t, C_OFF);
    fputc('\n', t->f);
    return cut;
}

/* One dim line saying what of a test's output was left out, if anything. */
static void omitted(tx_t *t, size_t shown, size_t skipped, size_t cut)
{
    char what[128];

    if (skipped > 0 && cut > 0)
        snprintf(what, sizeof what, "%zu of %zu lines shown, %zu of them cut short",
                 shown, shown + skipped, cut);
    else if (skipped > 0)
        snprintf(what, sizeof what, "%zu of %zu lines shown", shown, shown + skipped);
    else if (cut > 0)
        snprintf(what, sizeof what, "%zu long line%s cut short", cut, cut == 1 ? "" : "s");
    else
        return;
    sgr(t, C_DIM);
    fprintf(t->f, "    | (%s; " WHOLE_OUTPUT ")", what);
    sgr(t, C_OFF);
    fputc('\n', t->f);
}

/* The end of the captured output, each line behind "    | ": its last
 * REP_OUTPUT_LINES lines, cut to REP_OUTPUT_COLS columns. */
static void output(tx_t *t, const char *raw)
{
    char *out = need(t, rep_clean(raw));
    size_t skipped, shown = 0, cut = 0;

    if (!out)
        return;
    for (const char *p = rep_tail(out, REP_OUTPUT_LINES, &skipped); *p; shown++) {
        size_t len = rep_line_len(p);

        cut += (size_t)output_line(t, p, len);
        p += len + (p[len] == '\n');
    }
    omitted(t, shown, skipped, cut);
    free(out);
}

/* "✗ NAME (N pt):", cleaned; a new string, or NULL. */
static char *test_lead(const res_test_t *r)
{
    char *name = rep_clean(r->name), *lead = NULL;
    size_t sz;

    if (name && (lead = malloc(sz = strlen(name) + 48)) != NULL)
        snprintf(lead, sz, "\u2717 %s (%d pt):", name, r->points);
    free(name);
    return lead;
}

/* One failing test: what went wrong (its first line wrapped), the hint, the output. */
static void test_block(tx_t *t, const res_test_t *r)
{
    char *lead = need(t, test_lead(r)), *what = need(t, rep_what(r));

    if (lead && what) {
        size_t len = rep_line_len(what), lw = 2 + width(lead, strlen(lead)) + 1;
        para_t pa = {2, lead, C_RED, C_RED, lw <= WIDTH / 2 ? lw : 6};

        wrap(t, &pa, what, len);
        if (what[len])
            lines(t, "      ", what + len + 1, NULL);
        hint(t, r->hint);
        output(t, r->output);
    }
    free(lead);
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
        hint(t, log);
    free(log);
}

/* Is test k "not implemented" (RES_TODO) with the same message as test i?
 * A test that failed a check before it reached the TODO is RES_FAIL, and
 * is shown on its own. */
static int same_todo(const res_lesson_t *l, size_t i, size_t k)
{
    return l->tests[k].status == RES_TODO && l->tests[i].status == RES_TODO &&
           strcmp(str(l->tests[k].message), str(l->tests[i].message)) == 0;
}

/* "WHAT (N tests, P pt: a, b, c)" for the tests stopped by test i's TODO. */
static char *todo_head(const res_lesson_t *l, size_t i)
{
    char *what = rep_what(&l->tests[i]), *raw, *head;
    size_t count = 0, sz = 64, n;
    int points = 0;

    if (!what)
        return NULL;
    sz += strlen(what);
    for (size_t k = i; k < l->ntests; k++)
        if (same_todo(l, i, k))
            count++, points += l->tests[k].points, sz += strlen(str(l->tests[k].name)) + 2;
    if (!(raw = malloc(sz))) {
        free(what);
        return NULL;
    }
    n = (size_t)snprintf(raw, sz, "%s (%zu test%s, %d pt:", what, count,
                         count == 1 ? "" : "s", points);
    for (size_t k = i; k < l->ntests; k++)
        if (same_todo(l, i, k))
            n += (size_t)snprintf(raw + n, sz - n, " %s,", str(l->tests[k].name));
    raw[n - 1] = ')';
    head = rep_clean(raw);
    free(raw);
    free(what);
    return head;
}

/* Every test stopped by one TODO(), once: the function, the tests, the
 * points, and the first test's hint. An untouched skeleton then reads as a
 * short list of functions to write, not a wall of identical failures. */
static void todo_block(tx_t *t, const res_lesson_t *l, size_t i)
{
    static const para_t pa = {2, "\u2717", C_RED, C_RED, 4};
    char *head = need(t, todo_head(l, i));

    if (head) {
        wrap(t, &pa, head, strlen(head));
        hint(t, l->tests[i].hint);
    }
    free(head);
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
