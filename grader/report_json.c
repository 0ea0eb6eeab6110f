/* report_json.c - Gradescope's results.json (see report.h).
 *
 * Spec: https://gradescope-autograders.readthedocs.io/en/latest/specs/
 */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(9))

/* Sets obj[key] = v; -1 (and v dropped) on failure, including v NULL. */
static int jset(json_t *obj, const char *key, json_t *v)
{
    return json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}

/* Takes a malloc'd UTF-8 string and makes a JSON string of it. */
static json_t *jtake(char *s)
{
    json_t *j = s ? json_string(s) : NULL;

    free(s);
    return j;
}

/* Seconds, rounded to the millisecond. */
static json_t *jsecs(double s)
{
    return json_real(isfinite(s) && s > 0 && s < 1e9 ? (double)(long long)(s * 1000 + 0.5) / 1000 : 0.0);
}

/* Closes a memory stream; its text, or NULL on failure (or if bad). */
static char *mem_close(FILE *m, char **buf, int bad)
{
    bad |= ferror(m);
    if (fclose(m) != 0 || bad) {
        free(*buf);
        return NULL;
    }
    return *buf;
}

/* Writes a blank line, title and cleaned raw, unless raw is empty. */
static int section(FILE *m, const char *title, const char *raw)
{
    char *s = rep_clean(raw);

    if (!s)
        return -1;
    if (*s)
        fprintf(m, "\n\n%s%s", title, s);
    free(s);
    return 0;
}

/* What Gradescope shows under a failed test: what, hint, output. */
static char *test_detail(const res_test_t *t)
{
    char *buf = NULL, *what = rep_what(t);
    size_t sz;
    int bad = 0;
    FILE *m = what ? open_memstream(&buf, &sz) : NULL;

    if (!m) {
        free(what);
        return NULL;
    }
    fputs(what, m);
    free(what);
    bad |= section(m, "Hint: ", t->hint);
    bad |= section(m, "Output:\n", t->output);
    return mem_close(m, &buf, bad);
}

/* What Gradescope shows under each test of a lesson that did not build. */
static char *build_detail(const res_lesson_t *l, const char *num, size_t k)
{
    char *buf = NULL, *log = k == 0 ? rep_build_log(l) : NULL;
    size_t sz;
    FILE *m = (k > 0 || log) ? open_memstream(&buf, &sz) : NULL;

    if (!m) {
        free(log);
        return NULL;
    }
    if (k > 0)
        fprintf(m, "The lesson did not build: see test %s.1 for the compiler output.", num);
    else
        fprintf(m, "The lesson did not build.\n\nCompiler output:\n%s", log);
    free(log);
    log = rep_build_hint(l);
    if (log)
        fprintf(m, "\n\nHint: %s", log);
    free(log);
    return mem_close(m, &buf, !log);
}

/* "01-addressing: test_name" */
static char *test_name(const res_lesson_t *l, const res_test_t *t)
{
    char *lesson = rep_clean(l->lesson), *name = rep_clean(t->name), *s = NULL;
    size_t sz;

    if (lesson && name && (s = malloc(sz = strlen(lesson) + strlen(name) + 3)))
        snprintf(s, sz, "%s: %s", lesson, name);
    free(lesson);
    free(name);
    return s;
}

static json_t *test_json(const res_lesson_t *l, const char *num, size_t k)
{
    const res_test_t *t = &l->tests[k];
    int pass = t->status == RES_PASS, rc = 0;
    json_t *o = json_object();
    char number[64];

    snprintf(number, sizeof number, "%s.%zu", num, k + 1);
    rc |= o ? 0 : -1;
    rc |= jset(o, "name", jtake(test_name(l, t)));
    rc |= jset(o, "number", json_string(number));
    rc |= jset(o, "score", json_integer(pass ? t->points : 0));
    rc |= jset(o, "max_score", json_integer(t->points));
    rc |= jset(o, "status", json_string(pass ? "passed" : "failed"));
    if (!pass)
        rc |= jset(o, "output", jtake(rep_unbuilt(l) ? build_detail(l, num, k)
                                                     : test_detail(t)));
    rc |= jset(o, "visibility", json_string("visible"));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Appends the tests of lesson i to arr. */
static int lesson_tests(json_t *arr, const res_lesson_t *l, size_t i)
{
    char num[16];

    rep_lesson_number(l, i, num, sizeof num);
    for (size_t k = 0; k < l->ntests; k++)
        if (json_array_append_new(arr, test_json(l, num, k)) != 0)
            return -1;
    return 0;
}

/* One summary line per lesson. */
static void summary_line(FILE *m, const res_lesson_t *l)
{
    char *name = rep_clean(l->lesson);

    fprintf(m, "\n%s: %d/%d points, %zu/%zu tests passed%s", name ? name : "?",
            res_score(l), res_max_score(l), res_passed(l), l->ntests,
            rep_unbuilt(l) ? " (did not build)" : "");
    free(name);
}

/* The short text shown for the whole submission. */
static char *summary(const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    char *buf = NULL, *title = rep_clean(rep_title(o));
    size_t sz, passed, tests;
    int score, max;
    FILE *m = title ? open_memstream(&buf, &sz) : NULL;

    if (!m) {
        free(title);
        return NULL;
    }
    rep_totals(ls, n, &score, &max, &passed, &tests);
    fprintf(m, "%s: %d/%d points, %zu/%zu tests passed.\n", title, score, max,
            passed, tests);
    free(title);
    for (size_t i = 0; i < n; i++)
        summary_line(m, &ls[i]);
    return mem_close(m, &buf, 0);
}

static json_t *course_json(const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    json_t *root = json_object(), *tests = json_array();
    int score, max, rc = (root && tests) ? 0 : -1;

    rep_totals(ls, n, &score, &max, NULL, NULL);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = lesson_tests(tests, &ls[i], i);
    if (rc == 0) {
        rc |= jset(root, "score", json_integer(score));
        rc |= jset(root, "max_score", json_integer(max));
        rc |= jset(root, "execution_time", jsecs(rep_seconds(ls, n)));
        rc |= jset(root, "output", jtake(summary(ls, n, o)));
        rc |= jset(root, "visibility", json_string("visible"));
        rc |= jset(root, "stdout_visibility", json_string("visible"));
        rc |= jset(root, "tests", json_incref(tests));
    }
    json_decref(tests);
    if (rc) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int rep_json(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    json_t *root = course_json(ls, n, o);
    int rc;

    if (!root) {
        errno = ENOMEM;
        return -1;
    }
    errno = 0;
    rc = json_dumpf(root, out, JSON_FLAGS);
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF || ferror(out)) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}
