/* Task 5: the request (http_format_request) and which statuses are
 * redirects (http_is_redirect). */
#include "testutil.h"

SL_TASK(5, "The request and redirects");

/* http_format_request() of the URL text must be want. */
static void request_is(const char *text, const char *want)
{
    url_t *u = malloc(sizeof *u);
    char buf[512], what[160];
    int rc;

    SL_QUIET_CALL(rc, url_parse(text, u));
    if (rc != 0) {
        free(u);
        SL_FAIL_FATAL("url_parse(\"%s\") returned %s: Task 1 must work first", text,
                      tu_ret(rc, errno));
    }
    snprintf(what, sizeof what, "http_format_request(\"%s\")", text);
    SL_QUIET_CALL(rc, http_format_request(u, buf, sizeof buf));
    if (rc < 0)
        SL_FAIL("%s returned %s: expected %zu bytes", what, tu_ret(rc, errno), strlen(want));
    else if (SL_CHECK_STR(what, buf, want))
        SL_CHECK_INT(what, rc, (long long)strlen(want));
    free(u);
}

SL_TEST(request_lines_exactly, 3,
        "Six lines, each ending in CRLF: the request line with the target (path and "
        "query, no fragment), Host (RFC 9110 §7.2: the port only when it is not 80), "
        "User-Agent, Accept, Connection: close (RFC 9112 §9.6: then the server closes "
        "after the response), and the empty line that ends the head.")
{
    request_is("http://example.com/docs/a.txt?x=1#top",
               "GET /docs/a.txt?x=1 HTTP/1.1\r\nHost: example.com\r\n"
               "User-Agent: socklab-http-get/1.0\r\nAccept: */*\r\n"
               "Connection: close\r\n\r\n");
    request_is("http://127.0.0.1:8080",
               "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
               "User-Agent: socklab-http-get/1.0\r\nAccept: */*\r\n"
               "Connection: close\r\n\r\n");
    request_is("http://[::1]:8080/x",
               "GET /x HTTP/1.1\r\nHost: [::1]:8080\r\n"
               "User-Agent: socklab-http-get/1.0\r\nAccept: */*\r\n"
               "Connection: close\r\n\r\n");
}

SL_TEST(request_does_not_fit, 1,
        "snprintf() returns how long the text would be: size or more means it did not "
        "fit, ENOSPC. Never send a cut request.")
{
    url_t *u = malloc(sizeof *u);
    char buf[64];
    int rc;

    SL_QUIET_CALL(rc, url_parse("http://example.com/a/rather/long/path/of/a/file.html", u));
    SL_REQUIRE(rc, 0);
    errno = 0;
    SL_QUIET_CALL(rc, http_format_request(u, buf, sizeof buf));
    SL_CHECK_FAILS("http_format_request() into 64 bytes", rc, errno, ENOSPC);
    free(u);
}

SL_TEST(redirect_statuses, 1,
        "RFC 9110 §15.4: 301, 302, 303, 307 and 308 send the client to the Location; "
        "300 (a choice), 304 (not modified) and 305, 306 do not.")
{
    static const int yes[] = {301, 302, 303, 307, 308}, no[] = {200, 300, 304, 305, 306, 309,
                                                                 404, 500};
    char what[64];
    int rc;

    for (size_t i = 0; i < SL_COUNT(yes); i++) {
        snprintf(what, sizeof what, "http_is_redirect(%d)", yes[i]);
        SL_QUIET_CALL(rc, http_is_redirect(yes[i]));
        SL_CHECK_INT(what, rc, 1);
    }
    for (size_t i = 0; i < SL_COUNT(no); i++) {
        snprintf(what, sizeof what, "http_is_redirect(%d)", no[i]);
        SL_QUIET_CALL(rc, http_is_redirect(no[i]));
        SL_CHECK_INT(what, rc, 0);
    }
}
