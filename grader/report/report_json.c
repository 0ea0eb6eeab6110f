/* report_json.c - Gradescope's results.json (see report.h).
 *
 * Spec: https://gradescope-autograders.readthedocs.io/en/latest/specs/
 */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

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
    char *what = rep_what(t), *buf = NULL;
    size_t sz;
    FILE *m = what ? open_memstream(&buf, &sz) : NULL;
    if (!m) {
        free(what);
        return NULL;
    }
    fputs(what, m);
    free(what);
    int bad = section(m, "Hint: ", t->hint);
    bad |= section(m, "Output:\n", t->output);
    return mem_close(m, &buf, bad);
}

/* What Gradescope shows under each test of a lesson that did not build. */
static char *build_detail(const res_lesson_t *l, const char *num, size_t k)
{
    char *log = k == 0 ? rep_build_log(l) : NULL, *buf = NULL;
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

/* "Task N (TITLE)", or "Task N" for an empty title, cleaned; NULL on ENOMEM. */
static char *task_name(int number, const char *title)
{
    char *clean = rep_clean(title);
    size_t sz = clean ? strlen(clean) + 32 : 0;
    char *s = clean ? malloc(sz) : NULL;
    if (s && *clean)
        snprintf(s, sz, "Task %d (%s)", number, clean);
    else if (s)
        snprintf(s, sz, "Task %d", number);
    free(clean);
    return s;
}

/* "01-addressing: test_name", or "01-addressing, Task 3 (host:port): test_name". */
static char *test_name(const res_lesson_t *l, const res_test_t *t)
{
    char *lesson = rep_clean(l->lesson), *name = rep_clean(t->name);
    char *task = t->task > 0 ? task_name(t->task, t->task_title) : strdup("");
    size_t sz = lesson && name && task ? strlen(lesson) + strlen(name) + strlen(task) + 5 : 0;
    char *s = sz ? malloc(sz) : NULL;
    if (s)
        snprintf(s, sz, "%s%s%s: %s", lesson, *task ? ", " : "", task, name);
    free(lesson);
    free(name);
    free(task);
    return s;
}

/* Gradescope's visibility of test t: a teacher's hidden test is shown
 * after the due date (or never, with --hidden hidden). */
static const char *visibility(const res_test_t *t, const rep_opts_t *o)
{
    if (!t->hidden)
        return "visible";
    return o && o->hidden ? o->hidden : "after_due_date";
}

static json_t *test_json(const res_lesson_t *l, const char *num, size_t k, const rep_opts_t *op)
{
    const res_test_t *t = &l->tests[k];
    int pass = t->status == RES_PASS;
    char number[64];
    snprintf(number, sizeof number, "%s.%zu", num, k + 1);
    json_t *o = json_object();
    int rc = o ? 0 : -1;
    rc |= jsn_set(o, "name", jsn_take(test_name(l, t)));
    rc |= jsn_set(o, "number", json_string(number));
    int skip = t->status == RES_SKIP; /* not run here: worth nothing either way */
    rc |= jsn_set(o, "score", json_integer(pass ? t->points : 0));
    rc |= jsn_set(o, "max_score", json_integer(skip ? 0 : t->points));
    if (!skip)
        rc |= jsn_set(o, "status", json_string(pass ? "passed" : "failed"));
    if (skip)
        rc |= jsn_set(o, "output", jsn_take(rep_what(t)));
    else if (!pass)
        rc |= jsn_set(o, "output", jsn_take(rep_unbuilt(l) ? build_detail(l, num, k)
                                                     : test_detail(t)));
    rc |= jsn_set(o, "visibility", json_string(visibility(t, op)));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Appends the tests of lesson i to arr. */
static int lesson_tests(json_t *arr, const res_lesson_t *l, size_t i, const rep_opts_t *o)
{
    char num[16];

    rep_lesson_number(l, i, num, sizeof num);
    for (size_t k = 0; k < l->ntests; k++)
        if (json_array_append_new(arr, test_json(l, num, k, o)) != 0)
            return -1;
    return 0;
}

/* "  Task N (TITLE): S/M points, P/T tests passed" for each task of l; 0 or -1. */
static int task_lines(FILE *m, const res_lesson_t *l)
{
    rep_task_t *tasks;
    size_t n;
    if (rep_tasks(l, &tasks, &n) != 0)
        return -1;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char *name = task_name(tasks[i].number, tasks[i].title);
        bad |= !name;
        fprintf(m, "\n  %s: %d/%d points, %zu/%zu tests passed", name ? name : "?",
                tasks[i].score, tasks[i].max, tasks[i].passed, tasks[i].tests);
        free(name);
    }
    free(tasks);
    return bad ? -1 : 0;
}

/* One summary line per lesson, then one per task of it; 0 or -1 (ENOMEM). */
static int summary_lines(FILE *m, const res_lesson_t *l)
{
    char *name = rep_clean(l->lesson);
    fprintf(m, "\n%s: %d/%d points, %zu/%zu tests passed%s", name ? name : "?",
            res_score(l), res_max_score(l), res_passed(l), res_ran(l),
            rep_unbuilt(l) ? " (did not build)" : "");
    free(name);
    return !name || task_lines(m, l) != 0 ? -1 : 0;
}

static int is_visible(const res_test_t *t)
{
    return !t->hidden;
}

/* The lessons of ls without their hidden tests, which the summary must not
 * reveal before Gradescope shows them; *nhidden counts those left out.
 * The tests are shared with ls: free with rep_lessons_free(). NULL on ENOMEM. */
static res_lesson_t *visible_only(const res_lesson_t *ls, size_t n, size_t *nhidden)
{
    *nhidden = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ls[i].ntests; k++)
            *nhidden += (size_t)ls[i].tests[k].hidden;
    return rep_lessons_where(ls, n, is_visible);
}

/* The short text shown for the whole submission: totals, then each lesson
 * and each of its tasks, of the visible tests only. */
static char *summary(const res_lesson_t *all, size_t n, const rep_opts_t *o)
{
    char *title = rep_clean(rep_title(o)), *buf = NULL;
    size_t sz, nhidden;
    res_lesson_t *ls = title ? visible_only(all, n, &nhidden) : NULL;
    FILE *m = ls ? open_memstream(&buf, &sz) : NULL;
    if (!m) {
        free(title);
        rep_lessons_free(ls, n);
        return NULL;
    }
    size_t passed, tests;
    int score, max;
    rep_totals(ls, n, &score, &max, &passed, &tests);
    fprintf(m, "%s: %d/%d points, %zu/%zu tests passed.\n", title, score, max,
            passed, tests);
    if (nhidden)
        fprintf(m, "Not counted here: %zu hidden test(s)%s.\n", nhidden,
                o && o->hidden && !strcmp(o->hidden, "hidden") ? ""
                                                               : ", shown after the due date");
    free(title);
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= summary_lines(m, &ls[i]);
    rep_lessons_free(ls, n);
    return mem_close(m, &buf, bad);
}

static json_t *course_json(const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    json_t *root = json_object(), *tests = json_array();
    int rc = (root && tests) ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = lesson_tests(tests, &ls[i], i, o);
    int score, max;
    rep_totals(ls, n, &score, &max, NULL, NULL);
    if (rc == 0) {
        rc |= jsn_set(root, "score", json_integer(score));
        rc |= jsn_set(root, "max_score", json_integer(max));
        rc |= jsn_set(root, "execution_time", jsn_secs(rep_seconds(ls, n)));
        rc |= jsn_set(root, "output", jsn_take(summary(ls, n, o)));
        rc |= jsn_set(root, "visibility", json_string("visible"));
        rc |= jsn_set(root, "stdout_visibility", json_string("visible"));
        rc |= jsn_set(root, "tests", json_incref(tests));
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
    if (!root) {
        errno = ENOMEM;
        return -1;
    }
    errno = 0;
    int rc = json_dumpf(root, out, JSN_FLAGS);
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF || ferror(out)) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}
