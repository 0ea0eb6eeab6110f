/* test_report.c - self-tests of the results file (results.c) and the
 * reporters (report_*.c), called directly through the res_ and rep_ APIs. */
#define _XOPEN_SOURCE 700 /* posix_openpt(), for a terminal of a known width */
#include "report.h"
#include "results.h"
#include "sl_test.h"
#include "text.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

SL_TASK(2, "the reports: text, JSON, JUnit");

/* Output a student program might print: every kind of trouble for XML and JSON. */
static const char nasty[] = "ok \x01\x02\x1b[31mred\x1b[0m \xff\xfe \xc0\xaf \xed\xa0\x80 "
                            "\xef\xbf\xbe \xc2\x85 \x7f ]]> <&> \"q\" 'a' \r\n\tend\n";

/* A test result; the strings are not freed (fixtures live for the process). */
static res_test_t mk(const char *name, int points, res_status_t st, const char *msg,
                     const char *hint, const char *out)
{
    res_test_t t = {.name = (char *)name, .points = points, .status = st,
                    .message = (char *)msg, .hint = (char *)hint, .task_title = (char *)"",
                    .output = (char *)out, .file = (char *)"lessons/x/tests/t.c",
                    .line = 7, .seconds = 0.25};
    return t;
}

/* Lesson 01: 3 of 10 points (a pass, a fail with output, a TODO, a crash). */
static res_test_t l1_tests[4];
/* Lesson 02: 5 of 5 points. */
static res_test_t l2_tests[2];

static void fixtures(res_lesson_t ls[2])
{
    l1_tests[0] = mk("parse_ok", 3, RES_PASS, "", "h0", "");
    l1_tests[1] = mk("echo_bytes", 2, RES_FAIL,
                     "bytes differ at offset 5\n  got:  \"hello\\x00\"\n  want: \"hello!\"",
                     "Send every byte.", nasty);
    l1_tests[2] = mk("parse_empty", 1, RES_TODO, "not implemented: addr_parse",
                     "Return -1 and set errno to EINVAL.", "");
    l1_tests[3] = mk("serve", 4, RES_CRASH, "killed by SIGSEGV", "Check \x1b[2J pointers.", nasty);
    l2_tests[0] = mk("lookup_a", 2, RES_PASS, "", "", "");
    l2_tests[1] = mk("lookup_b", 3, RES_PASS, "", "", "");
    ls[0] = (res_lesson_t){(char *)"01-addressing", (char *)"skeletons", 1.5, l1_tests, 4, 0};
    ls[1] = (res_lesson_t){(char *)"02-lookup", (char *)"skeletons", 0.5, l2_tests, 2, 0};
}

/* A fresh scratch directory under /tmp, in dir. */
static int scratch(char dir[64])
{
    strcpy(dir, "/tmp/sl-selftest-XXXXXX");
    if (!mkdtemp(dir)) {
        SL_FAIL("mkdtemp: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Removes a scratch directory and the files in it. */
static void unscratch(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];

    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Number of entries in dir (no temporary files may be left behind). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;

    while (d && readdir(d))
        n++;
    if (d)
        closedir(d);
    return n - 2;
}

/* The contents of a file, NUL-terminated (free it), or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        *len = fread(buf, 1, (size_t)n, f);
        buf[*len] = '\0';
    }
    if (f)
        fclose(f);
    return buf;
}

/* Renders to a file in dir and returns its text (free it), or NULL. */
static char *render(const char *dir, rep_format_t f, const res_lesson_t *ls, size_t n,
                    const rep_opts_t *o, char path[128])
{
    size_t len;

    snprintf(path, 128, "%s/report.%d", dir, (int)f);
    if (rep_write(path, f, ls, n, o) != 0) {
        SL_FAIL("rep_write %s: %s", path, strerror(errno));
        return NULL;
    }
    return slurp(path, &len);
}

/* Is s valid UTF-8 with no control characters but \n and \t? */
static int printable_utf8(const char *s)
{
    char *c = txt_clean(s, strlen(s));
    int ok = c && strcmp(c, s) == 0;

    free(c);
    return ok;
}

#define EXPECT_CONTAINS(hay, needle)                                          \
    do {                                                                      \
        if (!strstr((hay), (needle)))                                        \
            SL_FAIL("expected \"%s\" in:\n%s", (needle), (hay));             \
    } while (0)

/* ---- results file ------------------------------------------------------- */

static void same_test(const res_test_t *a, const res_test_t *b)
{
    SL_ASSERT_STR_EQ(a->name, b->name);
    SL_ASSERT_INT_EQ(a->points, b->points);
    SL_ASSERT_INT_EQ(a->status, b->status);
    SL_ASSERT_STR_EQ(a->message, b->message);
    SL_ASSERT_STR_EQ(a->hint, b->hint);
    SL_ASSERT_STR_EQ(a->output, b->output);
    SL_ASSERT_STR_EQ(a->file, b->file);
    SL_ASSERT_INT_EQ(a->line, b->line);
    SL_ASSERT_INT_EQ(a->task, b->task);
    SL_ASSERT_STR_EQ(a->task_title, b->task_title);
    CU_ASSERT_DOUBLE_EQUAL(a->seconds, b->seconds, 1e-6);
}

SL_TEST(res_round_trip, 2,
        "res_read gives back exactly what res_write wrote, and no temporary file is left.")
{
    res_lesson_t ls[2], back;
    char dir[64], path[128], *clean = txt_clean(nasty, sizeof nasty - 1);
    const char *err = NULL;

    CU_ASSERT_PTR_NOT_NULL_FATAL(clean);
    fixtures(ls);
    l1_tests[1].output = clean;     /* the runner writes clean text */
    l1_tests[3].output = clean;
    l1_tests[3].hint = (char *)"Check pointers.";
    l1_tests[2].task = 3;
    l1_tests[2].task_title = (char *)"host:port";
    if (scratch(dir) != 0)
        return;
    snprintf(path, sizeof path, "%s/results.json", dir);
    SL_ASSERT_INT_EQ_FATAL(res_write(&ls[0], path), 0);
    SL_ASSERT_INT_EQ(res_write(&ls[0], path), 0);       /* rewriting works too */
    SL_ASSERT_INT_EQ(entries(dir), 1);
    if (res_read(path, &back, &err) != 0) {
        SL_FAIL("res_read: %s", err);
    } else {
        SL_ASSERT_STR_EQ(back.lesson, "01-addressing");
        SL_ASSERT_STR_EQ(back.impl, "skeletons");
        SL_ASSERT_INT_EQ_FATAL(back.ntests, 4);
        for (size_t i = 0; i < 4; i++)
            same_test(&back.tests[i], &ls[0].tests[i]);
        res_free(&back);
    }
    unscratch(dir);
    free(clean);
}

SL_TEST(res_write_cleans_bad_strings, 1,
        "res_write keeps the file valid JSON even when handed bytes that are not UTF-8.")
{
    res_lesson_t ls[2], back;
    char dir[64], path[128];
    const char *err;

    fixtures(ls);
    if (scratch(dir) != 0)
        return;
    snprintf(path, sizeof path, "%s/r.json", dir);
    SL_ASSERT_INT_EQ_FATAL(res_write(&ls[0], path), 0);
    if (res_read(path, &back, &err) != 0) {
        SL_FAIL("res_read: %s", err);
    } else {
        CU_ASSERT(printable_utf8(back.tests[1].output));
        EXPECT_CONTAINS(back.tests[1].output, "\\xff\\xfe");
        res_free(&back);
    }
    unscratch(dir);
}

/* Writes text to dir/name; returns the path in path. */
static void put_file(const char *dir, const char *name, const char *text, char path[128])
{
    FILE *f;

    snprintf(path, 128, "%s/%s", dir, name);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

/* res_read of text fails with an error that ends with want. */
static void read_fails(const char *dir, const char *text, const char *want)
{
    char path[128];
    const char *err = NULL;
    res_lesson_t l;

    put_file(dir, "bad.json", text, path);
    if (res_read(path, &l, &err) == 0) {
        SL_FAIL("res_read accepted %s", text);
        res_free(&l);
        return;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    if (strncmp(err, path, strlen(path)) != 0 || !strstr(err, want))
        SL_FAIL("error \"%s\": expected \"%s: ...%s\"", err, path, want);
    CU_ASSERT_PTR_NULL(strchr(err, '\n'));
}

SL_TEST(res_read_rejects_bad_files, 2,
        "res_read checks every type and says where the problem is, in one line.")
{
    char dir[64];

    if (scratch(dir) != 0)
        return;
    read_fails(dir, "[]", "expected a JSON object");
    read_fails(dir, "{\"tests\": []}", "lesson: missing");
    read_fails(dir, "{\"lesson\": 1, \"tests\": []}", "lesson: expected a string");
    read_fails(dir, "{\"lesson\": \"x\"}", "tests: missing");
    read_fails(dir, "{\"lesson\": \"x\", \"tests\": {}}", "tests: expected an array");
    read_fails(dir, "{\"lesson\": \"x\", \"tests\": [1]}", "tests[0]: expected an object");
    read_fails(dir,
               "{\"lesson\": \"x\", \"tests\": [{\"name\": \"a\", \"points\": 1, \"status\": \"pass\"},"
               " {\"name\": \"b\", \"points\": \"2\", \"status\": \"pass\"}]}",
               "tests[1].points: expected an integer");
    read_fails(dir, "{\"lesson\": \"x\", \"tests\": [{\"name\": \"a\", \"points\": 1, \"status\": \"ok\"}]}",
               "tests[0].status: unknown status \"ok\"");
    read_fails(dir, "{\"lesson\": \"x\", \"tests\": [{\"name\": \"a\", \"points\": -1, \"status\": \"pass\"}]}",
               "tests[0].points: out of range");
    read_fails(dir, "{\"lesson\": \"x\", \"tests\": [{\"name\": \"a\", \"points\": 1, \"status\": \"pass\", "
                    "\"hint\": 3}]}", "tests[0].hint: expected a string");
    read_fails(dir, "{\"lesson\": \"x\", \"tests\": [", "line 1");
    read_fails(dir, "", "line");
    unscratch(dir);
}

SL_TEST(res_read_defaults_and_cleans, 1,
        "Optional fields may be absent or null (strings become \"\"), and strings "
        "from other writers are cleaned (\\u0000, \\u001b).")
{
    char dir[64], path[128];
    const char *err;
    res_lesson_t l;

    if (scratch(dir) != 0)
        return;
    put_file(dir, "ok.json",
             "{\"lesson\": \"x\", \"impl\": null, \"tests\": [{\"name\": \"a\", \"points\": 1,"
             " \"status\": \"crash\", \"message\": \"a\\u0000b\\u001b[0m\"}]}", path);
    if (res_read(path, &l, &err) != 0) {
        SL_FAIL("res_read: %s", err);
    } else {
        SL_ASSERT_STR_EQ(l.impl, "");
        SL_ASSERT_STR_EQ(l.tests[0].hint, "");
        SL_ASSERT_STR_EQ(l.tests[0].output, "");
        SL_ASSERT_STR_EQ(l.tests[0].message, "a\\x00b\\x1b[0m");
        SL_ASSERT_INT_EQ(l.tests[0].status, RES_CRASH);
        res_free(&l);
    }
    unscratch(dir);
}

SL_TEST(res_read_missing_file, 1, "A missing file is an error naming the file and the reason.")
{
    const char *err = NULL;
    res_lesson_t l;

    SL_ASSERT_INT_EQ(res_read("/nonexistent/results.json", &l, &err), -1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(err);
    SL_ASSERT_STR_EQ(err, "/nonexistent/results.json: No such file or directory");
}

SL_TEST(res_status_names, 1, "Every status has a name that parses back to it.")
{
    for (int s = RES_PASS; s <= RES_SKIP; s++)
        SL_ASSERT_INT_EQ(res_status_parse(res_status_name((res_status_t)s)), s);
    SL_ASSERT_INT_EQ(res_status_parse("passed"), -1);
    SL_ASSERT_INT_EQ(res_status_parse(NULL), -1);
}

/* ---- Gradescope JSON ---------------------------------------------------- */

/* root[key] as an integer (JSON integer or real). */
static long long jnum(json_t *o, const char *key)
{
    return (long long)json_number_value(json_object_get(o, key));
}

static const char *jtext(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(none)";
}

static void check_gradescope(json_t *root)
{
    json_t *tests = json_object_get(root, "tests"), *t;

    SL_ASSERT_INT_EQ(jnum(root, "score"), 8);
    SL_ASSERT_INT_EQ(jnum(root, "max_score"), 15);
    CU_ASSERT(json_is_number(json_object_get(root, "execution_time")));
    SL_ASSERT_STR_EQ(jtext(root, "visibility"), "visible");
    SL_ASSERT_STR_EQ(jtext(root, "stdout_visibility"), "visible");
    CU_ASSERT(json_is_string(json_object_get(root, "output")));
    SL_ASSERT_INT_EQ_FATAL(json_array_size(tests), 6);
    t = json_array_get(tests, 1);
    SL_ASSERT_STR_EQ(jtext(t, "name"), "01-addressing: echo_bytes");
    SL_ASSERT_STR_EQ(jtext(t, "number"), "01.2");
    SL_ASSERT_STR_EQ(jtext(t, "status"), "failed");
    SL_ASSERT_INT_EQ(jnum(t, "score"), 0);
    SL_ASSERT_INT_EQ(jnum(t, "max_score"), 2);
    EXPECT_CONTAINS(jtext(t, "output"), "bytes differ at offset 5");
    EXPECT_CONTAINS(jtext(t, "output"), "Send every byte.");
    EXPECT_CONTAINS(jtext(t, "output"), "\\x1b[31mred");
    t = json_array_get(tests, 4);
    SL_ASSERT_STR_EQ(jtext(t, "number"), "02.1");
    SL_ASSERT_STR_EQ(jtext(t, "status"), "passed");
    SL_ASSERT_INT_EQ(jnum(t, "score"), 2);
}

SL_TEST(rep_json_totals_two_lessons, 2,
        "Gradescope's results.json parses, with score and max_score summed over lessons.")
{
    res_lesson_t ls[2];
    rep_opts_t o = {.color = 0};
    char dir[64], path[128], *text;
    json_error_t je;
    json_t *root;

    fixtures(ls);
    if (scratch(dir) != 0)
        return;
    text = render(dir, REP_JSON, ls, 2, &o, path);
    if (text) {
        CU_ASSERT(printable_utf8(text));
        root = json_load_file(path, 0, &je);
        if (!root) {
            SL_FAIL("results.json does not parse: line %d: %s", je.line, je.text);
        } else {
            check_gradescope(root);
            json_decref(root);
        }
    }
    free(text);
    SL_ASSERT_INT_EQ(entries(dir), 1);
    unscratch(dir);
}

/* ---- JUnit XML ---------------------------------------------------------- */

/* Runs xmllint --noout on path when it is installed; 0 if it accepts it. */
static int xmllint(const char *path)
{
    char cmd[256];
    int st;

    if (access("/usr/bin/xmllint", X_OK) != 0)
        return 0;
    snprintf(cmd, sizeof cmd, "/usr/bin/xmllint --noout '%s' 2>&1", path);
    st = system(cmd);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Counts occurrences of needle in hay. */
static int count(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

SL_TEST(rep_junit_well_formed_with_nasty_bytes, 2,
        "JUnit XML stays well-formed (xmllint --noout) and valid UTF-8 whatever "
        "bytes the strings hold: controls, invalid UTF-8, ]]>, & < > \" '.")
{
    res_lesson_t ls[2];
    rep_opts_t o = {.title = "title & <\"nasty\"> \x01"};
    char dir[64], path[128], *text;

    fixtures(ls);
    l1_tests[1].name = (char *)"bad\x02name<&>\xff";
    ls[1].lesson = (char *)"02-\x1b'lookup\"";
    if (scratch(dir) != 0)
        return;
    text = render(dir, REP_JUNIT, ls, 2, &o, path);
    if (text) {
        CU_ASSERT(printable_utf8(text));
        if (xmllint(path) != 0)
            SL_FAIL("xmllint rejects:\n%s", text);
        SL_ASSERT_INT_EQ(count(text, "<testcase "), 6);
        SL_ASSERT_INT_EQ(count(text, "<failure "), 2);
        SL_ASSERT_INT_EQ(count(text, "<error "), 1);
        EXPECT_CONTAINS(text, "<testsuites name=\"title &amp; &lt;&quot;nasty&quot;&gt; \\x01\"");
        EXPECT_CONTAINS(text, "tests=\"6\" failures=\"2\" errors=\"1\"");
        EXPECT_CONTAINS(text, "classname=\"socklab.01-addressing\"");
        EXPECT_CONTAINS(text, "type=\"todo\"");
        EXPECT_CONTAINS(text, "type=\"crash\"");
        EXPECT_CONTAINS(text, "]]&gt;");
        EXPECT_CONTAINS(text, "<system-out>");
    }
    free(text);
    unscratch(dir);
}

/* ---- terminal table ----------------------------------------------------- */

SL_TEST(rep_text_table, 2,
        "The table has a row per lesson, each failing test with its hint and "
        "output, and a total; no escape codes without colour.")
{
    res_lesson_t ls[2];
    rep_opts_t o = {.color = 0};
    char dir[64], path[128], *text;

    fixtures(ls);
    if (scratch(dir) != 0)
        return;
    text = render(dir, REP_TEXT, ls, 2, &o, path);
    if (text) {
        CU_ASSERT(printable_utf8(text));
        EXPECT_CONTAINS(text, "01-addressing      1/4       3/10\n");
        EXPECT_CONTAINS(text, "02-lookup          2/2        5/5  \u2713\n");
        EXPECT_CONTAINS(text, "total              3/6       8/15\n");
        EXPECT_CONTAINS(text, "  \u2717 echo_bytes (2 pt)\n    bytes differ at offset 5\n"
                              "        got:  \"hello\\x00\"\n");
        EXPECT_CONTAINS(text, "    hint: Send every byte.\n    | ok \\x01\\x02\\x1b[31mred");
        EXPECT_CONTAINS(text, "  \u2717 not implemented: addr_parse (1 test, 1 pt: parse_empty)\n"
                              "    hint: Return -1 and set errno to EINVAL.\n");
        EXPECT_CONTAINS(text, "  \u2717 serve (4 pt)\n    crash: killed by SIGSEGV\n");
        EXPECT_CONTAINS(text, "    hint: Check \\x1b[2J pointers.\n");
        CU_ASSERT_PTR_NULL(strstr(text, "parse_ok"));
    }
    free(text);
    unscratch(dir);
}

SL_TEST(rep_text_color, 1, "With colour on, the table carries ANSI codes; the student's own escapes never pass.")
{
    res_lesson_t ls[2];
    rep_opts_t o = {.color = 1};
    char dir[64], path[128], *text;

    fixtures(ls);
    if (scratch(dir) != 0)
        return;
    text = render(dir, REP_TEXT, ls, 2, &o, path);
    if (text) {
        EXPECT_CONTAINS(text, "\033[32m02-lookup");
        EXPECT_CONTAINS(text, "\033[31m01-addressing");
        CU_ASSERT_PTR_NULL(strstr(text, "\033[2J"));
        CU_ASSERT_PTR_NULL(strstr(text, "\033[31mred"));
    }
    free(text);
    unscratch(dir);
}

/* A lesson of three tests that did not build, with compiler output log. */
static res_lesson_t unbuilt(res_test_t t[3], const char *log)
{
    for (int i = 0; i < 3; i++)
        t[i] = mk("t", 1, RES_BUILD, "the lesson did not build: fix the first error",
                  "A hint about the test.", log);
    return (res_lesson_t){(char *)"03-tcp", (char *)"skeletons", 0.1, t, 3, 0};
}

/* n lines "FILE:I: WHAT" into a new string, after head. */
static char *log_lines(const char *head, int n, const char *what)
{
    char *log = malloc(strlen(head) + (size_t)n * 64 + 1), *p = log;

    CU_ASSERT_PTR_NOT_NULL_FATAL(log);
    p += sprintf(p, "%s", head);
    for (int i = 0; i < n; i++)
        p += sprintf(p, "tcp.c:%d: %s\n", i, what);
    return log;
}

SL_TEST(rep_text_build_failure, 1,
        "A lesson that did not build shows the compiler output once, from its "
        "first error, at most REP_BUILD_LINES lines.")
{
    static res_test_t t[3];
    char *log = log_lines("", 60, "error: oops");
    res_lesson_t l = unbuilt(t, log);
    rep_opts_t o = {.color = 0};
    char dir[64], path[128], *text;

    if (scratch(dir) == 0 && (text = render(dir, REP_TEXT, &l, 1, &o, path)) != NULL) {
        SL_ASSERT_INT_EQ(count(text, "lesson did not build:"), 1);
        SL_ASSERT_INT_EQ(count(text, "    | "), REP_BUILD_LINES + 1);
        SL_ASSERT_INT_EQ(count(text, "    hint: fix the first error\n"), 1);
        CU_ASSERT_PTR_NULL(strstr(text, "about the test"));
        EXPECT_CONTAINS(text, "    | tcp.c:0: error: oops\n");
        EXPECT_CONTAINS(text, "    | tcp.c:24: error: oops\n    | [... 35 more lines not shown ...]\n");
        CU_ASSERT_PTR_NULL(strstr(text, "tcp.c:25: error"));
        CU_ASSERT_PTR_NULL(strstr(text, "before the first error"));
        free(text);
    }
    unscratch(dir);
    free(log);
}

/* rep_build_log() of a lesson whose compiler wrote log. */
static char *build_log_of(const char *log)
{
    static res_test_t t[3];
    res_lesson_t l = unbuilt(t, log);
    char *s = rep_build_log(&l);

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    return s;
}

SL_TEST(rep_build_log_from_first_error, 2,
        "The build log starts at the first error (with gcc's or ld's \"In function\" "
        "line before it), whatever came before; with no error, it is the last lines.")
{
    char *log = log_lines("", 30, "warning: unused variable 'x'"), *s;
    size_t before = 0;

    s = build_log_of(log);
    EXPECT_CONTAINS(s, "[... 5 earlier lines not shown ...]\ntcp.c:5: warning");
    SL_ASSERT_INT_EQ(count(s, "\n"), REP_BUILD_LINES + 1);
    free(s);
    free(log);

    log = log_lines("tcp.c:1: warning: unused\ntcp.c: In function \xe2\x80\x98serve\xe2\x80\x99:\n"
                    "tcp.c:9:5: error: 'fd' undeclared\n", 40, "note: later");
    s = build_log_of(log);
    EXPECT_CONTAINS(s, "[... 1 line before the first error not shown ...]\n"
                       "tcp.c: In function \xe2\x80\x98serve\xe2\x80\x99:\ntcp.c:9:5: error:");
    EXPECT_CONTAINS(s, "tcp.c:22: note: later\n[... 17 more lines not shown ...]");
    CU_ASSERT_PTR_NULL(strstr(s, "warning"));
    free(s);
    free(log);

    SL_ASSERT_STR_EQ(txt_first_error("a\n/usr/bin/ld: x.o: in function `main':\n"
                                     "x.c:(.text+0x9): undefined reference to `f'\n", &before),
                     "/usr/bin/ld: x.o: in function `main':\nx.c:(.text+0x9): undefined "
                     "reference to `f'\n");
    SL_ASSERT_INT_EQ(before, 1);
    SL_ASSERT_STR_EQ(txt_first_error("cc -c x.c\nmake: *** [x.o] Error 1", &before),
                     "make: *** [x.o] Error 1");
    SL_ASSERT_INT_EQ(before, 1);
    SL_ASSERT_STR_EQ(txt_first_error("x.c:1:1: fatal error: y.h: No such file", &before),
                     "x.c:1:1: fatal error: y.h: No such file");
    SL_ASSERT_INT_EQ(before, 0);
    CU_ASSERT_PTR_NULL(txt_first_error("all good\nreally\n", &before));
    CU_ASSERT_PTR_NULL(txt_first_error("", &before));
}

/* The widest line of text, in columns. */
static size_t widest(const char *text)
{
    size_t w = 0;

    for (const char *p = text; *p;) {
        size_t len = rep_line_len(p), lw = txt_width(p, len);

        w = lw > w ? lw : w;
        p += len + (p[len] == '\n');
    }
    return w;
}

/* Renders ls as text into a new string (free it). */
static char *text_of(const res_lesson_t *ls, size_t n, int color)
{
    rep_opts_t o = {.color = color};
    char *buf = NULL;
    size_t sz;
    FILE *m = open_memstream(&buf, &sz);

    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    SL_ASSERT_INT_EQ(rep_text(m, ls, n, &o), 0);
    fclose(m);
    return buf;
}

/* 230 lines of output, every one 300 columns wide, in a new string. */
static char *flood(void)
{
    char *out = malloc(230 * 302 + 1), *p = out;

    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    for (int i = 0; i < 230; i++) {
        p += sprintf(p, "line %03d:", i);
        memset(p, i % 2 ? 'x' : '\xff', 291);   /* \xff: 4 columns cleaned */
        p += 291;
        *p++ = '\n';
    }
    *p = '\0';
    return out;
}

SL_TEST(rep_text_output_bounded, 2,
        "The table shows the last REP_OUTPUT_LINES lines of a test's output, each "
        "wrapped to the width and cut with a mark past REP_OUTPUT_ROWS rows, and says "
        "so; JSON and JUnit keep all.")
{
    res_lesson_t ls[2];
    char *out = flood(), *text, dir[64], path[128];
    rep_opts_t o = {.color = 0};

    fixtures(ls);
    l1_tests[1].output = out;
    l1_tests[3].output = (char *)"one\n" "\xe2\x80\xae" "two\n\nthree";
    text = text_of(ls, 1, 0);
    SL_ASSERT_INT_EQ(count(text, "    | "), REP_OUTPUT_LINES * REP_OUTPUT_ROWS + 1 + 3);
    SL_ASSERT_INT_EQ(count(text, "\u2026\n"), REP_OUTPUT_LINES);
    EXPECT_CONTAINS(text, "    | line 218:");
    EXPECT_CONTAINS(text, "    | line 229:");
    CU_ASSERT_PTR_NULL(strstr(text, "line 217:"));
    EXPECT_CONTAINS(text, "    | (12 of 230 lines shown, 12 of them cut short; "
                          "more with FORMAT=json)\n");
    EXPECT_CONTAINS(text, "    | one\n    | \\xe2\\x80\\xaetwo\n    |\n    | three\n\u2500");
    SL_ASSERT_INT_EQ(widest(text), REP_WIDTH_DEFAULT);
    free(text);
    l1_tests[1].output = (char *)"short\nbut one line is far too long: "
        "0123456789012345678901234567890123456789012345678901234567890123456789"
        "0123456789";
    text = text_of(ls, 1, 0);
    EXPECT_CONTAINS(text, "    | short\n    | but one line is far too long: "
                          "01234567890123456789012345678901234567890123\n    |   "
                          "456789012345678901234567890123456789\n");
    CU_ASSERT_PTR_NULL(strstr(text, "cut short"));
    free(text);
    l1_tests[1].output = out;
    if (scratch(dir) == 0) {
        if ((text = render(dir, REP_JSON, ls, 1, &o, path)) != NULL)
            EXPECT_CONTAINS(text, "line 000:\\\\xff\\\\xff");
        free(text);
        if ((text = render(dir, REP_JUNIT, ls, 1, &o, path)) != NULL)
            EXPECT_CONTAINS(text, "line 000:\\xff\\xff");
        free(text);
        unscratch(dir);
    }
    free(out);
}

SL_TEST(rep_text_transcript_lines_whole, 2,
        "A line of the harness's transcript (a command to run again by hand) wraps at "
        "spaces to the width and is never cut, however long; a word of it too wide "
        "for a row stays whole.")
{
    res_lesson_t ls[2];
    char *text, line[2048];
    size_t n = (size_t)snprintf(line, sizeof line, "[ 0.004] started build/skeletons/bin/"
                                "with-hosts /tmp/lab-qbgWzo lookup '' 127.0.0.1");
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(line + n, sizeof line - n, " www%d.lab.example", i);
    snprintf(line + n, sizeof line - n, " /a/path/that/is/far/too/long/for/one/row/of/the/"
             "terminal/whatever/its/width/at/all/file.c:123\n[ 0.010] lookup exited with "
             "status 1");
    fixtures(ls);
    l1_tests[1].output = line;
    text = text_of(ls, 1, 0);
    EXPECT_CONTAINS(text, "    | [ 0.004] started build/skeletons/bin/with-hosts "
                          "/tmp/lab-qbgWzo lookup ''\n    |   127.0.0.1 www0.lab.example ");
    EXPECT_CONTAINS(text, "www29.lab.example\n    |   /a/path/that/is/far/too/long/for/one/"
                          "row/of/the/terminal/whatever/its/width/at/all/file.c:123\n"
                          "    | [ 0.010] lookup exited with status 1\n");
    SL_ASSERT_INT_EQ(count(text, ".lab.example"), 30);
    CU_ASSERT_PTR_NULL(strstr(text, "\u2026"));
    CU_ASSERT_PTR_NULL(strstr(text, "cut short"));
    free(text);
}

SL_TEST(rep_text_wraps_messages, 2,
        "The first line of what went wrong starts under the test's name, at a small "
        "fixed indent, and wraps at 80 columns there: the name never squeezes it; "
        "spaces within a line kept; so do hints.")
{
    res_lesson_t ls[2];
    char *text;

    fixtures(ls);
    l1_tests[1].message = (char *)"lessons/01-addressing/tests/test2_text.c:123: "
        "addr_to_text(&ss, buf, sizeof buf): expected \"192.0.2.1\", got \"a  b\"; the "
        "address must be in dotted-quad form\n  got:  \"x\"";
    l1_tests[1].hint = (char *)"Use inet_ntop(3) with the family of the address, and give "
        "it the size of your buffer: it fails with ENOSPC when the text does not fit.";
    l1_tests[1].output = (char *)"";
    l1_tests[3].output = (char *)"";
    text = text_of(ls, 1, 0);
    EXPECT_CONTAINS(text, "  \u2717 echo_bytes (2 pt)\n"
                          "    lessons/01-addressing/tests/test2_text.c:123: addr_to_text(&ss, buf, "
                          "sizeof\n    buf): expected");
    EXPECT_CONTAINS(text, "\"a  b\";");
    EXPECT_CONTAINS(text, "\n        got:  \"x\"\n");
    EXPECT_CONTAINS(text, "    hint: Use inet_ntop(3) with the family of the address, and "
                          "give it the size\n          of your buffer:");
    SL_ASSERT_INT_EQ(widest(text) <= 80, 1);
    CU_ASSERT_PTR_NULL(strstr(text, " \n"));
    free(text);
}

SL_TEST(rep_what_says_status_once, 1,
        "What went wrong names the status once: \"timed out: ...\", not \"timeout: "
        "timed out: ...\"; a message that does not say it gets the label.")
{
    static const struct {
        res_status_t st;
        const char *msg, *want;
    } cases[] = {
        {RES_TIMEOUT, "timed out: still running after 0.5 s", "timed out: still running after 0.5 s"},
        {RES_CRASH, "crashed: killed by SIGSEGV (Segmentation fault)",
         "crashed: killed by SIGSEGV (Segmentation fault)"},
        {RES_CRASH, "crashed: the sanitizer found a memory error", "crashed: the sanitizer found a memory error"},
        {RES_TODO, "not implemented: addr_parse", "not implemented: addr_parse"},
        {RES_BUILD, "the lesson did not build: fix it", "the lesson did not build: fix it"},
        {RES_ERROR, "grader: fork: Resource temporarily unavailable",
         "grader: fork: Resource temporarily unavailable"},
        {RES_FAIL, "the test did not finish: exit(0) ...", "the test did not finish: exit(0) ..."},
        {RES_CRASH, "killed by SIGSEGV", "crash: killed by SIGSEGV"},
        {RES_TIMEOUT, "still running", "timeout: still running"},
        {RES_ERROR, "cannot start", "grader error: cannot start"},
        {RES_TIMEOUT, "", "timeout"},
        {RES_FAIL, "", "failed"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        res_test_t t = mk("t", 1, cases[i].st, cases[i].msg, "", "");
        char *what = rep_what(&t);

        CU_ASSERT_PTR_NOT_NULL_FATAL(what);
        SL_ASSERT_STR_EQ(what, cases[i].want);
        free(what);
    }
}

SL_TEST(rep_text_todo_groups_only_todo, 1,
        "Tests stopped by the same TODO() are listed once; a test that failed a check "
        "before its TODO (status fail) is shown on its own, with its message.")
{
    static res_test_t t[4];
    res_lesson_t l = {(char *)"01-addressing", (char *)"skeletons", 0.1, t, 4, 0};
    char *text;

    t[0] = mk("a", 1, RES_TODO, "not implemented: addr_parse", "Parse it.", "");
    t[1] = mk("b", 2, RES_FAIL, "t.c:3: 1: expected 2, got 1\n(then: not implemented: addr_parse)",
              "Check b.", "");
    t[2] = mk("c", 3, RES_TODO, "not implemented: addr_parse", "Parse c.", "");
    t[3] = mk("d", 4, RES_TODO, "not implemented: addr_port", "Port.", "");
    text = text_of(&l, 1, 0);
    EXPECT_CONTAINS(text, "  \u2717 not implemented: addr_parse (2 tests, 4 pt: a, c)\n"
                          "    hint: Parse it.\n");
    EXPECT_CONTAINS(text, "  \u2717 b (2 pt)\n    t.c:3: 1: expected 2, got 1\n"
                          "      (then: not implemented: addr_parse)\n    hint: Check b.\n");
    EXPECT_CONTAINS(text, "  \u2717 not implemented: addr_port (1 test, 4 pt: d)\n");
    SL_ASSERT_INT_EQ(count(text, "addr_parse (2 tests"), 1);
    free(text);
}

SL_TEST(rep_text_hint_colours, 1,
        "In colour, a hint is in the normal colour after a cyan \"hint:\"; the test's "
        "output stays dim.")
{
    res_lesson_t ls[2];
    char *text;

    fixtures(ls);
    text = text_of(ls, 1, 1);
    EXPECT_CONTAINS(text, "    \033[36mhint:\033[0m Send every byte.\n");
    EXPECT_CONTAINS(text, "\033[2m    | ok ");
    CU_ASSERT_PTR_NULL(strstr(text, "\033[2mSend every byte"));
    CU_ASSERT_PTR_NULL(strstr(text, "\033[2m    hint"));
    free(text);
}

SL_TEST(rep_hint_first_failure, 1,
        "--hint shows the first failing test (lesson order, then test order), or "
        "says of each lesson that all its tests pass, naming it with its points.")
{
    res_lesson_t ls[2];
    rep_opts_t o = {.color = 0};
    char *buf = NULL;
    size_t sz;
    FILE *m;

    fixtures(ls);
    m = open_memstream(&buf, &sz);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    SL_ASSERT_INT_EQ(rep_hint(m, &ls[1], 1, &o), 0);
    SL_ASSERT_INT_EQ(rep_hint(m, ls, 2, &o), 0);
    fclose(m);
    EXPECT_CONTAINS(buf, "02-lookup: all 2 tests pass (5/5)\n01-addressing\n  \u2717 echo_bytes (2 pt)");
    EXPECT_CONTAINS(buf, "    hint: Send every byte.\n");
    EXPECT_CONTAINS(buf, "(2 more failing tests)");
    CU_ASSERT_PTR_NULL(strstr(buf, "parse_empty"));
    free(buf);
}

/* ---- --expect and the command line -------------------------------------- */

SL_TEST(rep_expect_conditions, 1, "--expect full and zero say which lesson falls short.")
{
    res_lesson_t ls[2];
    char buf[256], *why = buf;

    fixtures(ls);
    SL_ASSERT_INT_EQ(rep_expect(ls, 2, REP_EXPECT_NONE, why, sizeof buf), 0);
    SL_ASSERT_INT_EQ(rep_expect(&ls[1], 1, REP_EXPECT_FULL, why, sizeof buf), 0);
    SL_ASSERT_INT_EQ(rep_expect(ls, 2, REP_EXPECT_FULL, why, sizeof buf), -1);
    SL_ASSERT_STR_EQ(why, "expected full marks, got 3/10 in 01-addressing");
    SL_ASSERT_INT_EQ(rep_expect(ls, 2, REP_EXPECT_ZERO, why, sizeof buf), -1);
    SL_ASSERT_STR_EQ(why, "expected zero, got 3/10 in 01-addressing");
    l1_tests[0].status = RES_TODO;
    SL_ASSERT_INT_EQ(rep_expect(ls, 1, REP_EXPECT_ZERO, why, sizeof buf), 0);
    l1_tests[2].status = RES_ERROR;
    SL_ASSERT_INT_EQ(rep_expect(ls, 1, REP_EXPECT_ZERO, why, sizeof buf), -1);
}

/* Runs rep_main with the given arguments (NULL-terminated), stderr silenced. */
static int cli(const char *first, ...)
{
    char *argv[16] = {(char *)"sl-report"};
    int argc = 1, saved = dup(2), null = open("/dev/null", O_WRONLY), rc;
    va_list ap;

    va_start(ap, first);
    for (const char *a = first; a && argc < 15; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    fflush(stderr);
    dup2(null, 2);
    rc = rep_main(argc, argv);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(null);
    return rc;
}

SL_TEST(rep_cli_exit_codes, 2,
        "sl-report exits 0 whatever the score, 1 for an unmet --expect or a bad "
        "results file, 2 for bad usage.")
{
    res_lesson_t ls[2];
    char dir[64], a[128], b[128], out[128], bad[128];

    fixtures(ls);
    l1_tests[1].output = (char *)"plain";
    l1_tests[3].output = (char *)"plain";
    l1_tests[3].hint = (char *)"plain";
    if (scratch(dir) != 0)
        return;
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    SL_ASSERT_INT_EQ_FATAL(res_write(&ls[0], a), 0);
    SL_ASSERT_INT_EQ_FATAL(res_write(&ls[1], b), 0);
    put_file(dir, "bad.json", "{", bad);
    SL_ASSERT_INT_EQ(cli("--out", out, a, b, NULL), 0);
    SL_ASSERT_INT_EQ(cli("--format", "junit", "--out", out, a, b, NULL), 0);
    SL_ASSERT_INT_EQ(cli("--expect", "full", "--out", out, b, NULL), 0);
    SL_ASSERT_INT_EQ(cli("--expect", "full", "--out", out, a, b, NULL), 1);
    SL_ASSERT_INT_EQ(cli("--expect", "zero", "--out", out, b, NULL), 1);
    SL_ASSERT_INT_EQ(cli("--hint", "--out", out, a, NULL), 0);
    SL_ASSERT_INT_EQ(cli("--out", out, a, bad, NULL), 1);
    SL_ASSERT_INT_EQ(cli("--out", out, NULL), 2);
    SL_ASSERT_INT_EQ(cli("--format", "xml", a, NULL), 2);
    SL_ASSERT_INT_EQ(cli("--color", "sometimes", a, NULL), 2);
    SL_ASSERT_INT_EQ(cli("--expect", "most", a, NULL), 2);
    SL_ASSERT_INT_EQ(cli("--no-such-option", a, NULL), 2);
    unscratch(dir);
}

/* Runs rep_main(args) in a child whose stdout is a pipe nobody reads, with
 * SIGPIPE at its default; returns its wait status, its stderr in err. */
static int cli_into_closed_pipe(char **argv, int argc, char *err, size_t errsz)
{
    int out[2], errp[2], st = -1;
    ssize_t n;
    pid_t pid;

    if (pipe(out) != 0 || pipe(errp) != 0)
        return -1;
    close(out[0]);
    fflush(NULL);
    if ((pid = fork()) == 0) {
        signal(SIGPIPE, SIG_DFL);
        dup2(out[1], 1);
        dup2(errp[1], 2);
        _exit(rep_main(argc, argv));
    }
    close(out[1]);
    close(errp[1]);
    n = read(errp[0], err, errsz - 1);
    err[n > 0 ? n : 0] = '\0';
    close(errp[0]);
    if (pid > 0)
        waitpid(pid, &st, 0);
    return st;
}

SL_TEST(rep_cli_quiet_on_closed_pipe, 1,
        "sl-report piped into a reader that goes away (| head) exits 0, quietly, "
        "not killed by SIGPIPE; small and large reports alike.")
{
    res_lesson_t ls[2];
    char dir[64], a[128], err[512], *argv[210] = {(char *)"sl-report"};
    int st;

    fixtures(ls);
    if (scratch(dir) != 0)
        return;
    snprintf(a, sizeof a, "%s/a.json", dir);
    SL_ASSERT_INT_EQ_FATAL(res_write(&ls[0], a), 0);
    for (int i = 1; i < 210; i++)
        argv[i] = a;
    for (int argc = 2; argc <= 210; argc += 208) {
        st = cli_into_closed_pipe(argv, argc, err, sizeof err);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            SL_FAIL("%d lessons: wait status 0x%x, stderr \"%s\"", argc - 1, st, err);
        SL_ASSERT_STR_EQ(err, "");
    }
    unscratch(dir);
}

/* ---- tasks ---------------------------------------------------------------- */

/* t, in task number of the given title. */
static res_test_t in_task(res_test_t t, int number, const char *title)
{
    t.task = number;
    t.task_title = (char *)title;
    return t;
}

/* Lesson 01 with tasks, its tests out of task order: a crash of no task;
 * task 1 passed; task 2 a failure and a TODO; task 3 a TODO of the same
 * function as task 2's, and a pass. 8 of 17 points. */
static res_test_t tk_tests[6];

static res_lesson_t task_fixture(void)
{
    tk_tests[0] = in_task(mk("serve", 4, RES_CRASH, "killed by SIGSEGV", "Check pointers.", ""),
                          0, "");
    tk_tests[1] = in_task(mk("to_text", 2, RES_FAIL, "t.c:9: expected \"1.2.3.4\", got \"\"",
                             "Use inet_ntop.", "out"), 2, "Text <-> sockaddr");
    tk_tests[2] = in_task(mk("htons_ok", 3, RES_PASS, "", "", ""), 1, "Byte order");
    tk_tests[3] = in_task(mk("from_text", 1, RES_TODO, "not implemented: addr_parse",
                             "Parse it.", ""), 2, "Text <-> sockaddr");
    tk_tests[4] = in_task(mk("parse_a", 2, RES_TODO, "not implemented: addr_parse",
                             "Parse a.", ""), 3, "host:port");
    tk_tests[5] = in_task(mk("parse_b", 5, RES_PASS, "", "", ""), 3, "host:port");
    return (res_lesson_t){(char *)"01-addressing", (char *)"skeletons", 1.0, tk_tests, 6, 0};
}

/* Renders ls as text with options o into a new string (free it). */
static char *text_with(const res_lesson_t *ls, size_t n, const rep_opts_t *o)
{
    char *buf = NULL;
    size_t sz;
    FILE *m = open_memstream(&buf, &sz);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    SL_ASSERT_INT_EQ(rep_text(m, ls, n, o), 0);
    fclose(m);
    return buf;
}

/* A table row as rep_text prints it with a name column of w (ASCII names). */
static const char *row_of(int w, const char *name, const char *tests, const char *points,
                          int full)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%-*s  %7s  %9s%s\n", w, name, tests, points,
             full ? "  \u2713" : "");
    return buf;
}

/* Does a come before b in text (both in it)? */
static int before(const char *text, const char *a, const char *b)
{
    const char *pa = strstr(text, a), *pb = strstr(text, b);
    return pa && pb && pa < pb;
}

SL_TEST(rep_text_task_rows, 2,
        "Under a lesson's row: its failures of no task, then each task's row (by "
        "number, with tests and points) and that task's failures under it; a "
        "TODO is grouped within its task.")
{
    res_lesson_t l = task_fixture();
    rep_opts_t o = {.color = 0};
    char *text = text_with(&l, 1, &o);
    int w = (int)strlen("  Task 2: Text <-> sockaddr");

    EXPECT_CONTAINS(text, row_of(w, "01-addressing", "2/6", "8/17", 0));
    EXPECT_CONTAINS(text, row_of(w, "  Task 1: Byte order", "1/1", "3/3", 1));
    EXPECT_CONTAINS(text, row_of(w, "  Task 2: Text <-> sockaddr", "0/2", "0/3", 0));
    EXPECT_CONTAINS(text, row_of(w, "  Task 3: host:port", "1/2", "5/7", 0));
    EXPECT_CONTAINS(text, row_of(w, "total", "2/6", "8/17", 0));
    EXPECT_CONTAINS(text, "8/17\n  \u2717 serve (4 pt)\n    crash: killed by SIGSEGV\n"
                          "    hint: Check pointers.\n  Task 1: Byte order ");
    EXPECT_CONTAINS(text, "0/3\n    \u2717 to_text (2 pt)\n      t.c:9: expected \"1.2.3.4\", got \"\"\n"
                          "      hint: Use inet_ntop.\n      | out\n"
                          "    \u2717 not implemented: addr_parse (1 test, 1 pt: from_text)\n"
                          "      hint: Parse it.\n  Task 3: host:port ");
    EXPECT_CONTAINS(text, "5/7\n    \u2717 not implemented: addr_parse (1 test, 2 pt: parse_a)\n"
                          "      hint: Parse a.\n\u2500");
    CU_ASSERT(before(text, "Task 1:", "Task 2:") && before(text, "Task 2:", "Task 3:"));
    SL_ASSERT_INT_EQ(count(text, "Task "), 3);
    CU_ASSERT_PTR_NULL(strstr(text, "Task 0"));
    CU_ASSERT_PTR_NULL(strstr(text, "htons_ok"));
    free(text);
}

SL_TEST(rep_tasks_totals, 1,
        "rep_tasks gives each task of a lesson once, by number, with its title and "
        "totals; tests of task 0 belong to none.")
{
    res_lesson_t l = task_fixture();
    rep_task_t *k = NULL;
    size_t n = 99;

    SL_ASSERT_INT_EQ_FATAL(rep_tasks(&l, &k, &n), 0);
    SL_ASSERT_INT_EQ_FATAL(n, 3);
    SL_ASSERT_INT_EQ(k[0].number, 1);
    SL_ASSERT_STR_EQ(k[0].title, "Byte order");
    SL_ASSERT_INT_EQ(k[1].number, 2);
    SL_ASSERT_INT_EQ(k[1].passed, 0);
    SL_ASSERT_INT_EQ(k[1].tests, 2);
    SL_ASSERT_INT_EQ(k[1].score, 0);
    SL_ASSERT_INT_EQ(k[1].max, 3);
    SL_ASSERT_INT_EQ(k[2].number, 3);
    SL_ASSERT_INT_EQ(k[2].passed, 1);
    SL_ASSERT_INT_EQ(k[2].score, 5);
    SL_ASSERT_INT_EQ(k[2].max, 7);
    free(k);
    l.ntests = 1; /* only the test of no task */
    SL_ASSERT_INT_EQ_FATAL(rep_tasks(&l, &k, &n), 0);
    SL_ASSERT_INT_EQ(n, 0);
    free(k);
}

SL_TEST(rep_hint_names_task, 1,
        "--hint puts the first failing test under a line naming its task.")
{
    res_lesson_t l = task_fixture();
    rep_opts_t o = {.color = 0};
    char *buf = NULL;
    size_t sz;
    FILE *m = open_memstream(&buf, &sz);

    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    l.tests = &tk_tests[1];
    l.ntests = 5;
    SL_ASSERT_INT_EQ(rep_hint(m, &l, 1, &o), 0);
    fclose(m);
    SL_ASSERT_STR_EQ(buf, "01-addressing\n  Task 2: Text <-> sockaddr\n"
                          "    \u2717 to_text (2 pt)\n      t.c:9: expected \"1.2.3.4\", got \"\"\n"
                          "      hint: Use inet_ntop.\n      | out\n(2 more failing tests)\n");
    free(buf);
}

SL_TEST(rep_json_tasks, 1,
        "Gradescope: a test of a task is named \"LESSON, Task N (TITLE): TEST\"; "
        "the top-level output totals each task under its lesson.")
{
    res_lesson_t l = task_fixture();
    rep_opts_t o = {.color = 0};
    char dir[64], path[128];

    if (scratch(dir) != 0)
        return;
    char *text = render(dir, REP_JSON, &l, 1, &o, path);
    json_error_t je;
    json_t *root = text ? json_load_file(path, 0, &je) : NULL;
    CU_ASSERT_PTR_NOT_NULL(root);
    if (root) {
        json_t *tests = json_object_get(root, "tests");
        SL_ASSERT_INT_EQ(json_array_size(tests), 6);
        SL_ASSERT_STR_EQ(jtext(json_array_get(tests, 0), "name"), "01-addressing: serve");
        SL_ASSERT_STR_EQ(jtext(json_array_get(tests, 1), "name"),
                         "01-addressing, Task 2 (Text <-> sockaddr): to_text");
        SL_ASSERT_STR_EQ(jtext(json_array_get(tests, 1), "number"), "01.2");
        SL_ASSERT_STR_EQ(jtext(root, "output"),
                         "socklab: 8/17 points, 2/6 tests passed.\n\n"
                         "01-addressing: 8/17 points, 2/6 tests passed\n"
                         "  Task 1 (Byte order): 3/3 points, 1/1 tests passed\n"
                         "  Task 2 (Text <-> sockaddr): 0/3 points, 0/2 tests passed\n"
                         "  Task 3 (host:port): 5/7 points, 1/2 tests passed");
        json_decref(root);
    }
    free(text);
    unscratch(dir);
}

SL_TEST(rep_junit_task_classname, 1,
        "JUnit: a test of task N has the classname socklab.LESSON.taskN; one of no "
        "task socklab.LESSON.")
{
    res_lesson_t l = task_fixture();
    rep_opts_t o = {.color = 0};
    char dir[64], path[128];

    if (scratch(dir) != 0)
        return;
    char *text = render(dir, REP_JUNIT, &l, 1, &o, path);
    if (text) {
        if (xmllint(path) != 0)
            SL_FAIL("xmllint rejects:\n%s", text);
        EXPECT_CONTAINS(text, "<testcase classname=\"socklab.01-addressing\" name=\"serve\"");
        EXPECT_CONTAINS(text, "<testcase classname=\"socklab.01-addressing.task2\" name=\"to_text\"");
        SL_ASSERT_INT_EQ(count(text, "classname=\"socklab.01-addressing.task3\""), 2);
        SL_ASSERT_INT_EQ(count(text, "<testsuite "), 1);
    }
    free(text);
    unscratch(dir);
}

/* ---- width ------------------------------------------------------------- */

/* A failing test whose message and hint name files and lines, and hold a
 * word wider than any line. */
static res_lesson_t words_fixture(res_test_t *t, const char *long_word)
{
    static char hint[512];
    snprintf(hint, sizeof hint, "Compare with skeletons/01-addressing/addr.c:42 and read "
             "lessons/01-addressing/README.md, then %s and try again with a second look "
             "at the errno values.", long_word);
    *t = in_task(mk("to_text_ipv6_canonical", 2, RES_FAIL,
                    "lessons/01-addressing/tests/test2_text.c:123: addr_to_text(&ss, buf, "
                    "sizeof buf): expected \"::1\", got \"0:0:0:0:0:0:0:1\" at "
                    "lessons/01-addressing/tests/test2_text.c:140: see above\n"
                    "  detail: the text of lessons/01-addressing/tests/test2_text.c:141: "
                    "follows the canonical form of RFC 5952 section 4",
                    hint, ""), 2, "Text to socket address and back");
    return (res_lesson_t){(char *)"01-addressing", (char *)"skeletons", 0.1, t, 1, 0};
}

/* Every line of text fits in w columns, but a line that is one word alone
 * (after its indent, a bar or a mark). */
static void fits(const char *text, size_t w)
{
    for (const char *p = text; *p;) {
        size_t len = rep_line_len(p), lw = txt_width(p, len);
        const char *word = p + strspn(p, " |");
        if (lw > w && memchr(word, ' ', len - (size_t)(word - p)))
            SL_FAIL("a line of %zu columns at width %zu: %.*s", lw, w, (int)len, p);
        p += len + (p[len] == '\n');
    }
}

SL_TEST(rep_text_never_breaks_words, 2,
        "At any width the text breaks only at spaces: every file:line and every "
        "word comes out whole, and only a word wider than a line overflows it.")
{
    static const char *const whole[] = {
        "lessons/01-addressing/tests/test2_text.c:123:", "lessons/01-addressing/tests/test2_text.c:140:",
        "lessons/01-addressing/tests/test2_text.c:141:", "skeletons/01-addressing/addr.c:42",
        "lessons/01-addressing/README.md,", "\"0:0:0:0:0:0:0:1\"", "addr_to_text(&ss,",
    };
    char long_word[120];
    memset(long_word, 'w', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    res_test_t t;
    res_lesson_t l = words_fixture(&t, long_word);

    for (int w = REP_WIDTH_MIN; w <= 130; w++) {
        rep_opts_t o = {.width = w};
        char *text = text_with(&l, 1, &o);
        for (size_t i = 0; i < SL_COUNT(whole); i++)
            if (!strstr(text, whole[i]))
                SL_FAIL("width %d: \"%s\" is not whole in:\n%s", w, whole[i], text);
        if (!strstr(text, long_word))
            SL_FAIL("width %d: the long word was cut:\n%s", w, text);
        fits(text, (size_t)w);
        CU_ASSERT_PTR_NULL(strstr(text, " \n"));
        free(text);
    }
}

SL_TEST(rep_text_width_option, 2,
        "rep_opts_t.width sets the width the text fits in (0: 80), kept within "
        "REP_WIDTH_MIN and REP_WIDTH_MAX; output lines wrap to it.")
{
    res_lesson_t ls[2];
    fixtures(ls);
    l1_tests[1].output = (char *)"a line of output that is longer than fifty columns, for sure";
    l1_tests[1].hint = (char *)"A hint that is long enough to wrap at fifty columns, and "
                               "once more at eighty columns, but that fits on one line of a "
                               "hundred and fifty.";
    struct { int width, widest; } cases[] = {
        {0, 80}, {50, 50}, {150, 150}, {10, REP_WIDTH_MIN}, {100000, 150},
    };
    for (size_t i = 0; i < SL_COUNT(cases); i++) {
        rep_opts_t o = {.width = cases[i].width};
        char *text = text_with(ls, 2, &o);
        fits(text, (size_t)cases[i].widest);
        if (cases[i].width == 50)
            EXPECT_CONTAINS(text, "    | a line of output that is longer than fifty\n"
                                  "    |   columns, for sure\n");
        if (cases[i].width == 150)
            EXPECT_CONTAINS(text, "    hint: A hint that is long enough to wrap at fifty "
                                  "columns, and once more at eighty columns, but that fits on "
                                  "one line of a hundred and fifty.\n");
        if (cases[i].width == 0)
            EXPECT_CONTAINS(text, "    hint: A hint that is long enough to wrap at fifty "
                                  "columns, and once more at\n          eighty columns,");
        free(text);
    }
}

/* Restores COLUMNS as it was when saved. */
static void restore_columns(const char *saved)
{
    if (saved)
        setenv("COLUMNS", saved, 1);
    else
        unsetenv("COLUMNS");
}

/* A terminal of cols columns: its master end in *master; its other end, or -1. */
static int terminal(unsigned short cols, int *master)
{
    *master = posix_openpt(O_RDWR | O_NOCTTY);
    if (*master < 0 || grantpt(*master) != 0 || unlockpt(*master) != 0)
        return -1;
    int fd = open(ptsname(*master), O_RDWR | O_NOCTTY);
    struct winsize ws = {.ws_row = 24, .ws_col = cols};
    if (fd >= 0 && ioctl(fd, TIOCSWINSZ, &ws) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

SL_TEST(rep_width_sources, 2,
        "rep_width: COLUMNS when a whole number above 0, else the width of the "
        "terminal the output goes to, else 80; within REP_WIDTH_MIN..REP_WIDTH_MAX.")
{
    const char *env = getenv("COLUMNS");
    char *saved = env ? strdup(env) : NULL;
    static const struct { const char *columns; int want; } cases[] = {
        {"57", 57}, {"200", 200}, {"10", REP_WIDTH_MIN}, {"99999", REP_WIDTH_MAX},
        {"", 80}, {"abc", 80}, {"0", 80}, {"-5", 80}, {"60x", 80}, {" 60", 80},
    };
    for (size_t i = 0; i < SL_COUNT(cases); i++) {
        setenv("COLUMNS", cases[i].columns, 1);
        if (rep_width(-1) != cases[i].want)
            SL_FAIL("COLUMNS=\"%s\": width %d, want %d", cases[i].columns, rep_width(-1),
                    cases[i].want);
    }
    unsetenv("COLUMNS");
    int p[2];
    SL_ASSERT_INT_EQ_FATAL(pipe(p), 0);
    SL_ASSERT_INT_EQ(rep_width(p[1]), 80);
    close(p[0]);
    close(p[1]);
    int master, tty = terminal(66, &master);
    if (tty >= 0) {
        SL_ASSERT_INT_EQ(rep_width(tty), 66);
        setenv("COLUMNS", "70", 1);
        SL_ASSERT_INT_EQ(rep_width(tty), 70);
        close(tty);
    }
    if (master >= 0)
        close(master);
    restore_columns(saved);
    free(saved);
}

/* What the master end of a terminal has to read, without its \r (free it). */
static char *drain(int master)
{
    char *buf = calloc(1, 65536);
    size_t n = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    fcntl(master, F_SETFL, O_NONBLOCK);
    for (ssize_t r; n < 65535 && (r = read(master, buf + n, 65535 - n)) > 0;)
        n += (size_t)r;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] != '\r')
            buf[k++] = buf[i];
    buf[k] = '\0';
    return buf;
}

/* The widest line of file path, in columns (-1 if it cannot be read). */
static long widest_in(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    long w = text ? (long)widest(text) : -1;
    free(text);
    return w;
}

SL_TEST(rep_cli_width, 2,
        "sl-report fits the text in --width N, else COLUMNS, else the terminal's "
        "width, else 80 (a file); --width outside 40..1000 is bad usage.")
{
    const char *env = getenv("COLUMNS");
    char *saved = env ? strdup(env) : NULL;
    res_lesson_t ls[2];
    char dir[64], a[128], out[128];

    fixtures(ls);
    l1_tests[1].output = (char *)"";
    l1_tests[3].output = (char *)"";
    l1_tests[1].hint = (char *)"A hint that is long enough to wrap at fifty columns, and "
                               "once more at eighty columns, but that fits on one line of a "
                               "hundred and fifty.";
    if (scratch(dir) != 0)
        return;
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    SL_ASSERT_INT_EQ_FATAL(res_write(&ls[0], a), 0);
    unsetenv("COLUMNS");
    SL_ASSERT_INT_EQ(cli("--out", out, a, NULL), 0);
    CU_ASSERT(widest_in(out) > 70 && widest_in(out) <= 80);
    setenv("COLUMNS", "50", 1);
    SL_ASSERT_INT_EQ(cli("--out", out, a, NULL), 0);
    CU_ASSERT(widest_in(out) > 40 && widest_in(out) <= 50);
    setenv("COLUMNS", "junk", 1);
    SL_ASSERT_INT_EQ(cli("--out", out, a, NULL), 0);
    CU_ASSERT(widest_in(out) > 70 && widest_in(out) <= 80);
    setenv("COLUMNS", "50", 1);
    SL_ASSERT_INT_EQ(cli("--width", "150", "--out", out, a, NULL), 0);
    CU_ASSERT(widest_in(out) > 80 && widest_in(out) <= 150);
    SL_ASSERT_INT_EQ(cli("-w", "45", "--out", out, a, NULL), 0);
    CU_ASSERT(widest_in(out) <= 45);
    SL_ASSERT_INT_EQ(cli("--width", "39", a, NULL), 2);
    SL_ASSERT_INT_EQ(cli("--width", "1001", a, NULL), 2);
    SL_ASSERT_INT_EQ(cli("--width", "6O", a, NULL), 2);
    SL_ASSERT_INT_EQ(cli("--width", "", a, NULL), 2);
    unsetenv("COLUMNS");
    int master, tty = terminal(60, &master);
    if (tty >= 0) {
        char path[64];
        snprintf(path, sizeof path, "%s", ptsname(master));
        SL_ASSERT_INT_EQ(cli("--color", "never", "--out", path, a, NULL), 0);
        char *text = drain(master);
        SL_ASSERT_INT_EQ(widest(text), 60);
        EXPECT_CONTAINS(text, "socklab (skeletons)\n");
        free(text);
        close(tty);
    }
    if (master >= 0)
        close(master);
    restore_columns(saved);
    free(saved);
    unscratch(dir);
}

/* ---- the header ----------------------------------------------------------- */

SL_TEST(rep_text_header_once, 1,
        "The title line and the column headings come once, at the top, however "
        "many lessons and tasks follow; --hint prints neither.")
{
    res_lesson_t ls[4];
    fixtures(ls);
    ls[2] = task_fixture();
    ls[3] = ls[2];
    rep_opts_t o = {.title = "My course"};
    char *text = text_with(ls, 4, &o);

    SL_ASSERT_INT_EQ(count(text, "My course"), 1);
    CU_ASSERT(strncmp(text, "My course (skeletons)\n\nlesson ", 30) == 0);
    SL_ASSERT_INT_EQ(count(text, "\nlesson "), 1);
    SL_ASSERT_INT_EQ(count(text, "points\n"), 1);
    SL_ASSERT_INT_EQ(count(text, "\ntotal "), 1);
    free(text);

    char *buf = NULL;
    size_t sz;
    FILE *m = open_memstream(&buf, &sz);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    SL_ASSERT_INT_EQ(rep_hint(m, ls, 4, &o), 0);
    fclose(m);
    CU_ASSERT_PTR_NULL(strstr(buf, "My course"));
    CU_ASSERT_PTR_NULL(strstr(buf, "points"));
    free(buf);
}

/* ---- tsv and --summary ------------------------------------------------- */

/* Renders ls with f into a new string (free it). */
static char *rendered(rep_format_t f, const res_lesson_t *ls, size_t n)
{
    char *buf = NULL;
    size_t sz;
    FILE *m = open_memstream(&buf, &sz);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    SL_ASSERT_INT_EQ(rep_render(m, f, ls, n, NULL), 0);
    fclose(m);
    return buf;
}

SL_TEST(rep_tsv_lines, 2,
        "--format tsv: one line per test, seven tab-separated fields (lesson, task, "
        "name, status, points earned, points, the message's first line), with tabs "
        "and newlines in fields as spaces, and no header.")
{
    res_lesson_t ls[3];
    fixtures(ls);
    ls[2] = task_fixture();
    l1_tests[0].name = (char *)"tab\there\nand a newline";
    l1_tests[2].message = (char *)"not\timplemented: addr_parse\nsecond line";
    char *text = rendered(REP_TSV, ls, 3);

    SL_ASSERT_STR_EQ(text,
        "01-addressing\t0\ttab here and a newline\tpass\t3\t3\t\n"
        "01-addressing\t0\techo_bytes\tfail\t0\t2\tbytes differ at offset 5\n"
        "01-addressing\t0\tparse_empty\ttodo\t0\t1\tnot implemented: addr_parse\n"
        "01-addressing\t0\tserve\tcrash\t0\t4\tkilled by SIGSEGV\n"
        "02-lookup\t0\tlookup_a\tpass\t2\t2\t\n"
        "02-lookup\t0\tlookup_b\tpass\t3\t3\t\n"
        "01-addressing\t0\tserve\tcrash\t0\t4\tkilled by SIGSEGV\n"
        "01-addressing\t2\tto_text\tfail\t0\t2\tt.c:9: expected \"1.2.3.4\", got \"\"\n"
        "01-addressing\t1\thtons_ok\tpass\t3\t3\t\n"
        "01-addressing\t2\tfrom_text\ttodo\t0\t1\tnot implemented: addr_parse\n"
        "01-addressing\t3\tparse_a\ttodo\t0\t2\tnot implemented: addr_parse\n"
        "01-addressing\t3\tparse_b\tpass\t5\t5\t\n");
    for (const char *p = text; *p;) {
        size_t len = rep_line_len(p), tabs = 0;
        for (size_t i = 0; i < len; i++)
            tabs += p[i] == '\t';
        SL_ASSERT_INT_EQ(tabs, 6);
        p += len + 1;
    }
    free(text);
}

SL_TEST(rep_summary_totals, 2,
        "--summary prints one line, PASSED FAILED TODO POINTS MAX over all files; "
        "--format tsv and --summary work from the command line; --hint and "
        "--summary do not go together.")
{
    res_lesson_t ls[3];
    fixtures(ls);
    ls[2] = task_fixture();
    char *buf = NULL;
    size_t sz;
    FILE *m = open_memstream(&buf, &sz);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    SL_ASSERT_INT_EQ(rep_summary(m, ls, 3), 0);
    SL_ASSERT_INT_EQ(rep_summary(m, ls, 0), 0);
    fclose(m);
    SL_ASSERT_STR_EQ(buf, "5 4 3 16 32\n0 0 0 0 0\n");
    free(buf);

    char dir[64], a[128], b[128], out[128], *text;
    if (scratch(dir) != 0)
        return;
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    SL_ASSERT_INT_EQ_FATAL(res_write(&ls[0], a), 0);
    SL_ASSERT_INT_EQ_FATAL(res_write(&ls[2], b), 0);
    SL_ASSERT_INT_EQ(cli("--summary", "--out", out, a, b, NULL), 0);
    if ((text = slurp(out, &sz)) != NULL)
        SL_ASSERT_STR_EQ(text, "3 4 3 11 27\n");
    free(text);
    SL_ASSERT_INT_EQ(cli("--format", "tsv", "--out", out, a, b, NULL), 0);
    if ((text = slurp(out, &sz)) != NULL) {
        SL_ASSERT_INT_EQ(count(text, "\n"), 10);
        EXPECT_CONTAINS(text, "01-addressing\t3\tparse_b\tpass\t5\t5\t\n");
    }
    free(text);
    SL_ASSERT_INT_EQ(cli("--summary", "--expect", "full", "--out", out, a, NULL), 1);
    SL_ASSERT_INT_EQ(cli("--summary", "--hint", a, NULL), 2);
    SL_ASSERT_INT_EQ(cli("--hint", "--summary", a, NULL), 2);
    SL_ASSERT_INT_EQ(cli("--summary", "--summary", "--out", out, a, NULL), 0);
    unscratch(dir);
}

SL_TEST(rep_render_dispatch, 1,
        "rep_render renders every format and refuses an unknown one with EINVAL; "
        "rep_format_parse knows each name.")
{
    res_lesson_t ls[2];
    fixtures(ls);
    static const char *const names[] = {"text", "json", "junit", "tsv"};
    for (int f = REP_TEXT; f <= REP_TSV; f++) {
        SL_ASSERT_INT_EQ(rep_format_parse(names[f]), f);
        char *text = rendered((rep_format_t)f, ls, 2);
        CU_ASSERT(text && *text);
        free(text);
    }
    SL_ASSERT_INT_EQ(rep_format_parse("class"), REP_CLASS);
    SL_ASSERT_INT_EQ(rep_format_parse("xml"), -1);
    errno = 0;
    SL_ASSERT_INT_EQ(rep_render(stdout, (rep_format_t)99, ls, 2, NULL), -1);
    SL_ASSERT_INT_EQ(errno, EINVAL);
}

SL_TEST(rep_text_output_tabs, 1,
        "A tab in a test's output becomes spaces to the next multiple of 8 columns, "
        "so the line's width is what a terminal shows; no line ends in spaces.")
{
    res_lesson_t ls[2];
    fixtures(ls);
    l1_tests[1].output = (char *)"name\taddress\n\tindented\nab\xc3\xa9\tx\n\t\nend  \t";
    l1_tests[3].output = (char *)"";
    rep_opts_t o = {.color = 0};
    char *text = text_with(ls, 1, &o);
    EXPECT_CONTAINS(text, "    | name    address\n    |         indented\n    | ab\xc3\xa9     x\n"
                          "    |\n    | end\n");
    CU_ASSERT_PTR_NULL(strstr(text, " \n"));
    free(text);
}

SL_TEST(rep_text_build_log_wraps, 1,
        "A long line of compiler output wraps at spaces behind the bar, its "
        "file:line whole; a lesson that did not build shows no task rows.")
{
    static res_test_t t[3];
    res_lesson_t l = unbuilt(t, "lessons/01-addressing/tests/test2_text.c:12:5: error: "
                                "implicit declaration of function 'addr_to_txt'; did you "
                                "mean 'addr_to_text'? [-Werror=implicit-function-declaration]\n");
    for (int i = 0; i < 3; i++)
        t[i] = in_task(t[i], i + 1, "A task");
    rep_opts_t o = {.width = 60};
    char *text = text_with(&l, 1, &o);
    EXPECT_CONTAINS(text, "    | lessons/01-addressing/tests/test2_text.c:12:5: error:\n"
                          "    |   implicit declaration of function 'addr_to_txt'; did\n"
                          "    |   you mean 'addr_to_text'?\n"
                          "    |   [-Werror=implicit-function-declaration]\n");
    CU_ASSERT_PTR_NULL(strstr(text, "Task"));
    fits(text, 60);
    free(text);
}

/* ---- one finding in many tests ----------------------------------------------- */

#define LEAK_MSG "LeakSanitizer: memory leak, in get_list at skeletons/02-lookup/names.c:60 " \
                 "(the report is in the output)"
#define LEAK_HINT "Memory your code allocated was never freed: free what you allocate."

/* The output of a test that leaked: its transcript, then 11 lines of report. */
static const char leak_out[] =
    "[ 0.001] one\n[ 0.002] two\n[ 0.003] three\n"
    "ERROR: LeakSanitizer: detected memory leaks\n"
    "Direct leak of 64 byte(s) in 1 object(s) allocated from:\n"
    "    #0 malloc (checked by the sanitizer)\n"
    "    #1 generate_addrinfo ../sysdeps/posix/getaddrinfo.c:1075\n"
    "    ... (2 more frames in the C library)\n"
    "    #4 getaddrinfo (checked by the sanitizer)\n"
    "    #5 get_list skeletons/02-lookup/names.c:60\n"
    "    #6 lk_resolve skeletons/02-lookup/names.c:111\n"
    "    #7 tu_resolve_as_gai lessons/02-lookup/tests/testutil.h:171\n"
    "(and 1 more leak, not shown)\n"
    "SUMMARY: AddressSanitizer: 128 byte(s) leaked in 2 allocation(s).\n";

SL_TEST(rep_text_one_finding_said_once, 2,
        "One sanitizer finding in tests of several tasks is said once: a headline "
        "with the tests of the first task, its hint and report; under a later task "
        "the headline and a line pointing above. The report is shown from its first "
        "line.")
{
    static res_test_t t[4];
    res_lesson_t l = {(char *)"02-lookup", (char *)"skeletons", 0.1, t, 4, 0};
    t[0] = in_task(mk("resolve_a", 2, RES_FAIL, LEAK_MSG, LEAK_HINT, leak_out), 1, "Resolve");
    t[1] = in_task(mk("resolve_b", 3, RES_FAIL, LEAK_MSG, LEAK_HINT, leak_out), 1, "Resolve");
    t[2] = in_task(mk("host_c", 1, RES_FAIL, LEAK_MSG, LEAK_HINT, leak_out), 4, "Hosts");
    t[3] = in_task(mk("host_d", 1, RES_PASS, "", "", ""), 4, "Hosts");
    char *text = text_of(&l, 1, 0);
    EXPECT_CONTAINS(text, "    \u2717 LeakSanitizer: memory leak, in get_list at "
                          "skeletons/02-lookup/names.c:60\n      (the report is in the "
                          "output) (2 tests, 5 pt: resolve_a, resolve_b)\n");
    SL_ASSERT_INT_EQ(count(text, "free what you allocate"), 1);
    SL_ASSERT_INT_EQ(count(text, "Direct leak of"), 1);
    EXPECT_CONTAINS(text, "      | ERROR: LeakSanitizer: detected memory leaks\n");
    EXPECT_CONTAINS(text, "      |     #5 get_list skeletons/02-lookup/names.c:60\n");
    EXPECT_CONTAINS(text, "      | [ 0.003] three\n      | ERROR: LeakSanitizer: detected "
                          "memory leaks\n");
    EXPECT_CONTAINS(text, "      | SUMMARY: AddressSanitizer: 128 byte(s) leaked in 2 "
                          "allocation(s).\n      | (12 of 14 lines shown;");
    EXPECT_CONTAINS(text, "    \u2717 host_c (1 pt)\n      LeakSanitizer: memory leak, in get_list");
    EXPECT_CONTAINS(text, "      | (the same failure as under Task 1 above: its hint and "
                          "output are there)\n");
    free(text);
    /* more lines after the report: the last lines alone would lose its head */
    char longer[sizeof leak_out + 64];
    snprintf(longer, sizeof longer, "%sfour\nfive\nsix\n", leak_out);
    t[0].output = t[1].output = t[2].output = longer;
    text = text_of(&l, 1, 0);
    EXPECT_CONTAINS(text, "      | ERROR: LeakSanitizer: detected memory leaks\n");
    EXPECT_CONTAINS(text, "      | four\n      | (12 of 17 lines shown;");
    CU_ASSERT_PTR_NULL(strstr(text, "[ 0.003] three"));
    free(text);
}

#define NOLISTEN(line, host)                                                             \
    "lessons/04-udp/tests/test7_server.c:" #line ": udp-echo-server printed no line "    \
    "'listening on ADDR:PORT' within 3000 ms (print it, then fflush(stdout), once the "  \
    "socket listens); asked for " host
#define NOLISTEN_HINT "Print the line `listening on ADDR:PORT` ... then fflush(stdout)."

SL_TEST(rep_text_one_cause_said_once, 2,
        "Failures whose message is the same up to where the check is, ports, addresses "
        "and family are one block: one headline, the tests, one hint, one output; under "
        "a later task the headline and a line pointing above.")
{
    static res_test_t t[5];
    res_lesson_t l = {(char *)"04-udp", (char *)"skeletons", 0.1, t, 5, 0};
    t[0] = in_task(mk("server_echo_ipv4", 2, RES_FAIL, NOLISTEN(233, "127.0.0.1:40001"),
                      NOLISTEN_HINT, "out a\n"), 7, "Server");
    t[1] = in_task(mk("server_echo_ipv6", 2, RES_FAIL, NOLISTEN(233, "[::1]:40002"),
                      NOLISTEN_HINT, "out b\n"), 7, "Server");
    t[2] = in_task(mk("server_junk_ipv4", 1, RES_FAIL, NOLISTEN(301, "127.0.0.1:40113"),
                      NOLISTEN_HINT, "out c\n"), 7, "Server");
    t[3] = in_task(mk("server_other", 1, RES_FAIL, "t.c:9: expected 3, got 4", "Other.", ""), 7,
                   "Server");
    t[4] = in_task(mk("relay_ipv6", 3, RES_FAIL, NOLISTEN(40, "[::1]:40999"), NOLISTEN_HINT,
                      "out d\n"), 8, "Faults");
    char *text = text_of(&l, 1, 0);
    EXPECT_CONTAINS(text, "(3 tests, 5 pt:");
    EXPECT_CONTAINS(text, "server_junk_ipv4)\n");
    SL_ASSERT_INT_EQ(count(text, "printed no line"), 2);
    SL_ASSERT_INT_EQ(count(text, "hint: Print the line"), 1);
    SL_ASSERT_INT_EQ(count(text, "| out a"), 1);
    CU_ASSERT_PTR_NULL(strstr(text, "| out b"));
    EXPECT_CONTAINS(text, "server_other (1 pt)");
    EXPECT_CONTAINS(text, "(the same failure as under Task 7 above");
    free(text);
}

SL_TEST(rep_hint_most_telling, 2,
        "--hint shows the earliest task's failure that most of its tests share (one "
        "cause), with their names, not the first failure listed; and says when later "
        "tasks were not run.")
{
    static res_test_t t[6];
    res_lesson_t l = {(char *)"04-udp", (char *)"skeletons", 0.1, t, 6, 4};
    t[0] = in_task(mk("relay_ipv6", 3, RES_FAIL, "t.c:40: the relay lost it", "Relay.", ""), 8,
                   "Faults");
    t[1] = in_task(mk("server_other", 1, RES_FAIL, "t.c:9: expected 3, got 4", "Other.", ""), 7,
                   "Server");
    t[2] = in_task(mk("server_echo_ipv4", 2, RES_FAIL, NOLISTEN(233, "127.0.0.1:40001"),
                      NOLISTEN_HINT, "out a\n"), 7, "Server");
    t[3] = in_task(mk("server_echo_ipv6", 2, RES_FAIL, NOLISTEN(233, "[::1]:40002"),
                      NOLISTEN_HINT, "out b\n"), 7, "Server");
    t[4] = in_task(mk("server_passes", 1, RES_PASS, "", "", ""), 7, "Server");
    t[5] = in_task(mk("socket_ok", 1, RES_PASS, "", "", ""), 1, "Sockets");
    rep_opts_t o = {.color = 0};
    char *buf = NULL;
    size_t sz;
    FILE *m = open_memstream(&buf, &sz);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    SL_ASSERT_INT_EQ(rep_hint(m, &l, 1, &o), 0);
    fclose(m);
    EXPECT_CONTAINS(buf, "04-udp\n  Task 7: Server\n    \u2717 lessons/04-udp/tests/test7_server.c:233:");
    EXPECT_CONTAINS(buf, "(2 tests, 4 pt:");
    EXPECT_CONTAINS(buf, "hint: Print the line");
    EXPECT_CONTAINS(buf, "(2 more failing tests)\n");
    EXPECT_CONTAINS(buf, "(4 tests of later tasks not run yet: make grade runs them all)\n");
    CU_ASSERT_PTR_NULL(strstr(buf, "Relay."));
    free(buf);
}

/* ---- tests not run here (SL_TEST_NEEDS) ---------------------------------- */

SL_TEST(rep_skipped_counts_neither_way, 2,
        "A skipped test (its tool missing here) is out of the score and the maximum in "
        "every report: the text table says so under it, JUnit marks it <skipped>, "
        "Gradescope gives it 0 of 0, the summary does not count it as failed.")
{
    static const char why[] = "skipped: it needs python3, which is not installed here";
    res_test_t t[2] = {mk("fetch_ok", 3, RES_PASS, "", "", ""),
                       mk("fetch_python", 2, RES_SKIP, why, "h", "")};
    res_lesson_t l = {(char *)"09-protocols", (char *)"solutions", 0.5, t, 2, 0};
    char dir[64], path[128], *text, *junit, *tsv, *sum = NULL;
    size_t sz;

    SL_ASSERT_INT_EQ(res_score(&l), 3);
    SL_ASSERT_INT_EQ(res_max_score(&l), 3);
    text = text_of(&l, 1, 0);
    EXPECT_CONTAINS(text, "1/1");
    EXPECT_CONTAINS(text, "3/3");
    EXPECT_CONTAINS(text, "- fetch_python (2 pt, not counted): skipped: it needs python3");
    free(text);
    FILE *m = open_memstream(&sum, &sz);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    rep_summary(m, &l, 1);
    fclose(m);
    SL_ASSERT_STR_EQ(sum, "1 0 0 3 3\n");
    free(sum);
    if (scratch(dir) != 0)
        return;
    junit = render(dir, REP_JUNIT, &l, 1, NULL, path);
    if (junit) {
        EXPECT_CONTAINS(junit, "skipped=\"1\"");
        EXPECT_CONTAINS(junit, "<skipped message=\"skipped: it needs python3");
        EXPECT_CONTAINS(junit, "failures=\"0\"");
    }
    tsv = render(dir, REP_TSV, &l, 1, NULL, path);
    if (tsv)
        EXPECT_CONTAINS(tsv, "fetch_python\tskip\t0\t0\t");
    free(junit);
    free(tsv);
    unscratch(dir);
}
