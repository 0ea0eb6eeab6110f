/* report_util.c - helpers shared by the renderers (see report.h). */
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

char *rep_clean(const char *s)
{
    if (!s)
        s = "";
    return txt_clean(s, strlen(s));
}

const char *rep_title(const rep_opts_t *o)
{
    return o && o->title ? o->title : "socklab";
}

const char *rep_label(res_status_t s)
{
    switch (s) {
    case RES_CRASH:   return "crash";
    case RES_TIMEOUT: return "timeout";
    case RES_TODO:    return "not implemented";
    case RES_BUILD:   return "the lesson did not build";
    case RES_ERROR:   return "grader error";
    default:          return "";
    }
}

/*
 * Does msg already say what a status label would? The runner's messages
 * start with "crashed: ...", "timed out: ...", "not implemented: ...", "the
 * lesson did not build: ..." and "grader: ...".
 */
static int says_status(res_status_t s, const char *msg)
{
    static const char *const leads[][3] = {
        [RES_CRASH] = {"crash", NULL},
        [RES_TIMEOUT] = {"timeout", "timed out", "time out"},
        [RES_TODO] = {"not implemented", NULL},
        [RES_BUILD] = {"the lesson did not build", "did not build", NULL},
        [RES_ERROR] = {"grader", NULL},
    };

    if ((size_t)s >= sizeof leads / sizeof leads[0])
        return 0;
    for (size_t i = 0; i < 3 && leads[s][i]; i++)
        if (strncasecmp(msg, leads[s][i], strlen(leads[s][i])) == 0)
            return 1;
    return 0;
}

/* Joins label and message: "label: message", without saying the label twice. */
static char *join_what(res_status_t st, const char *msg)
{
    const char *label = rep_label(st);
    size_t sz = strlen(label) + strlen(msg) + 3;
    char *s;

    if (!*msg)
        return strdup(*label ? label : "failed");
    if (!*label || says_status(st, msg))
        return strdup(msg);
    if (!(s = malloc(sz)))
        return NULL;
    snprintf(s, sz, "%s: %s", label, msg);
    return s;
}

char *rep_what(const res_test_t *t)
{
    char *msg = rep_clean(t->message), *s;
    size_t len;

    if (!msg)
        return NULL;
    len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        msg[--len] = '\0';
    s = join_what(t->status, msg);
    free(msg);
    return s;
}

int rep_unbuilt(const res_lesson_t *l)
{
    for (size_t i = 0; i < l->ntests; i++)
        if (l->tests[i].status != RES_BUILD)
            return 0;
    return l->ntests > 0;
}

const char *rep_tail(const char *s, size_t nlines, size_t *skipped)
{
    size_t len = strlen(s), total = 0, seen = 0;
    const char *p;

    if (len > 0 && s[len - 1] == '\n')
        len--;
    for (size_t i = 0; i < len; i++)
        total += s[i] == '\n';
    total += len > 0;
    *skipped = total > nlines ? total - nlines : 0;
    for (p = s; seen < *skipped; p++)
        seen += *p == '\n';
    return p;
}

size_t rep_line_len(const char *s)
{
    const char *nl = strchr(s, '\n');

    return nl ? (size_t)(nl - s) : strlen(s);
}

/* Does the line at s (len bytes) hold needle? Case-insensitive if nocase. */
static int line_has(const char *s, size_t len, const char *needle, int nocase)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= len; i++)
        if (nocase ? strncasecmp(s + i, needle, n) == 0 : strncmp(s + i, needle, n) == 0)
            return 1;
    return 0;
}

/* Does the line at s (len bytes) hold a compiler's, linker's or make's error? */
static int error_line(const char *s, size_t len)
{
    return line_has(s, len, "error:", 0) || line_has(s, len, "undefined reference", 0) ||
           line_has(s, len, "Error ", 0);
}

/* Is the line at s (len bytes) gcc's or ld's "...: In function 'f':" context? */
static int context_line(const char *s, size_t len)
{
    return line_has(s, len, "in function", 1);
}

const char *rep_first_error(const char *log, size_t *before)
{
    const char *prev = NULL;
    size_t n = 0;

    for (const char *p = log; *p; p += rep_line_len(p) + 1, n++) {
        if (error_line(p, rep_line_len(p))) {
            if (prev && context_line(prev, rep_line_len(prev))) {
                p = prev;
                n--;
            }
            *before = n;
            return p;
        }
        prev = p;
        if (!p[rep_line_len(p)])
            break;
    }
    return NULL;
}

/* Number of lines of s (a final newline does not start a line). */
static size_t count_lines(const char *s)
{
    size_t n;

    rep_tail(s, 0, &n);
    return n;
}

/* The first REP_BUILD_LINES lines from start, with notes on what is left out. */
static char *from_first_error(const char *start, size_t before)
{
    size_t after, len, sz;
    const char *end = start;
    char *s;

    for (size_t i = 0; i < REP_BUILD_LINES && *end; i++)
        end += rep_line_len(end) + (end[rep_line_len(end)] == '\n');
    after = count_lines(end);
    len = (size_t)(end - start);
    if (!(s = malloc(sz = len + 128)))
        return NULL;
    s[0] = '\0';
    if (before > 0)
        snprintf(s, sz, "[... %zu line%s before the first error not shown ...]\n",
                 before, before == 1 ? "" : "s");
    strncat(s, start, len);
    if (after > 0)
        snprintf(s + strlen(s), sz - strlen(s), "%s[... %zu more line%s not shown ...]",
                 len > 0 && start[len - 1] != '\n' ? "\n" : "", after, after == 1 ? "" : "s");
    return s;
}

/* The last REP_BUILD_LINES lines of log, with a note on what is left out. */
static char *last_lines(const char *log)
{
    size_t skipped, sz;
    const char *tail = rep_tail(log, REP_BUILD_LINES, &skipped);
    char *s;

    if (skipped == 0)
        return strdup(log);
    sz = strlen(tail) + 64;
    if ((s = malloc(sz)) != NULL)
        snprintf(s, sz, "[... %zu earlier line%s not shown ...]\n%s", skipped,
                 skipped == 1 ? "" : "s", tail);
    return s;
}

char *rep_build_log(const res_lesson_t *l)
{
    const res_test_t *t = &l->tests[0];
    const char *raw = t->output && *t->output ? t->output : t->message;
    char *clean = rep_clean(raw), *s;
    const char *first;
    size_t before = 0;

    if (!clean)
        return NULL;
    first = rep_first_error(clean, &before);
    s = first ? from_first_error(first, before) : last_lines(clean);
    free(clean);
    return s;
}

char *rep_build_hint(const res_lesson_t *l)
{
    static const char lead[] = "the lesson did not build";
    const char *msg = l->tests[0].message ? l->tests[0].message : "";

    if (strncasecmp(msg, lead, sizeof lead - 1) == 0)
        msg += sizeof lead - 1;
    msg += strspn(msg, ":;,. ");
    if (!*msg)
        msg = "Fix the first error the compiler reports; later ones often follow from it.";
    return rep_clean(msg);
}

void rep_lesson_number(const res_lesson_t *l, size_t index, char *buf, size_t bufsz)
{
    size_t n = 0;
    const char *name = l->lesson ? l->lesson : "";

    while (isdigit((unsigned char)name[n]) && n < 8)
        n++;
    if (n > 0)
        snprintf(buf, bufsz, "%.*s", (int)n, name);
    else
        snprintf(buf, bufsz, "%02zu", index + 1);
}

void rep_totals(const res_lesson_t *ls, size_t n, int *score, int *max,
                size_t *passed, size_t *tests)
{
    int sc = 0, mx = 0;
    size_t ps = 0, ts = 0;

    for (size_t i = 0; i < n; i++) {
        sc += res_score(&ls[i]);
        mx += res_max_score(&ls[i]);
        ps += res_passed(&ls[i]);
        ts += ls[i].ntests;
    }
    if (score)
        *score = sc;
    if (max)
        *max = mx;
    if (passed)
        *passed = ps;
    if (tests)
        *tests = ts;
}

double rep_seconds(const res_lesson_t *ls, size_t n)
{
    double s = 0;

    for (size_t i = 0; i < n; i++)
        s += ls[i].seconds;
    return s;
}

int rep_format_parse(const char *name)
{
    static const char *const names[] = {[REP_TEXT] = "text", [REP_JSON] = "json",
                                        [REP_JUNIT] = "junit"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

int rep_render(FILE *out, rep_format_t f, const res_lesson_t *ls, size_t n,
               const rep_opts_t *o)
{
    switch (f) {
    case REP_TEXT:  return rep_text(out, ls, n, o);
    case REP_JSON:  return rep_json(out, ls, n, o);
    case REP_JUNIT: return rep_junit(out, ls, n, o);
    }
    errno = EINVAL;
    return -1;
}

int rep_write(const char *path, rep_format_t f, const res_lesson_t *ls, size_t n,
              const rep_opts_t *o)
{
    res_out_t out;

    if (res_out_open(&out, path) != 0)
        return -1;
    if (rep_render(out.fp, f, ls, n, o) != 0) {
        res_out_abort(&out);
        return -1;
    }
    return res_out_commit(&out);
}

/* Does l fall short of e? If so, say how in why. */
static int short_of(const res_lesson_t *l, rep_expect_t e, char *why, size_t whysz)
{
    int sc = res_score(l), mx = res_max_score(l);
    char *name = rep_clean(l->lesson);
    int bad = 1;

    if (e == REP_EXPECT_FULL && sc != mx)
        snprintf(why, whysz, "expected full marks, got %d/%d in %s", sc, mx, name ? name : "?");
    else if (e == REP_EXPECT_ZERO && sc != 0)
        snprintf(why, whysz, "expected zero, got %d/%d in %s", sc, mx, name ? name : "?");
    else if (e == REP_EXPECT_ZERO && rep_unbuilt(l))
        snprintf(why, whysz, "expected zero, but %s did not build", name ? name : "?");
    else
        bad = 0;
    free(name);
    return bad;
}

/* The first test of l that the grader could not run, or NULL. */
static const res_test_t *grader_error(const res_lesson_t *l)
{
    for (size_t i = 0; i < l->ntests; i++)
        if (l->tests[i].status == RES_ERROR)
            return &l->tests[i];
    return NULL;
}

int rep_expect(const res_lesson_t *ls, size_t n, rep_expect_t e, char *why, size_t whysz)
{
    const res_test_t *t;

    for (size_t i = 0; e != REP_EXPECT_NONE && i < n; i++) {
        if (short_of(&ls[i], e, why, whysz))
            return -1;
        if (e == REP_EXPECT_ZERO && (t = grader_error(&ls[i])) != NULL) {
            char *name = rep_clean(ls[i].lesson), *test = rep_clean(t->name);
            snprintf(why, whysz, "expected zero, but %s: %s: grader error",
                     name ? name : "?", test ? test : "?");
            free(name);
            free(test);
            return -1;
        }
    }
    return 0;
}
