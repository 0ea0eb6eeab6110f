/* test_report.c - self-tests of the results file (results.c) and the
 * reporters (report_*.c), called directly through the res_ and rep_ APIs. */
#include "report.h"
#include "results.h"
#include "sl_test.h"
#include "text.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Output a student program might print: every kind of trouble for XML and JSON. */
static const char nasty[] = "ok \x01\x02\x1b[31mred\x1b[0m \xff\xfe \xc0\xaf \xed\xa0\x80 "
                            "\xef\xbf\xbe \xc2\x85 \x7f ]]> <&> \"q\" 'a' \r\n\tend\n";

/* A test result; the strings are not freed (fixtures live for the process). */
static res_test_t mk(const char *name, int points, res_status_t st, const char *msg,
                     const char *hint, const char *out)
{
    res_test_t t = {(char *)name, points, st, (char *)msg, (char *)hint, (char *)out,
                    (char *)"lessons/x/tests/t.c", 7, 0.25};
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
    ls[0] = (res_lesson_t){(char *)"01-addressing", (char *)"skeletons", 1.5, l1_tests, 4};
    ls[1] = (res_lesson_t){(char *)"02-lookup", (char *)"skeletons", 0.5, l2_tests, 2};
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
    for (int s = RES_PASS; s <= RES_ERROR; s++)
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
    rep_opts_t o = {NULL, 0};
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
    rep_opts_t o = {"title & <\"nasty\"> \x01", 0};
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
    rep_opts_t o = {NULL, 0};
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
        EXPECT_CONTAINS(text, "  \u2717 echo_bytes (2 pt): bytes differ at offset 5\n"
                              "        got:  \"hello\\x00\"\n");
        EXPECT_CONTAINS(text, "    hint: Send every byte.\n    | ok \\x01\\x02\\x1b[31mred");
        EXPECT_CONTAINS(text, "  \u2717 not implemented: addr_parse (1 test, 1 pt: parse_empty)\n"
                              "    hint: Return -1 and set errno to EINVAL.\n");
        EXPECT_CONTAINS(text, "  \u2717 serve (4 pt): crash: killed by SIGSEGV\n");
        EXPECT_CONTAINS(text, "    hint: Check \\x1b[2J pointers.\n");
        CU_ASSERT_PTR_NULL(strstr(text, "parse_ok"));
    }
    free(text);
    unscratch(dir);
}

SL_TEST(rep_text_color, 1, "With colour on, the table carries ANSI codes; the student's own escapes never pass.")
{
    res_lesson_t ls[2];
    rep_opts_t o = {NULL, 1};
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

SL_TEST(rep_text_build_failure, 1,
        "A lesson that did not build shows the compiler output once, cut to its last lines.")
{
    static res_test_t t[3];
    res_lesson_t l = {(char *)"03-tcp", (char *)"skeletons", 0.1, t, 3};
    rep_opts_t o = {NULL, 0};
    char dir[64], path[128], *text, *log = malloc(60 * 40), *p = log;

    CU_ASSERT_PTR_NOT_NULL_FATAL(log);
    for (int i = 0; i < 60; i++)
        p += sprintf(p, "tcp.c:%d: error: oops\n", i);
    for (int i = 0; i < 3; i++)
        t[i] = mk("t", 1, RES_BUILD, "the lesson did not build: fix the first error",
                  "A hint about the test.", log);
    if (scratch(dir) == 0 && (text = render(dir, REP_TEXT, &l, 1, &o, path)) != NULL) {
        SL_ASSERT_INT_EQ(count(text, "lesson did not build:"), 1);
        SL_ASSERT_INT_EQ(count(text, "    | "), REP_BUILD_LINES + 1);
        SL_ASSERT_INT_EQ(count(text, "    hint: fix the first error\n"), 1);
        CU_ASSERT_PTR_NULL(strstr(text, "about the test"));
        EXPECT_CONTAINS(text, "[... 20 earlier lines not shown ...]");
        EXPECT_CONTAINS(text, "tcp.c:59: error: oops\n");
        CU_ASSERT_PTR_NULL(strstr(text, "tcp.c:19: error"));
        free(text);
    }
    unscratch(dir);
    free(log);
}

SL_TEST(rep_hint_first_failure, 1,
        "--hint shows the first failing test (lesson order, then test order), or "
        "says that all tests pass.")
{
    res_lesson_t ls[2];
    rep_opts_t o = {NULL, 0};
    char *buf = NULL;
    size_t sz;
    FILE *m;

    fixtures(ls);
    m = open_memstream(&buf, &sz);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    SL_ASSERT_INT_EQ(rep_hint(m, &ls[1], 1, &o), 0);
    SL_ASSERT_INT_EQ(rep_hint(m, ls, 2, &o), 0);
    fclose(m);
    EXPECT_CONTAINS(buf, "All tests pass.\n01-addressing\n  \u2717 echo_bytes (2 pt)");
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
