/* Task 3: host:port and [v6]:port (addr_parse, addr_format). */
#include "testutil.h"

/* addr_parse(text) must fail with err. */
static void parse_fails(const char *text, int err)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char what[160];
    int ret;

    if (strlen(text) <= 60)
        snprintf(what, sizeof what, "addr_parse(\"%s\", &ss, &len)", text);
    else
        snprintf(what, sizeof what, "addr_parse(\"%.24s...\" (%zu characters), "
                 "&ss, &len)", text, strlen(text));
    errno = 0;
    ret = addr_parse(text, &ss, &len);
    TU_FAILED_WITH(what, ret, errno, err);
}

/* Ends the test unless addr_parse() reads the valid text: a test of
 * rejections first checks that a text of the same kind is accepted, or a
 * function that rejects everything would pass it. */
#define PARSE_MUST_ACCEPT(text) parse_must_accept(__FILE__, __LINE__, (text))

static void parse_must_accept(const char *file, int line, const char *text)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char what[160];
    int ret;

    snprintf(what, sizeof what, "addr_parse(\"%s\", &ss, &len)", text);
    errno = 0;
    ret = addr_parse(text, &ss, &len);
    tu_require(file, line, what, ret, errno, 0);
}

/* addr_parse(text) must succeed with the given port (host order). */
static void parse_port_is(const char *text, unsigned port)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    socklen_t len;
    char what[160];

    snprintf(what, sizeof what, "addr_parse(\"%s\", &ss, &len)", text);
    if (TU_INT_EQ(what, addr_parse(text, &ss, &len), 0)) {
        snprintf(what, sizeof what, "ntohs(sin_port) after addr_parse(\"%s\")", text);
        TU_INT_EQ(what, ntohs(sin->sin_port), port);
    }
}

/* addr_format() of (ss, len) must write want. */
static void format_is(const struct sockaddr_storage *ss, socklen_t len,
                      const char *want)
{
    char buf[ADDR_STRLEN];
    char what[160];

    snprintf(what, sizeof what, "addr_format() of %s", want);
    memset(buf, 0, sizeof buf);
    if (TU_INT_EQ(what, addr_format((const struct sockaddr *)ss, len, buf, sizeof buf), 0))
        TU_STR_EQ(what, buf, want);
}

SL_TEST(parse_ipv4, 2,
        "Split at the ':', read the port yourself (digits only) and give the "
        "address to addr_from_text(): \"127.0.0.1:8080\" is AF_INET, port 8080 "
        "stored in network order.")
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    socklen_t len = 0;

    SL_ASSERT_INT_EQ_FATAL(addr_parse("127.0.0.1:8080", &ss, &len), 0);
    SL_ASSERT_INT_EQ(len, sizeof(struct sockaddr_in));
    SL_ASSERT_INT_EQ(sin->sin_family, AF_INET);
    SL_ASSERT_BYTES_EQ(&sin->sin_port, 2, "\x1f\x90", 2);
    SL_ASSERT_BYTES_EQ(&sin->sin_addr, 4, "\x7f\x00\x00\x01", 4);
}

SL_TEST(parse_ipv6, 2,
        "An IPv6 address comes in brackets: \"[::1]:8080\". The address is what "
        "lies between '[' and ']', and the port follows \"]:\".")
{
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    SL_ASSERT_INT_EQ_FATAL(addr_parse("[::1]:8080", &ss, &len), 0);
    SL_ASSERT_INT_EQ(len, sizeof(struct sockaddr_in6));
    SL_ASSERT_INT_EQ(sin6->sin6_family, AF_INET6);
    SL_ASSERT_BYTES_EQ(&sin6->sin6_port, 2, "\x1f\x90", 2);
    SL_ASSERT_BYTES_EQ(&sin6->sin6_addr, 16,
                       "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
}

SL_TEST(parse_ipv6_scope, 1,
        "The scope goes inside the brackets: \"[fe80::1%lo]:80\". Hand the "
        "whole bracketed text to addr_from_text().")
{
    unsigned lo = tu_lo_index();
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    SL_ASSERT_INT_EQ_FATAL(addr_parse("[fe80::1%lo]:80", &ss, &len), 0);
    SL_ASSERT_INT_EQ(sin6->sin6_scope_id, lo);
    SL_ASSERT_INT_EQ(ntohs(sin6->sin6_port), 80);
    parse_fails("[fe80::1%nosuchif0]:80", ENXIO);
}

SL_TEST(parse_port_range, 2,
        "A port is 0..65535. Check the number of digits before converting, so "
        "that a huge number cannot wrap around to a small one (4294967376 is "
        "80 modulo 2^32).")
{
    parse_port_is("1.2.3.4:0", 0);
    parse_port_is("1.2.3.4:1", 1);
    parse_port_is("1.2.3.4:65535", 65535);
    parse_port_is("[::1]:65535", 65535);
    parse_fails("1.2.3.4:65536", EINVAL);
    parse_fails("1.2.3.4:99999", EINVAL);
    parse_fails("1.2.3.4:100000", EINVAL);
    parse_fails("1.2.3.4:4294967376", EINVAL);
    parse_fails("1.2.3.4:18446744073709551696", EINVAL);
}

SL_TEST(parse_rejects_missing_port, 1,
        "No ':' after the address, or nothing after the ':', means no port: "
        "-1 with errno EINVAL.")
{
    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_MUST_ACCEPT("[::1]:80");
    parse_fails("", EINVAL);
    parse_fails("1.2.3.4", EINVAL);
    parse_fails("1.2.3.4:", EINVAL);
    parse_fails("[::1]", EINVAL);
    parse_fails("[::1]:", EINVAL);
}

SL_TEST(parse_rejects_bad_port, 2,
        "strtol(3) accepts leading spaces, a sign and trailing junk: check that "
        "the port is only digits (1 to 5 of them, no leading zero) before "
        "converting it.")
{
    static const char *const bad[] = {
        "1.2.3.4:80x", "1.2.3.4:+80", "1.2.3.4:-1", "1.2.3.4: 80",
        "1.2.3.4:0x50", "1.2.3.4:8 0", "1.2.3.4:080", "1.2.3.4:00",
        "1.2.3.4:1e3", "1.2.3.4:80:80", "1.2.3.4:http", "[::1]:80x",
    };

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_MUST_ACCEPT("[::1]:80");
    for (size_t i = 0; i < TU_COUNT(bad); i++)
        parse_fails(bad[i], EINVAL);
}

SL_TEST(parse_rejects_bad_brackets, 2,
        "A '[' needs its ']' right before the \":PORT\", and a ']' needs its "
        "'['; inside the brackets must be an IPv6 address.")
{
    static const char *const bad[] = {
        "[::1:80", "::1]:80", "[::1]80", "[[::1]]:80", "[::1]]:80", "[]:80",
        "[192.0.2.1]:80", "[localhost]:80", "[::1]:[80]", "1.2.3.4]:80",
    };

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_MUST_ACCEPT("[::1]:80");
    for (size_t i = 0; i < TU_COUNT(bad); i++)
        parse_fails(bad[i], EINVAL);
}

SL_TEST(parse_rejects_unbracketed_ipv6, 2,
        "\"::1:80\" could be ::1 port 80 or the address ::1:80 with no port: an "
        "IPv6 address must be written in brackets (RFC 3986 section 3.2.2), so reject it.")
{
    PARSE_MUST_ACCEPT("[::1]:80");
    parse_fails("::1:80", EINVAL);
    parse_fails("2001:db8::1:443", EINVAL);
    parse_fails("fe80::1%lo:80", EINVAL);
    parse_fails("::ffff:1.2.3.4:80", EINVAL);
}

SL_TEST(parse_rejects_bad_address, 1,
        "The address follows addr_from_text()'s rules: numeric only (no "
        "\"localhost\": name lookup is lesson 02), four parts of 0..255, no "
        "leading zeros.")
{
    static const char *const bad[] = {
        ":80", "256.1.1.1:80", "1.2.3:80", "1.2.3.4.5:80", "01.2.3.4:80",
        "localhost:80", "example.com:80", "1.2.3.4%lo:80",
    };

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    for (size_t i = 0; i < TU_COUNT(bad); i++)
        parse_fails(bad[i], EINVAL);
}

SL_TEST(parse_rejects_spaces, 1,
        "No space is allowed anywhere, not even around the text: \" 1.2.3.4:80\" "
        "and \"1.2.3.4:80 \" are errors, not addresses to trim.")
{
    static const char *const bad[] = {
        " 1.2.3.4:80", "1.2.3.4:80 ", "1.2.3.4 :80", "[ ::1]:80", "[::1] :80",
        "1.2.3.4:80\n", "\t1.2.3.4:80",
    };

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_MUST_ACCEPT("[::1]:80");
    for (size_t i = 0; i < TU_COUNT(bad); i++)
        parse_fails(bad[i], EINVAL);
}

SL_TEST(parse_rejects_overlong, 1,
        "Check the length of the address part before you copy it into a "
        "local array: ADDR_STRLEN bytes hold any valid one, so a longer one "
        "is EINVAL. Copy first and check later, and a long text overflows "
        "your buffer.")
{
    char text[1100];

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_MUST_ACCEPT("[::1]:80");
    parse_fails(tu_repeat(text, sizeof text, "[", '1', 300, "]:80"), EINVAL);
    parse_fails(tu_repeat(text, sizeof text, "[::", '1', 300, "]:80"), EINVAL);
    parse_fails(tu_repeat(text, sizeof text, "[fe80::1%", 'a', 300, "]:80"), EINVAL);
    parse_fails(tu_repeat(text, sizeof text, "", '1', 1000, ""), EINVAL);
    parse_fails(tu_repeat(text, sizeof text, "", '1', 1000, ":80"), EINVAL);
    parse_fails(tu_repeat(text, sizeof text, "1.2.3.4:", '8', 1000, ""), EINVAL);
}

SL_TEST(parse_null_arguments, 1,
        "Check every pointer argument: NULL is -1 with errno EINVAL.")
{
    struct sockaddr_storage ss;
    socklen_t len;

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    SL_ASSERT_FAILS_WITH(addr_parse(NULL, &ss, &len), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_parse("1.2.3.4:80", NULL, &len), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_parse("1.2.3.4:80", &ss, NULL), EINVAL);
}

SL_TEST(format_ipv4, 1,
        "IPv4 is ADDRESS:PORT with the address as addr_to_text() writes it and "
        "the port turned back to host order with ntohs().")
{
    struct sockaddr_storage ss;

    format_is(&ss, tu_in4(&ss, "127.0.0.1", 8080), "127.0.0.1:8080");
    format_is(&ss, tu_in4(&ss, "0.0.0.0", 0), "0.0.0.0:0");
    format_is(&ss, tu_in4(&ss, "255.255.255.255", 65535), "255.255.255.255:65535");
}

SL_TEST(format_ipv6, 2,
        "IPv6 goes in brackets, the scope inside them: \"[::1]:8080\", "
        "\"[fe80::1%lo]:80\".")
{
    unsigned lo = tu_lo_index();
    struct sockaddr_storage ss;

    format_is(&ss, tu_in6(&ss, "::1", 8080, 0), "[::1]:8080");
    format_is(&ss, tu_in6(&ss, "2001:0db8::0001", 443, 0), "[2001:db8::1]:443");
    format_is(&ss, tu_in6(&ss, "::ffff:192.0.2.1", 53, 0), "[::ffff:192.0.2.1]:53");
    format_is(&ss, tu_in6(&ss, "fe80::1", 80, lo), "[fe80::1%lo]:80");
}

SL_TEST(format_unix, 1,
        "An AF_UNIX address has no port: write its path alone, as "
        "addr_to_text() does.")
{
    struct sockaddr_storage ss;

    format_is(&ss, tu_un(&ss, "/tmp/echo.sock"), "/tmp/echo.sock");
}

SL_TEST(format_no_space, 2,
        "If the whole text and its NUL do not fit, fail with ENOSPC and leave "
        "\"\": compare what snprintf(3) returns with the size.")
{
    struct sockaddr_storage ss;
    socklen_t len = tu_in6(&ss, "::1", 8080, 0); /* "[::1]:8080": 10 characters */
    char buf[32];
    char guard[32];

    TU_REQUIRE_OK(addr_format((struct sockaddr *)&ss, len, buf, sizeof buf));
    memset(guard, 'Z', sizeof guard);
    memset(buf, 'Z', sizeof buf);
    SL_ASSERT_FAILS_WITH(addr_format((struct sockaddr *)&ss, len, buf, 10), ENOSPC);
    SL_ASSERT_INT_EQ(buf[0], '\0');
    SL_ASSERT_BYTES_EQ(buf + 10, sizeof buf - 10, guard, sizeof buf - 10);
    SL_ASSERT_FAILS_WITH(addr_format((struct sockaddr *)&ss, len, buf, 6), ENOSPC);
    SL_ASSERT_INT_EQ(buf[0], '\0');
    SL_ASSERT_INT_EQ_FATAL(addr_format((struct sockaddr *)&ss, len, buf, 11), 0);
    TU_STR_EQ("addr_format(..., buf, 11)", buf, "[::1]:8080");
}

SL_TEST(format_bad_address, 1,
        "As addr_to_text(): EAFNOSUPPORT for an unknown family, EINVAL for a "
        "length too short for the family or a NULL pointer.")
{
    struct sockaddr_storage ss;
    struct sockaddr *sa = (struct sockaddr *)&ss;
    char buf[ADDR_STRLEN];
    socklen_t len = tu_in6(&ss, "::1", 80, 0);

    TU_REQUIRE_OK(addr_format(sa, len, buf, sizeof buf));
    memset(&ss, 0, sizeof ss);
    ss.ss_family = AF_UNSPEC;
    SL_ASSERT_FAILS_WITH(addr_format(sa, sizeof ss, buf, sizeof buf), EAFNOSUPPORT);
    len = tu_in6(&ss, "::1", 80, 0);
    SL_ASSERT_FAILS_WITH(addr_format(sa, len - 1, buf, sizeof buf), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_format(NULL, len, buf, sizeof buf), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_format(sa, len, NULL, sizeof buf), EINVAL);
}

SL_TEST(parse_format_round_trip, 1,
        "addr_format() must write exactly the text addr_parse() reads, so that "
        "a program can print an address and read it back.")
{
    static const char *const texts[] = {
        "127.0.0.1:8080", "10.1.2.3:0", "[::1]:65535", "[2001:db8::1]:443",
        "[::ffff:192.0.2.1]:53", "[fe80::1%lo]:80",
    };
    struct sockaddr_storage ss;
    socklen_t len;
    char what[160];

    for (size_t i = 0; i < TU_COUNT(texts); i++) {
        snprintf(what, sizeof what, "addr_parse(\"%s\", ...)", texts[i]);
        if (TU_INT_EQ(what, addr_parse(texts[i], &ss, &len), 0))
            format_is(&ss, len, texts[i]);
    }
}
