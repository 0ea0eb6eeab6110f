/* Task 6: Gopher (gopher_format_request, gopher_parse_item), on the lines
 * of RFC 1436 and of servers of today (information lines, Gopher+). */
#include "testutil.h"

SL_TASK(6, "Gopher");

/* gopher_parse_item() of text must give these fields. */
static void item_is(const char *text, char type, const char *display, const char *selector,
                    const char *host, int port)
{
    char line[512], what[600];
    gopher_item_t it;
    int rc;

    snprintf(line, sizeof line, "%s", text);
    snprintf(what, sizeof what, "gopher_parse_item(%s)", sl_bytes(text, strlen(text)));
    errno = 0;
    SL_QUIET_CALL(rc, gopher_parse_item(line, &it));
    if (rc != 0) {
        SL_FAIL("%s returned %s: expected 0, an item", what, tu_ret(rc, errno));
        return;
    }
    if (it.type != type)
        SL_FAIL("%s: type '%c': expected '%c'", what, it.type, type);
    SL_CHECK_STR("its display string", it.display, display);
    SL_CHECK_STR("its selector", it.selector, selector);
    SL_CHECK_STR("its host", it.host, host);
    SL_CHECK_INT("its port", it.port, port);
}

/* gopher_parse_item() of text must return want (-1: with EINVAL). */
static void item_returns(const char *text, int want, const char *why)
{
    char line[512], what[600];
    gopher_item_t it;
    int rc;

    snprintf(line, sizeof line, "%s", text);
    snprintf(what, sizeof what, "gopher_parse_item(%s) (%s)", sl_bytes(text, strlen(text)), why);
    errno = 0;
    SL_QUIET_CALL(rc, gopher_parse_item(line, &it));
    if (want < 0)
        SL_CHECK_FAILS(what, rc, errno, EINVAL);
    else
        SL_CHECK_INT(what, rc, want);
}

SL_TEST(gopher_request, 2,
        "A request is the selector and CRLF (RFC 1436 §2); an empty selector asks for "
        "the top menu. A selector may hold no TAB, CR or LF (§3): it would end the "
        "request early, or send another.")
{
    char buf[64];
    int rc;

    SL_QUIET_CALL(rc, gopher_format_request("", buf, sizeof buf));
    if (SL_CHECK_INT("gopher_format_request(\"\")", rc, 2))
        SL_CHECK_STR("gopher_format_request(\"\")", buf, "\r\n");
    SL_QUIET_CALL(rc, gopher_format_request("/docs/about.txt", buf, sizeof buf));
    if (SL_CHECK_INT("gopher_format_request(\"/docs/about.txt\")", rc, 17))
        SL_CHECK_STR("gopher_format_request(\"/docs/about.txt\")", buf, "/docs/about.txt\r\n");
    errno = 0;
    SL_QUIET_CALL(rc, gopher_format_request("a\tb", buf, sizeof buf));
    SL_CHECK_FAILS("gopher_format_request(\"a\\tb\")", rc, errno, EINVAL);
    errno = 0;
    SL_QUIET_CALL(rc, gopher_format_request("a\r\nb", buf, sizeof buf));
    SL_CHECK_FAILS("gopher_format_request(\"a\\r\\nb\")", rc, errno, EINVAL);
    errno = 0;
    SL_QUIET_CALL(rc, gopher_format_request("/docs/about.txt", buf, 17));
    SL_CHECK_FAILS("gopher_format_request(\"/docs/about.txt\") into 17 bytes (no room for "
                   "the NUL)", rc, errno, ENOSPC);
}

SL_TEST(gopher_items, 3,
        "The first byte is the type; then TAB-separated fields: display string, selector, "
        "host, port. Cut the line at its TABs in place (a NUL for each) and point into "
        "it. A CR left at the end goes; fields after the port (Gopher+) are ignored.")
{
    item_is("0About this server\t/about.txt\tgopher.example.org\t70", '0', "About this server",
            "/about.txt", "gopher.example.org", 70);
    item_is("1Sub menu\t/sub\t127.0.0.1\t7070\r", '1', "Sub menu", "/sub", "127.0.0.1", 7070);
    item_is("iWelcome to the hole\t\terror.host\t1", 'i', "Welcome to the hole", "",
            "error.host", 1);
    item_is("iText\tfake\t(NULL)\t0", 'i', "Text", "fake", "(NULL)", 0);
    item_is("9Binary\t/b.bin\th\t70\t+", '9', "Binary", "/b.bin", "h", 70);
    item_is("1\t\th\t65535", '1', "", "", "h", 65535);
    item_is("3'/nope' does not exist\terror\terror.host\t1", '3', "'/nope' does not exist",
            "error", "error.host", 1);
}

SL_TEST(gopher_end_and_malformed, 2,
        "A line that is \".\" alone ends a menu: 1. An empty line, fewer than four "
        "fields, an empty host, or a port that is not 0 to 65535 in digits alone: -1 "
        "with EINVAL.")
{
    item_returns(".", 1, "the end of the menu");
    item_returns(".\r", 1, "the end of the menu, with its CR");
    item_returns("0x\t/x\th\t70", 0, "a good item");
    item_returns("", -1, "an empty line");
    item_returns("0no tabs at all", -1, "no TAB");
    item_returns("0a\tb\tc", -1, "three fields");
    item_returns("0a\tb\t\t70", -1, "an empty host");
    item_returns("0a\tb\th\t", -1, "an empty port");
    item_returns("0a\tb\th\t70x", -1, "a port with a letter");
    item_returns("0a\tb\th\t65536", -1, "a port past 65535");
    item_returns("0a\tb\th\t-1", -1, "a negative port");
    item_returns("\ta\tb\th\t70", -1, "no type");
    item_returns("..", 0 - 1, "\"..\" (no end, and no item)");
}
