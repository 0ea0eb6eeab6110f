/* report_text.c - the terminal table and the single hint (see report.h). */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failkind.h"
#include "text.h"

#define WHOLE_OUTPUT "more with FORMAT=json" /* where to see more of an output */
#define NUMBERS_WIDTH 20  /* the columns after the name: "  %7s  %9s" */
#define MARK_WIDTH 3      /* and the mark after them: "  ✓" */
#define TASK_INDENT 2     /* how much deeper a task's failures sit than a lesson's */

#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_CYAN "\033[36m"
#define C_OFF "\033[0m"

/* A text renderer: where it writes, in colour or not, in how many columns,
 * whether memory ran out. */
typedef struct tx {
    FILE *f;
    int color;
    size_t width;
    int nomem;
} tx_t;

static tx_t tx_start(FILE *f, const rep_opts_t *o)
{
    int w = o && o->width > 0 ? o->width : REP_WIDTH_DEFAULT;
    w = w < REP_WIDTH_MIN ? REP_WIDTH_MIN : w > REP_WIDTH_MAX ? REP_WIDTH_MAX : w;
    return (tx_t){.f = f, .color = o ? o->color : 0, .width = (size_t)w};
}

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

/* ---- wrapped paragraphs --------------------------------------------------- */

/*
 * A paragraph: a lead after a margin ("    hint:"), then text wrapped at
 * the width, each further line starting at column indent: after that many
 * spaces, or after cont (whose width is indent) in the text's colour. When
 * a word of the text is too wide for a line from indent, continuation lines
 * start at column shallow instead (if it is less), where more of it fits.
 */
typedef struct para {
    size_t margin;          /* spaces before the lead */
    const char *lead;       /* e.g. "hint:"; a space follows it, unless "" */
    const char *lead_code;  /* colour of the lead, or NULL */
    const char *code;       /* colour of the text, or NULL */
    size_t indent;          /* where continuation lines start */
    size_t shallow;         /* where they start when a word is too wide (0: indent) */
    const char *cont;       /* what starts them, or NULL for spaces */
} para_t;

/* Ends a line of a paragraph and starts the next one (blank: nothing on it
 * yet, so no trailing spaces). */
static void para_break(tx_t *t, const para_t *pa, int blank)
{
    sgr(t, pa->code ? C_OFF : NULL);
    fputc('\n', t->f);
    if (pa->cont) {
        size_t n = strlen(pa->cont);
        while (blank && n > 0 && pa->cont[n - 1] == ' ')
            n--;
        sgr(t, pa->code);
        fwrite(pa->cont, 1, n, t->f);
        return;
    }
    if (!blank)
        spaces(t, pa->indent);
    sgr(t, pa->code);
}

/*
 * Bytes of s (a line of len bytes) that go on a line with avail columns
 * left, when a fresh line has fresh columns: up to a space (txt_break()).
 * A word too wide for what is left goes to the next line (0), where it may
 * overflow: a word, and so a file:line, is never cut.
 */
static size_t fit_words(const char *s, size_t len, size_t avail, size_t fresh)
{
    size_t n = txt_break(s, len, avail);
    if (avail < fresh && width(s, n) > avail)
        return 0;
    return n;
}

/* Prints a line of len bytes from column col, broken at spaces to fit the
 * width; sep: put a space before it (after the lead), unless it moves to
 * the next line. */
static void wrap_line(tx_t *t, const para_t *pa, const char *s, size_t len, size_t col,
                      int sep)
{
    size_t fresh = t->width > pa->indent ? t->width - pa->indent : 0;
    for (;;) {
        size_t avail = t->width > col + sep ? t->width - col - sep : 0;
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

/* Display width of the widest word of len bytes of text. */
static size_t widest_word(const char *text, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        size_t n = strcspn(text + i, " \n");
        n = n < len - i ? n : len - i;
        size_t ww = width(text + i, n);
        w = ww > w ? ww : w;
        i += n + 1;
    }
    return w;
}

/* pa for len bytes of text: continued at pa->shallow when a word is too wide
 * for a line from pa->indent. */
static para_t fitted(const tx_t *t, const para_t *pa, const char *text, size_t len)
{
    para_t p = *pa;
    if (p.shallow > 0 && p.shallow < p.indent && widest_word(text, len) + p.indent > t->width)
        p.indent = p.shallow;
    return p;
}

/* Prints the lead of pa and len bytes of text, wrapped; spaces within a line kept. */
static void wrap(tx_t *t, const para_t *given, const char *text, size_t len)
{
    para_t p = fitted(t, given, text, len), *pa = &p;
    spaces(t, pa->margin);
    sgr(t, pa->lead_code);
    fputs(pa->lead, t->f);
    if (pa->code != pa->lead_code) {
        sgr(t, pa->lead_code ? C_OFF : NULL);
        sgr(t, pa->code);
    }
    size_t col = pa->margin + width(pa->lead, strlen(pa->lead));
    int sep = *pa->lead != '\0';
    for (size_t i = 0, first = 1; i < len; first = 0) {
        size_t n = rep_line_len(text + i);
        n = n < len - i ? n : len - i;
        if (!first)
            para_break(t, pa, n == 0);
        wrap_line(t, pa, text + i, n, first ? col : pa->indent, first && sep);
        i += n + 1;
    }
    sgr(t, pa->code ? C_OFF : NULL);
    fputc('\n', t->f);
}

/* ---- a failing test ----------------------------------------------------- */

/* "    hint: ..." for a non-empty hint, in the normal colour; ind deeper. */
static void hint(tx_t *t, const char *raw, size_t ind)
{
    para_t pa = {4 + ind, "hint:", C_CYAN, NULL, 10 + ind, 6 + ind, NULL};
    char *h = need(t, rep_clean(raw));
    if (h && *h)
        wrap(t, &pa, h, strlen(h));
    free(h);
}

/* The lines after the first of what went wrong ("  got: ..."), each from
 * column 6 + ind, wrapped 2 deeper than it starts. */
static void details(tx_t *t, const char *s, size_t ind)
{
    while (*s) {
        size_t len = rep_line_len(s), lead = strspn(s, " ");
        size_t indent = 6 + ind + lead + 2;
        para_t pa = {6 + ind, "", NULL, NULL, indent <= t->width / 2 ? indent : 6 + ind,
                     6 + ind, NULL};
        if (lead >= len)
            fputc('\n', t->f);
        else
            wrap(t, &pa, s, len);
        s += len + (s[len] == '\n');
    }
}

/* Is the line a step of the harness's transcript ("[ 0.012] started ...")?
 * It holds command lines and file:lines: its words are never broken. */
static int transcript_line(const char *s, size_t len)
{
    size_t i = 1;
    if (len < 4 || s[0] != '[')
        return 0;
    while (i < len && s[i] == ' ')
        i++;
    size_t digits = strspn(s + i, "0123456789.");
    return digits > 0 && i + digits < len && s[i + digits] == ']';
}

/* Bytes of s (len) on one row of avail columns, when a fresh row has
 * fresh: up to a space; a word too wide for a fresh row is broken where
 * this one ends, unless whole is set (then it overflows a row of its own). */
static size_t row_bytes(const char *s, size_t len, size_t avail, size_t fresh, int whole)
{
    size_t n = txt_break(s, len, avail), next = n;
    while (next < len && s[next] == ' ')
        next++;
    size_t word = strcspn(s + next, " ");
    word = word < len - next ? word : len - next;
    if (!whole && (width(s, n) > avail || (next < len && width(s + next, word) > fresh)))
        n = txt_fit(s, len, avail);
    return n > 0 ? n : 1;
}

/* One line of a test's output behind "    | " (ind deeper), dim, wrapped
 * at spaces with its further rows behind "    |   ". A line of the
 * program's own is cut with "…" after REP_OUTPUT_ROWS rows; a transcript
 * line never is. Returns 1 if it was cut. */
static int output_line(tx_t *t, const char *s, size_t len, size_t ind)
{
    int whole = transcript_line(s, len), cut = 0;
    size_t first = t->width > 7 + ind ? t->width - 6 - ind : 1;
    size_t next = t->width > 9 + ind ? t->width - 8 - ind : 1;
    sgr(t, C_DIM);
    spaces(t, ind);
    fputs(len > 0 ? "    | " : "    |", t->f);
    for (size_t off = 0, rows = 1; off < len; rows++) {
        size_t avail = rows == 1 ? first : next;
        int last = !whole && rows == REP_OUTPUT_ROWS;
        size_t n = row_bytes(s + off, len - off, last ? avail - 1 : avail, next, whole);
        cut = last && off + n < len;
        size_t end = n;
        while (end > 0 && s[off + end - 1] == ' ')
            end--;
        fwrite(s + off, 1, end, t->f);
        off += n;
        while (off < len && s[off] == ' ')
            off++;
        if (cut)
            fputs("\u2026", t->f);
        if (cut || off >= len)
            break;
        fputc('\n', t->f);
        spaces(t, ind);
        fputs("    |   ", t->f);
    }
    sgr(t, C_OFF);
    fputc('\n', t->f);
    return cut;
}

/* A dim "    | TEXT" paragraph, ind deeper, continued after "    |   ". */
static void bar_para(tx_t *t, const char *text, size_t ind)
{
    char cont[TASK_INDENT + 16];
    snprintf(cont, sizeof cont, "%*s    |   ", (int)ind, "");
    para_t pa = {ind, "    |", C_DIM, C_DIM, ind + 8, 0, cont};
    wrap(t, &pa, text, strlen(text));
}

/* One dim line saying what of a test's output was left out, if anything. */
static void omitted(tx_t *t, size_t shown, size_t skipped, size_t cut, size_t ind)
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
    char line[192];
    snprintf(line, sizeof line, "(%s; " WHOLE_OUTPUT ")", what);
    bar_para(t, line, ind);
}

/* len bytes of s with each tab turned into spaces up to the next multiple
 * of 8 columns, so that the width of the line is what a terminal shows, and
 * no spaces at its end (they show as nothing); a new string, or NULL. */
static char *expand_tabs(const char *s, size_t len)
{
    size_t tabs = 0;
    for (size_t i = 0; i < len; i++)
        tabs += s[i] == '\t';
    char *out = malloc(len + 7 * tabs + 1);
    if (!out)
        return NULL;
    size_t i = 0, n = 0, col = 0;
    while (i < len) {
        size_t seg = strcspn(s + i, "\t");
        seg = seg < len - i ? seg : len - i;
        memcpy(out + n, s + i, seg);
        n += seg;
        col += width(s + i, seg);
        i += seg;
        if (i < len) { /* at a tab */
            do
                out[n++] = ' ';
            while (++col % 8 != 0);
            i++;
        }
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return out;
}

/* The end of the captured output, each line behind "    | ": its last
 * REP_OUTPUT_LINES lines, each wrapped to the width (output_line()). */
static void output(tx_t *t, const char *raw, size_t ind)
{
    char *out = need(t, rep_clean(raw));
    if (!out)
        return;
    size_t end = strlen(out);
    while (end > 0 && (out[end - 1] == '\n' || out[end - 1] == ' ' || out[end - 1] == '\t'))
        out[--end] = '\0'; /* blank lines at the end show nothing */
    if (end == 0) {
        free(out);
        return;
    }
    size_t total, skipped, shown = 0, cut = 0;
    rep_tail(out, 0, &total); /* counts its lines */
    const char *p = rep_tail(out, REP_OUTPUT_LINES, &skipped), *head = rep_sanitizer_head(out);
    if (head && head < p)
        p = head; /* a sanitizer's report is shown from its first line, what it found */
    for (; *p && shown < REP_OUTPUT_LINES; shown++) {
        size_t len = rep_line_len(p);
        char *line = need(t, expand_tabs(p, len));
        if (line)
            cut += (size_t)output_line(t, line, strlen(line), ind);
        free(line);
        p += len + (p[len] == '\n');
    }
    omitted(t, shown, total > shown ? total - shown : 0, cut, ind);
    free(out);
}

/* "✗ NAME (N pt)", cleaned; a new string, or NULL. */
static char *test_lead(const res_test_t *r)
{
    char *name = rep_clean(r->name);
    size_t sz = name ? strlen(name) + 48 : 0;
    char *lead = name ? malloc(sz) : NULL;
    if (lead)
        snprintf(lead, sz, "\u2717 %s (%d pt%s)", name, r->points, r->hidden ? ", hidden" : "");
    free(name);
    return lead;
}

/* The hint and output of a failure said already under an earlier task:
 * one dim line pointing there instead. under: that task, 0 for none. */
static void said_above(tx_t *t, int under, size_t ind)
{
    char line[96], where[24] = "";
    if (under > 0)
        snprintf(where, sizeof where, " under Task %d", under);
    snprintf(line, sizeof line, "(the same failure as%s above: its hint and output are there)",
             where);
    bar_para(t, line, ind);
}

/* One failing test, ind deeper: its name, then under it, at a small fixed
 * indent that leaves it the width, what went wrong (its first line
 * wrapped), the hint, the output; or, when under is a task (not -1) where
 * the same failure was shown already, a line pointing there. */
static void test_block(tx_t *t, const res_test_t *r, size_t ind, int under)
{
    char *lead = need(t, test_lead(r)), *what = need(t, rep_what(r));
    if (lead && what) {
        size_t len = rep_line_len(what);
        para_t name = {2 + ind, "", C_RED, C_RED, 6 + ind, 0, NULL};
        para_t pa = {4 + ind, "", C_RED, C_RED, 4 + ind, 0, NULL};
        wrap(t, &name, lead, strlen(lead));
        wrap(t, &pa, what, len);
        if (what[len])
            details(t, what + len + 1, ind);
        if (under >= 0) {
            said_above(t, under, ind);
        } else {
            hint(t, r->hint, ind);
            output(t, r->output, ind);
        }
    }
    free(lead);
    free(what);
}

/* A lesson that did not build: the compiler's words once, then the hint. */
static void build_block(tx_t *t, const res_lesson_t *l)
{
    sgr(t, C_RED);
    fputs("  lesson did not build:", t->f);
    sgr(t, C_OFF);
    fputc('\n', t->f);
    char *log = need(t, rep_build_log(l));
    for (const char *p = log; p && *p;) {
        size_t len = rep_line_len(p);
        char *line = need(t, strndup(p, len));
        if (line)
            bar_para(t, line, 0);
        free(line);
        p += len + (p[len] == '\n');
    }
    free(log);
    char *h = need(t, rep_build_hint(l));
    if (h)
        hint(t, h, 0);
    free(h);
}

/* ---- tests that failed alike ---------------------------------------------- */

/* The task of r: its number, 0 for none. */
static int task_of(const res_test_t *r)
{
    return r->task > 0 ? r->task : 0;
}

/* Did tests a and b fail alike: the same status and message up to ports,
 * addresses, numbers and where the check is (fk_alike()), and (but for a
 * TODO(), shown with its first test's hint) the same hint? One TODO(), one
 * crash site, one constructor, one server that never says `listening on`:
 * said once, for all. */
static int alike(const res_test_t *a, const res_test_t *b)
{
    return a->status != RES_PASS && a->status == b->status &&
           fk_alike(str(a->message), str(b->message)) &&
           (a->status == RES_TODO || strcmp(str(a->hint), str(b->hint)) == 0);
}

/* Is test k one of test i's group: alike, in the same task? */
static int same_group(const res_lesson_t *l, size_t i, size_t k)
{
    const res_test_t *a = &l->tests[i], *b = &l->tests[k];
    return task_of(a) == task_of(b) && alike(a, b);
}

/* Count, points and the names' length of test i's group, from i on. */
static size_t group_count(const res_lesson_t *l, size_t i, int *points, size_t *names)
{
    size_t count = 0;
    for (size_t k = i; k < l->ntests; k++) {
        if (same_group(l, i, k)) {
            count++;
            *points += l->tests[k].points;
            *names += strlen(str(l->tests[k].name)) + 2;
        }
    }
    return count;
}

/* "WHAT (N tests, P pt: a, b, c)" for test i's group (every test of the
 * lesson from i on when whole). */
static char *group_head(const res_lesson_t *l, size_t i, int whole)
{
    char *what = rep_what(&l->tests[i]);
    if (!what)
        return NULL;
    int points = 0;
    size_t sz = strlen(what) + 64, count;
    if (whole) {
        count = l->ntests;
        points = res_max_score(l);
    } else {
        count = group_count(l, i, &points, &sz);
    }
    char *raw = malloc(sz);
    if (!raw) {
        free(what);
        return NULL;
    }
    size_t n = (size_t)snprintf(raw, sz, "%s (%s%zu test%s, %d pt", what, whole ? "all " : "",
                                count, count == 1 ? "" : "s", points);
    for (size_t k = i; !whole && k < l->ntests; k++)
        if (same_group(l, i, k))
            n += (size_t)snprintf(raw + n, sz - n, "%s %s", k == i ? ":" : ",",
                                  str(l->tests[k].name));
    snprintf(raw + n, sz - n, ")");
    char *head = rep_clean(raw);
    free(raw);
    free(what);
    return head;
}

/* Test i's group, once, ind deeper: what went wrong, the tests, the points,
 * the first test's hint and output (or, with under a task, not -1, a line
 * pointing to where they were shown). An untouched skeleton then reads as
 * a short list of functions to write, not a wall of identical failures. */
static void group_block(tx_t *t, const res_lesson_t *l, size_t i, size_t ind, int whole,
                        int under)
{
    para_t pa = {2 + ind, "\u2717", C_RED, C_RED, 4 + ind, 0, NULL};
    char *head = need(t, group_head(l, i, whole));
    if (head) {
        size_t len = rep_line_len(head);
        wrap(t, &pa, head, len);
        if (head[len])
            details(t, head + len + 1, ind);
        if (under >= 0) {
            said_above(t, under, ind);
        } else {
            hint(t, l->tests[i].hint, ind);
            if (l->tests[i].status != RES_TODO)
                output(t, l->tests[i].output, ind);
        }
    }
    free(head);
}

/* Was test i's group shown already, with an earlier test? */
static int group_shown(const res_lesson_t *l, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (same_group(l, i, k))
            return 1;
    return 0;
}

/* The task under which a failure alike test i's was shown already (tasks
 * come in the order of their numbers, no task first), or -1. Not for a
 * TODO(): each task keeps its own list of functions to write. */
static int shown_under(const res_lesson_t *l, size_t i)
{
    const res_test_t *a = &l->tests[i];
    int under = -1;
    for (size_t k = 0; a->status != RES_TODO && k < l->ntests; k++) {
        int task = task_of(&l->tests[k]);
        if (task < task_of(a) && alike(&l->tests[k], a) && (under < 0 || task < under))
            under = task;
    }
    return under;
}

/* The failing tests of task number task (0: none) of a lesson, ind deep. */
static void failures(tx_t *t, const res_lesson_t *l, int task, size_t ind)
{
    for (size_t i = 0; i < l->ntests; i++) {
        const res_test_t *r = &l->tests[i];
        if (r->status == RES_PASS || task_of(r) != task || group_shown(l, i))
            continue;
        int points = 0;
        size_t names = 0;
        if (group_count(l, i, &points, &names) == 1 && r->status != RES_TODO)
            test_block(t, r, ind, shown_under(l, i));
        else
            group_block(t, l, i, ind, 0, shown_under(l, i));
    }
}

/* Did every test of the lesson fail alike (code that runs before main(),
 * for one)? Then it is said once, for the lesson. */
static int failed_alike(const res_lesson_t *l)
{
    for (size_t i = 1; i < l->ntests; i++)
        if (!alike(&l->tests[0], &l->tests[i]))
            return 0;
    return l->ntests > 1 && l->tests[0].status != RES_TODO;
}

/* ---- the table ---------------------------------------------------------- */

/* "  Task N: TITLE" (or "  Task N"), cleaned; a new string, or NULL. */
static char *task_label(int number, const char *title)
{
    char *clean = rep_clean(title);
    size_t sz = clean ? strlen(clean) + 32 : 0;
    char *s = clean ? malloc(sz) : NULL;
    if (s)
        snprintf(s, sz, "  Task %d%s%s", number, *clean ? ": " : "", clean);
    free(clean);
    return s;
}

/* Display width of the cleaned label of test r's task (0 for none). */
static size_t task_label_width(tx_t *t, const res_test_t *r)
{
    if (task_of(r) == 0)
        return 0;
    char *s = need(t, task_label(r->task, r->task_title));
    size_t w = s ? width(s, strlen(s)) : 0;
    free(s);
    return w;
}

/* Display width of a cleaned lesson name. */
static size_t lesson_name_width(tx_t *t, const res_lesson_t *l)
{
    char *name = need(t, rep_clean(l->lesson));
    size_t w = name ? width(name, strlen(name)) : 0;
    free(name);
    return w;
}

/* Width of the name column: its widest lesson or task, within the width. */
static size_t name_width(tx_t *t, const res_lesson_t *ls, size_t n)
{
    size_t w = strlen("lesson");
    for (size_t i = 0; i < n; i++) {
        size_t nw = lesson_name_width(t, &ls[i]);
        w = nw > w ? nw : w;
        size_t ntests = rep_unbuilt(&ls[i]) ? 0 : ls[i].ntests;
        for (size_t k = 0; k < ntests; k++) {
            size_t tw = task_label_width(t, &ls[i].tests[k]);
            w = tw > w ? tw : w;
        }
    }
    size_t room = t->width > NUMBERS_WIDTH + MARK_WIDTH + 1
                      ? t->width - NUMBERS_WIDTH - MARK_WIDTH : 1;
    return w < room ? w : room;
}

/* Prints name in w columns: padded, or cut with "…". */
static void name_cell(tx_t *t, const char *name, size_t w)
{
    size_t len = strlen(name), nw = width(name, len);
    if (nw > w) {
        len = txt_fit(name, len, w > 0 ? w - 1 : 0);
        fwrite(name, 1, len, t->f);
        fputs("\u2026", t->f);
        nw = width(name, len) + 1;
    } else {
        fputs(name, t->f);
    }
    spaces(t, nw < w ? w - nw : 0);
}

/* One table row, in colour code, with a mark after it ("" for none). */
static void row(tx_t *t, const char *code, const char *name, size_t w,
                const char *tests, const char *points, const char *mark)
{
    sgr(t, code);
    name_cell(t, name, w);
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

static void task_row(tx_t *t, const rep_task_t *k, size_t w)
{
    char *label = need(t, task_label(k->number, k->title));
    if (label)
        count_row(t, label, w, k->passed, k->tests, k->score, k->max, 0);
    free(label);
}

/* A lesson: its row; its failures of no task; each task's row, then the
 * failures of that task under it. A lesson that did not build shows its
 * compiler output instead. */
static void lesson_block(tx_t *t, const res_lesson_t *l, size_t w)
{
    char *name = need(t, rep_clean(l->lesson));
    if (name)
        count_row(t, name, w, res_passed(l), l->ntests, res_score(l), res_max_score(l), 0);
    free(name);
    if (rep_unbuilt(l)) {
        build_block(t, l);
        return;
    }
    if (failed_alike(l)) {
        group_block(t, l, 0, 0, 1, -1);
        return;
    }
    failures(t, l, 0, 0);
    rep_task_t *tasks;
    size_t ntasks;
    if (rep_tasks(l, &tasks, &ntasks) != 0) {
        t->nomem = 1;
        return;
    }
    for (size_t k = 0; k < ntasks; k++) {
        task_row(t, &tasks[k], w);
        failures(t, l, tasks[k].number, TASK_INDENT);
    }
    free(tasks);
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

/* "TITLE (IMPL)", the title bold, then a blank line. */
static void title(tx_t *t, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    char *head = need(t, rep_clean(rep_title(o)));
    char *impl = need(t, rep_clean(common_impl(ls, n)));
    size_t sz = impl ? strlen(impl) + 3 : 0;
    char *paren = impl ? need(t, malloc(sz)) : NULL;
    if (head && paren) {
        para_t pa = {0, head, C_BOLD, NULL, 2, 0, NULL};
        paren[0] = '\0';
        if (*impl)
            snprintf(paren, sz, "(%s)", impl);
        wrap(t, &pa, paren, strlen(paren));
        fputc('\n', t->f);
    }
    free(head);
    free(impl);
    free(paren);
}

static void rule(tx_t *t, size_t w)
{
    for (size_t i = 0; i < w + NUMBERS_WIDTH; i++)
        fputs("\u2500", t->f);
    fputc('\n', t->f);
}

static int text_report(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    tx_t t = tx_start(out, o);
    size_t w = name_width(&t, ls, n);

    title(&t, ls, n, o);
    sgr(&t, C_BOLD);
    row(&t, NULL, "lesson", w, "tests", "points", "");
    for (size_t i = 0; i < n; i++)
        lesson_block(&t, &ls[i], w);
    rule(&t, w);
    size_t passed, ntests;
    int score, max;
    rep_totals(ls, n, &score, &max, &passed, &ntests);
    count_row(&t, "total", w, passed, ntests, score, max, 1);
    return finish(&t);
}

/* ---- the first failure -------------------------------------------------- */

/* Failing tests of lessons i on (a lesson that did not build counts whole). */
static size_t failing_from(const res_lesson_t *ls, size_t n, size_t i)
{
    size_t count = 0;
    for (size_t j = i; j < n; j++)
        for (size_t m = 0; m < ls[j].ntests; m++)
            count += ls[j].tests[m].status != RES_PASS;
    return count;
}

/* Test k of l, under a line naming its task if it has one; with the tests
 * that failed alike in its task, as one block. */
static void task_test_block(tx_t *t, const res_lesson_t *l, size_t k)
{
    const res_test_t *r = &l->tests[k];
    int points = 0;
    size_t names = 0, ind = task_of(r) == 0 ? 0 : TASK_INDENT;
    char *label = ind ? need(t, task_label(r->task, r->task_title)) : NULL;
    if (label) {
        para_t pa = {0, "", NULL, NULL, 4, 0, NULL};
        wrap(t, &pa, label, strlen(label));
    }
    free(label);
    if (group_count(l, k, &points, &names) > 1 || r->status == RES_TODO)
        group_block(t, l, k, ind, 0, -1);
    else
        test_block(t, r, ind, -1);
}

/*
 * The most telling failure of a lesson: in its earliest task with one (no
 * task first), the failure most of that task's tests share (a common
 * cause), else the first in listing order. Returns its test's index.
 */
static size_t most_telling(const res_lesson_t *l)
{
    int task = -1;
    for (size_t i = 0; i < l->ntests; i++)
        if (l->tests[i].status != RES_PASS && (task < 0 || task_of(&l->tests[i]) < task))
            task = task_of(&l->tests[i]);
    size_t best = l->ntests, most = 0;
    for (size_t i = 0; i < l->ntests; i++) {
        if (l->tests[i].status == RES_PASS || task_of(&l->tests[i]) != task ||
            group_shown(l, i))
            continue;
        int points = 0;
        size_t names = 0, count = group_count(l, i, &points, &names);
        if (count > most)
            best = i, most = count;
    }
    return best;
}

/* How many failing tests of lesson l the block of test k shows. */
static size_t shown_with(const res_lesson_t *l, size_t k)
{
    int points = 0;
    size_t names = 0;
    return group_count(l, k, &points, &names);
}

/* Prints the lesson's heading and its most telling failure; returns how
 * many failing tests that showed. */
static size_t first_failure(tx_t *t, const res_lesson_t *l)
{
    char *name = need(t, rep_clean(l->lesson));
    sgr(t, C_BOLD);
    fputs(name ? name : "?", t->f);
    sgr(t, C_OFF);
    fputc('\n', t->f);
    free(name);
    if (rep_unbuilt(l)) {
        build_block(t, l);
        return l->ntests;
    }
    size_t k = most_telling(l);
    task_test_block(t, l, k);
    return shown_with(l, k);
}

/* "02-lookup: all 50 tests pass (98/98)": a lesson with nothing to hint. */
static void all_pass(tx_t *t, const res_lesson_t *l)
{
    char *name = need(t, rep_clean(l->lesson));
    sgr(t, C_GREEN);
    if (l->ntests == 1)
        fprintf(t->f, "%s: its one test passes", name ? name : "?");
    else
        fprintf(t->f, "%s: all %zu tests pass", name ? name : "?", l->ntests);
    fprintf(t->f, " (%d/%d)", res_score(l), res_max_score(l));
    sgr(t, C_OFF);
    fputc('\n', t->f);
    free(name);
}

static int text_hint(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    tx_t t = tx_start(out, o);

    for (size_t i = 0; i < n; i++) {
        if (res_passed(&ls[i]) == ls[i].ntests)
            continue;
        size_t shown = first_failure(&t, &ls[i]), more = failing_from(ls, n, i) - shown;
        if (more > 0) {
            sgr(&t, C_DIM);
            fprintf(out, "(%zu more failing test%s)", more, more == 1 ? "" : "s");
            sgr(&t, C_OFF);
            fputc('\n', out);
        }
        if (ls[i].unrun > 0) {
            sgr(&t, C_DIM);
            fprintf(out, "(%zu test%s of later tasks not run yet: make grade runs them all)",
                    ls[i].unrun, ls[i].unrun == 1 ? "" : "s");
            sgr(&t, C_OFF);
            fputc('\n', out);
        }
        return finish(&t);
    }
    for (size_t i = 0; i < n; i++)
        all_pass(&t, &ls[i]);
    return finish(&t);
}

/* ---- tests not run here -------------------------------------------------- */

/* One dim line for each skipped test of ls: its name, points and why
 * (SL_TEST_NEEDS(): a tool this machine lacks). */
static int skipped_notes(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    tx_t t = tx_start(out, o);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ls[i].ntests; k++) {
            const res_test_t *r = &ls[i].tests[k];
            if (r->status != RES_SKIP)
                continue;
            char *name = need(&t, rep_clean(r->name)), *why = need(&t, rep_clean(r->message));
            size_t sz = (name ? strlen(name) : 0) + (why ? strlen(why) : 0) + 64;
            char *line = name && why ? need(&t, malloc(sz)) : NULL;
            if (line) {
                snprintf(line, sz, "- %s (%d pt, not counted): %s", name, r->points, why);
                para_t pa = {0, "", NULL, C_DIM, 2, 0, NULL};
                wrap(&t, &pa, line, strlen(line));
            }
            free(line), free(name), free(why);
        }
    return finish(&t);
}

static int was_run(const res_test_t *t)
{
    return t->status != RES_SKIP;
}

/* Renders what ran with render, then a line for each test not run here. */
static int with_skipped(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o,
                        int (*render)(FILE *, const res_lesson_t *, size_t, const rep_opts_t *))
{
    res_lesson_t *ran = rep_lessons_where(ls, n, was_run);
    if (!ran) {
        errno = ENOMEM;
        return -1;
    }
    int rc = render(out, ran, n, o);
    rep_lessons_free(ran, n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (res_ran(&ls[i]) != ls[i].ntests)
            return skipped_notes(out, ls, n, o);
    return rc;
}

int rep_text(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    return with_skipped(out, ls, n, o, text_report);
}

int rep_hint(FILE *out, const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    return with_skipped(out, ls, n, o, text_hint);
}
