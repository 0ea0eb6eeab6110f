/* Task 3: host:port and [v6]:port (addr_parse, addr_format). */
#include "testutil.h"

SL_TASK(3, "host:port");

/* ---- helpers ----------------------------------------------------------- */

/* addr_parse(text) must succeed, or the test ends here. A test of
 * rejections first checks that a text of the same kind is accepted, or a
 * function that rejects everything would pass it. */
#define PARSE_OK(text, ss, len) parse_ok(__FILE__, __LINE__, (text), (ss), (len))

static void parse_ok(const char *file, int line, const char *text,
                     struct sockaddr_storage *ss, socklen_t *len)
{
    char what[TU_WORDS_LEN + 16];
    int ret;

    snprintf(what, sizeof what, "addr_parse(%s)", tu_text(text));
    errno = 0;
    ret = addr_parse(text, ss, len);
    sl_require(file, line, what, ret, errno, 0);
}

/* Like PARSE_OK(), for a test that needs nothing of the result. */
#define PARSE_MUST_ACCEPT(text)                                               \
    do {                                                                      \
        struct sockaddr_storage ss_;                                          \
        socklen_t len_;                                                       \
        parse_ok(__FILE__, __LINE__, (text), &ss_, &len_);                    \
    } while (0)

/* addr_parse(text) must fail with err. */
#define PARSE_FAILS(text, err) parse_fails(__FILE__, __LINE__, (text), (err))

static void parse_fails(const char *file, int line, const char *text, int err)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char what[TU_WORDS_LEN + 16];
    int ret;

    snprintf(what, sizeof what, "addr_parse(%s)", tu_text(text));
    errno = 0;
    ret = addr_parse(text, &ss, &len);
    sl_check_fails(file, line, 0, what, ret, errno, err);
}

/* addr_parse(text) must succeed with the given port (host order). */
#define PARSE_PORT_IS(text, port) parse_port_is(__FILE__, __LINE__, (text), (port))

static void parse_port_is(const char *file, int line, const char *text, unsigned port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char what[TU_WORDS_LEN + 16];
    in_port_t net;

    parse_ok(file, line, text, &ss, &len);
    snprintf(what, sizeof what, "addr_parse(%s)", tu_text(text));
    if (ss.ss_family == AF_INET6)
        net = ((struct sockaddr_in6 *)&ss)->sin6_port;
    else
        net = ((struct sockaddr_in *)&ss)->sin_port;
    sl_check_int(file, line, 0, tu_of("the port", what), ntohs(net), port);
}

/* addr_format() of (ss, len), with a copy of the address of exactly len
 * bytes and a buffer of exactly size bytes, must write want. The address
 * is named in failures as desc, or if NULL as tu_addr() writes it. */
#define FORMAT_IS(ss, len, size, want)                                        \
    format_is(__FILE__, __LINE__, NULL, (ss), (len), (size), (want))
#define FORMAT_OF(desc, ss, len, want)                                        \
    format_is(__FILE__, __LINE__, (desc), (ss), (len), ADDR_STRLEN, (want))

static void format_is(const char *file, int line, const char *desc,
                      const struct sockaddr_storage *ss, socklen_t len, size_t size,
                      const char *want)
{
    void *sa = tu_dup_addr(ss, len);
    char *buf = tu_alloc(size, 'Z');
    char what[TU_WORDS_LEN + 40];
    int ret;

    if (desc != NULL)
        snprintf(what, sizeof what, "addr_format(%s)", desc);
    else if (size == ADDR_STRLEN)
        snprintf(what, sizeof what, "addr_format(%s)", tu_addr(ss, len));
    else
        snprintf(what, sizeof what, "addr_format(%s, a %zu-byte buffer)",
                 tu_addr(ss, len), size);
    errno = 0;
    ret = addr_format(sa, len, buf, size);
    sl_require(file, line, what, ret, errno, 0);
    sl_check_bytes(file, line, 0, what, buf, strnlen(buf, size), want, strlen(want));
    tu_free(what, buf);
    tu_free(what, sa);
}

/* addr_format() of (ss, len) into a buffer of exactly size bytes must
 * fail with ENOSPC, leave "" in buf (if size > 0), and write nothing past
 * buf[size - 1]. */
#define FORMAT_NO_SPACE(ss, len, size)                                        \
    format_no_space(__FILE__, __LINE__, (ss), (len), (size))

static void format_no_space(const char *file, int line,
                            const struct sockaddr_storage *ss, socklen_t len,
                            size_t size)
{
    void *sa = tu_dup_addr(ss, len);
    char *buf = tu_alloc(size, 'Z');
    char what[TU_WORDS_LEN + 40];
    int ret;

    snprintf(what, sizeof what, "addr_format(%s, a %zu-byte buffer)", tu_addr(ss, len),
             size);
    errno = 0;
    ret = addr_format(sa, len, buf, size);
    sl_check_fails(file, line, 0, what, ret, errno, ENOSPC);
    if (size > 0)
        SL_HINT("On ENOSPC leave \"\" in buf, never a part of the text: if you "
                "write the address first and the port after it, clear buf "
                "when the port does not fit.")
        {
            sl_check_bytes(file, line, 0, tu_of("the text in buf", what), buf,
                           strnlen(buf, size), "", 0);
        }
    tu_free(what, buf);
    tu_free(what, sa);
}

/* addr_format() of (ss, len), read from a copy of exactly len bytes, must
 * fail with err. */
#define FORMAT_FAILS(ss, len, err) format_fails(__FILE__, __LINE__, (ss), (len), (err))

static void format_fails(const char *file, int line, const struct sockaddr_storage *ss,
                         socklen_t len, int err)
{
    void *sa = tu_dup_addr(ss, len);
    char buf[ADDR_STRLEN];
    char what[TU_WORDS_LEN + 16];
    int ret;

    snprintf(what, sizeof what, "addr_format(%s)", tu_addr(ss, len));
    errno = 0;
    ret = addr_format(sa, len, buf, sizeof buf);
    sl_check_fails(file, line, 0, what, ret, errno, err);
    tu_free(what, sa);
}

/* Texts addr_parse() refuses with EINVAL, each with what to do. */
struct bad_text {
    const char *text;
    const char *hint; /* NULL: the test's */
};

static void parse_all_fail(const char *file, int line, const struct bad_text *bad, size_t n)
{
    for (size_t i = 0; i < n; i++)
        SL_HINT(bad[i].hint)
        {
            parse_fails(file, line, bad[i].text, EINVAL);
        }
}

#define PARSE_ALL_FAIL(bad) parse_all_fail(__FILE__, __LINE__, (bad), SL_COUNT(bad))

/* The longest IPv6 text inet_pton() reads (45 characters). */
#define LONGEST_IPV6 "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"

/* ---- addr_parse() ------------------------------------------------------ */

SL_TEST(parse_ipv4, 2,
        "Split at the ':', read the port yourself (digits only) and give the "
        "address to addr_from_text(): \"127.0.0.1:8080\" is AF_INET, port 8080 "
        "stored in network order.")
{
    const char *call = "addr_parse(\"127.0.0.1:8080\")";
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    socklen_t len = 0;

    PARSE_OK("127.0.0.1:8080", &ss, &len);
    SL_CHECK_INT(tu_of("*len", call), len, sizeof(struct sockaddr_in));
    SL_CHECK_INT(tu_of("sin_family", call), sin->sin_family, AF_INET);
    SL_CHECK_BYTES(tu_of("sin_port", call), &sin->sin_port, 2, "\x1f\x90", 2);
    SL_CHECK_BYTES(tu_of("sin_addr", call), &sin->sin_addr, 4, "\x7f\x00\x00\x01", 4);
}

SL_TEST(parse_ipv6, 2,
        "An IPv6 address comes in brackets: \"[::1]:8080\". The address is what "
        "lies between '[' and ']', and the port follows \"]:\".")
{
    const char *call = "addr_parse(\"[::1]:8080\")";
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    PARSE_OK("[::1]:8080", &ss, &len);
    SL_CHECK_INT(tu_of("*len", call), len, sizeof(struct sockaddr_in6));
    SL_CHECK_INT(tu_of("sin6_family", call), sin6->sin6_family, AF_INET6);
    SL_CHECK_BYTES(tu_of("sin6_port", call), &sin6->sin6_port, 2, "\x1f\x90", 2);
    SL_CHECK_BYTES(tu_of("sin6_addr", call), &sin6->sin6_addr, 16,
                   "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
}

SL_TEST(parse_ipv6_scope, 1,
        "The scope goes inside the brackets: \"[fe80::1%lo]:80\". Hand "
        "addr_from_text() what lies between '[' and ']' (\"fe80::1%lo\", the "
        "brackets left out), after checking that it holds a ':'.")
{
    const char *call = "addr_parse(\"[fe80::1%lo]:80\")";
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    PARSE_OK("[fe80::1%lo]:80", &ss, &len);
    SL_CHECK_INT(tu_of("sin6_scope_id", call), sin6->sin6_scope_id, tu_lo_index());
    SL_CHECK_INT(tu_of("the port", call), ntohs(sin6->sin6_port), 80);
    SL_HINT("addr_from_text() fails with ENXIO for a scope that no interface "
            "has: pass its errno on, do not turn it into EINVAL.")
    {
        PARSE_FAILS("[fe80::1%nosuchif0]:80", ENXIO);
    }
}

SL_TEST(parse_longest, 1,
        "The longest valid text: the 45-character IPv6 address " LONGEST_IPV6
        ", a scope and port 65535. Copy the address part into an array of "
        "ADDR_STRLEN bytes (it fits) and pass it to addr_from_text().")
{
    const char *call = "addr_parse(\"[" LONGEST_IPV6 "%lo]:65535\")";
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    PARSE_OK("[" LONGEST_IPV6 "%lo]:65535", &ss, &len);
    SL_CHECK_BYTES(tu_of("sin6_addr", call), &sin6->sin6_addr, 16,
                   "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 16);
    SL_CHECK_INT(tu_of("sin6_scope_id", call), sin6->sin6_scope_id, tu_lo_index());
    SL_CHECK_INT(tu_of("the port", call), ntohs(sin6->sin6_port), 65535);
}

SL_TEST(parse_port_range, 2,
        "A port is 0..65535. Check the number of digits before converting, so "
        "that a huge number cannot wrap around to a small one (4294967376 is "
        "80 modulo 2^32).")
{
    PARSE_PORT_IS("1.2.3.4:65535", 65535);
    PARSE_PORT_IS("[::1]:65535", 65535);
    SL_HINT("0 is a port too (binding it asks for any free one): \":0\" is "
            "valid, only a leading zero before other digits is not.")
    {
        PARSE_PORT_IS("1.2.3.4:0", 0);
        PARSE_PORT_IS("[::1]:0", 0);
    }
    PARSE_PORT_IS("1.2.3.4:1", 1);
    SL_HINT("65535 is the largest port: 65536 is EINVAL. Compare the value "
            "with 65535 before storing it in 16 bits, where 65536 would wrap "
            "around to 0.")
    {
        PARSE_FAILS("1.2.3.4:65536", EINVAL);
        PARSE_FAILS("[::1]:65536", EINVAL);
        PARSE_FAILS("1.2.3.4:99999", EINVAL);
    }
    PARSE_FAILS("1.2.3.4:100000", EINVAL);
    PARSE_FAILS("1.2.3.4:4294967376", EINVAL);
    PARSE_FAILS("1.2.3.4:18446744073709551696", EINVAL);
}

SL_TEST(parse_rejects_missing_port, 1,
        "No ':' after the address, or nothing after the ':', means no port: "
        "-1 with errno EINVAL.")
{
    static const struct bad_text bad[] = {
        {"", NULL}, {"1.2.3.4", NULL}, {"1.2.3.4:", NULL}, {"[::1]", NULL},
        {"[::1]:", NULL},
    };

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_MUST_ACCEPT("[::1]:80");
    PARSE_ALL_FAIL(bad);
}

SL_TEST(parse_rejects_bad_port, 2,
        "strtol(3) accepts leading spaces, a sign and trailing junk: check that "
        "the port is only digits (1 to 5 of them, no leading zero) before "
        "converting it.")
{
    static const struct bad_text bad[] = {
        {"1.2.3.4:80x", NULL}, {"1.2.3.4:+80", NULL}, {"1.2.3.4:-1", NULL},
        {"1.2.3.4: 80", NULL}, {"1.2.3.4:0x50", NULL}, {"1.2.3.4:8 0", NULL},
        {"1.2.3.4:080", "A port has no leading zero: \"080\" and \"00\" are EINVAL "
                        "(only \"0\" itself is a port with a 0 first)."},
        {"1.2.3.4:00", "A port has no leading zero: \"080\" and \"00\" are EINVAL "
                       "(only \"0\" itself is a port with a 0 first)."},
        {"1.2.3.4:1e3", NULL},
        {"1.2.3.4:80:80", "The address ends at the first ':' (outside brackets): "
                          "what follows, \"80:80\", is no port."},
        {"1.2.3.4:http", "Only numbers: a service name such as \"http\" is for "
                         "getaddrinfo() (lesson 02), not here."},
        {"[::1]:80x", NULL},
    };

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_MUST_ACCEPT("[::1]:80");
    PARSE_ALL_FAIL(bad);
}

SL_TEST(parse_rejects_bad_brackets, 2,
        "A '[' needs its ']' right before the \":PORT\", and a ']' needs its "
        "'['; inside the brackets must be an IPv6 address.")
{
    static const struct bad_text bad[] = {
        {"[::1:80", NULL}, {"::1]:80", NULL}, {"[::1]80", NULL}, {"[[::1]]:80", NULL},
        {"[::1]]:80", NULL}, {"[]:80", NULL},
        {"[192.0.2.1]:80", "Brackets hold an IPv6 address only: refuse "
                           "\"[192.0.2.1]:80\" even though 192.0.2.1 is an "
                           "address (there must be a ':' between the brackets)."},
        {"[localhost]:80", NULL}, {"[::1]:[80]", NULL}, {"1.2.3.4]:80", NULL},
    };

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_MUST_ACCEPT("[::1]:80");
    PARSE_ALL_FAIL(bad);
}

SL_TEST(parse_rejects_unbracketed_ipv6, 2,
        "\"::1:80\" could be ::1 port 80 or the address ::1:80 with no port: an "
        "IPv6 address must be written in brackets (RFC 3986 section 3.2.2), so reject it.")
{
    static const struct bad_text bad[] = {
        {"::1:80", NULL}, {"2001:db8::1:443", NULL}, {"fe80::1%lo:80", NULL},
        {"::ffff:1.2.3.4:80", NULL},
    };

    PARSE_MUST_ACCEPT("[::1]:80");
    PARSE_ALL_FAIL(bad);
}

SL_TEST(parse_rejects_bad_address, 1,
        "The address follows addr_from_text()'s rules: numeric only (no "
        "\"localhost\": name lookup is lesson 02), four parts of 0..255, no "
        "leading zeros.")
{
    static const struct bad_text bad[] = {
        {":80", "Nothing before the ':' is no address: EINVAL (and \"\" is no "
                "IPv4 address for addr_from_text() either)."},
        {"256.1.1.1:80", NULL}, {"1.2.3:80", NULL}, {"1.2.3.4.5:80", NULL},
        {"01.2.3.4:80", NULL}, {"localhost:80", NULL}, {"example.com:80", NULL},
        {"1.2.3.4%lo:80", "A scope belongs to an IPv6 address, in brackets: "
                          "\"1.2.3.4%lo\" is no IPv4 address."},
    };

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_ALL_FAIL(bad);
}

SL_TEST(parse_rejects_spaces, 1,
        "No space is allowed anywhere, not even around the text: \" 1.2.3.4:80\" "
        "and \"1.2.3.4:80 \" are errors, not addresses to trim.")
{
    static const struct bad_text bad[] = {
        {" 1.2.3.4:80", NULL}, {"1.2.3.4:80 ", NULL}, {"1.2.3.4 :80", NULL},
        {"[ ::1]:80", NULL}, {"[::1] :80", NULL}, {"1.2.3.4:80\n", NULL},
        {"\t1.2.3.4:80", NULL},
    };

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    PARSE_MUST_ACCEPT("[::1]:80");
    PARSE_ALL_FAIL(bad);
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
    PARSE_FAILS(tu_repeat(text, sizeof text, "[", '1', 300, "]:80"), EINVAL);
    PARSE_FAILS(tu_repeat(text, sizeof text, "[::", '1', 300, "]:80"), EINVAL);
    SL_HINT("The scope counts in the length of the address part: "
            "\"[fe80::1%aaa...]\" with 300 letters is longer than any valid "
            "address part, so it is EINVAL, found before copying it.")
    {
        PARSE_FAILS(tu_repeat(text, sizeof text, "[fe80::1%", 'a', 300, "]:80"), EINVAL);
    }
    PARSE_FAILS(tu_repeat(text, sizeof text, "", '1', 1000, ""), EINVAL);
    PARSE_FAILS(tu_repeat(text, sizeof text, "", '1', 1000, ":80"), EINVAL);
    SL_HINT("A port has at most 5 digits: 1000 of them are EINVAL. Count "
            "the digits before converting (strtoul() would saturate, or "
            "wrap around when stored in a smaller type).")
    {
        PARSE_FAILS(tu_repeat(text, sizeof text, "1.2.3.4:", '8', 1000, ""), EINVAL);
    }
}

SL_TEST(parse_address_part_limit, 2,
        "An address part (between the brackets, scope included, or before the "
        "':') of ADDR_STRLEN characters or more is EINVAL: refuse it before "
        "copying it into your array of ADDR_STRLEN bytes. A shorter one goes "
        "on to addr_from_text(), whose errno you pass on unchanged.")
{
    const size_t at = ADDR_STRLEN - strlen("fe80::1%"); /* letters for 128 */
    char text[ADDR_STRLEN + 32];

    PARSE_MUST_ACCEPT("[fe80::1%lo]:80");
    SL_HINT("A scope name of 15 characters that no interface has is ENXIO "
            "from addr_from_text(): pass its errno on, do not turn it into "
            "EINVAL.")
    {
        PARSE_FAILS("[fe80::1%nosuchif0123456]:80", ENXIO);
    }
    SL_HINT("A scope name of 16 characters or more is EINVAL, as "
            "addr_from_text() says: one mistake, one errno, whichever "
            "function finds it.")
    {
        PARSE_FAILS("[fe80::1%nosuchif01234567]:80", EINVAL);
        PARSE_FAILS(tu_repeat(text, sizeof text, "[fe80::1%", 'a', at - 1, "]:80"), EINVAL);
    }
    SL_HINT("An address part of ADDR_STRLEN (128) characters is too long: "
            "EINVAL, found before copying it (it and its NUL do not fit in "
            "ADDR_STRLEN bytes).")
    {
        PARSE_FAILS(tu_repeat(text, sizeof text, "[fe80::1%", 'a', at, "]:80"), EINVAL);
    }
    SL_HINT("Before the ':', 127 or 128 digits are no IPv4 address: EINVAL "
            "either way, and copied only if they fit with their NUL.")
    {
        PARSE_FAILS(tu_repeat(text, sizeof text, "", '1', ADDR_STRLEN - 1, ":80"), EINVAL);
        PARSE_FAILS(tu_repeat(text, sizeof text, "", '1', ADDR_STRLEN, ":80"), EINVAL);
    }
}

SL_TEST(parse_null_arguments, 1,
        "Check every pointer argument: NULL is -1 with errno EINVAL.")
{
    struct sockaddr_storage ss;
    socklen_t len;
    int ret;

    PARSE_MUST_ACCEPT("1.2.3.4:80");
    errno = 0;
    ret = addr_parse(NULL, &ss, &len);
    SL_CHECK_FAILS("addr_parse(NULL text)", ret, errno, EINVAL);
    errno = 0;
    ret = addr_parse("1.2.3.4:80", NULL, &len);
    SL_CHECK_FAILS("addr_parse(\"1.2.3.4:80\") with ss NULL", ret, errno, EINVAL);
    errno = 0;
    ret = addr_parse("1.2.3.4:80", &ss, NULL);
    SL_CHECK_FAILS("addr_parse(\"1.2.3.4:80\") with len NULL", ret, errno, EINVAL);
}

/* ---- addr_format() ----------------------------------------------------- */

SL_TEST(format_ipv4, 1,
        "IPv4 is ADDRESS:PORT with the address as addr_to_text() writes it and "
        "the port turned back to host order with ntohs().")
{
    struct sockaddr_storage ss;

    FORMAT_IS(&ss, tu_in4(&ss, "127.0.0.1", 8080), ADDR_STRLEN, "127.0.0.1:8080");
    FORMAT_IS(&ss, tu_in4(&ss, "0.0.0.0", 0), ADDR_STRLEN, "0.0.0.0:0");
    FORMAT_IS(&ss, tu_in4(&ss, "255.255.255.255", 65535), ADDR_STRLEN,
              "255.255.255.255:65535");
}

SL_TEST(format_ipv6, 2,
        "IPv6 goes in brackets, the scope inside them: \"[::1]:8080\", "
        "\"[fe80::1%lo]:80\".")
{
    struct sockaddr_storage ss;

    FORMAT_IS(&ss, tu_in6(&ss, "::1", 8080, 0), ADDR_STRLEN, "[::1]:8080");
    FORMAT_IS(&ss, tu_in6(&ss, "2001:0db8::0001", 443, 0), ADDR_STRLEN, "[2001:db8::1]:443");
    FORMAT_IS(&ss, tu_in6(&ss, "::ffff:192.0.2.1", 53, 0), ADDR_STRLEN,
              "[::ffff:192.0.2.1]:53");
    FORMAT_IS(&ss, tu_in6(&ss, "fe80::1", 80, tu_lo_index()), ADDR_STRLEN, "[fe80::1%lo]:80");
}

SL_TEST(format_unix, 1,
        "An AF_UNIX address has no port: write its path alone, as "
        "addr_to_text() does.")
{
    struct sockaddr_storage ss;

    FORMAT_IS(&ss, tu_un(&ss, "/tmp/echo.sock"), ADDR_STRLEN, "/tmp/echo.sock");
    SL_HINT("A length past the end of sun_path reads as sun_path: Linux's "
            "getsockname() says sizeof(struct sockaddr_un) + 1 for a path "
            "that fills sun_path (unix(7), BUGS). Write the path, no more "
            "than sizeof(sun_path) bytes of it.")
    {
        struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
        char path[sizeof sun->sun_path + 1];
        socklen_t len = tu_kernel_unix(&ss, path, sizeof path);

        FORMAT_IS(&ss, len, ADDR_STRLEN, path);
        tu_un(&ss, "/tmp/echo.sock");
        FORMAT_IS(&ss, sizeof ss, ADDR_STRLEN, "/tmp/echo.sock");
    }
}

SL_TEST(format_exact_size, 2,
        "A text of n characters fits in exactly n + 1 bytes: compare what "
        "snprintf(3) returns with the size (it fits if less). Build the "
        "address part in an array of ADDR_STRLEN bytes, not INET6_ADDRSTRLEN: "
        "a scope or a path makes it longer.")
{
    struct sockaddr_storage ss;
    struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
    char name[IF_NAMESIZE];
    char path[sizeof sun->sun_path + 1];
    size_t n = sizeof sun->sun_path;

    FORMAT_IS(&ss, tu_in4(&ss, "127.0.0.1", 8080), 15, "127.0.0.1:8080");
    FORMAT_IS(&ss, tu_in6(&ss, "::1", 8080, 0), 11, "[::1]:8080");
    FORMAT_IS(&ss, tu_in6(&ss, "fe80::1", 80, tu_lo_index()), 16, "[fe80::1%lo]:80");
    if (if_indextoname(4294967295u, name) == NULL) /* the longest IP text */
        FORMAT_IS(&ss, tu_in6(&ss, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535,
                              4294967295u),
                  59, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295]:65535");
    FORMAT_IS(&ss, tu_un(&ss, "/tmp/echo.sock"), 15, "/tmp/echo.sock");
    memset(sun->sun_path, 'p', n); /* a full sun_path, no NUL: the longest text */
    memset(path, 'p', n);
    path[n] = '\0';
    FORMAT_IS(&ss, sizeof(struct sockaddr_un), n + 1, path);
}

SL_TEST(format_no_space, 2,
        "If the whole text and its NUL do not fit, fail with ENOSPC and leave "
        "\"\": compare what snprintf(3) returns with the size, and write "
        "nothing past buf[size - 1].")
{
    struct sockaddr_storage ss;
    socklen_t len = tu_in6(&ss, "::1", 8080, 0); /* "[::1]:8080": 10 characters */

    FORMAT_IS(&ss, len, ADDR_STRLEN, "[::1]:8080");
    FORMAT_NO_SPACE(&ss, len, 10);
    FORMAT_NO_SPACE(&ss, len, 6);   /* room for "[::1]" alone */
    FORMAT_NO_SPACE(&ss, len, 1);
    SL_HINT("With size 0 there is no room even for the NUL: fail with ENOSPC "
            "and write nothing at all into buf.")
    {
        FORMAT_NO_SPACE(&ss, len, 0);
    }
    FORMAT_NO_SPACE(&ss, tu_in4(&ss, "127.0.0.1", 8080), 14);
    FORMAT_NO_SPACE(&ss, tu_in4(&ss, "127.0.0.1", 8080), 10); /* "127.0.0.1" alone */
    FORMAT_NO_SPACE(&ss, tu_un(&ss, "/tmp/echo.sock"), 14);
}

SL_TEST(format_bad_address, 1,
        "As addr_to_text(): EAFNOSUPPORT for an unknown family, EINVAL for a "
        "length too short for the family or a NULL pointer.")
{
    struct sockaddr_storage ss;
    char buf[ADDR_STRLEN];
    socklen_t len = tu_in6(&ss, "::1", 80, 0);
    int ret;

    FORMAT_IS(&ss, len, ADDR_STRLEN, "[::1]:80");
    memset(&ss, 0, sizeof ss);
    ss.ss_family = AF_UNSPEC;
    FORMAT_FAILS(&ss, sizeof ss, EAFNOSUPPORT);
    FORMAT_FAILS(&ss, tu_in6(&ss, "::1", 80, 0) - 1, EINVAL);
    FORMAT_FAILS(&ss, tu_in4(&ss, "127.0.0.1", 80) - 1, EINVAL);
    tu_un(&ss, "/tmp/echo.sock");
    FORMAT_FAILS(&ss, offsetof(struct sockaddr_un, sun_path) - 1, EINVAL);
    tu_in6(&ss, "::1", 80, 0);
    errno = 0;
    ret = addr_format(NULL, len, buf, sizeof buf);
    SL_CHECK_FAILS("addr_format(NULL address, 28)", ret, errno, EINVAL);
    errno = 0;
    ret = addr_format((struct sockaddr *)&ss, len, NULL, sizeof buf);
    SL_CHECK_FAILS("addr_format([::1]:80, NULL buffer)", ret, errno, EINVAL);
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
    char desc[96];

    for (size_t i = 0; i < SL_COUNT(texts); i++) {
        PARSE_OK(texts[i], &ss, &len);
        snprintf(desc, sizeof desc, "what addr_parse(\"%s\") built", texts[i]);
        FORMAT_OF(desc, &ss, len, texts[i]);
    }
}
