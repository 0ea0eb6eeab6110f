/* Task 6: comparing socket addresses (addr_equal). */
#include "testutil.h"

static int equal(const struct sockaddr_storage *a, socklen_t alen,
                 const struct sockaddr_storage *b, socklen_t blen)
{
    return addr_equal((const struct sockaddr *)a, alen,
                      (const struct sockaddr *)b, blen);
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

    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 1);
    memset(((struct sockaddr_in *)&b)->sin_zero, 0x5a, 8);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 1);
    blen = tu_in4(&b, "192.0.2.1", 81);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    blen = tu_in4(&b, "192.0.2.2", 80);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
}

SL_TEST(equal_ipv6, 2,
        "Two IPv6 endpoints are the same when address, port and scope id are; "
        "sin6_flowinfo does not name the endpoint, so ignore it.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_in6(&a, "fe80::1", 443, 1);
    socklen_t blen = tu_in6(&b, "fe80::1", 443, 1);

    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 1);
    ((struct sockaddr_in6 *)&b)->sin6_flowinfo = htonl(0x12345);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 1);
    blen = tu_in6(&b, "fe80::1", 443, 2);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    blen = tu_in6(&b, "fe80::1", 444, 1);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    blen = tu_in6(&b, "fe80::2", 443, 1);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
}

SL_TEST(equal_different_families, 1,
        "Addresses of different families are never equal, even 192.0.2.1 and "
        "::ffff:192.0.2.1: compare sa_family first.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_in4(&a, "192.0.2.1", 80);
    socklen_t blen = tu_in6(&b, "::ffff:192.0.2.1", 80, 0);

    TU_REQUIRE(equal(&a, alen, &a, alen), 1);
    TU_REQUIRE(equal(&b, blen, &b, blen), 1);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    SL_ASSERT_INT_EQ(equal(&b, blen, &a, alen), 0);
    blen = tu_un(&b, "/tmp/s");
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
}

SL_TEST(equal_unix, 1,
        "Two AF_UNIX addresses are equal when their paths are, each read up to "
        "its first NUL or the end of its length, whatever lies after that.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_un(&a, "/tmp/echo.sock");
    socklen_t blen = tu_un(&b, "/tmp/echo.sock");

    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 1);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen - 1), 1); /* no NUL counted */
    memset(((struct sockaddr_un *)&b)->sun_path + blen - offsetof(struct sockaddr_un, sun_path),
           'x', 10);                                    /* junk after it */
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, sizeof(struct sockaddr_un)), 1);
    blen = tu_un(&b, "/tmp/echo.sock2");
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, alen - 2), 0); /* len cuts b to "/tmp/echo.soc" */
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

    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 1);
    memset(sun->sun_path + 5, 'x', 10);                 /* junk after the length */
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 1);
    blen = abstract(&b, "ecHo", 4);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    blen = abstract(&b, "echo2", 5);
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    blen = abstract(&b, "echo\0", 5);                   /* a NUL more is another name */
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    alen = abstract(&a, "a\0b", 3);
    blen = abstract(&b, "a\0c", 3);                     /* bytes after a NUL count */
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    alen = abstract(&a, "/tmp/s", 6);
    blen = tu_un(&b, "/tmp/s");                         /* abstract is no path */
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, blen), 0);
    SL_ASSERT_INT_EQ(equal(&b, blen, &a, alen), 0);
    alen = abstract(&a, "", 0);                         /* the empty abstract name */
    SL_ASSERT_INT_EQ(equal(&a, alen, &b, unnamed), 0);  /* is not unnamed */
    /* Two unnamed addresses are the same (empty) address. */
    SL_ASSERT_INT_EQ(equal(&a, unnamed, &b, unnamed), 1);
}

SL_TEST(equal_bad_address, 1,
        "Validate both addresses before comparing: EAFNOSUPPORT for an unknown "
        "family, EINVAL for a NULL pointer or a length too short for the family.")
{
    struct sockaddr_storage a, b;
    socklen_t alen = tu_in4(&a, "192.0.2.1", 80);

    TU_REQUIRE(equal(&a, alen, &a, alen), 1);
    memset(&b, 0, sizeof b);
    b.ss_family = AF_UNSPEC;
    SL_ASSERT_FAILS_WITH(equal(&a, alen, &b, sizeof b), EAFNOSUPPORT);
    SL_ASSERT_FAILS_WITH(equal(&b, sizeof b, &a, alen), EAFNOSUPPORT);
    tu_in4(&b, "192.0.2.1", 80);
    SL_ASSERT_FAILS_WITH(equal(&a, alen, &b, alen - 1), EINVAL);
    SL_ASSERT_FAILS_WITH(addr_equal(NULL, alen, (struct sockaddr *)&b, alen), EINVAL);
}
