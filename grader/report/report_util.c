/* report_util.c - leaf helpers shared by the renderers (see report.h): they
 * call no renderer. */
#include "report.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

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
    case RES_SKIP:    return "skipped";
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
        [RES_SKIP] = {"skipped", NULL},
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
    if (!*msg)
        return strdup(*label ? label : "failed");
    if (!*label || says_status(st, msg))
        return strdup(msg);
    size_t sz = strlen(label) + strlen(msg) + 3;
    char *s = malloc(sz);
    if (s)
        snprintf(s, sz, "%s: %s", label, msg);
    return s;
}

char *rep_what(const res_test_t *t)
{
    char *msg = rep_clean(t->message);
    if (!msg)
        return NULL;
    size_t len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        msg[--len] = '\0';
    char *s = join_what(t->status, msg);
    free(msg);
    return s;
}

res_lesson_t *rep_lessons_where(const res_lesson_t *ls, size_t n,
                                int (*keep)(const res_test_t *))
{
    res_lesson_t *v = calloc(n + 1, sizeof *v);
    for (size_t i = 0; v && i < n; i++) {
        v[i] = ls[i];
        v[i].ntests = 0;
        v[i].tests = calloc(ls[i].ntests + 1, sizeof *v[i].tests);
        if (!v[i].tests) {
            rep_lessons_free(v, i);
            return NULL;
        }
        for (size_t k = 0; k < ls[i].ntests; k++)
            if (keep(&ls[i].tests[k]))
                v[i].tests[v[i].ntests++] = ls[i].tests[k];
    }
    return v;
}

void rep_lessons_free(res_lesson_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].tests);
    free(v);
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
    size_t len = strlen(s);
    if (len > 0 && s[len - 1] == '\n')
        len--;
    size_t total = len > 0;
    for (size_t i = 0; i < len; i++)
        total += s[i] == '\n';
    *skipped = total > nlines ? total - nlines : 0;
    const char *p = s;
    for (size_t seen = 0; seen < *skipped && *p; p++)
        seen += *p == '\n';
    return p;
}

const char *rep_sanitizer_head(const char *s)
{
    static const char *const marks[] = {"ERROR: AddressSanitizer: ", "ERROR: LeakSanitizer: ",
                                        ": runtime error: "};
    const char *first = NULL;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        const char *at = strstr(s, marks[i]);
        if (at && (!first || at < first))
            first = at;
    }
    while (first && first > s && first[-1] != '\n')
        first--;
    return first;
}

size_t rep_line_len(const char *s)
{
    const char *nl = strchr(s, '\n');

    return nl ? (size_t)(nl - s) : strlen(s);
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
    const char *end = start;
    for (size_t i = 0; i < REP_BUILD_LINES && *end; i++)
        end += rep_line_len(end) + (end[rep_line_len(end)] == '\n');
    size_t after = count_lines(end), len = (size_t)(end - start), sz = len + 128;
    char *s = malloc(sz);
    if (!s)
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
    size_t skipped;
    const char *tail = rep_tail(log, REP_BUILD_LINES, &skipped);
    if (skipped == 0)
        return strdup(log);
    size_t sz = strlen(tail) + 64;
    char *s = malloc(sz);
    if (s)
        snprintf(s, sz, "[... %zu earlier line%s not shown ...]\n%s", skipped,
                 skipped == 1 ? "" : "s", tail);
    return s;
}

char *rep_build_log(const res_lesson_t *l)
{
    const res_test_t *t = &l->tests[0];
    const char *raw = t->output && *t->output ? t->output : t->message;
    char *clean = rep_clean(raw);
    if (!clean)
        return NULL;
    size_t before = 0;
    const char *first = txt_first_error(clean, &before);
    char *s = first ? from_first_error(first, before) : last_lines(clean);
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
    const char *name = l->lesson ? l->lesson : "";
    size_t n = 0;
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
        ts += res_ran(&ls[i]);
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
                                        [REP_JUNIT] = "junit", [REP_TSV] = "tsv",
                                        [REP_CLASS] = "class"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

/* Adds test t to the task numbered t->task in tasks[0..*n), by number. */
static void task_add(rep_task_t *tasks, size_t *n, const res_test_t *t)
{
    size_t i = 0;
    while (i < *n && tasks[i].number < t->task)
        i++;
    if (i == *n || tasks[i].number != t->task) {
        memmove(&tasks[i + 1], &tasks[i], (*n - i) * sizeof *tasks);
        tasks[i] = (rep_task_t){.number = t->task, .title = t->task_title ? t->task_title : ""};
        (*n)++;
    }
    int pass = t->status == RES_PASS;
    if (t->status == RES_SKIP)
        return; /* not run here: counts neither way */
    tasks[i].passed += (size_t)pass;
    tasks[i].tests++;
    tasks[i].score += pass ? t->points : 0;
    tasks[i].max += t->points;
}

int rep_tasks(const res_lesson_t *l, rep_task_t **tasks, size_t *n)
{
    *n = 0;
    *tasks = calloc(l->ntests + 1, sizeof **tasks);
    if (!*tasks)
        return -1;
    for (size_t i = 0; i < l->ntests; i++)
        if (l->tests[i].task > 0)
            task_add(*tasks, n, &l->tests[i]);
    return 0;
}

/* COLUMNS as a number of columns, or 0 when it is not a whole number above 0. */
static long columns_env(void)
{
    const char *s = getenv("COLUMNS");
    if (!s || !*s || strlen(s) > 6 || strspn(s, "0123456789") != strlen(s))
        return 0;
    return strtol(s, NULL, 10);
}

int rep_width(int fd)
{
    long w = columns_env();
    struct winsize ws;
    if (w <= 0 && fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0)
        w = ws.ws_col;
    if (w <= 0)
        return REP_WIDTH_DEFAULT;
    return w < REP_WIDTH_MIN ? REP_WIDTH_MIN : w > REP_WIDTH_MAX ? REP_WIDTH_MAX : (int)w;
}
