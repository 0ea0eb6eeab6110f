/* Task 8: gopher-get, run against a Gopher server of the test's own
 * (canned.h, with requests that end at their LF): menus, texts, an error
 * item for a missing selector, a binary file, one byte at a time. */
#include "canned.h"

SL_TASK_PROGRAMS(8, "The Gopher client");

#define TEXT(s) (s), sizeof(s) - 1

/* Runs gopher-get on s with the selector (NULL: none); ends the test if
 * it was still running after 5 s. */
static void gg_run(sl_run_t *r, const cs_t *s, const char *selector)
{
    const char *args[] = {s->host, sl_port_text(s->port), selector, NULL};
    int rc = sl_run(r, "gopher-get", args, NULL, 0, 5000);

    sl_prog_check_todo(&r->prog);
    if (rc < 0 && r->timed_out)
        SL_FAIL_FATAL("%s was still running after %d ms (it was killed): %s", r->prog.command,
                      sl_scaled_ms(5000),
                      cs_stuck(s, "the test's server had sent everything and closed"));
    if (rc < 0)
        sl_harness_fail(__FILE__, __LINE__);
}

/* gopher-get must print want, exit 0, and have sent `request`. */
static void gg_prints(const char *host, const char *resp, size_t len, int how,
                      const char *selector, const char *request, const char *want)
{
    cs_t *s = cs_new(resp, len, how);
    sl_run_t r;

    s->gopher = 1;
    cs_start(s, host);
    gg_run(&r, s, selector);
    if (s->requests >= 1)
        SL_CHECK_STR("the request the test's Gopher server got", s->request[0], request);
    if (sl_check_exit(&r, r.prog.command, 0)) {
        SL_CHECK_BYTES(r.prog.command, r.prog.out.data, r.prog.out.len, want, strlen(want));
        if (r.prog.err.len)
            SL_FAIL("%s printed %s on stderr: expected nothing", r.prog.command,
                    sl_bytes(r.prog.err.data, r.prog.err.len));
    }
    sl_run_free(&r);
    cs_stop(s);
    free(s);
}

/* gopher-get must fail: exit 1, one error line holding has. */
static void gg_fails(const char *resp, size_t len, const char *selector, const char *has,
                     const char *why)
{
    cs_t *s = cs_new(resp, len, CS_ALL);
    sl_run_t r;
    char what[400];

    s->gopher = 1;
    cs_start(s, "127.0.0.1");
    gg_run(&r, s, selector);
    snprintf(what, sizeof what, "%.250s (%.100s)", r.prog.command, why);
    if (sl_run_status(&r) == 0)
        SL_FAIL("%s exited with status 0, printing %s: expected a failure, said on stderr, "
                "exit status 1", what, sl_bytes(r.prog.out.data, r.prog.out.len));
    else if (sl_check_exit(&r, what, 1))
        sl_check_error_line(&r, what, has);
    sl_run_free(&r);
    cs_stop(s);
    free(s);
}

static const char menu[] = "iWelcome to the test's hole\t\terror.host\t1\r\n"
                           "0About this server\t/about.txt\tgopher.example.org\t70\r\n"
                           "1More documents\t/docs\t127.0.0.1\t7070\t+\r\n"
                           "9A binary\t/b.bin\th\t70\r\n"
                           ".\r\n";
static const char menu_out[] = "Welcome to the test's hole\n"
                               "[0] About this server\tgopher.example.org 70 /about.txt\n"
                               "[1] More documents\t127.0.0.1 7070 /docs\n"
                               "[9] A binary\th 70 /b.bin\n";

SL_NET_TEST(gopher_top_menu, 2, 0,
            "No selector: send \"\\r\\n\" alone, read until the server closes, and print "
            "the menu item by item (gopher_parse_item()): \"[T] DISPLAY<TAB>HOST PORT "
            "SELECTOR\", an information line (type i) as its display string alone, up to "
            "the \".\" line.")
{
    gg_prints(host, TEXT(menu), CS_ALL, NULL, "\r\n", menu_out);
}

SL_TEST(gopher_sub_menu, 1,
        "A menu is a menu whatever its selector: a response whose lines are all items up "
        "to a last \".\" line is printed as one. The selector goes out with CRLF.")
{
    gg_prints("127.0.0.1", TEXT(menu), CS_ALL, "/docs", "/docs\r\n", menu_out);
}

SL_TEST(gopher_text_file, 2,
        "A text ends with a line \".\" alone (RFC 1436 §3), and its own lines that start "
        "with '.' come with another '.' in front: print it without the last line, one "
        "'.' taken off such lines, each line ending in LF.")
{
    static const char text[] = "A text file.\r\n"
                               "..a line that starts with a period\r\n"
                               "\r\n"
                               "the end\r\n"
                               ".\r\n";

    gg_prints("127.0.0.1", TEXT(text), CS_ALL, "/about.txt", "/about.txt\r\n",
              "A text file.\n.a line that starts with a period\n\nthe end\n");
}

SL_TEST(gopher_binary_as_it_came, 1,
        "A response that is neither a menu nor a text ended by \".\" (a binary file, type "
        "9) is printed exactly as it came: fwrite() with its length, as it may hold NUL "
        "bytes.")
{
    static const char bin[] = "\x7f" "ELF\0\0\x01\x02 binary\r\n\tdata\xff";

    cs_t *s = cs_new(TEXT(bin), CS_ALL);
    sl_run_t r;

    s->gopher = 1;
    cs_start(s, "127.0.0.1");
    gg_run(&r, s, "/b.bin");
    if (sl_check_exit(&r, r.prog.command, 0))
        SL_CHECK_BYTES(r.prog.command, r.prog.out.data, r.prog.out.len, bin, sizeof bin - 1);
    sl_run_free(&r);
    cs_stop(s);
    free(s);
}

SL_TEST_TIMEOUT(gopher_missing_selector, 2, 8000,
        "A server without the selector answers with an error item (type 3): say its "
        "display string on stderr (\"gopher-get: ...: '/nope' does not exist\"), exit 1. "
        "An empty answer says nothing, and is a failure too.")
{
    static const char err[] = "3'/nope' does not exist\terror\terror.host\t1\r\n.\r\n";

    gg_fails(TEXT(err), "/nope", "does not exist", "an error item for /nope");
    gg_fails("", 0, "/nope", NULL, "an empty response");
}

SL_TEST_TIMEOUT(gopher_menu_truncated_or_malformed, 2, 8000,
        "The top menu must end with its \".\" line: without it the response was cut "
        "short. A line that is not an item (fewer fields, a bad port) is malformed. Both "
        "are failures, said in one line, exit 1.")
{
    static const char cut[] = "0About\t/about.txt\th\t70\r\n1Docs\t/docs\th\t70\r\n",
                      bad[] = "0About\t/about.txt\th\t70\r\nnot an item at all\r\n.\r\n";

    gg_fails(TEXT(cut), NULL, NULL, "a top menu without its \".\" line");
    gg_fails(TEXT(bad), NULL, NULL, "a top menu with a line that is not an item");
}

SL_TEST_TIMEOUT(gopher_one_byte_at_a_time, 1, 8000,
                "Read until read() returns 0, the server's close: a slow server sends "
                "one byte per segment, and the first read() is not the whole menu.")
{
    gg_prints("127.0.0.1", TEXT(menu), CS_BYTES, NULL, "\r\n", menu_out);
}

SL_TEST_TIMEOUT(gopher_usage, 1, 8000,
        "gopher-get HOST PORT [SELECTOR]: the port a number from 1 to 65535; a selector "
        "with a TAB, CR or LF cannot be sent (RFC 1436 §3): bad usage, exit 2.")
{
    static const char *const none[] = {NULL}, *const one[] = {"127.0.0.1", NULL},
                            *const port[] = {"127.0.0.1", "seventy", NULL},
                            *const zero[] = {"127.0.0.1", "0", NULL},
                            *const tab[] = {"127.0.0.1", "70", "a\tb", NULL},
                            *const four[] = {"127.0.0.1", "70", "/a", "/b", NULL};

    sl_check_bad_usage("gopher-get", none, "(no arguments)");
    sl_check_bad_usage("gopher-get", one, "127.0.0.1 (no port)");
    sl_check_bad_usage("gopher-get", port, "127.0.0.1 seventy");
    sl_check_bad_usage("gopher-get", zero, "127.0.0.1 0");
    sl_check_bad_usage("gopher-get", tab, "127.0.0.1 70 \"a<TAB>b\"");
    sl_check_bad_usage("gopher-get", four, "127.0.0.1 70 /a /b (an argument too many)");
}

SL_TEST_TIMEOUT(gopher_with_short_reads_and_eintr, 1, 10000,
                "read() may return fewer bytes than asked, or fail with EINTR when a "
                "signal came: read again (here libsl-shortio.so makes both happen often).")
{
    static const char *const seeds[] = {"1", "7"};   /* each puts an EINTR on a read() */

    for (size_t i = 0; i < SL_COUNT(seeds); i++) {
        cs_t *s = cs_new(TEXT(menu), CS_BYTES);
        const char *args[] = {NULL, NULL, NULL};
        const char *const *env;
        sl_shortio_t e;
        sl_run_t r;

        s->gopher = 1;
        cs_start(s, "127.0.0.1");
        args[0] = s->host;
        args[1] = sl_port_text(s->port);
        env = sl_shortio_env(&e, seeds[i], "short,eintr", NULL);
        if (env == NULL)
            sl_harness_fail(__FILE__, __LINE__);
        if (sl_run_env(&r, "gopher-get", args, NULL, 0, 4000, env) < 0 && !r.timed_out)
            sl_harness_fail(__FILE__, __LINE__);
        sl_prog_check_todo(&r.prog);
        if (r.timed_out)
            SL_FAIL_FATAL("%s was still running after %d ms (it was killed): %s",
                          r.prog.command, sl_scaled_ms(4000),
                          cs_stuck(s, "the server had sent everything and closed"));
        if (sl_check_exit(&r, r.prog.command, 0))
            SL_CHECK_BYTES(r.prog.command, r.prog.out.data, r.prog.out.len, menu_out,
                           strlen(menu_out));
        sl_run_free(&r);
        cs_stop(s);
        free(s);
    }
}
