/* Task 2: text to socket address and back (addr_from_text, addr_from_path,
 * addr_to_text). */
#include "testutil.h"

/* addr_from_text(text, 0, ...) must fail with err. */
static void from_text_fails(const char *text, int err)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char what[160];
    int ret;

    if (strlen(text) <= 60)
        snprintf(what, sizeof what, "addr_from_text(\"%s\", 0, &ss, &len)", text);
    else
        snprintf(what, sizeof what, "addr_from_text(\"%.24s...\" (%zu characters), "
                 "0, &ss, &len)", text, strlen(text));
    errno = 0;
    ret = addr_from_text(text, 0, &ss, &len);
    TU_FAILED_WITH(what, ret, errno, err);
}

/* The bytes of the sockaddr_storage ss from offset from to its end must
 * all be zero: the part that the family's structure does not use. */
static const unsigned char zeros[sizeof(struct sockaddr_storage)];
#define REST_IS_ZERO(ss, from, what)                                          \
    sl_check_bytes(__FILE__, __LINE__, 0, (what),                            \
                   (const unsigned char *)(ss) + (from), sizeof *(ss) - (from), \
                   zeros, sizeof *(ss) - (from))

/* addr_to_text() of (sa, len) must write want. */
static void to_text_is(const struct sockaddr_storage *ss, socklen_t len,
                       const char *want)
{
    char buf[ADDR_STRLEN];
    char what[160];

    snprintf(what, sizeof what, "addr_to_text() of %s", want);
    memset(buf, 0, sizeof buf);
    if (TU_INT_EQ(what, addr_to_text((const struct sockaddr *)ss, len, buf, sizeof buf), 0))
        TU_STR_EQ(what, buf, want);
}

SL_TEST(from_text_ipv4, 2,
        "Zero the whole sockaddr_storage first (memset), then fill a struct "
        "sockaddr_in: sin_family = AF_INET, sin_port = htons(port), sin_addr "
        "with inet_pton(3); *len = sizeof(struct sockaddr_in).")
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    const unsigned char zero[sizeof sin->sin_zero] = {0};
    socklen_t len = 0;

    memset(&ss, 0xa5, sizeof ss); /* garbage that must be cleared */
    SL_ASSERT_INT_EQ_FATAL(addr_from_text("192.0.2.1", 8080, &ss, &len), 0);
    SL_ASSERT_INT_EQ(len, sizeof(struct sockaddr_in));
    SL_ASSERT_INT_EQ(sin->sin_family, AF_INET);
    SL_ASSERT_BYTES_EQ(&sin->sin_port, 2, "\x1f\x90", 2);
    SL_ASSERT_BYTES_EQ(&sin->sin_addr, 4, "\xc0\x00\x02\x01", 4);
    SL_ASSERT_BYTES_EQ(sin->sin_zero, sizeof zero, zero, sizeof zero);
    REST_IS_ZERO(&ss, sizeof *sin, "the bytes of ss after its struct sockaddr_in");
}

SL_TEST(from_text_ipv6, 2,
        "Text with a ':' is IPv6: zero the whole sockaddr_storage, then fill "
        "a struct sockaddr_in6 (sin6_family, sin6_port in network order, "
        "sin6_addr with inet_pton); *len = sizeof(struct sockaddr_in6).")
{
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    memset(&ss, 0xa5, sizeof ss);
    SL_ASSERT_INT_EQ_FATAL(addr_from_text("2001:db8::1", 443, &ss, &len), 0);
    SL_ASSERT_INT_EQ(len, sizeof(struct sockaddr_in6));
    SL_ASSERT_INT_EQ(sin6->sin6_family, AF_INET6);
    SL_ASSERT_BYTES_EQ(&sin6->sin6_port, 2, "\x01\xbb", 2);
    SL_ASSERT_BYTES_EQ(&sin6->sin6_addr, 16,
                       "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
    SL_ASSERT_INT_EQ(sin6->sin6_flowinfo, 0);
    SL_ASSERT_INT_EQ(sin6->sin6_scope_id, 0);
    REST_IS_ZERO(&ss, sizeof *sin6, "the bytes of ss after its struct sockaddr_in6");
}

SL_TEST(from_text_ipv4_mapped, 1,
        "::ffff:192.0.2.1 is an IPv6 address (it has a ':') with an IPv4 "
        "address in its last 32 bits (RFC 4291 section 2.5.5.2); inet_pton(AF_INET6, ...) "
        "reads this form.")
{
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    SL_ASSERT_INT_EQ_FATAL(addr_from_text("::ffff:192.0.2.1", 0, &ss, &len), 0);
    SL_ASSERT_INT_EQ(sin6->sin6_family, AF_INET6);
    SL_ASSERT_BYTES_EQ(&sin6->sin6_addr, 16,
                       "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\x00\x02\x01", 16);
}

SL_TEST(from_text_scope_name, 2,
        "Split \"fe80::1%lo\" at the '%': give inet_pton() the address alone "
        "and turn the interface name into sin6_scope_id with if_nametoindex(3).")
{
    unsigned lo = tu_lo_index();
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    SL_ASSERT_INT_EQ_FATAL(addr_from_text("fe80::1%lo", 80, &ss, &len), 0);
    SL_ASSERT_INT_EQ(len, sizeof(struct sockaddr_in6));
    SL_ASSERT_INT_EQ(sin6->sin6_scope_id, lo);
    SL_ASSERT_BYTES_EQ(&sin6->sin6_addr, 16,
                       "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
}

SL_TEST(from_text_scope_number, 1,
        "A scope of decimal digits (\"fe80::1%1\") is the interface index "
        "itself: store it as it is, without asking if such an interface exists.")
{
    unsigned lo = tu_lo_index();
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;
    char text[64];

    snprintf(text, sizeof text, "fe80::1%%%u", lo);
    SL_ASSERT_INT_EQ_FATAL(addr_from_text(text, 0, &ss, &len), 0);
    SL_ASSERT_INT_EQ(sin6->sin6_scope_id, lo);
    SL_ASSERT_INT_EQ_FATAL(addr_from_text("fe80::1%4000000000", 0, &ss, &len), 0);
    SL_ASSERT_INT_EQ(sin6->sin6_scope_id, 4000000000u);
}

SL_TEST(from_text_rejects_malformed, 3,
        "Only a numeric address is accepted: inet_pton(3) returns 0 (not -1) "
        "for bad text, so test for != 1. No port, no brackets, no spaces, no "
        "scope on IPv4, no empty or over-32-bit scope: all EINVAL.")
{
    static const char *const bad[] = {
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "01.2.3.4",
        " 1.2.3.4", "1.2.3.4 ", "0x7f.0.0.1", "localhost", "1.2.3.4:80",
        "[::1]", "::1::2", "2001:db8::g", ":::", "1.2.3.4%lo", "fe80::1%",
        "fe80::1%99999999999", "fe80::1 %lo",
    };
    struct sockaddr_storage ss;
    socklen_t len;

    TU_REQUIRE_OK(addr_from_text("192.0.2.1", 0, &ss, &len));
    TU_REQUIRE_OK(addr_from_text("2001:db8::1", 0, &ss, &len));
    TU_REQUIRE_OK(addr_from_text("fe80::1%1", 0, &ss, &len));
    for (size_t i = 0; i < TU_COUNT(bad); i++)
        from_text_fails(bad[i], EINVAL);
}

SL_TEST(from_text_rejects_overlong, 1,
        "No IPv6 address is longer than INET6_ADDRSTRLEN - 1 characters: "
        "check the length of the part before the '%' before you copy it into "
        "a local array, and fail with EINVAL when it does not fit.")
{
    struct sockaddr_storage ss;
    socklen_t len;
    char text[1100];

    TU_REQUIRE_OK(addr_from_text("2001:db8::1", 0, &ss, &len));
    TU_REQUIRE_OK(addr_from_text("192.0.2.1", 0, &ss, &len));
    from_text_fails(tu_repeat(text, sizeof text, "", '1', 1000, ""), EINVAL);
    from_text_fails(tu_repeat(text, sizeof text, "::", '1', 300, ""), EINVAL);
    from_text_fails(tu_repeat(text, sizeof text, "", '1', 300, "::1%lo"), EINVAL);
    from_text_fails(tu_repeat(text, sizeof text, "1:", '0', 1000, "::1"), EINVAL);
    from_text_fails(tu_repeat(text, sizeof text, "fe80::1%", '9', 300, ""), EINVAL);
}

SL_TEST(from_text_unknown_interface, 1,
        "if_nametoindex(3) returns 0 for an unknown interface name; fail with "
        "errno = ENXIO, set by you (the C library does not always set errno "
        "there).")
{
    struct sockaddr_storage ss;
    socklen_t len;
    char text[400];

    TU_REQUIRE_OK(addr_from_text("fe80::1%lo", 0, &ss, &len));
    from_text_fails("fe80::1%nosuchif0", ENXIO);
    from_text_fails("fe80::1%an-interface-name-longer-than-IFNAMSIZ", ENXIO);
    from_text_fails(tu_repeat(text, sizeof text, "fe80::1%", 'a', 300, ""), ENXIO);
}

SL_TEST(from_text_null_arguments, 1,
        "Check every pointer argument before using it: NULL is -1 with errno "
        "EINVAL, never a crash.")
{
    struct sockaddr_storage ss;
    socklen_t len;

    TU_REQUIRE_OK(addr_from_text("127.0.0.1", 0, &ss, &len));
    SL_ASSERT_FAILS_WITH(addr_from_text(NULL, 0, &ss, &len), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_from_text("127.0.0.1", 0, NULL, &len), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_from_text("127.0.0.1", 0, &ss, NULL), EINVAL);
}

SL_TEST(from_path_unix, 2,
        "Zero the sockaddr_un, set sun_family = AF_UNIX, copy the path with its "
        "NUL; the length is offsetof(struct sockaddr_un, sun_path) + strlen(path) "
        "+ 1 (see unix(7)).")
{
    struct sockaddr_un sun;
    socklen_t len = 0;
    const char *path = "/tmp/echo.sock";

    memset(&sun, 0xa5, sizeof sun);
    SL_ASSERT_INT_EQ_FATAL(addr_from_path(path, &sun, &len), 0);
    SL_ASSERT_INT_EQ(sun.sun_family, AF_UNIX);
    SL_ASSERT_INT_EQ(len, offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
    SL_ASSERT_BYTES_EQ(sun.sun_path, strlen(path) + 1, path, strlen(path) + 1);
}

SL_TEST(from_path_longest, 1,
        "sun_path holds sizeof(sun_path) bytes, the NUL included: a path of "
        "sizeof(sun_path) - 1 characters fits exactly.")
{
    struct sockaddr_un sun;
    socklen_t len = 0;
    char path[sizeof sun.sun_path];

    memset(path, 'a', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    SL_ASSERT_INT_EQ_FATAL(addr_from_path(path, &sun, &len), 0);
    SL_ASSERT_INT_EQ(len, sizeof(struct sockaddr_un));
    SL_ASSERT_BYTES_EQ(sun.sun_path, sizeof path, path, sizeof path);
}

SL_TEST(from_path_too_long, 2,
        "A path that does not fit in sun_path with its NUL is an error "
        "(ENAMETOOLONG), never a silent truncation: the truncated path would "
        "name another file. Check strlen(path) before copying.")
{
    struct {
        struct sockaddr_un sun;
        unsigned char guard[64];
    } s;
    unsigned char guard[sizeof s.guard];
    socklen_t len;
    char path[512];

    TU_REQUIRE_OK(addr_from_path("/tmp/echo.sock", &s.sun, &len));
    memset(guard, 0x5a, sizeof guard);
    memset(s.guard, 0x5a, sizeof s.guard);
    memset(path, 'a', sizeof s.sun.sun_path);
    path[sizeof s.sun.sun_path] = '\0';
    SL_ASSERT_FAILS_WITH(addr_from_path(path, &s.sun, &len), ENAMETOOLONG);
    memset(path, 'b', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    SL_ASSERT_FAILS_WITH(addr_from_path(path, &s.sun, &len), ENAMETOOLONG);
    SL_ASSERT_BYTES_EQ(s.guard, sizeof s.guard, guard, sizeof guard);
}

SL_TEST(from_path_empty, 1,
        "An empty path names no file: -1 with errno EINVAL (and NULL "
        "arguments too).")
{
    struct sockaddr_un sun;
    socklen_t len;

    TU_REQUIRE_OK(addr_from_path("/tmp/s", &sun, &len));
    SL_ASSERT_FAILS_WITH(addr_from_path("", &sun, &len), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_from_path(NULL, &sun, &len), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_from_path("/tmp/s", NULL, &len), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_from_path("/tmp/s", &sun, NULL), EINVAL);
}

SL_TEST(to_text_ipv4, 1,
        "Look at sa->sa_family, cast to struct sockaddr_in * and give "
        "&sin->sin_addr to inet_ntop(3). No port in this text.")
{
    struct sockaddr_storage ss;

    to_text_is(&ss, tu_in4(&ss, "192.0.2.1", 8080), "192.0.2.1");
    to_text_is(&ss, tu_in4(&ss, "0.0.0.0", 0), "0.0.0.0");
    to_text_is(&ss, tu_in4(&ss, "255.255.255.255", 1), "255.255.255.255");
}

SL_TEST(to_text_ipv6_canonical, 2,
        "Write the RFC 5952 form: lower case, no leading zeros, the longest run "
        "of zero groups (the first if tied, never a single group) as \"::\". "
        "inet_ntop(AF_INET6, ...) does all of this.")
{
    struct sockaddr_storage ss;

    to_text_is(&ss, tu_in6(&ss, "2001:0DB8:0000:0000:0000:0000:0000:0001", 0, 0),
               "2001:db8::1");
    to_text_is(&ss, tu_in6(&ss, "2001:db8:0:1:0:0:0:1", 0, 0), "2001:db8:0:1::1");
    to_text_is(&ss, tu_in6(&ss, "2001:db8:0:0:1:0:0:1", 0, 0), "2001:db8::1:0:0:1");
    to_text_is(&ss, tu_in6(&ss, "2001:db8:0:1:1:1:1:1", 0, 0), "2001:db8:0:1:1:1:1:1");
    to_text_is(&ss, tu_in6(&ss, "0:0:0:0:0:0:0:0", 0, 0), "::");
    to_text_is(&ss, tu_in6(&ss, "0:0:0:0:0:0:0:1", 0, 0), "::1");
    to_text_is(&ss, tu_in6(&ss, "0:0:0:0:0:ffff:c000:201", 0, 0), "::ffff:192.0.2.1");
}

SL_TEST(to_text_ipv6_scope, 2,
        "A non-zero sin6_scope_id is written after a '%': the interface name "
        "from if_indextoname(3), or the number itself when no interface has "
        "that index.")
{
    unsigned lo = tu_lo_index();
    char name[IF_NAMESIZE];
    struct sockaddr_storage ss;

    to_text_is(&ss, tu_in6(&ss, "fe80::1", 0, lo), "fe80::1%lo");
    if (if_indextoname(4000000000u, name) == NULL)
        to_text_is(&ss, tu_in6(&ss, "fe80::1", 0, 4000000000u), "fe80::1%4000000000");
}

SL_TEST(to_text_unix, 1,
        "For AF_UNIX the text is sun_path, which need not end in a NUL: the "
        "length says where it ends (len - offsetof(struct sockaddr_un, "
        "sun_path) bytes at most; see strnlen(3)).")
{
    struct sockaddr_storage ss;
    struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
    size_t off = offsetof(struct sockaddr_un, sun_path);
    socklen_t len = tu_un(&ss, "/tmp/echo.sock");

    to_text_is(&ss, len, "/tmp/echo.sock");
    to_text_is(&ss, len - 1, "/tmp/echo.sock");       /* no NUL counted */
    to_text_is(&ss, (socklen_t)(off + 4), "/tmp");     /* len cuts it */
    to_text_is(&ss, (socklen_t)off, "");               /* unnamed socket */
    memset(sun->sun_path, 'x', sizeof sun->sun_path);  /* no NUL at all */
    {
        char want[sizeof sun->sun_path + 1];

        memset(want, 'x', sizeof sun->sun_path);
        want[sizeof sun->sun_path] = '\0';
        to_text_is(&ss, sizeof(struct sockaddr_un), want);
    }
}

SL_TEST(to_text_no_space, 2,
        "When the text and its NUL do not fit in size bytes, fail with ENOSPC "
        "and leave buf[0] = '\\0': never a cut-off address, never a byte past "
        "buf[size - 1]. snprintf(3) returns the length it needed.")
{
    struct sockaddr_storage ss;
    socklen_t len = tu_in4(&ss, "192.0.2.1", 0); /* 9 characters */
    char buf[32];
    char guard[32];

    TU_REQUIRE_OK(addr_to_text((struct sockaddr *)&ss, len, buf, sizeof buf));
    memset(guard, 'Z', sizeof guard);
    memset(buf, 'Z', sizeof buf);
    SL_ASSERT_FAILS_WITH(addr_to_text((struct sockaddr *)&ss, len, buf, 9), ENOSPC);
    SL_ASSERT_INT_EQ(buf[0], '\0');
    SL_ASSERT_BYTES_EQ(buf + 9, sizeof buf - 9, guard, sizeof buf - 9);
    SL_ASSERT_FAILS_WITH(addr_to_text((struct sockaddr *)&ss, len, buf, 0), ENOSPC);
    SL_ASSERT_INT_EQ_FATAL(addr_to_text((struct sockaddr *)&ss, len, buf, 10), 0);
    TU_STR_EQ("addr_to_text(..., buf, 10)", buf, "192.0.2.1");
    SL_ASSERT_BYTES_EQ(buf + 10, sizeof buf - 10, guard, sizeof buf - 10);
}

SL_TEST(to_text_bad_address, 1,
        "Check the family (EAFNOSUPPORT for anything but AF_INET, AF_INET6, "
        "AF_UNIX) and that len covers its structure (EINVAL) before reading "
        "past sa_family.")
{
    struct sockaddr_storage ss;
    struct sockaddr *sa = (struct sockaddr *)&ss;
    char buf[ADDR_STRLEN];
    socklen_t len = tu_in4(&ss, "127.0.0.1", 0);

    TU_REQUIRE_OK(addr_to_text(sa, len, buf, sizeof buf));
    SL_ASSERT_FAILS_WITH(addr_to_text(sa, len - 1, buf, sizeof buf), EINVAL);
    memset(&ss, 0, sizeof ss);
    ss.ss_family = AF_UNSPEC;
    SL_ASSERT_FAILS_WITH(addr_to_text(sa, sizeof ss, buf, sizeof buf), EAFNOSUPPORT);
    tu_in4(&ss, "127.0.0.1", 0);
    SL_ASSERT_FAILS_WITH(addr_to_text(sa, 1, buf, sizeof buf), EINVAL);
    tu_in6(&ss, "::1", 0, 0);
    SL_ASSERT_FAILS_WITH(addr_to_text(sa, sizeof(struct sockaddr_in), buf, sizeof buf), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_to_text(NULL, len, buf, sizeof buf), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_to_text(sa, sizeof(struct sockaddr_in6), NULL, 10), EINVAL);
}

SL_TEST(text_round_trip, 1,
        "addr_to_text() must write back what addr_from_text() read, for "
        "canonical text: check that both agree on the family and on the scope.")
{
    static const char *const texts[] = {
        "10.0.0.1", "127.0.0.1", "::1", "2001:db8::8:800:200c:417a",
        "ff02::1", "::ffff:10.1.2.3", "fe80::1%lo",
    };
    struct sockaddr_storage ss;
    socklen_t len;
    char what[160];

    for (size_t i = 0; i < TU_COUNT(texts); i++) {
        snprintf(what, sizeof what, "addr_from_text(\"%s\", ...)", texts[i]);
        if (TU_INT_EQ(what, addr_from_text(texts[i], 7, &ss, &len), 0))
            to_text_is(&ss, len, texts[i]);
    }
}
