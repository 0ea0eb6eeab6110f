/* Task 2: text to socket address and back (addr_from_text, addr_from_path,
 * addr_to_text). */
#include "testutil.h"

SL_TASK(2, "Text to socket address and back");

/* ---- helpers ----------------------------------------------------------- */

/* addr_from_text(text, port) must succeed, or the test ends here. */
#define FROM_TEXT_OK(text, port, ss, len)                                     \
    from_text_ok(__FILE__, __LINE__, (text), (port), (ss), (len))

static void from_text_ok(const char *file, int line, const char *text,
                         uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
    char what[TU_WORDS_LEN + 32];
    int ret;

    snprintf(what, sizeof what, "addr_from_text(%s, %u)", tu_text(text), (unsigned)port);
    errno = 0;
    ret = addr_from_text(text, port, ss, len);
    sl_require(file, line, what, ret, errno, 0);
}

/* addr_from_path(path) must succeed, or the test ends here. */
#define FROM_PATH_OK(path, sun, len) from_path_ok(__FILE__, __LINE__, (path), (sun), (len))

static void from_path_ok(const char *file, int line, const char *path,
                         struct sockaddr_un *sun, socklen_t *len)
{
    char what[TU_WORDS_LEN + 32];
    int ret;

    snprintf(what, sizeof what, "addr_from_path(%s)", tu_text(path));
    errno = 0;
    ret = addr_from_path(path, sun, len);
    sl_require(file, line, what, ret, errno, 0);
}

/* addr_from_text(text, 0) must fail with err. */
#define FROM_TEXT_FAILS(text, err) from_text_fails(__FILE__, __LINE__, (text), (err))

static void from_text_fails(const char *file, int line, const char *text, int err)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char what[TU_WORDS_LEN + 32];
    int ret;

    snprintf(what, sizeof what, "addr_from_text(%s, 0)", tu_text(text));
    errno = 0;
    ret = addr_from_text(text, 0, &ss, &len);
    sl_check_fails(file, line, 0, what, ret, errno, err);
}

/* The bytes of the sockaddr_storage ss from offset from to its end must
 * all be zero: the part that the family's structure does not use. */
static void rest_is_zero(const struct sockaddr_storage *ss, size_t from,
                         const char *what)
{
    static const unsigned char zeros[sizeof *ss];

    SL_CHECK_BYTES(what, (const unsigned char *)ss + from, sizeof *ss - from,
                   zeros, sizeof *ss - from);
}

/* addr_to_text() of (ss, len), with a copy of the address of exactly len
 * bytes and a buffer of exactly size bytes, must write want. The address
 * is named in failures as desc, or if NULL as tu_addr() writes it. */
#define TO_TEXT_IS(ss, len, size, want)                                       \
    to_text_is(__FILE__, __LINE__, NULL, (ss), (len), (size), (want))
#define TO_TEXT_OF(desc, ss, len, want)                                       \
    to_text_is(__FILE__, __LINE__, (desc), (ss), (len), ADDR_STRLEN, (want))

static void to_text_is(const char *file, int line, const char *desc,
                       const struct sockaddr_storage *ss, socklen_t len, size_t size,
                       const char *want)
{
    void *sa = tu_dup_addr(ss, len);
    char *buf = tu_alloc(size, 'Z');
    char what[TU_WORDS_LEN + 40];
    int ret;

    if (desc != NULL)
        snprintf(what, sizeof what, "addr_to_text(%s)", desc);
    else
        snprintf(what, sizeof what, "addr_to_text(%s, a %zu-byte buffer)",
                 tu_addr(ss, len), size);
    errno = 0;
    ret = addr_to_text(sa, len, buf, size);
    sl_require(file, line, what, ret, errno, 0);
    sl_check_bytes(file, line, 0, what, buf, strnlen(buf, size), want, strlen(want));
    tu_free(what, buf);
    tu_free(what, sa);
}

/* addr_to_text() of (ss, len) into a buffer of exactly size bytes must
 * fail with ENOSPC: the text does not fit. It then leaves "" in buf (if
 * size > 0), and nothing past buf[size - 1]. */
#define TO_TEXT_NO_SPACE(ss, len, size)                                       \
    to_text_no_space(__FILE__, __LINE__, (ss), (len), (size))

static void to_text_no_space(const char *file, int line,
                             const struct sockaddr_storage *ss, socklen_t len,
                             size_t size)
{
    void *sa = tu_dup_addr(ss, len);
    char *buf = tu_alloc(size, 'Z');
    char what[TU_WORDS_LEN + 40];
    int ret;

    snprintf(what, sizeof what, "addr_to_text(%s, a %zu-byte buffer)", tu_addr(ss, len), size);
    errno = 0;
    ret = addr_to_text(sa, len, buf, size);
    sl_check_fails(file, line, 0, what, ret, errno, ENOSPC);
    if (size > 0)
        SL_HINT("On ENOSPC write buf[0] = '\\0' (when size > 0): a caller that "
                "prints buf must see nothing rather than part of an address.")
        {
            sl_check_bytes(file, line, 0, tu_of("the text in buf", what), buf,
                           strnlen(buf, size), "", 0);
        }
    tu_free(what, buf);
    tu_free(what, sa);
}

/* addr_to_text() of (ss, len), read from a copy of exactly len bytes (at
 * least its family), must fail with err. */
#define TO_TEXT_FAILS(ss, len, err) to_text_fails(__FILE__, __LINE__, (ss), (len), (err))

static void to_text_fails(const char *file, int line, const struct sockaddr_storage *ss,
                          socklen_t len, int err)
{
    void *sa = tu_dup_addr(ss, len);
    char *buf = tu_alloc(ADDR_STRLEN, 'Z');
    char what[TU_WORDS_LEN + 40];
    int ret;

    snprintf(what, sizeof what, "addr_to_text(%s, a %d-byte buffer)", tu_addr(ss, len),
             ADDR_STRLEN);
    errno = 0;
    ret = addr_to_text(sa, len, buf, ADDR_STRLEN);
    sl_check_fails(file, line, 0, what, ret, errno, err);
    tu_free(what, buf);
    tu_free(what, sa);
}

/* The longest IPv6 text inet_pton() reads: 45 characters, the most an
 * INET6_ADDRSTRLEN array holds with its NUL. */
#define LONGEST_IPV6 "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"

/* ---- addr_from_text() -------------------------------------------------- */

SL_TEST(from_text_ipv4, 2,
        "Zero the whole sockaddr_storage first (memset), then fill a struct "
        "sockaddr_in: sin_family = AF_INET, sin_port = htons(port), sin_addr "
        "with inet_pton(3); *len = sizeof(struct sockaddr_in).")
{
    const char *call = "addr_from_text(\"192.0.2.1\", 8080)";
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    const unsigned char zero[sizeof sin->sin_zero] = {0};
    socklen_t len = 0;

    memset(&ss, 0xa5, sizeof ss); /* garbage that must be cleared */
    FROM_TEXT_OK("192.0.2.1", 8080, &ss, &len);
    SL_CHECK_INT(tu_of("*len", call), len, sizeof(struct sockaddr_in));
    SL_CHECK_INT(tu_of("sin_family", call), sin->sin_family, AF_INET);
    SL_CHECK_BYTES(tu_of("sin_port", call), &sin->sin_port, 2, "\x1f\x90", 2);
    SL_CHECK_BYTES(tu_of("sin_addr", call), &sin->sin_addr, 4, "\xc0\x00\x02\x01", 4);
    SL_CHECK_BYTES(tu_of("sin_zero", call), sin->sin_zero, sizeof zero, zero, sizeof zero);
    rest_is_zero(&ss, sizeof *sin, tu_of("the bytes past the sockaddr_in", call));
}

SL_TEST(from_text_ipv6, 2,
        "Text with a ':' is IPv6: zero the whole sockaddr_storage, then fill "
        "a struct sockaddr_in6 (sin6_family, sin6_port in network order, "
        "sin6_addr with inet_pton); *len = sizeof(struct sockaddr_in6).")
{
    const char *call = "addr_from_text(\"2001:db8::1\", 443)";
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    memset(&ss, 0xa5, sizeof ss);
    FROM_TEXT_OK("2001:db8::1", 443, &ss, &len);
    SL_CHECK_INT(tu_of("*len", call), len, sizeof(struct sockaddr_in6));
    SL_CHECK_INT(tu_of("sin6_family", call), sin6->sin6_family, AF_INET6);
    SL_CHECK_BYTES(tu_of("sin6_port", call), &sin6->sin6_port, 2, "\x01\xbb", 2);
    SL_CHECK_BYTES(tu_of("sin6_addr", call), &sin6->sin6_addr, 16,
                   "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
    SL_CHECK_INT(tu_of("sin6_flowinfo", call), sin6->sin6_flowinfo, 0);
    SL_CHECK_INT(tu_of("sin6_scope_id", call), sin6->sin6_scope_id, 0);
    rest_is_zero(&ss, sizeof *sin6, tu_of("the bytes past the sockaddr_in6", call));
}

SL_TEST(from_text_ipv4_mapped, 1,
        "::ffff:192.0.2.1 is an IPv6 address (it has a ':') with an IPv4 "
        "address in its last 32 bits (RFC 4291 section 2.5.5.2); inet_pton(AF_INET6, ...) "
        "reads this form.")
{
    const char *call = "addr_from_text(\"::ffff:192.0.2.1\", 0)";
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    FROM_TEXT_OK("::ffff:192.0.2.1", 0, &ss, &len);
    SL_CHECK_INT(tu_of("sin6_family", call), sin6->sin6_family, AF_INET6);
    SL_CHECK_BYTES(tu_of("sin6_addr", call), &sin6->sin6_addr, 16,
                   "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\x00\x02\x01", 16);
}

SL_TEST(from_text_longest_ipv6, 1,
        "The longest IPv6 text is 45 characters (INET6_ADDRSTRLEN - 1), such as "
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255: an array of "
        "INET6_ADDRSTRLEN bytes holds it with its NUL. Accept it, with or "
        "without a scope; refuse a 46-character address part with EINVAL, "
        "without copying it and without cutting it to 45.")
{
    const char *call = "addr_from_text(\"" LONGEST_IPV6 "\", 0)";
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    FROM_TEXT_OK(LONGEST_IPV6, 0, &ss, &len);
    SL_CHECK_BYTES(tu_of("sin6_addr", call), &sin6->sin6_addr, 16,
                   "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 16);
    SL_HINT("The 45 characters before the '%' are what must fit in your "
            "INET6_ADDRSTRLEN array, not the whole text: \"" LONGEST_IPV6
            "%lo\" is valid.")
    {
        FROM_TEXT_OK(LONGEST_IPV6 "%lo", 0, &ss, &len);
        SL_CHECK_INT(tu_of("sin6_scope_id", "addr_from_text(\"" LONGEST_IPV6 "%lo\", 0)"),
                     sin6->sin6_scope_id, tu_lo_index());
    }
    SL_HINT("An address part of 46 characters is longer than any IPv6 address: "
            "EINVAL. Check its length against the size of your array before "
            "copying it, and never cut it short to make it fit: this one's "
            "first 45 characters are a valid address.")
    {
        FROM_TEXT_FAILS(LONGEST_IPV6 "0", EINVAL);
        FROM_TEXT_FAILS(LONGEST_IPV6 "0%lo", EINVAL);
    }
}

SL_TEST(from_text_scope_name, 2,
        "Split \"fe80::1%lo\" at the '%': give inet_pton() the address alone "
        "and turn the interface name into sin6_scope_id with if_nametoindex(3).")
{
    const char *call = "addr_from_text(\"fe80::1%lo\", 80)";
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;
    struct if_nameindex *ifs;
    char text[64], what[96];

    FROM_TEXT_OK("fe80::1%lo", 80, &ss, &len);
    SL_CHECK_INT(tu_of("*len", call), len, sizeof(struct sockaddr_in6));
    SL_CHECK_INT(tu_of("sin6_scope_id", call), sin6->sin6_scope_id, tu_lo_index());
    SL_CHECK_BYTES(tu_of("sin6_addr", call), &sin6->sin6_addr, 16,
                   "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
    /* Every interface of this machine, whatever the length of its name
     * (up to IF_NAMESIZE - 1 characters). */
    ifs = if_nameindex();
    for (size_t i = 0; ifs != NULL && ifs[i].if_index != 0; i++) {
        snprintf(text, sizeof text, "fe80::1%%%s", ifs[i].if_name);
        snprintf(what, sizeof what, "addr_from_text(\"%s\", 0)", text);
        if (SL_CHECK_INT(what, addr_from_text(text, 0, &ss, &len), 0))
            SL_CHECK_INT(tu_of("sin6_scope_id", what), sin6->sin6_scope_id,
                         ifs[i].if_index);
    }
    if (ifs != NULL)
        if_freenameindex(ifs);
}

SL_TEST(from_text_scope_number, 1,
        "A scope of decimal digits (\"fe80::1%1\") is the interface index "
        "itself: store it as it is, without asking if such an interface exists.")
{
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;
    char text[64], call[96];

    snprintf(text, sizeof text, "fe80::1%%%u", tu_lo_index());
    snprintf(call, sizeof call, "addr_from_text(\"%s\", 0)", text);
    FROM_TEXT_OK(text, 0, &ss, &len);
    SL_CHECK_INT(tu_of("sin6_scope_id", call), sin6->sin6_scope_id, tu_lo_index());
    FROM_TEXT_OK("fe80::1%4000000000", 0, &ss, &len);
    SL_CHECK_INT(tu_of("sin6_scope_id", "addr_from_text(\"fe80::1%4000000000\", 0)"),
                 sin6->sin6_scope_id, 4000000000u);
}

SL_TEST(from_text_scope_number_limits, 1,
        "A decimal scope is a 32-bit index: 0 to 4294967295 are stored as "
        "they are (0 means no scope), and 4294967296 or more is EINVAL. "
        "Convert with strtoull() and compare the value with UINT32_MAX: "
        "stored in 32 bits, a larger one wraps around.")
{
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;

    FROM_TEXT_OK("fe80::1%4294967295", 0, &ss, &len);
    SL_CHECK_INT(tu_of("sin6_scope_id", "addr_from_text(\"fe80::1%4294967295\", 0)"),
                 sin6->sin6_scope_id, 4294967295u);
    SL_HINT("\"%0\" is the index 0, which means no scope: store 0 in "
            "sin6_scope_id, as for no '%' at all.")
    {
        FROM_TEXT_OK("fe80::1%0", 0, &ss, &len);
        SL_CHECK_INT(tu_of("sin6_scope_id", "addr_from_text(\"fe80::1%0\", 0)"),
                     sin6->sin6_scope_id, 0);
    }
    FROM_TEXT_FAILS("fe80::1%4294967296", EINVAL);
    FROM_TEXT_FAILS("fe80::1%18446744073709551616", EINVAL);
}

SL_TEST(from_text_scope_number_leading_zeros, 1,
        "A decimal scope is judged by its value, not by its number of digits: "
        "\"%00000000001\" is index 1, as getaddrinfo(3) reads it. Check that "
        "the scope is all digits, convert it with strtoull() (which stops at "
        "ULLONG_MAX, however many digits there are) and compare the value "
        "with UINT32_MAX.")
{
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    socklen_t len = 0;
    char text[400], call[TU_WORDS_LEN + 32];

    FROM_TEXT_OK("fe80::1%1", 0, &ss, &len);
    FROM_TEXT_OK("fe80::1%00000000001", 0, &ss, &len);
    SL_CHECK_INT(tu_of("sin6_scope_id", "addr_from_text(\"fe80::1%00000000001\", 0)"),
                 sin6->sin6_scope_id, 1);
    FROM_TEXT_OK("fe80::1%004294967295", 0, &ss, &len);
    SL_CHECK_INT(tu_of("sin6_scope_id", "addr_from_text(\"fe80::1%004294967295\", 0)"),
                 sin6->sin6_scope_id, 4294967295u);
    tu_repeat(text, sizeof text, "fe80::1%", '0', 300, "7");
    snprintf(call, sizeof call, "addr_from_text(%s, 0)", tu_text(text));
    FROM_TEXT_OK(text, 0, &ss, &len);
    SL_CHECK_INT(tu_of("sin6_scope_id", call), sin6->sin6_scope_id, 7);
    SL_HINT("Leading zeros do not make a large value small: \"%004294967296\" "
            "is still 4294967296, one more than the largest index: EINVAL.")
    {
        FROM_TEXT_FAILS("fe80::1%004294967296", EINVAL);
    }
}

/* Texts addr_from_text() refuses with EINVAL, each with what to do. */
static const struct {
    const char *text;
    const char *hint;
} malformed[] = {
#define BAD_IPV4 "Text with no ':' is IPv4, and must be exactly what inet_pton(AF_INET, ...) reads: four decimal numbers 0..255, no leading zeros. inet_pton() returns 0 (not -1) for bad text, so test for != 1."
    {"", BAD_IPV4},          {"1.2.3", BAD_IPV4},       {"1.2.3.4.5", BAD_IPV4},
    {"256.1.1.1", BAD_IPV4}, {"1.2.3.-4", BAD_IPV4},    {"01.2.3.4", BAD_IPV4},
    {"0x7f.0.0.1", BAD_IPV4}, {"localhost", BAD_IPV4},
#define SPACES "No spaces anywhere, not even around the address: refuse them, do not trim them."
    {" 1.2.3.4", SPACES}, {"1.2.3.4 ", SPACES}, {"fe80::1 %lo", SPACES},
#define NOT_ALONE "addr_from_text() reads an address alone: a ':' makes the text IPv6, and \"1.2.3.4:80\" or \"[::1]\" is no IPv6 address (a port and brackets are addr_parse()'s business)."
    {"1.2.3.4:80", NOT_ALONE}, {"[::1]", NOT_ALONE},
#define BAD_IPV6 "inet_pton(AF_INET6, ...) refuses these (two \"::\", a letter that is no hex digit, three colons): check that it returns 1."
    {"::1::2", BAD_IPV6}, {"2001:db8::g", BAD_IPV6}, {":::", BAD_IPV6},
    {"1.2.3.4%lo", "A scope belongs to IPv6 only: text without a ':' is IPv4, with no '%' in it."},
    {"fe80::1%", "An empty scope is EINVAL: check that something follows the '%' before looking the name up (if_nametoindex(\"\") fails, but that is ENXIO)."},
    {"fe80::1%99999999999", "A decimal scope must fit in 32 bits: 99999999999 is EINVAL."},
#undef BAD_IPV4
#undef SPACES
#undef NOT_ALONE
#undef BAD_IPV6
};

SL_TEST(from_text_rejects_malformed, 3,
        "Only a numeric address is accepted: inet_pton(3) returns 0 (not -1) "
        "for bad text, so test for != 1. No port, no brackets, no spaces, no "
        "scope on IPv4, no empty or over-32-bit scope: all EINVAL.")
{
    struct sockaddr_storage ss;
    socklen_t len;

    FROM_TEXT_OK("192.0.2.1", 0, &ss, &len);
    FROM_TEXT_OK("2001:db8::1", 0, &ss, &len);
    FROM_TEXT_OK("fe80::1%1", 0, &ss, &len);
    for (size_t i = 0; i < SL_COUNT(malformed); i++)
        SL_HINT(malformed[i].hint)
        {
            FROM_TEXT_FAILS(malformed[i].text, EINVAL);
        }
}

SL_TEST(from_text_rejects_overlong, 1,
        "No IPv6 address is longer than INET6_ADDRSTRLEN - 1 characters: "
        "check the length of the part before the '%' before you copy it into "
        "a local array, and fail with EINVAL when it does not fit.")
{
    struct sockaddr_storage ss;
    socklen_t len;
    char text[1100];

    FROM_TEXT_OK("2001:db8::1", 0, &ss, &len);
    FROM_TEXT_OK("192.0.2.1", 0, &ss, &len);
    SL_HINT("Text with no ':' is IPv4: inet_pton(AF_INET, ...) refuses 1000 "
            "digits, EINVAL. Copy nothing before knowing it fits.")
    {
        FROM_TEXT_FAILS(tu_repeat(text, sizeof text, "", '1', 1000, ""), EINVAL);
    }
    FROM_TEXT_FAILS(tu_repeat(text, sizeof text, "::", '1', 300, ""), EINVAL);
    FROM_TEXT_FAILS(tu_repeat(text, sizeof text, "", '1', 300, "::1%lo"), EINVAL);
    FROM_TEXT_FAILS(tu_repeat(text, sizeof text, "1:", '0', 1000, "::1"), EINVAL);
    SL_HINT("A scope of 300 nines is a number far over 4294967295: EINVAL. "
            "Convert it with strtoull(), which stops at ULLONG_MAX (and sets "
            "ERANGE), and compare the result with UINT32_MAX before storing "
            "it in 32 bits, where it would wrap around.")
    {
        FROM_TEXT_FAILS(tu_repeat(text, sizeof text, "fe80::1%", '9', 300, ""), EINVAL);
    }
}

SL_TEST(from_text_unknown_interface, 1,
        "if_nametoindex(3) returns 0 for an interface name no interface has; "
        "fail with errno = ENXIO, set by you: glibc leaves ENODEV there, and "
        "POSIX does not say that it sets errno at all.")
{
    struct sockaddr_storage ss;
    socklen_t len;

    FROM_TEXT_OK("fe80::1%lo", 0, &ss, &len);
    FROM_TEXT_FAILS("fe80::1%nosuchif0", ENXIO);
    SL_HINT("An interface name has at most IF_NAMESIZE - 1 (15) characters, "
            "and a name of 15 that no interface has is ENXIO like any other "
            "unknown name. If you copy the name into an array of IF_NAMESIZE "
            "bytes, 15 characters and the NUL fit exactly.")
    {
        FROM_TEXT_FAILS("fe80::1%nosuchif0123456", ENXIO); /* 15 characters */
    }
}

SL_TEST(from_text_scope_name_too_long, 1,
        "A scope name of IF_NAMESIZE (16) characters or more can never name "
        "an interface (a name has at most 15): it is bad text, EINVAL, not an "
        "unknown interface. Check strlen(scope) >= IF_NAMESIZE before "
        "if_nametoindex(), and before copying the name anywhere.")
{
    struct sockaddr_storage ss;
    socklen_t len;
    char text[400];

    FROM_TEXT_OK("fe80::1%lo", 0, &ss, &len);
    SL_HINT("A name of 15 characters may be an interface's: one that no "
            "interface has is ENXIO, not EINVAL. Only 16 characters or more "
            "are too long.")
    {
        FROM_TEXT_FAILS("fe80::1%nosuchif0123456", ENXIO); /* 15 characters */
    }
    FROM_TEXT_FAILS("fe80::1%nosuchif01234567", EINVAL); /* 16 characters */
    FROM_TEXT_FAILS("fe80::1%an-interface-name-longer-than-IFNAMSIZ", EINVAL);
    FROM_TEXT_FAILS(tu_repeat(text, sizeof text, "fe80::1%", 'a', 300, ""), EINVAL);
}

SL_TEST(from_text_null_arguments, 1,
        "Check every pointer argument before using it: NULL is -1 with errno "
        "EINVAL, never a crash.")
{
    struct sockaddr_storage ss;
    socklen_t len;
    int ret;

    FROM_TEXT_OK("127.0.0.1", 0, &ss, &len);
    errno = 0;
    ret = addr_from_text(NULL, 0, &ss, &len);
    SL_CHECK_FAILS("addr_from_text(NULL text, 0)", ret, errno, EINVAL);
    errno = 0;
    ret = addr_from_text("127.0.0.1", 0, NULL, &len);
    SL_CHECK_FAILS("addr_from_text(\"127.0.0.1\", 0) with ss NULL", ret, errno, EINVAL);
    errno = 0;
    ret = addr_from_text("127.0.0.1", 0, &ss, NULL);
    SL_CHECK_FAILS("addr_from_text(\"127.0.0.1\", 0) with len NULL", ret, errno, EINVAL);
}

/* ---- addr_from_path() -------------------------------------------------- */

/* A path of n copies of c, in a block of exactly n + 1 bytes. */
static char *long_path(size_t n, char c)
{
    char *path = tu_alloc(n + 1, c);

    path[n] = '\0';
    return path;
}

SL_TEST(from_path_unix, 2,
        "Zero the sockaddr_un, set sun_family = AF_UNIX, copy the path with its "
        "NUL; the length is offsetof(struct sockaddr_un, sun_path) + strlen(path) "
        "+ 1 (see unix(7)).")
{
    const char *call = "addr_from_path(\"/tmp/echo.sock\")";
    const char *path = "/tmp/echo.sock";
    const char zeros[sizeof(struct sockaddr_un)] = {0};
    struct sockaddr_un sun;
    socklen_t len = 0;
    size_t n = strlen(path) + 1;

    memset(&sun, 0xa5, sizeof sun);
    FROM_PATH_OK(path, &sun, &len);
    SL_CHECK_INT(tu_of("sun_family", call), sun.sun_family, AF_UNIX);
    SL_CHECK_INT(tu_of("*len", call), len, offsetof(struct sockaddr_un, sun_path) + n);
    SL_CHECK_BYTES(tu_of("sun_path", call), sun.sun_path, n, path, n);
    SL_CHECK_BYTES(tu_of("the bytes of sun_path past the NUL", call), sun.sun_path + n,
                   sizeof sun.sun_path - n, zeros, sizeof sun.sun_path - n);
}

SL_TEST(from_path_longest, 1,
        "sun_path holds sizeof(sun_path) bytes, the NUL included: a path of "
        "sizeof(sun_path) - 1 characters fits exactly, and *len is then "
        "sizeof(struct sockaddr_un).")
{
    const size_t n = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;
    char *path = long_path(n, 'a');
    struct sockaddr_un *sun = tu_alloc(sizeof *sun, 0xa5);
    socklen_t len = 0;
    char call[64];
    int ret;

    snprintf(call, sizeof call, "addr_from_path(a path of %zu characters)", n);
    errno = 0;
    ret = addr_from_path(path, sun, &len);
    if (SL_CHECK_INT(call, ret, 0)) {
        SL_CHECK_INT(tu_of("*len", call), len, sizeof(struct sockaddr_un));
        SL_CHECK_BYTES(tu_of("sun_path", call), sun->sun_path, n + 1, path, n + 1);
    }
    tu_free(call, sun);
    tu_free(call, path);
}

SL_TEST(from_path_too_long, 2,
        "A path that does not fit in sun_path with its NUL is an error "
        "(ENAMETOOLONG), never a silent truncation: the truncated path would "
        "name another file. Check strlen(path) >= sizeof(sun->sun_path) "
        "before copying.")
{
    const size_t n = sizeof(((struct sockaddr_un *)0)->sun_path);
    const size_t sizes[] = {n, n + 1, 511};
    struct sockaddr_un sun;
    socklen_t len;

    FROM_PATH_OK("/tmp/echo.sock", &sun, &len);
    for (size_t i = 0; i < SL_COUNT(sizes); i++) {
        char *path = long_path(sizes[i], 'b');
        struct sockaddr_un *out = tu_alloc(sizeof *out, 0xa5);
        char call[64];
        int ret;

        snprintf(call, sizeof call, "addr_from_path(a path of %zu characters)", sizes[i]);
        errno = 0;
        ret = addr_from_path(path, out, &len);
        SL_CHECK_FAILS(call, ret, errno, ENAMETOOLONG);
        tu_free(call, out);
        tu_free(call, path);
    }
}

SL_TEST(from_path_empty, 1,
        "An empty path names no file: -1 with errno EINVAL (and NULL "
        "arguments too).")
{
    struct sockaddr_un sun;
    socklen_t len;
    int ret;

    FROM_PATH_OK("/tmp/s", &sun, &len);
    errno = 0;
    ret = addr_from_path("", &sun, &len);
    SL_CHECK_FAILS("addr_from_path(\"\")", ret, errno, EINVAL);
    SL_HINT("Check every pointer argument before using it: NULL is -1 with "
            "errno EINVAL, never a crash.")
    {
        errno = 0;
        ret = addr_from_path(NULL, &sun, &len);
        SL_CHECK_FAILS("addr_from_path(NULL path)", ret, errno, EINVAL);
        errno = 0;
        ret = addr_from_path("/tmp/s", NULL, &len);
        SL_CHECK_FAILS("addr_from_path(\"/tmp/s\") with sun NULL", ret, errno, EINVAL);
        errno = 0;
        ret = addr_from_path("/tmp/s", &sun, NULL);
        SL_CHECK_FAILS("addr_from_path(\"/tmp/s\") with len NULL", ret, errno, EINVAL);
    }
}

/* ---- addr_to_text() ---------------------------------------------------- */

SL_TEST(to_text_ipv4, 1,
        "Look at sa->sa_family, cast to struct sockaddr_in * and give "
        "&sin->sin_addr to inet_ntop(3). No port in this text.")
{
    struct sockaddr_storage ss;

    TO_TEXT_IS(&ss, tu_in4(&ss, "192.0.2.1", 8080), ADDR_STRLEN, "192.0.2.1");
    TO_TEXT_IS(&ss, tu_in4(&ss, "0.0.0.0", 0), ADDR_STRLEN, "0.0.0.0");
    TO_TEXT_IS(&ss, tu_in4(&ss, "255.255.255.255", 1), ADDR_STRLEN, "255.255.255.255");
}

SL_TEST(to_text_ipv6_canonical, 2,
        "Write the RFC 5952 form: lower case, no leading zeros, the longest run "
        "of zero groups (the first if tied, never a single group) as \"::\". "
        "inet_ntop(AF_INET6, ...) does all of this.")
{
    struct sockaddr_storage ss;

    TO_TEXT_IS(&ss, tu_in6(&ss, "2001:0DB8:0000:0000:0000:0000:0000:0001", 0, 0),
               ADDR_STRLEN, "2001:db8::1");
    TO_TEXT_IS(&ss, tu_in6(&ss, "2001:db8:0:1:0:0:0:1", 0, 0), ADDR_STRLEN, "2001:db8:0:1::1");
    TO_TEXT_IS(&ss, tu_in6(&ss, "2001:db8:0:0:1:0:0:1", 0, 0), ADDR_STRLEN, "2001:db8::1:0:0:1");
    TO_TEXT_IS(&ss, tu_in6(&ss, "2001:db8:0:1:1:1:1:1", 0, 0), ADDR_STRLEN,
               "2001:db8:0:1:1:1:1:1");
    TO_TEXT_IS(&ss, tu_in6(&ss, "0:0:0:0:0:0:0:0", 0, 0), ADDR_STRLEN, "::");
    TO_TEXT_IS(&ss, tu_in6(&ss, "0:0:0:0:0:0:0:1", 0, 0), ADDR_STRLEN, "::1");
    TO_TEXT_IS(&ss, tu_in6(&ss, "0:0:0:0:0:ffff:c000:201", 0, 0), ADDR_STRLEN,
               "::ffff:192.0.2.1");
}

SL_TEST(to_text_ipv6_scope, 2,
        "A non-zero sin6_scope_id is written after a '%': the interface name "
        "from if_indextoname(3), or the number itself when no interface has "
        "that index.")
{
    char name[IF_NAMESIZE];
    struct sockaddr_storage ss;

    TO_TEXT_IS(&ss, tu_in6(&ss, "fe80::1", 0, tu_lo_index()), ADDR_STRLEN, "fe80::1%lo");
    if (if_indextoname(4000000000u, name) == NULL)
        TO_TEXT_IS(&ss, tu_in6(&ss, "fe80::1", 0, 4000000000u), ADDR_STRLEN,
                   "fe80::1%4000000000");
}

SL_TEST(to_text_unix, 1,
        "For AF_UNIX the text is sun_path, which need not end in a NUL: the "
        "length says where it ends (len - offsetof(struct sockaddr_un, "
        "sun_path) bytes at most; see strnlen(3)). Read no byte past len.")
{
    struct sockaddr_storage ss;
    struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
    size_t off = offsetof(struct sockaddr_un, sun_path);
    socklen_t len = tu_un(&ss, "/tmp/echo.sock");
    char want[sizeof sun->sun_path + 1];

    TO_TEXT_IS(&ss, len, ADDR_STRLEN, "/tmp/echo.sock");
    TO_TEXT_IS(&ss, len - 1, ADDR_STRLEN, "/tmp/echo.sock");   /* no NUL counted */
    TO_TEXT_IS(&ss, (socklen_t)(off + 4), ADDR_STRLEN, "/tmp"); /* len cuts it */
    SL_HINT("An unnamed socket's address is the family alone: len is "
            "offsetof(struct sockaddr_un, sun_path), and its text is \"\".")
    {
        TO_TEXT_IS(&ss, (socklen_t)off, ADDR_STRLEN, "");
    }
    memset(sun->sun_path, 'x', sizeof sun->sun_path);          /* no NUL at all */
    memset(want, 'x', sizeof sun->sun_path);
    want[sizeof sun->sun_path] = '\0';
    TO_TEXT_IS(&ss, sizeof(struct sockaddr_un), ADDR_STRLEN, want);
}

SL_TEST(to_text_unix_kernel_length, 2,
        "For a socket bound to a path that fills sun_path, getsockname(2) "
        "returns sizeof(struct sockaddr_un) + 1: Linux counts a NUL past the "
        "end of sun_path (unix(7), BUGS). Accept any length of at least "
        "offsetof(struct sockaddr_un, sun_path), and read at most "
        "sizeof(sun_path) bytes of path: strnlen(sun_path, the smaller of "
        "len - offsetof(...) and sizeof(sun_path)).")
{
    struct sockaddr_storage ss;
    struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
    const size_t n = sizeof sun->sun_path;
    char path[sizeof sun->sun_path + 1];
    char desc[TU_WORDS_LEN + 64];
    socklen_t len;

    TO_TEXT_IS(&ss, tu_un(&ss, "/tmp/echo.sock"), ADDR_STRLEN, "/tmp/echo.sock");
    len = tu_kernel_unix(&ss, path, sizeof path);
    snprintf(desc, sizeof desc, "what getsockname() said of a socket bound to %s, len %u",
             tu_text(path), (unsigned)len);
    TO_TEXT_OF(desc, &ss, len, path);
    SL_HINT("The path ends at the end of sun_path even when len goes past it: "
            "here len is sizeof(struct sockaddr_un) + 1 and the byte after "
            "sun_path is an 'x', which is no part of the path. Read no more "
            "than sizeof(sun_path) bytes of it.")
    {
        memset(&ss, 0, sizeof ss);
        sun->sun_family = AF_UNIX;
        memset(sun->sun_path, 'p', n);
        ((char *)&ss)[sizeof *sun] = 'x';
        memset(path, 'p', n);
        path[n] = '\0';
        TO_TEXT_IS(&ss, sizeof *sun + 1, ADDR_STRLEN, path);
        memset((char *)&ss + sizeof *sun, 'x', sizeof ss - sizeof *sun);
        TO_TEXT_IS(&ss, sizeof ss, ADDR_STRLEN, path);
    }
}

SL_TEST(to_text_exact_size, 2,
        "A text of n characters fits in exactly n + 1 bytes: snprintf(buf, "
        "size, ...) returns n, and n < size means that it fit. Keep no byte "
        "spare, and build no part of the text in an array too small for the "
        "longest one (ADDR_STRLEN bytes always do).")
{
    struct sockaddr_storage ss;
    struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
    char name[IF_NAMESIZE];
    char path[sizeof sun->sun_path + 1];
    size_t n = sizeof sun->sun_path;

    TO_TEXT_IS(&ss, tu_in4(&ss, "192.0.2.1", 80), 10, "192.0.2.1");
    TO_TEXT_IS(&ss, tu_in4(&ss, "255.255.255.255", 80), 16, "255.255.255.255");
    TO_TEXT_IS(&ss, tu_in6(&ss, "2001:db8::1", 80, 0), 12, "2001:db8::1");
    TO_TEXT_IS(&ss, tu_in6(&ss, "fe80::1", 80, tu_lo_index()), 11, "fe80::1%lo");
    if (if_indextoname(4294967295u, name) == NULL) /* the longest IPv6 text */
        TO_TEXT_IS(&ss, tu_in6(&ss, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 80,
                               4294967295u),
                   51, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295");
    memset(path, 'p', n - 1); /* the longest path with its NUL */
    path[n - 1] = '\0';
    TO_TEXT_IS(&ss, tu_un(&ss, path), n, path);
    memset(sun->sun_path, 'p', n); /* a full sun_path, no NUL: n characters */
    path[n - 1] = 'p';
    path[n] = '\0';
    TO_TEXT_IS(&ss, sizeof(struct sockaddr_un), n + 1, path);
}

SL_TEST(to_text_no_space, 2,
        "When the text and its NUL do not fit in size bytes, fail with ENOSPC "
        "and leave buf[0] = '\\0': never a cut-off address, never a byte past "
        "buf[size - 1]. snprintf(3) returns the length it needed: the text "
        "fits only if that is less than size.")
{
    struct sockaddr_storage ss;
    struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
    socklen_t len = tu_in4(&ss, "192.0.2.1", 0); /* 9 characters */
    size_t n = sizeof sun->sun_path;

    TO_TEXT_IS(&ss, len, ADDR_STRLEN, "192.0.2.1");
    TO_TEXT_NO_SPACE(&ss, len, 9);
    TO_TEXT_NO_SPACE(&ss, len, 1);
    SL_HINT("With size 0 there is no room even for the NUL: fail with ENOSPC "
            "and write nothing at all into buf.")
    {
        TO_TEXT_NO_SPACE(&ss, len, 0);
    }
    TO_TEXT_NO_SPACE(&ss, tu_in6(&ss, "fe80::1", 0, tu_lo_index()), 10);
    TO_TEXT_NO_SPACE(&ss, tu_in6(&ss, "2001:db8::1", 0, 0), 11);
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    memset(sun->sun_path, 'p', n - 1);
    TO_TEXT_NO_SPACE(&ss, sizeof(struct sockaddr_un), n - 1);
    memset(sun->sun_path, 'p', n);
    TO_TEXT_NO_SPACE(&ss, sizeof(struct sockaddr_un), n);
}

SL_TEST(to_text_lengths, 1,
        "len must cover the structure of the family, and may be longer (a "
        "sockaddr_storage's size is common): at least sizeof(struct "
        "sockaddr_in) for AF_INET, sizeof(struct sockaddr_in6) for AF_INET6, "
        "and for AF_UNIX at least offsetof(struct sockaddr_un, sun_path).")
{
    struct sockaddr_storage ss;

    TO_TEXT_IS(&ss, tu_in4(&ss, "192.0.2.1", 80), ADDR_STRLEN, "192.0.2.1");
    tu_in4(&ss, "192.0.2.1", 80);
    TO_TEXT_IS(&ss, sizeof ss, ADDR_STRLEN, "192.0.2.1");
    TO_TEXT_IS(&ss, tu_in6(&ss, "2001:db8::1", 80, 0), ADDR_STRLEN, "2001:db8::1");
    tu_in6(&ss, "2001:db8::1", 80, 0);
    TO_TEXT_IS(&ss, sizeof ss, ADDR_STRLEN, "2001:db8::1");
    tu_un(&ss, "/tmp/echo.sock");
    TO_TEXT_IS(&ss, sizeof(struct sockaddr_un), ADDR_STRLEN, "/tmp/echo.sock");
    TO_TEXT_IS(&ss, (socklen_t)offsetof(struct sockaddr_un, sun_path), ADDR_STRLEN, "");
    SL_HINT("A length one byte short of the family's structure is EINVAL: "
            "check len < sizeof(struct sockaddr_in6) (28) for AF_INET6 and "
            "len < sizeof(struct sockaddr_in) (16) for AF_INET, before reading "
            "any field past sa_family.")
    {
        TO_TEXT_FAILS(&ss, tu_in4(&ss, "192.0.2.1", 80) - 1, EINVAL);
        TO_TEXT_FAILS(&ss, tu_in6(&ss, "2001:db8::1", 80, 0) - 1, EINVAL);
    }
    SL_HINT("A length longer than the structure is fine for AF_UNIX too "
            "(the path ends at its NUL): do not refuse sizeof(struct "
            "sockaddr_storage).")
    {
        tu_un(&ss, "/tmp/echo.sock");
        TO_TEXT_IS(&ss, sizeof ss, ADDR_STRLEN, "/tmp/echo.sock");
    }
    SL_HINT("An AF_UNIX length shorter than offsetof(struct sockaddr_un, "
            "sun_path) does not even hold the family: EINVAL.")
    {
        tu_un(&ss, "/tmp/echo.sock");
        TO_TEXT_FAILS(&ss, offsetof(struct sockaddr_un, sun_path) - 1, EINVAL);
    }
}

SL_TEST(to_text_bad_address, 1,
        "Check the family (EAFNOSUPPORT for anything but AF_INET, AF_INET6, "
        "AF_UNIX) and that len covers its structure (EINVAL) before reading "
        "past sa_family.")
{
    struct sockaddr_storage ss;
    char buf[ADDR_STRLEN];
    socklen_t len = tu_in4(&ss, "127.0.0.1", 0);
    int ret;

    TO_TEXT_IS(&ss, len, ADDR_STRLEN, "127.0.0.1");
    memset(&ss, 0, sizeof ss);
    ss.ss_family = AF_UNSPEC;
    TO_TEXT_FAILS(&ss, sizeof ss, EAFNOSUPPORT);
    TO_TEXT_FAILS(&ss, tu_in4(&ss, "127.0.0.1", 0) - 1, EINVAL);
    TO_TEXT_FAILS(&ss, 1, EINVAL);
    TO_TEXT_FAILS(&ss, tu_in6(&ss, "::1", 0, 0) - 1, EINVAL);
    TO_TEXT_FAILS(&ss, sizeof(struct sockaddr_in), EINVAL);
    SL_HINT("Check every pointer argument before using it: NULL is -1 with "
            "errno EINVAL, never a crash.")
    {
        errno = 0;
        ret = addr_to_text(NULL, len, buf, sizeof buf);
        SL_CHECK_FAILS("addr_to_text(NULL address, 16, a 128-byte buffer)", ret, errno,
                       EINVAL);
        errno = 0;
        ret = addr_to_text((struct sockaddr *)&ss, sizeof(struct sockaddr_in6), NULL, 10);
        SL_CHECK_FAILS("addr_to_text([::1]:0, NULL buffer of size 10)", ret, errno, EINVAL);
    }
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
    char desc[96];

    for (size_t i = 0; i < SL_COUNT(texts); i++) {
        FROM_TEXT_OK(texts[i], 7, &ss, &len);
        snprintf(desc, sizeof desc, "what addr_from_text(\"%s\", 7) built", texts[i]);
        TO_TEXT_OF(desc, &ss, len, texts[i]);
    }
}
