/* report_class.c - the class report: one HTML page over many students'
 * results, and reading it from the folders make batch writes (see
 * report.h).
 *
 * The page stands alone: inline CSS, inline SVG for the charts, no script,
 * and a Content-Security-Policy that lets it fetch nothing at all. It is
 * well-formed XML too (void elements closed, no named entities), so that
 * a strict parser can check it. Every
 * string that comes from a student (a name, a note, anything in a results
 * file) is cleaned (rep_clean()) and HTML-escaped (esc()) on its way out. */
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "text.h"

#define CLASS_TOP 8          /* tests shown per lesson, most failed first */
#define CLASS_BINS 11        /* 0-9 %, 10-19 %, ..., 90-99 %, 100 % */
#define CLASS_MSG_COLS 150   /* "what went wrong" is cut to this many columns */
#define CLASS_NOTE_MAX 4096  /* bytes of a student's note file that are read */

/* A lesson of the class, as its first student that has it has it. */
typedef struct cl_lesson {
    const res_lesson_t *model;
    rep_task_t *tasks;
    size_t ntasks;
    int max;
} cl_lesson_t;

/* The page being written. */
typedef struct cl {
    FILE *f;
    int nomem;
    const rep_student_t *st;
    size_t nst;
    cl_lesson_t *ls;
    size_t nls;
    int max;        /* the course's points */
    size_t graded;  /* students with at least one lesson's results */
} cl_t;

/* How the tests of one lesson fared across the class. */
typedef struct cl_fail {
    size_t k;                       /* the test's index in the model lesson */
    size_t by[RES_SKIP + 1];        /* students per status */
    size_t tried;                   /* failed having tried: fail crash timeout error */
    size_t nonpass;                 /* every status but pass */
} cl_fail_t;

/* ---- text ------------------------------------------------------------- */

static const char *str(const char *s)
{
    return s ? s : "";
}

static int same(const char *a, const char *b)
{
    return strcmp(str(a), str(b)) == 0;
}

/* Writes len bytes of s (clean text), HTML-escaped. */
static void esc_n(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '&':  fputs("&amp;", f); break;
        case '<':  fputs("&lt;", f); break;
        case '>':  fputs("&gt;", f); break;
        case '"':  fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:   fputc(ch < 0x20 && ch != '\n' && ch != '\t' ? '?' : ch, f); break;
        }
    }
}

/* Writes raw, cleaned and escaped. */
static void esc(cl_t *c, const char *raw)
{
    char *s = rep_clean(raw);
    if (!s) {
        c->nomem = 1;
        return;
    }
    esc_n(c->f, s, strlen(s));
    free(s);
}

/* Writes the first line of s (clean text), escaped, cut to cols columns
 * with "…" where it was cut. */
static void esc_line(cl_t *c, const char *s, size_t cols)
{
    size_t len = rep_line_len(s), fit = txt_fit(s, len, cols);
    esc_n(c->f, s, fit);
    if (fit < len || s[len] == '\n')
        fputs("…", c->f);
}

/* ---- the class -------------------------------------------------------- */

static const res_lesson_t *lesson_of(const rep_student_t *s, const char *name)
{
    for (size_t i = 0; i < s->nlessons; i++)
        if (same(s->lessons[i].lesson, name))
            return &s->lessons[i];
    return NULL;
}

/* The test of l that is the model's test k (by name; most often at k too). */
static const res_test_t *test_of(const res_lesson_t *l, const res_lesson_t *model, size_t k)
{
    const char *name = model->tests[k].name;
    if (k < l->ntests && same(l->tests[k].name, name))
        return &l->tests[k];
    for (size_t i = 0; i < l->ntests; i++)
        if (same(l->tests[i].name, name))
            return &l->tests[i];
    return NULL;
}

static int by_lesson_name(const void *a, const void *b)
{
    const cl_lesson_t *x = a, *y = b;
    return strcmp(str(x->model->lesson), str(y->model->lesson));
}

/* Every lesson any student has, in name order, with its tasks; 0 or -1. */
static int collect(cl_t *c)
{
    size_t cap = 0;
    for (size_t i = 0; i < c->nst; i++) {
        const rep_student_t *s = &c->st[i];
        c->graded += s->nlessons > 0;
        for (size_t j = 0; j < s->nlessons; j++) {
            size_t k = 0;
            while (k < c->nls && !same(c->ls[k].model->lesson, s->lessons[j].lesson))
                k++;
            if (k < c->nls)
                continue;
            if (c->nls == cap) {
                cap = cap ? 2 * cap : 8;
                cl_lesson_t *more = realloc(c->ls, cap * sizeof *more);
                if (!more)
                    return -1;
                c->ls = more;
            }
            c->ls[c->nls++] = (cl_lesson_t){.model = &s->lessons[j]};
        }
    }
    if (c->nls > 1)
        qsort(c->ls, c->nls, sizeof *c->ls, by_lesson_name);
    for (size_t k = 0; k < c->nls; k++) {
        if (rep_tasks(c->ls[k].model, &c->ls[k].tasks, &c->ls[k].ntasks) != 0)
            return -1;
        c->ls[k].max = res_max_score(c->ls[k].model);
        c->max += c->ls[k].max;
    }
    return 0;
}

static void uncollect(cl_t *c)
{
    for (size_t k = 0; k < c->nls; k++)
        free(c->ls[k].tasks);
    free(c->ls);
}

/* Points of a student over the whole course. */
static int course_score(const rep_student_t *s)
{
    int sc = 0;
    for (size_t i = 0; i < s->nlessons; i++)
        sc += res_score(&s->lessons[i]);
    return sc;
}

/* Points of task number in l. */
static int task_score(const res_lesson_t *l, int number, int *found)
{
    int sc = 0;
    *found = 0;
    for (size_t i = 0; i < l->ntests; i++) {
        if (l->tests[i].task != number)
            continue;
        *found = 1;
        sc += l->tests[i].status == RES_PASS ? l->tests[i].points : 0;
    }
    return sc;
}

/* Did every test of l that did not pass fail alike (the same status and
 * first line), at least 3 of them, and not as "not implemented" or "did
 * not build"? Code that hangs before main(), say. Then *first is the first
 * of them and *nonpass their number. */
static int failed_alike(const res_lesson_t *l, const res_test_t **first, size_t *nonpass)
{
    size_t alike = 0;
    *first = NULL;
    *nonpass = 0;
    for (size_t i = 0; i < l->ntests; i++) {
        const res_test_t *t = &l->tests[i];
        if (t->status == RES_PASS || t->status == RES_SKIP)
            continue;
        ++*nonpass;
        if (!*first)
            *first = t;
        size_t len = rep_line_len(str((*first)->message));
        alike += t->status == (*first)->status && rep_line_len(str(t->message)) == len &&
                 strncmp(str(t->message), str((*first)->message), len) == 0;
    }
    return *first && *nonpass >= 3 && alike == *nonpass && (*first)->status != RES_TODO &&
           (*first)->status != RES_BUILD;
}

/* ---- the page's frame ------------------------------------------------- */

static const char style[] =
    ":root{--fg:#1d2433;--muted:#667085;--line:#e3e6ec;--bg:#f4f5f8;--head:#1e2a45}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:var(--bg);color:var(--fg);"
    "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}"
    "header{background:var(--head);color:#fff;padding:16px 32px 14px}"
    "header h1{margin:0;font-size:22px;font-weight:600;letter-spacing:.2px}"
    "header p{margin:3px 0 0;color:#c6cfe0}"
    "main{padding:6px 32px 36px}"
    "h2{font-size:17px;margin:22px 0 10px}"
    "h3{margin:0;font-size:15px}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:14px}"
    ".card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px 8px}"
    ".card.total{border-color:#b8c4de}"
    ".sub{color:var(--muted);font-size:12px}"
    ".stats{margin:6px 0 2px;font-size:13px}"
    ".stats b{font-variant-numeric:tabular-nums}"
    "svg.hist{width:100%;height:auto;display:block;margin-top:2px}"
    "svg text{font-family:inherit}"
    ".box{background:#fff;border:1px solid var(--line);border-radius:8px;overflow-x:auto;margin-bottom:14px}"
    ".box h3{padding:10px 14px 0}"
    ".box p{margin:6px 14px 12px;color:var(--muted)}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top;text-align:left}"
    "th{font-size:12px;color:var(--muted);font-weight:600;background:#fafbfc}"
    "tr:last-child td{border-bottom:0}"
    "code{font:12.5px/1.4 ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace}"
    ".what code{color:#8a2a1b;white-space:pre-wrap;word-break:break-word}"
    ".hint{color:#24426e}"
    ".bar{height:6px;background:#eceef2;border-radius:3px;margin-top:4px;width:90px}"
    ".bar i{display:block;height:6px;background:#d9534f;border-radius:3px}"
    "table.grid{width:auto;min-width:100%;font-variant-numeric:tabular-nums}"
    "table.grid th,table.grid td{text-align:right;padding:4px 7px;white-space:nowrap}"
    "table.grid th.lesson{text-align:center;border-left:2px solid #fff;color:var(--fg)}"
    "table.grid td.sum,table.grid th.sum{font-weight:700}"
    "table.grid .first{border-left:2px solid #fff}"
    "table.grid th small{display:block;font-weight:400}"
    "table.grid .name{text-align:left;position:sticky;left:0;background:#fff;font-weight:600}"
    "table.grid th.name{background:#fafbfc}"
    "table.grid td.na{color:#98a2b3;background:#f2f3f5;text-align:center}"
    "table.grid .total{font-weight:700;border-right:2px solid #fff}"
    "table.grid td.total small{color:var(--muted);font-weight:400;margin-left:5px}"
    "table.grid tr.noted td{border-bottom:0}"
    "table.grid tr.note td{text-align:left;padding-top:0}"
    ".notes{position:sticky;left:110px;max-width:1000px;white-space:normal;font-size:12.5px;"
    "color:#8a3b12}"
    ".notes div:before{content:'\\2192  '}"
    ".notes code{color:inherit;font-size:12px}"
    "footer{color:var(--muted);font-size:12px;padding:0 32px 24px}";

/* The date the page shows: SOURCE_DATE_EPOCH's (UTC), else now. */
static void today(char *buf, size_t sz)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    struct tm tm;
    time_t t;
    if (epoch && *epoch && strspn(epoch, "0123456789") == strlen(epoch)) {
        t = (time_t)strtoll(epoch, NULL, 10);
        if (gmtime_r(&t, &tm) && strftime(buf, sz, "%Y-%m-%d %H:%M UTC", &tm) > 0)
            return;
    }
    t = time(NULL);
    if (!localtime_r(&t, &tm) || strftime(buf, sz, "%Y-%m-%d %H:%M %Z", &tm) == 0)
        snprintf(buf, sz, "?");
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void head(cl_t *c, const rep_opts_t *o)
{
    char date[64];
    today(date, sizeof date);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
          "<title>", c->f);
    esc(c, rep_title(o));
    fputs(" - class report</title>\n<style>", c->f);
    fputs(style, c->f);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>", c->f);
    esc(c, rep_title(o));
    fprintf(c->f, "</h1>\n<p>Class report · %s · <b>%zu</b> %s", date, c->nst,
            plural(c->nst, "student", "students"));
    if (c->graded < c->nst)
        fprintf(c->f, " (%zu graded, %zu not graded)", c->graded, c->nst - c->graded);
    fprintf(c->f, " · %zu %s, %d points</p>\n</header>\n<main>\n", c->nls,
            plural(c->nls, "lesson", "lessons"), c->max);
}

static void foot(cl_t *c)
{
    fputs("</main>\n<footer>Points are earned per test, all or nothing; the students' table "
          "gives each task's points under its number, out of the number below it, then the "
          "lesson's total (Σ). Colours go from red (nothing) to green (everything). "
          "— marks a lesson with no results. “Failed having tried” leaves out "
          "tasks not started (not implemented), lessons that did not build, and a student's "
          "lesson whose every failed test failed the same way (code that hangs before main(), "
          "say: the student's notes tell). Made by sl-report --format class.</footer>\n</body>\n</html>\n", c->f);
}

/* ---- score distributions ---------------------------------------------- */

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The bin of a score: tenths of max, the last one for full marks alone. */
static int bin_of(int score, int max)
{
    if (max <= 0 || score >= max)
        return max <= 0 ? 0 : CLASS_BINS - 1;
    int b = score <= 0 ? 0 : (int)((long long)score * 10 / max);
    return b > CLASS_BINS - 2 ? CLASS_BINS - 2 : b;
}

/* Colour of a share of the points, from red (0) to green (1). */
static int hue(double frac)
{
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    return (int)(frac * 120 + 0.5);
}

/* An SVG histogram of scores out of max, in CLASS_BINS bins. */
static void histogram(cl_t *c, const int *scores, size_t n, int max)
{
    size_t bins[CLASS_BINS] = {0}, top = 1;
    for (size_t i = 0; i < n; i++)
        bins[bin_of(scores[i], max)]++;
    for (int b = 0; b < CLASS_BINS; b++)
        top = bins[b] > top ? bins[b] : top;
    FILE *f = c->f;
    fprintf(f, "<svg class=\"hist\" viewBox=\"0 0 340 132\" role=\"img\" aria-label=\"how many "
               "students scored in each tenth of the points\">\n");
    fprintf(f, "<line x1=\"24\" y1=\"104\" x2=\"336\" y2=\"104\" stroke=\"#c4cad4\"/>\n");
    fprintf(f, "<text x=\"20\" y=\"22\" font-size=\"9\" fill=\"#98a2b3\" text-anchor=\"end\">%zu</text>\n"
               "<line x1=\"24\" y1=\"19\" x2=\"336\" y2=\"19\" stroke=\"#eef0f3\"/>\n", top);
    for (int b = 0; b < CLASS_BINS; b++) {
        int h = (int)(bins[b] * 85 / top), x = 28 + b * 28;
        char range[48];
        if (b == CLASS_BINS - 1)
            snprintf(range, sizeof range, "full marks");
        else
            snprintf(range, sizeof range, "%d to %d %% of the points", b * 10, b * 10 + 9);
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"22\" height=\"%d\" rx=\"2\" "
                   "fill=\"hsl(%d,58%%,50%%)\"><title>%zu %s: %s</title></rect>\n",
                x, 104 - (h ? h : 1), h ? h : 1, hue(b / 10.0), bins[b],
                plural(bins[b], "student", "students"), range);
        if (bins[b])
            fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\" font-weight=\"600\" "
                       "fill=\"#344054\" text-anchor=\"middle\">%zu</text>\n",
                    x + 11, 100 - h, bins[b]);
        fprintf(f, "<text x=\"%d\" y=\"116\" font-size=\"9\" fill=\"#667085\" "
                   "text-anchor=\"middle\">%d</text>\n", x + 11, b * 10);
    }
    fprintf(f, "<text x=\"180\" y=\"129\" font-size=\"9\" fill=\"#98a2b3\" "
               "text-anchor=\"middle\">%% of the points (100: full marks)</text>\n</svg>\n");
}

/* A card: name, what it holds, the stats and the histogram of scores. */
static void card(cl_t *c, const char *name, const char *what, int *scores, size_t n, int max,
                 int total)
{
    FILE *f = c->f;
    fprintf(f, "<div class=\"card%s\">\n<h3>", total ? " total" : "");
    esc(c, name);
    fputs("</h3>\n<div class=\"sub\">", f);
    esc(c, what);
    fputs("</div>\n", f);
    if (n == 0) {
        fputs("<p class=\"stats\">no student has results here</p>\n</div>\n", f);
        return;
    }
    qsort(scores, n, sizeof *scores, by_int);
    double median = n % 2 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2.0, sum = 0;
    size_t full = 0, zero = 0;
    for (size_t i = 0; i < n; i++) {
        sum += scores[i];
        full += scores[i] >= max && max > 0;
        zero += scores[i] == 0;
    }
    fprintf(f, "<p class=\"stats\"><b>%zu</b> %s · median <b>%g</b>/%d<br/>"
               "mean <b>%.1f</b> · full marks <b>%zu</b> · none <b>%zu</b></p>\n",
            n, plural(n, "student", "students"), median, max, sum / (double)n, full, zero);
    histogram(c, scores, n, max);
    fputs("</div>\n", f);
}

static void distributions(cl_t *c)
{
    int *scores = calloc(c->nst + 1, sizeof *scores);
    if (!scores) {
        c->nomem = 1;
        return;
    }
    fputs("<h2>Scores</h2>\n<div class=\"cards\">\n", c->f);
    char what[160];
    if (c->nls > 1) {
        size_t n = 0;
        for (size_t i = 0; i < c->nst; i++)
            if (c->st[i].nlessons > 0)
                scores[n++] = course_score(&c->st[i]);
        snprintf(what, sizeof what, "all %zu lessons, %d points", c->nls, c->max);
        card(c, "The course", what, scores, n, c->max, 1);
    }
    for (size_t k = 0; k < c->nls; k++) {
        size_t n = 0;
        for (size_t i = 0; i < c->nst; i++) {
            const res_lesson_t *l = lesson_of(&c->st[i], c->ls[k].model->lesson);
            if (l)
                scores[n++] = res_score(l);
        }
        snprintf(what, sizeof what, "%zu %s, %zu tests, %d points", c->ls[k].ntasks,
                 plural(c->ls[k].ntasks, "task", "tasks"), c->ls[k].model->ntests, c->ls[k].max);
        card(c, c->ls[k].model->lesson, what, scores, n, c->ls[k].max, 0);
    }
    fputs("</div>\n", c->f);
    free(scores);
}

/* ---- the tests most students failed ----------------------------------- */

static int by_failures(const void *a, const void *b)
{
    const cl_fail_t *x = a, *y = b;
    if (x->tried != y->tried)
        return x->tried < y->tried ? 1 : -1;
    if (x->nonpass != y->nonpass)
        return x->nonpass < y->nonpass ? 1 : -1;
    return (x->k > y->k) - (x->k < y->k);
}

static int tried(res_status_t s)
{
    return s == RES_FAIL || s == RES_CRASH || s == RES_TIMEOUT || s == RES_ERROR;
}

/* The string that occurs most often among v[0..n) (the first on a tie). */
static const char *most_common(char *const *v, size_t n, size_t *times)
{
    const char *best = NULL;
    *times = 0;
    for (size_t i = 0; i < n; i++) {
        size_t t = 0;
        for (size_t j = 0; j < n; j++)
            t += strcmp(v[i], v[j]) == 0;
        if (t > *times) {
            *times = t;
            best = v[i];
        }
    }
    return best;
}

/* What went wrong most often for those who failed test k of lesson L
 * having tried, and the hint they got most often. */
static void fail_details(cl_t *c, const cl_lesson_t *L, size_t k)
{
    char **what = calloc(c->nst + 1, sizeof *what), **hints = calloc(c->nst + 1, sizeof *hints);
    size_t n = 0, times;
    for (size_t i = 0; what && hints && i < c->nst; i++) {
        const res_lesson_t *l = lesson_of(&c->st[i], L->model->lesson);
        const res_test_t *t = l ? test_of(l, L->model, k) : NULL, *first;
        size_t nonpass;
        if (!t || !tried(t->status) || failed_alike(l, &first, &nonpass))
            continue;
        what[n] = rep_what(t);
        hints[n] = rep_clean(t->hint);
        if (!what[n] || !hints[n]) {
            free(what[n]);
            free(hints[n]);
            c->nomem = 1;
            break;
        }
        what[n][rep_line_len(what[n])] = '\0';
        n++;
    }
    if (!what || !hints)
        c->nomem = 1;
    const char *w = what ? most_common(what, n, &times) : NULL;
    fputs("<td class=\"what\">", c->f);
    if (w) {
        fputs("<code>", c->f);
        esc_line(c, w, CLASS_MSG_COLS);
        fputs("</code>", c->f);
        if (times > 1)
            fprintf(c->f, " <span class=\"sub\">(%zu students)</span>", times);
    }
    const char *h = hints ? most_common(hints, n, &times) : NULL;
    fputs("</td>\n<td class=\"hint\">", c->f);
    if (h)
        esc_n(c->f, h, strlen(h));
    fputs("</td>", c->f);
    for (size_t i = 0; i < n; i++) {
        free(what[i]);
        free(hints[i]);
    }
    free(what);
    free(hints);
}

/* "3 failed · 1 crashed", and those who had not started, in words. */
static void fail_how(cl_t *c, const cl_fail_t *x)
{
    static const char *const words[] = {
        [RES_FAIL] = "failed", [RES_CRASH] = "crashed", [RES_TIMEOUT] = "timed out",
        [RES_ERROR] = "grader error",
    };
    static const res_status_t order[] = {RES_FAIL, RES_CRASH, RES_TIMEOUT, RES_ERROR};
    int first = 1;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!x->by[order[i]])
            continue;
        fprintf(c->f, "%s%zu %s", first ? "" : " · ", x->by[order[i]], words[order[i]]);
        first = 0;
    }
    if (x->by[RES_TODO] || x->by[RES_BUILD])
        fputs("<div class=\"sub\">", c->f);
    if (x->by[RES_TODO])
        fprintf(c->f, "+ %zu not started ", x->by[RES_TODO]);
    if (x->by[RES_BUILD])
        fprintf(c->f, "+ %zu did not build", x->by[RES_BUILD]);
    if (x->by[RES_TODO] || x->by[RES_BUILD])
        fputs("</div>", c->f);
}

static void fail_row(cl_t *c, const cl_lesson_t *L, const cl_fail_t *x, size_t with)
{
    const res_test_t *t = &L->model->tests[x->k];
    FILE *f = c->f;
    fputs("<tr><td><code>", f);
    esc(c, t->name);
    fputs("</code><div class=\"sub\">", f);
    if (t->task > 0) {
        fprintf(f, "Task %d: ", t->task);
        esc(c, t->task_title);
        fputs(" · ", f);
    }
    fprintf(f, "%d %s%s</div></td>\n", t->points, plural((size_t)t->points, "point", "points"),
            t->hidden ? " · hidden" : "");
    fprintf(f, "<td><b>%zu</b> of %zu<div class=\"bar\"><i style=\"width:%d%%\"></i></div></td>\n",
            x->tried, with, with ? (int)(x->tried * 100 / with) : 0);
    fputs("<td>", f);
    fail_how(c, x);
    fputs("</td>\n", f);
    fail_details(c, L, x->k);
    fputs("</tr>\n", f);
}

/* The failures of each test of L, most failed first, in v[0..ntests);
 * returns how many tests anyone failed having tried, or -1 (ENOMEM). */
static long fail_counts(cl_t *c, const cl_lesson_t *L, cl_fail_t **out, size_t *with)
{
    const res_lesson_t *m = L->model;
    cl_fail_t *v = calloc(m->ntests + 1, sizeof *v);
    long failed = 0;
    *out = v;
    *with = 0;
    if (!v)
        return -1;
    /* The students' results of L, leaving out (as NULL) those whose every
     * failure is one and the same: the notes say it, once. */
    const res_lesson_t **of = calloc(c->nst + 1, sizeof *of);
    if (!of)
        return -1;
    for (size_t i = 0; i < c->nst; i++) {
        const res_test_t *first;
        size_t nonpass;
        of[i] = lesson_of(&c->st[i], m->lesson);
        *with += of[i] != NULL;
        if (of[i] && failed_alike(of[i], &first, &nonpass))
            of[i] = NULL;
    }
    for (size_t k = 0; k < m->ntests; k++) {
        v[k].k = k;
        for (size_t i = 0; i < c->nst; i++) {
            const res_test_t *t = of[i] ? test_of(of[i], m, k) : NULL;
            if (!t || (unsigned)t->status > RES_ERROR)
                continue;
            v[k].by[t->status]++;
            v[k].tried += (size_t)tried(t->status);
            v[k].nonpass += t->status != RES_PASS;
        }
        failed += v[k].tried > 0;
    }
    free(of);
    qsort(v, m->ntests, sizeof *v, by_failures);
    return failed;
}

/* The most failed tests of L, if any student failed one having tried; 1
 * if it wrote them, else 0. */
static int failures_of(cl_t *c, const cl_lesson_t *L)
{
    cl_fail_t *v;
    size_t with, shown = 0;
    long failed = fail_counts(c, L, &v, &with);
    if (failed <= 0) {
        c->nomem |= failed < 0;
        free(v);
        return 0;
    }
    fputs("<div class=\"box\">\n<h3>", c->f);
    esc(c, L->model->lesson);
    fputs("</h3>\n<table class=\"fails\">\n<tr><th style=\"width:21%\">Test</th>"
          "<th style=\"width:10%\">Failed by</th><th style=\"width:12%\">How</th>"
          "<th style=\"width:29%\">What went wrong (most often)</th>"
          "<th>The hint they got</th></tr>\n", c->f);
    for (; shown < L->model->ntests && shown < CLASS_TOP && v[shown].tried > 0; shown++)
        fail_row(c, L, &v[shown], with);
    fputs("</table>\n", c->f);
    if ((size_t)failed > shown)
        fprintf(c->f, "<p>%zu more %s failed by at least one student who had tried.</p>\n",
                (size_t)failed - shown, plural((size_t)failed - shown, "test was", "tests were"));
    fputs("</div>\n", c->f);
    free(v);
    return 1;
}

static void failures(cl_t *c)
{
    fputs("<h2>The tests most students failed, having tried</h2>\n", c->f);
    size_t none = 0;
    char *quiet = calloc(c->nls + 1, 1);
    for (size_t k = 0; k < c->nls; k++)
        if (!failures_of(c, &c->ls[k]) && quiet)
            quiet[k] = 1, none++;
    if (!quiet)
        c->nomem = 1;
    if (none > 0) {
        fputs("<div class=\"box\"><p>No student who had tried a test of ", c->f);
        for (size_t k = 0, said = 0; k < c->nls; k++) {
            if (!quiet[k])
                continue;
            fputs(said == 0 ? "" : said + 1 == none ? " or " : ", ", c->f);
            esc(c, c->ls[k].model->lesson);
            said++;
        }
        fputs(" failed it.</p></div>\n", c->f);
    }
    free(quiet);
}

/* ---- the students' table ---------------------------------------------- */

/* Columns of the students' table: name, total, each task and each lesson's sum. */
static size_t grid_columns(const cl_t *c)
{
    size_t n = 2;
    for (size_t k = 0; k < c->nls; k++)
        n += c->ls[k].ntasks + 1;
    return n;
}

static void grid_head(cl_t *c)
{
    FILE *f = c->f;
    fprintf(f, "<div class=\"box\">\n<table class=\"grid\">\n<tr><th rowspan=\"2\" class=\"name\">"
               "Student</th><th rowspan=\"2\" class=\"total\">Total<small>/%d</small></th>", c->max);
    for (size_t k = 0; k < c->nls; k++) {
        fprintf(f, "<th class=\"lesson\" colspan=\"%zu\">", c->ls[k].ntasks + 1);
        esc(c, c->ls[k].model->lesson);
        fputs("</th>", f);
    }
    fputs("</tr>\n<tr>", f);
    for (size_t k = 0; k < c->nls; k++) {
        for (size_t t = 0; t < c->ls[k].ntasks; t++) {
            const rep_task_t *T = &c->ls[k].tasks[t];
            fprintf(f, "<th%s title=\"Task %d: ", t == 0 ? " class=\"first\"" : "", T->number);
            esc(c, T->title);
            fprintf(f, "\">%d<small>/%d</small></th>", T->number, T->max);
        }
        fprintf(f, "<th class=\"sum%s\">Σ<small>/%d</small></th>",
                c->ls[k].ntasks ? "" : " first", c->ls[k].max);
    }
    fputs("</tr>\n", f);
}

/* One cell of points out of max, coloured by their share. */
static void cell(cl_t *c, const char *cls, int score, int max)
{
    fprintf(c->f, "<td class=\"%s\" style=\"background:hsl(%d,70%%,90%%)\">%d</td>", cls,
            hue(max > 0 ? (double)score / max : 1), score);
}

/* What the results say about lesson l, for the notes: it did not build,
 * the grader failed, or every failed test failed alike. */
static void lesson_notes(cl_t *c, const res_lesson_t *l)
{
    size_t errors = 0, nonpass;
    const res_test_t *first;
    for (size_t i = 0; i < l->ntests; i++)
        errors += l->tests[i].status == RES_ERROR;
    if (rep_unbuilt(l)) {
        /* with the compiler's first error, as the student's report has it */
        const res_test_t *t = &l->tests[0];
        char *log = rep_clean(t->output && *t->output ? t->output : t->message);
        size_t before;
        const char *first_error = log ? txt_first_error(log, &before) : NULL;
        fputs("<div>", c->f);
        esc(c, l->lesson);
        fputs(": did not build", c->f);
        if (first_error) {
            fputs(": <code>", c->f);
            esc_line(c, first_error, CLASS_MSG_COLS);
            fputs("</code>", c->f);
        }
        fputs("</div>", c->f);
        c->nomem |= !log;
        free(log);
        return;
    }
    if (errors) {
        fputs("<div>", c->f);
        esc(c, l->lesson);
        fprintf(c->f, ": grader error in %zu %s (grade again)</div>", errors,
                plural(errors, "test", "tests"));
    }
    if (failed_alike(l, &first, &nonpass)) {
        char *what = rep_what(first);
        if (!what) {
            c->nomem = 1;
            return;
        }
        fputs("<div>", c->f);
        esc(c, l->lesson);
        fprintf(c->f, ", all %zu failed tests: ", nonpass);
        esc_line(c, what, CLASS_MSG_COLS);
        fputs("</div>", c->f);
        free(what);
    }
}

/* The notes on a student: theirs, then what their results say. */
static void notes(cl_t *c, const rep_student_t *s)
{
    char *note = rep_clean(s->note);
    if (!note) {
        c->nomem = 1;
    } else {
        for (const char *p = note; *p;) {
            size_t len = rep_line_len(p);
            if (len > 0) {
                fputs("<div>", c->f);
                esc_n(c->f, p, len);
                fputs("</div>", c->f);
            }
            p += len + (p[len] == '\n');
        }
    }
    free(note);
    for (size_t i = 0; i < s->nlessons; i++)
        lesson_notes(c, &s->lessons[i]);
}

/* The notes on s, written to a string ("" when there are none), or NULL. */
static char *notes_text(cl_t *c, const rep_student_t *s)
{
    char *buf = NULL;
    size_t sz = 0;
    FILE *m = open_memstream(&buf, &sz), *f = c->f;
    if (!m)
        return NULL;
    c->f = m;
    notes(c, s);
    c->f = f;
    if (fclose(m) != 0 || !buf) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void grid_row(cl_t *c, const rep_student_t *s)
{
    FILE *f = c->f;
    char *text = notes_text(c, s);
    if (!text)
        c->nomem = 1;
    fprintf(f, "<tr%s><td class=\"name\">", text && *text ? " class=\"noted\"" : "");
    esc(c, s->name);
    fputs("</td>", f);
    if (s->nlessons > 0) {
        int sc = course_score(s);
        fprintf(f, "<td class=\"total\" style=\"background:hsl(%d,70%%,90%%)\">%d"
                   "<small>%d%%</small></td>",
                hue(c->max > 0 ? (double)sc / c->max : 1), sc,
                c->max > 0 ? (int)((long long)sc * 100 / c->max) : 100);
    } else {
        fputs("<td class=\"na total\">not graded</td>", f);
    }
    for (size_t k = 0; k < c->nls; k++) {
        const res_lesson_t *l = lesson_of(s, c->ls[k].model->lesson);
        for (size_t t = 0; t < c->ls[k].ntasks; t++) {
            const rep_task_t *T = &c->ls[k].tasks[t];
            int found = 0, sc = l ? task_score(l, T->number, &found) : 0;
            if (found)
                cell(c, t == 0 ? "first" : "", sc, T->max);
            else
                fprintf(f, "<td class=\"na%s\">—</td>", t == 0 ? " first" : "");
        }
        if (l)
            cell(c, c->ls[k].ntasks ? "sum" : "sum first", res_score(l), c->ls[k].max);
        else
            fprintf(f, "<td class=\"na%s\">—</td>", c->ls[k].ntasks ? "" : " first");
    }
    fputs("</tr>\n", f);
    if (text && *text)
        fprintf(f, "<tr class=\"note\"><td class=\"name\"></td><td colspan=\"%zu\">"
                   "<div class=\"notes\">%s</div></td></tr>\n", grid_columns(c) - 1, text);
    free(text);
}
static void students(cl_t *c)
{
    fputs("<h2>Students</h2>\n", c->f);
    if (c->nst == 0) {
        fputs("<div class=\"box\"><p>No students.</p></div>\n", c->f);
        return;
    }
    grid_head(c);
    for (size_t i = 0; i < c->nst; i++)
        grid_row(c, &c->st[i]);
    fputs("</table>\n</div>\n", c->f);
}

int rep_class(FILE *out, const rep_student_t *s, size_t n, const rep_opts_t *o)
{
    cl_t c = {.f = out, .st = s, .nst = n};
    if (collect(&c) != 0) {
        uncollect(&c);
        errno = ENOMEM;
        return -1;
    }
    head(&c, o);
    distributions(&c);
    failures(&c);
    students(&c);
    foot(&c);
    uncollect(&c);
    if (c.nomem) {
        errno = ENOMEM;
        return -1;
    }
    return ferror(out) ? -1 : 0;
}

/* ---- students' folders ------------------------------------------------ */

/* A student read from a folder, and what it owns. */
typedef struct cl_dir {
    char *name;
    char *note;
    res_lesson_t *ls;
    size_t n;
} cl_dir_t;

/* Appends line (and a newline) to *note; 0 or -1. */
static int note_add(char **note, const char *line)
{
    size_t had = *note ? strlen(*note) : 0, len = strlen(line);
    char *more = realloc(*note, had + len + 2);
    if (!more)
        return -1;
    memcpy(more + had, line, len);
    more[had + len] = '\n';
    more[had + len + 1] = '\0';
    *note = more;
    return 0;
}

/* The folder's last component, without trailing slashes. */
static char *base_name(const char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    char *s = malloc(len - start + 1);
    if (s) {
        memcpy(s, dir + start, len - start);
        s[len - start] = '\0';
    }
    return s;
}

static char *join(const char *dir, const char *name)
{
    size_t sz = strlen(dir) + strlen(name) + 2;
    char *s = malloc(sz);
    if (s)
        snprintf(s, sz, "%s/%s", dir, name);
    return s;
}

/* DIR/note: its first CLASS_NOTE_MAX bytes, or nothing; 0 or -1 (ENOMEM). */
static int read_note(const char *dir, char **note)
{
    char *path = join(dir, "note"), buf[CLASS_NOTE_MAX];
    if (!path)
        return -1;
    FILE *f = fopen(path, "r");
    free(path);
    if (!f)
        return 0;
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        len--;
    if (len == 0)
        return 0;
    *note = txt_clean(buf, len);
    return *note ? 0 : -1;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in folder raw that end in .json (not hidden), sorted; 0, or -1
 * (ENOMEM, or the folder cannot be read). No folder: no names. */
static int json_names(const char *raw, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(raw);
    if (!d)
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    size_t cap = 0;
    int bad = 0;
    for (struct dirent *e; !bad && (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **more = realloc(*names, cap * sizeof *more);
            if (!more) {
                bad = 1;
                break;
            }
            *names = more;
        }
        if (((*names)[*n] = strdup(e->d_name)) == NULL)
            bad = 1;
        else
            (*n)++;
    }
    closedir(d);
    if (*n > 1)
        qsort(*names, *n, sizeof **names, by_string);
    if (bad)
        errno = ENOMEM;
    return bad ? -1 : 0;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Reads each results file of raw into s; one that cannot be read goes into
 * the note instead. 0, or -1 (ENOMEM, or raw cannot be listed). */
static int read_raw(const char *raw, cl_dir_t *s)
{
    char **names;
    size_t n;
    if (json_names(raw, &names, &n) != 0)
        return -1;
    s->ls = calloc(n + 1, sizeof *s->ls);
    int rc = s->ls ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char *path = join(raw, names[i]);
        const char *err;
        if (!path) {
            rc = -1;
        } else if (res_read(path, &s->ls[s->n], &err) == 0) {
            s->n++;
        } else {
            char line[600];
            snprintf(line, sizeof line, "%s: left out: %s", names[i], err);
            rc = note_add(&s->note, line);
        }
        free(path);
    }
    free_names(names, n);
    return rc;
}

/* Reads the student of folder dir; 0, or -1 with why set. */
static int read_student(const char *dir, cl_dir_t *s, char *why, size_t whysz)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        int e = stat(dir, &st) != 0 ? errno : ENOTDIR;
        snprintf(why, whysz, "%s: %s (--format class takes students' folders: "
                 "NAME/raw/*.json, NAME/note)", dir, strerror(e));
        errno = e;
        return -1;
    }
    char *raw = join(dir, "raw");
    if (!raw || !(s->name = base_name(dir)) || read_note(dir, &s->note) != 0) {
        free(raw);
        snprintf(why, whysz, "%s", strerror(ENOMEM));
        errno = ENOMEM;
        return -1;
    }
    int rc = read_raw(raw, s);
    if (rc != 0) {
        int e = errno;
        snprintf(why, whysz, "%s: %s", raw, strerror(e));
        errno = e;
    }
    free(raw);
    return rc;
}

static void free_dirs(cl_dir_t *d, size_t n)
{
    for (size_t i = 0; d && i < n; i++) {
        for (size_t k = 0; k < d[i].n; k++)
            res_free(&d[i].ls[k]);
        free(d[i].ls);
        free(d[i].name);
        free(d[i].note);
    }
    free(d);
}

int rep_class_dirs(const char *path, char *const *dirs, size_t n, const rep_opts_t *o,
                   char *why, size_t whysz)
{
    cl_dir_t *d = calloc(n + 1, sizeof *d);
    rep_student_t *s = calloc(n + 1, sizeof *s);
    int rc = d && s ? 0 : -1;
    if (rc != 0)
        snprintf(why, whysz, "%s", strerror(ENOMEM));
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = read_student(dirs[i], &d[i], why, whysz);
        s[i] = (rep_student_t){.name = d[i].name, .note = d[i].note, .lessons = d[i].ls,
                               .nlessons = d[i].n};
    }
    res_out_t out;
    if (rc == 0 && res_out_open(&out, path) != 0) {
        snprintf(why, whysz, "%s: %s", path, strerror(errno));
        rc = -1;
    } else if (rc == 0) {
        rc = rep_class(out.fp, s, n, o);
        int e = errno;
        if (rc != 0)
            res_out_abort(&out);
        else
            rc = res_out_commit(&out), e = errno;
        if (rc != 0)
            snprintf(why, whysz, "%s: %s", strcmp(path, "-") ? path : "stdout", strerror(e));
        errno = e;
    }
    int e = errno;
    free_dirs(d, n);
    free(s);
    errno = e;
    return rc;
}
