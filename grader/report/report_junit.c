/* report_junit.c - JUnit XML, escaped by hand (see report.h). */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JUnit writer: where it writes, whether memory ran out. */
typedef struct jx {
    FILE *f;
    int nomem;
} jx_t;

/* Writes one byte of text or attribute value, escaped. */
static void xml_char(FILE *f, unsigned char c, int attr)
{
    switch (c) {
    case '&':  fputs("&amp;", f); break;
    case '<':  fputs("&lt;", f); break;
    case '>':  fputs("&gt;", f); break;
    case '"':  fputs(attr ? "&quot;" : "\"", f); break;
    case '\'': fputs(attr ? "&apos;" : "'", f); break;
    case '\r': fputs("&#13;", f); break;
    case '\n': fputs(attr ? "&#10;" : "\n", f); break;
    case '\t': fputs(attr ? "&#9;" : "\t", f); break;
    default:   fputc(c < 0x20 ? '?' : c, f); break;
    }
}

/* Writes len bytes of s escaped. s should be clean UTF-8 (rep_clean()):
 * control bytes that XML 1.0 forbids become '?' all the same. */
static void xml_esc(FILE *f, const char *s, size_t len, int attr)
{
    for (size_t i = 0; i < len; i++)
        xml_char(f, (unsigned char)s[i], attr);
}

/* Writes raw cleaned and escaped. */
static void xml_put(jx_t *x, const char *raw, int attr)
{
    char *s = rep_clean(raw);
    if (!s) {
        x->nomem = 1;
        return;
    }
    xml_esc(x->f, s, strlen(s), attr);
    free(s);
}

/* Writes ` key="value"` with value escaped. */
static void attr(jx_t *x, const char *key, const char *value)
{
    fprintf(x->f, " %s=\"", key);
    xml_put(x, value, 1);
    fputc('"', x->f);
}

static double secs(double s)
{
    return isfinite(s) && s > 0 ? s : 0.0;
}

/* Is s an <error> (the test could not run to a verdict) rather than a <failure>? */
static int is_error(res_status_t s)
{
    return s == RES_CRASH || s == RES_TIMEOUT || s == RES_BUILD || s == RES_ERROR;
}

/* Counts failures and errors of a lesson. */
static void count(const res_lesson_t *l, size_t *failures, size_t *errors)
{
    for (size_t i = 0; i < l->ntests; i++) {
        res_status_t s = l->tests[i].status;

        if (is_error(s))
            (*errors)++;
        else if (s != RES_PASS && s != RES_SKIP)
            (*failures)++;
    }
}

/* <failure> or <error>: the first line as message, what went wrong and the hint as text. */
static void verdict(jx_t *x, const res_test_t *t)
{
    const char *tag = is_error(t->status) ? "error" : "failure";
    char *what = rep_what(t);
    if (!what) {
        x->nomem = 1;
        return;
    }
    fprintf(x->f, "      <%s message=\"", tag);
    xml_esc(x->f, what, rep_line_len(what), 1);
    fprintf(x->f, "\" type=\"%s\">", res_status_name(t->status));
    xml_esc(x->f, what, strlen(what), 0);
    if (t->status != RES_BUILD && t->hint && *t->hint) {
        fputs("\n\nhint: ", x->f);
        xml_put(x, t->hint, 0);
    }
    fprintf(x->f, "</%s>\n", tag);
    free(what);
}

/* <skipped message="..."/>: a test not run here (it needs a tool). */
static void skipped(jx_t *x, const res_test_t *t)
{
    fputs("      <skipped", x->f);
    attr(x, "message", t->message ? t->message : "");
    fputs("/>\n", x->f);
}

/* classname="socklab.LESSON", or "socklab.LESSON.taskN" for a test of task N. */
static void classname(jx_t *x, const res_lesson_t *l, const res_test_t *t)
{
    fputs(" classname=\"socklab.", x->f);
    xml_put(x, l->lesson, 1);
    if (t->task > 0)
        fprintf(x->f, ".task%d", t->task);
    fputc('"', x->f);
}

static void testcase(jx_t *x, const res_lesson_t *l, const res_test_t *t)
{
    fputs("    <testcase", x->f);
    classname(x, l, t);
    attr(x, "name", t->name);
    fprintf(x->f, " time=\"%.3f\"", secs(t->seconds));
    if (t->status == RES_PASS && !(t->output && *t->output)) {
        fputs("/>\n", x->f);
        return;
    }
    fputs(">\n", x->f);
    if (t->status == RES_SKIP)
        skipped(x, t);
    else if (t->status != RES_PASS)
        verdict(x, t);
    if (t->output && *t->output) {
        fputs("      <system-out>", x->f);
        xml_put(x, t->output, 0);
        fputs("</system-out>\n", x->f);
    }
    fputs("    </testcase>\n", x->f);
}

/* <property name="key" value="value"/> */
static void property(jx_t *x, const char *key, const char *value)
{
    fputs("      <property", x->f);
    attr(x, "name", key);
    attr(x, "value", value);
    fputs("/>\n", x->f);
}

static void properties(jx_t *x, const res_lesson_t *l)
{
    fputs("    <properties>\n", x->f);
    property(x, "impl", l->impl);
    char num[32];
    snprintf(num, sizeof num, "%d", res_score(l));
    property(x, "points", num);
    snprintf(num, sizeof num, "%d", res_max_score(l));
    property(x, "max_points", num);
    fputs("    </properties>\n", x->f);
}

static void testsuite(jx_t *x, const res_lesson_t *l)
{
    size_t failures = 0, errors = 0;

    count(l, &failures, &errors);
    fputs("  <testsuite", x->f);
    attr(x, "name", l->lesson);
    fprintf(x->f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
            l->ntests, failures, errors, l->ntests - res_ran(l), secs(l->seconds));
    properties(x, l);
    for (size_t i = 0; i < l->ntests; i++)
        testcase(x, l, &l->tests[i]);
    fputs("  </testsuite>\n", x->f);
}

int rep_junit(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    jx_t x = {out, 0};
    size_t tests = 0, failures = 0, errors = 0;

    for (size_t i = 0; i < n; i++) {
        count(&ls[i], &failures, &errors);
        tests += ls[i].ntests;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
    attr(&x, "name", rep_title(o));
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n", tests,
            failures, errors, secs(rep_seconds(ls, n)));
    for (size_t i = 0; i < n; i++)
        testsuite(&x, &ls[i]);
    fputs("</testsuites>\n", out);
    if (x.nomem) {
        errno = ENOMEM;
        return -1;
    }
    return ferror(out) ? -1 : 0;
}
