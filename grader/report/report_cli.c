/* report_cli.c - the sl-report command line (see report.h). */
#include "report.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"

#define PROG "sl-report"

static const char usage_text[] =
    "usage: " PROG " [--format text|json|junit|tsv] [--out FILE]\n"
    "                 [--color auto|always|never] [--width N] [--title TEXT]\n"
    "                 [--expect full|zero] [--hint | --summary] RESULTS.json...\n"
    "       " PROG " --format class [--out FILE] [--title TEXT] STUDENT_DIR...\n"
    "\n"
    "Renders the results of a course, one results file per lesson, in the order\n"
    "given: a terminal table (text), Gradescope's results.json (json), JUnit XML,\n"
    "or lines for scripts (tsv). Or a class report (class): one HTML page over\n"
    "many students, each a folder as make batch writes it (see below).\n"
    "\n"
    "  -f, --format FMT   text (default), json, junit, tsv or class\n"
    "  -o, --out FILE     write to FILE (complete or not at all) instead of stdout\n"
    "      --color WHEN   auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                     always or never\n"
    "  -w, --width N      fit the text in N columns (40 to 1000); default: COLUMNS,\n"
    "                     else the terminal's width, else 80\n"
    "  -t, --title TEXT   heading of the report (default: socklab)\n"
    "      --hidden VIS   Gradescope's visibility of a teacher's hidden tests:\n"
    "                     after_due_date (default) or hidden\n"
    "      --expect WHAT  exit 1 unless every lesson has full marks (full), or no\n"
    "                     points and a build (zero)\n"
    "      --hint         show only the first failing test, with its hint\n"
    "      --summary      print only one line of totals over all files:\n"
    "                     PASSED FAILED TODO POINTS MAX (FAILED: tests that neither\n"
    "                     passed nor stopped at a TODO)\n"
    "  -h, --help         show this help\n"
    "\n"
    "tsv: one line per test, no header, seven tab-separated fields: lesson, task\n"
    "number (0: none), test, status (pass fail crash timeout todo build error),\n"
    "points earned, points it is worth, the first line of its message (empty on\n"
    "a pass). Tabs and newlines in a field become spaces.\n"
    "\n"
    "class: a self-contained HTML page (no script, nothing fetched): each lesson's\n"
    "score distribution, the tests most students failed and the hint they got,\n"
    "and a row per student. Each STUDENT_DIR is named after its student and holds\n"
    "raw/*.json (the raw results of each lesson) and, when the student was not\n"
    "graded as usual, a file note (what happened, one line each).\n"
    "\n"
    "Exit status: 0 done (whatever the score), 1 unreadable results, a write\n"
    "error or an --expect not met, 2 bad usage.\n";

/* What to print: the report, only the first failure, or only the totals. */
typedef enum cli_mode { SHOW_REPORT, SHOW_HINT, SHOW_SUMMARY } cli_mode_t;

/* What the command line asked for. */
typedef struct cli {
    rep_format_t format;
    const char *out;      /* "-" for stdout */
    int color;            /* -1 auto, 0 never, 1 always */
    int width;            /* --width, or 0: COLUMNS, the terminal, 80 */
    rep_expect_t expect;
    cli_mode_t mode;
    rep_opts_t opts;
    char **files;
    size_t nfiles;
} cli_t;

/* Prints "sl-report: " and msg, cleaned (it may quote bytes of a file). */
static void complain(const char *msg)
{
    char *clean = txt_clean(msg, strlen(msg));
    fprintf(stderr, PROG ": %s\n", clean ? clean : msg);
    free(clean);
}

/* Index of value in names (NULL-terminated), or -1 after saying what is valid. */
static int choice(const char *what, const char *value, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(value, names[i]) == 0)
            return i;
    char msg[256];
    size_t len = (size_t)snprintf(msg, sizeof msg, "unknown %s '%.64s' (valid: ", what, value);
    for (int i = 0; names[i] && len < sizeof msg; i++)
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s", i ? ", " : "", names[i]);
    if (len < sizeof msg)
        snprintf(msg + len, sizeof msg - len, ")");
    complain(msg);
    return -1;
}

/* Parses --width's argument into c->width; 0, or 2 having said why. */
static int width_option(cli_t *c, const char *arg)
{
    char *end;
    errno = 0;
    long w = strtol(arg, &end, 10);
    if (errno || end == arg || *end || w < REP_WIDTH_MIN || w > REP_WIDTH_MAX) {
        char msg[160];
        snprintf(msg, sizeof msg, "--width '%.32s': give a whole number of columns from %d to %d",
                 arg, REP_WIDTH_MIN, REP_WIDTH_MAX);
        complain(msg);
        return 2;
    }
    c->width = (int)w;
    return 0;
}

/* --hidden after_due_date|hidden: Gradescope's visibility of hidden tests. */
static int hidden_option(cli_t *c, const char *arg)
{
    static const char *const names[] = {"after_due_date", "hidden", NULL};
    int i = choice("visibility of hidden tests", arg, names);
    if (i < 0)
        return 2;
    c->opts.hidden = names[i];
    return 0;
}

/* Sets what to show; 0, or 2 when another mode was asked for already. */
static int mode_option(cli_t *c, cli_mode_t m)
{
    if (c->mode != SHOW_REPORT && c->mode != m) {
        complain("--hint and --summary do not go together: choose one");
        return 2;
    }
    c->mode = m;
    return 0;
}

/* Applies --format, --color or --expect (opt 'f', 'c', 'e'); 0, or 2 for bad usage. */
static int named_option(cli_t *c, int opt, const char *arg)
{
    static const char *const formats[] = {"text", "json", "junit", "tsv", "class", NULL};
    static const char *const colors[] = {"auto", "always", "never", NULL};
    static const char *const expects[] = {"full", "zero", NULL};
    const char *const *names = opt == 'f' ? formats : opt == 'c' ? colors : expects;
    const char *what = opt == 'f' ? "format" : opt == 'c' ? "color mode" : "expectation";

    int i = choice(what, arg, names);
    if (i < 0)
        return 2;
    if (opt == 'f')
        c->format = (rep_format_t)rep_format_parse(formats[i]);
    else if (opt == 'c')
        c->color = i == 0 ? -1 : i == 1;
    else
        c->expect = i == 0 ? REP_EXPECT_FULL : REP_EXPECT_ZERO;
    return 0;
}

/* Applies one option; 0, or 2 for bad usage. */
static int option(cli_t *c, int opt, const char *arg)
{
    switch (opt) {
    case 'f': case 'c': case 'e': return named_option(c, opt, arg);
    case 'w': return width_option(c, arg);
    case 'o': c->out = arg; return 0;
    case 't': c->opts.title = arg; return 0;
    case 'V': return hidden_option(c, arg);
    case 'H': return mode_option(c, SHOW_HINT);
    case 'S': return mode_option(c, SHOW_SUMMARY);
    default:  fputs(usage_text, stderr); return 2;
    }
}

/* Parses argv into c; 0 to go on, else the exit status (-1 for 0 after --help). */
static int parse(cli_t *c, int argc, char **argv)
{
    static const struct option longs[] = {
        {"format", required_argument, NULL, 'f'}, {"out", required_argument, NULL, 'o'},
        {"color", required_argument, NULL, 'c'},  {"colour", required_argument, NULL, 'c'},
        {"width", required_argument, NULL, 'w'},  {"title", required_argument, NULL, 't'},
        {"expect", required_argument, NULL, 'e'}, {"hint", no_argument, NULL, 'H'},
        {"summary", no_argument, NULL, 'S'},      {"help", no_argument, NULL, 'h'},
        {"hidden", required_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };

    *c = (cli_t){.format = REP_TEXT, .out = "-", .color = -1};
#ifdef __GLIBC__
    optind = 0; /* full reset: rep_main() may run more than once */
#else
    optind = 1;
#endif
    for (int opt; (opt = getopt_long(argc, argv, "f:o:w:t:h", longs, NULL)) != -1;) {
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return -1;
        }
        int rc = option(c, opt, optarg);
        if (rc != 0)
            return rc;
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return 2;
    }
    c->files = argv + optind;
    c->nfiles = (size_t)(argc - optind);
    return 0;
}

/* Should output to f be coloured? */
static int want_color(int mode, FILE *f)
{
    if (mode >= 0)
        return mode;
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    if ((no && *no) || (term && strcmp(term, "dumb") == 0))
        return 0;
    return isatty(fileno(f));
}

static void free_lessons(res_lesson_t *ls, size_t n)
{
    for (size_t i = 0; ls && i < n; i++)
        res_free(&ls[i]);
    free(ls);
}

/* Reads every results file; NULL (having said why) on failure. */
static res_lesson_t *read_all(char **files, size_t n)
{
    res_lesson_t *ls = calloc(n, sizeof *ls);
    if (!ls) {
        complain(strerror(errno));
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const char *err;
        if (res_read(files[i], &ls[i], &err) != 0) {
            complain(err);
            free_lessons(ls, i);
            return NULL;
        }
    }
    return ls;
}

/* Says "sl-report: FILE: reason" for errno; returns 1. */
static int io_fail(const char *path)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s: %s", strcmp(path, "-") ? path : "stdout", strerror(errno));
    complain(msg);
    return 1;
}

/* Says why output to path failed and returns 1; or, when its reader went
 * away (EPIPE: `sl-report r.json | head`), says nothing and returns 0. */
static int out_fail(const char *path)
{
    return errno == EPIPE ? 0 : io_fail(path);
}

/* Writes what c asks for to f; 0, or -1 with errno set. */
static int show(cli_t *c, FILE *f, const res_lesson_t *ls)
{
    c->opts.color = want_color(c->color, f);
    c->opts.width = c->width ? c->width : rep_width(fileno(f));
    switch (c->mode) {
    case SHOW_HINT:    return rep_hint(f, ls, c->nfiles, &c->opts);
    case SHOW_SUMMARY: return rep_summary(f, ls, c->nfiles);
    default:           return rep_render(f, c->format, ls, c->nfiles, &c->opts);
    }
}

/* Renders as asked to c->out; 0, or 1 having said why. */
static int render(cli_t *c, const res_lesson_t *ls)
{
    res_out_t out;
    if (res_out_open(&out, c->out) != 0)
        return io_fail(c->out);
    if (show(c, out.fp, ls) != 0) {
        int e = errno;
        res_out_abort(&out);
        errno = e;
        return out_fail(c->out);
    }
    return res_out_commit(&out) == 0 ? 0 : out_fail(c->out);
}

/* --format class: the arguments are students' folders (report_class.c). */
static int class_report(cli_t *c)
{
    if (c->mode != SHOW_REPORT || c->expect != REP_EXPECT_NONE) {
        complain("--format class goes with none of --hint, --summary and --expect");
        return 2;
    }
    char why[768];
    if (rep_class_dirs(c->out, c->files, c->nfiles, &c->opts, why, sizeof why) == 0)
        return 0;
    if (errno == EPIPE)
        return 0;
    complain(why);
    return 1;
}

int rep_main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is EPIPE, handled in render() */
    cli_t c;
    int rc = parse(&c, argc, argv);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (c.format == REP_CLASS)
        return class_report(&c);
    res_lesson_t *ls = read_all(c.files, c.nfiles);
    if (!ls)
        return 1;
    rc = render(&c, ls);
    char why[512];
    if (rc == 0 && rep_expect(ls, c.nfiles, c.expect, why, sizeof why) != 0) {
        complain(why);
        rc = 1;
    }
    free_lessons(ls, c.nfiles);
    return rc;
}
