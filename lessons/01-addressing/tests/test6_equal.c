/* Task 6: comparing socket addresses (addr_equal). */
#include "testutil.h"

SL_TASK(6, "Comparing socket addresses");

/* addr_equal() of (a, alen) and (b, blen), each read from a copy of
 * exactly its length, must return want (1 or 0, or -1 with errno err).
 * note, if not NULL, says in words what is special about b. */
#define EQUAL_IS(a, alen, b, blen, want, note)                                \
    equal_is(__FILE__, __LINE__, (a), (alen), (b), (blen), (want), 0, (note))
#define EQUAL_FAILS(a, alen, b, blen, err)                                    \
    equal_is(__FILE__, __LINE__, (a), (alen), (b), (blen), -1, (err), NULL)

static void equal_is(const char *file, int line,
                     const struct sockaddr_storage *a, socklen_t alen,
                     const struct sockaddr_storage *b, socklen_t blen,
                     int want, int err, const char *note)
{
    void *ca = tu_dup_addr(a, alen);
    void *cb = tu_dup_addr(b, blen);
    char what[2 * TU_WORDS_LEN + 64];
    int ret;

    snprintf(what, sizeof what, "addr_equal(%s, %s%s%s)", tu_addr(a, alen),
             tu_addr(b, blen), note ? " " : "", note ? note : "");
    errno = 0;
    ret = addr_equal(ca, alen, cb, blen);
    if (want == -1)
        sl_check_fails(file, line, 0, what, ret, errno, err);
    else
        sl_check_int(file, line, 0, what, ret, want);
    tu_free(what, cb);
    tu_free(what, ca);
}

/* Fills ss with an abstract AF_UNIX address (Linux, see unix(7)): a NUL,
 * then the n bytes of name; returns a length that counts exactly those. */
static socklen_t abstract(struct sockaddr_storage *ss, const char *name,
                          size_t n)
{
    struct sockaddr_un *sun = (struct sockaddr_un *)ss;

    memset(ss, 0, sizeof *ss);
    sun->sun_family = AF_UNIX;
    memcpy(sun->sun_path + 1, name, n);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

SL_TEST(equal_ipv4, 2,
        "Compare sin_addr.s_addr and sin_port, not the whole structure with "
        "memcmp(3): sin_zero is padding and may hold anything.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_in4(&a, "192.0.2.1", 80);
    socklen_t blen = tu_in4(&b, "192.0.2.1", 80);

    EQUAL_IS(&a, alen, &b, blen, 1, NULL);
    memset(((struct sockaddr_in *)&b)->sin_zero, 0x5a, 8);
    EQUAL_IS(&a, alen, &b, blen, 1, "with junk in sin_zero");
    SL_HINT("Two addresses with the same IP address but another port are two "
            "endpoints: compare sin_port too.")
    {
        blen = tu_in4(&b, "192.0.2.1", 81);
        EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    }
    SL_HINT("Compare the whole 32 bits of sin_addr.s_addr.")
    {
        blen = tu_in4(&b, "192.0.2.2", 80);
        EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    }
}

SL_TEST(equal_ipv6, 2,
        "Two IPv6 endpoints are the same when address, port and scope id are; "
        "sin6_flowinfo does not name the endpoint, so ignore it.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_in6(&a, "fe80::1", 443, 1);
    socklen_t blen = tu_in6(&b, "fe80::1", 443, 1);

    EQUAL_IS(&a, alen, &b, blen, 1, NULL);
    ((struct sockaddr_in6 *)&b)->sin6_flowinfo = htonl(0x12345);
    EQUAL_IS(&a, alen, &b, blen, 1, "with flow label 0x12345");
    SL_HINT("fe80::1%1 and fe80::1%2 are the same address on two different "
            "links: compare sin6_scope_id too.")
    {
        blen = tu_in6(&b, "fe80::1", 443, 2);
        EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    }
    blen = tu_in6(&b, "fe80::1", 444, 1);
    EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    SL_HINT("Compare all 16 bytes of sin6_addr (IN6_ARE_ADDR_EQUAL, or "
            "memcmp() of the s6_addr arrays).")
    {
        blen = tu_in6(&b, "fe80::2", 443, 1);
        EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    }
}

SL_TEST(equal_different_families, 1,
        "Addresses of different families are never equal, even 192.0.2.1 and "
        "::ffff:192.0.2.1: compare sa_family first.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_in4(&a, "192.0.2.1", 80);
    socklen_t blen = tu_in6(&b, "::ffff:192.0.2.1", 80, 0);

    SL_HINT("An address equals itself: addr_equal() of the same address "
            "twice is 1, for IPv4 and IPv6 alike.")
    {
        EQUAL_IS(&a, alen, &a, alen, 1, NULL);
        EQUAL_IS(&b, blen, &b, blen, 1, NULL);
    }
    EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    EQUAL_IS(&b, blen, &a, alen, 0, NULL);
    blen = tu_un(&b, "/tmp/s");
    EQUAL_IS(&a, alen, &b, blen, 0, NULL);
}

SL_TEST(equal_unix, 1,
        "Two AF_UNIX addresses are equal when their paths are, each read up to "
        "its first NUL or the end of its length, whatever lies after that.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_un(&a, "/tmp/echo.sock");
    socklen_t blen = tu_un(&b, "/tmp/echo.sock");
    size_t n = sizeof(((struct sockaddr_un *)0)->sun_path);

    EQUAL_IS(&a, alen, &b, blen, 1, NULL);
    EQUAL_IS(&a, alen, &b, blen - 1, 1, "without its NUL");
    memset(((struct sockaddr_un *)&b)->sun_path + blen - offsetof(struct sockaddr_un, sun_path),
           'x', 10);
    EQUAL_IS(&a, alen, &b, sizeof(struct sockaddr_un), 1, "with junk after its NUL");
    blen = tu_un(&b, "/tmp/echo.sock2");
    EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    SL_HINT("The length ends a path as its NUL does: a length that stops "
            "before the 'k' leaves the path \"/tmp/echo.soc\", which is not "
            "\"/tmp/echo.sock\".")
    {
        EQUAL_IS(&a, alen, &a, alen - 2, 0, NULL);
    }
    SL_HINT("A path may fill all of sun_path with no NUL: measure it with "
            "strnlen(sun_path, len - offsetof(struct sockaddr_un, sun_path)), "
            "never strlen() or strcmp(), which read past the end.")
    {
        memset(((struct sockaddr_un *)&a)->sun_path, 'p', n);
        memset(((struct sockaddr_un *)&b)->sun_path, 'p', n);
        EQUAL_IS(&a, sizeof(struct sockaddr_un), &b, sizeof(struct sockaddr_un), 1, NULL);
        ((struct sockaddr_un *)&b)->sun_path[n - 1] = 'q';
        EQUAL_IS(&a, sizeof(struct sockaddr_un), &b, sizeof(struct sockaddr_un), 0,
                 "whose last byte is a 'q'");
    }
}

SL_TEST(equal_unix_abstract, 1,
        "On Linux a sun_path that starts with a NUL is an abstract name "
        "(unix(7)): all len - offsetof(struct sockaddr_un, sun_path) bytes of "
        "it, NULs included, are the name, so compare that many bytes. Only a "
        "path ends at its first NUL.")
{
    struct sockaddr_storage a, b;
    struct sockaddr_un *sun = (struct sockaddr_un *)&a;
    socklen_t unnamed = (socklen_t)offsetof(struct sockaddr_un, sun_path);
    socklen_t alen = abstract(&a, "echo", 4);
    socklen_t blen = abstract(&b, "echo", 4);

    EQUAL_IS(&a, alen, &b, blen, 1, NULL);
    memset(sun->sun_path + 5, 'x', 10);                 /* bytes past the length */
    EQUAL_IS(&a, alen, &b, blen, 1, NULL);              /* are no part of the name */
    EQUAL_IS(&a, alen + 10, &b, blen, 0, NULL);         /* unless the length covers them */
    blen = abstract(&b, "ecHo", 4);
    EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    blen = abstract(&b, "echo2", 5);
    EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    blen = abstract(&b, "echo\0", 5);                   /* a NUL more is another name */
    EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    alen = abstract(&a, "a\0b", 3);
    blen = abstract(&b, "a\0c", 3);                     /* bytes after a NUL count */
    EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    alen = abstract(&a, "/tmp/s", 6);
    blen = tu_un(&b, "/tmp/s");                         /* abstract is no path */
    EQUAL_IS(&a, alen, &b, blen, 0, NULL);
    EQUAL_IS(&b, blen, &a, alen, 0, NULL);
    SL_HINT("The longest abstract name fills sun_path: len is sizeof(struct "
            "sockaddr_un) and the name has no NUL to end it. Compare exactly "
            "the bytes the length covers, never more.")
    {
        abstract(&a, "", 0);
        memset(sun->sun_path + 1, 'n', sizeof sun->sun_path - 1);
        b = a;
        EQUAL_IS(&a, sizeof(struct sockaddr_un), &b, sizeof(struct sockaddr_un), 1, NULL);
    }
    SL_HINT("An abstract name of length 0 (len = offsetof(struct sockaddr_un, "
            "sun_path) + 1, sun_path[0] a NUL) is a name, not \"unnamed\": it "
            "equals itself, and not an unnamed address, whose len is "
            "offsetof(struct sockaddr_un, sun_path).")
    {
        alen = abstract(&a, "", 0);
        blen = abstract(&b, "", 0);
        EQUAL_IS(&a, alen, &b, blen, 1, NULL);
        EQUAL_IS(&a, alen, &b, unnamed, 0, NULL);
        EQUAL_IS(&b, unnamed, &a, alen, 0, NULL);
    }
    SL_HINT("Two unnamed addresses (len = offsetof(struct sockaddr_un, "
            "sun_path), nothing of sun_path) are the same, empty, address: "
            "equal.")
    {
        EQUAL_IS(&a, unnamed, &b, unnamed, 1, NULL);
    }
}

SL_TEST(equal_lengths, 1,
        "Each length must cover the structure of its family: at least "
        "sizeof(struct sockaddr_in) or sizeof(struct sockaddr_in6), for "
        "AF_UNIX at least offsetof(struct sockaddr_un, sun_path); more is "
        "fine. Check both before reading past sa_family.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_in4(&a, "192.0.2.1", 80);
    socklen_t blen;

    EQUAL_IS(&a, alen, &a, sizeof a, 1, NULL);
    alen = tu_in6(&a, "2001:db8::1", 80, 0);
    EQUAL_IS(&a, sizeof a, &a, alen, 1, NULL);
    SL_HINT("One byte short of the family's structure is EINVAL, for either "
            "address: len < sizeof(struct sockaddr_in6) (28) for AF_INET6, "
            "len < sizeof(struct sockaddr_in) (16) for AF_INET.")
    {
        blen = tu_in6(&b, "2001:db8::1", 80, 0);
        EQUAL_FAILS(&a, alen, &b, blen - 1, EINVAL);
        EQUAL_FAILS(&b, blen - 1, &a, alen, EINVAL);
        alen = tu_in4(&a, "192.0.2.1", 80);
        blen = tu_in4(&b, "192.0.2.1", 80);
        EQUAL_FAILS(&a, alen, &b, blen - 1, EINVAL);
    }
    SL_HINT("An AF_UNIX length starts at offsetof(struct sockaddr_un, "
            "sun_path), an unnamed address: one byte less is EINVAL. A longer "
            "one than the structure is fine: the path ends at its NUL.")
    {
        alen = tu_un(&a, "/tmp/s");
        blen = tu_un(&b, "/tmp/s");
        EQUAL_IS(&a, alen, &b, sizeof(struct sockaddr_un), 1, NULL);
        EQUAL_IS(&a, alen, &b, sizeof b, 1, NULL);
        EQUAL_FAILS(&a, alen, &b, offsetof(struct sockaddr_un, sun_path) - 1, EINVAL);
        EQUAL_FAILS(&b, offsetof(struct sockaddr_un, sun_path) - 1, &a, alen, EINVAL);
    }
}

SL_TEST(equal_unix_kernel_length, 2,
        "For a socket bound to a path that fills sun_path, getsockname(2) "
        "returns sizeof(struct sockaddr_un) + 1 (unix(7), BUGS): the kernel "
        "counts a NUL past the end of sun_path. Accept that length and read "
        "no more than sizeof(sun_path) bytes of the name: the path is then "
        "all of sun_path.")
{
    struct sockaddr_storage k, b;
    struct sockaddr_un *sun = (struct sockaddr_un *)&b;
    const size_t n = sizeof sun->sun_path;
    char path[sizeof sun->sun_path + 1];
    char note[TU_WORDS_LEN + 64];
    socklen_t klen, blen = tu_un(&b, "/tmp/s");

    EQUAL_IS(&b, blen, &b, blen, 1, NULL);
    klen = tu_kernel_unix(&k, path, sizeof path);
    /* The same path built by hand: sun_path full, no NUL, len of the
     * structure. */
    memset(&b, 0, sizeof b);
    sun->sun_family = AF_UNIX;
    memcpy(sun->sun_path, path, n);
    blen = sizeof *sun;
    snprintf(note, sizeof note, "(what getsockname() said, len %u, and the same path "
             "built by hand)", (unsigned)klen);
    EQUAL_IS(&k, klen, &b, blen, 1, note);
    EQUAL_IS(&b, blen, &k, klen, 1, note);
    EQUAL_IS(&k, klen, &k, klen, 1, "(what getsockname() said, twice)");
    SL_HINT("Paths that differ in their last byte are different, even at "
            "the full length of sun_path.")
    {
        sun->sun_path[n - 1] = 'q';
        EQUAL_IS(&k, klen, &b, blen, 0, "(the same but the last byte of the path)");
    }
    SL_HINT("The byte past sun_path that a length of sizeof(struct "
            "sockaddr_un) + 1 covers is no part of the path, whatever it "
            "holds: here an 'x'. Read at most sizeof(sun_path) bytes.")
    {
        sun->sun_path[n - 1] = path[n - 1];
        memcpy(&k, &b, sizeof *sun);
        ((char *)&k)[sizeof *sun] = 'x';
        EQUAL_IS(&k, sizeof *sun + 1, &b, blen, 1, "(with an 'x' past sun_path)");
    }
}

SL_TEST(equal_bad_address, 1,
        "Validate both addresses before comparing: EAFNOSUPPORT for an unknown "
        "family, EINVAL for a NULL pointer or a length too short for the family.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_in4(&a, "192.0.2.1", 80);
    int ret;

    SL_HINT("An address equals itself: addr_equal() of 192.0.2.1:80 and "
            "192.0.2.1:80 is 1.")
    {
        EQUAL_IS(&a, alen, &a, alen, 1, NULL);
    }
    memset(&b, 0, sizeof b);
    b.ss_family = AF_UNSPEC;
    EQUAL_FAILS(&a, alen, &b, sizeof b, EAFNOSUPPORT);
    EQUAL_FAILS(&b, sizeof b, &a, alen, EAFNOSUPPORT);
    SL_HINT("Validate both addresses before you compare anything: a bad "
            "address is an error even when the families differ.")
    {
        tu_in6(&b, "::1", 80, 0);
        EQUAL_FAILS(&a, alen, &b, sizeof(struct sockaddr_in), EINVAL);
    }
    tu_in4(&b, "192.0.2.1", 80);
    EQUAL_FAILS(&a, alen, &b, alen - 1, EINVAL);
    errno = 0;
    ret = addr_equal(NULL, alen, (struct sockaddr *)&b, alen);
    SL_CHECK_FAILS("addr_equal(NULL, 192.0.2.1:80)", ret, errno, EINVAL);
    errno = 0;
    ret = addr_equal((struct sockaddr *)&a, alen, NULL, alen);
    SL_CHECK_FAILS("addr_equal(192.0.2.1:80, NULL)", ret, errno, EINVAL);
}
