/* Task 1: byte order by hand. Checked against the C library's htons(),
 * htonl(), ntohs() and ntohl(), whatever the endianness of this host. */
#include "testutil.h"

SL_TASK(1, "Byte order by hand");

static const uint16_t shorts[] = {0, 1, 0x00ff, 0xff00, 0x1234, 80, 8080, 0xffff};
static const uint32_t longs[] = {0, 1, 0x000000ff, 0xff000000, 0x01020304,
                                 0x7f000001, 0xc0000201, 0xdeadbeef,
                                 0x80000000, 0xffffffff};

SL_TEST(htons_matches_libc, 2,
        "addr_htons(x) must return what htons(x) does on this host: put the "
        "most significant byte first in memory (e.g. write the bytes into a "
        "uint8_t array and memcpy() it into the result).")
{
    char what[64];

    for (size_t i = 0; i < SL_COUNT(shorts); i++) {
        snprintf(what, sizeof what, "addr_htons(0x%04x)", (unsigned)shorts[i]);
        SL_CHECK_INT(what, addr_htons(shorts[i]), htons(shorts[i]));
    }
}

SL_TEST(htonl_matches_libc, 2,
        "addr_htonl(x) must return what htonl(x) does on this host: the four "
        "bytes of x in memory from the most significant to the least.")
{
    char what[64];

    for (size_t i = 0; i < SL_COUNT(longs); i++) {
        snprintf(what, sizeof what, "addr_htonl(0x%08lx)", (unsigned long)longs[i]);
        SL_CHECK_INT(what, addr_htonl(longs[i]), htonl(longs[i]));
    }
}

SL_TEST(htons_byte_layout, 1,
        "Network byte order is big-endian: the bytes of addr_htons(0x1234) in "
        "memory must be 12 34 on every host. Shifting alone (x << 8 | x >> 8) "
        "is right only on a little-endian host.")
{
    uint16_t net = addr_htons(0x1234);

    SL_CHECK_BYTES("the bytes of addr_htons(0x1234) in memory", &net, sizeof net,
                   "\x12\x34", 2);
}

SL_TEST(htonl_byte_layout, 2,
        "The bytes of addr_htonl(0x01020304) in memory must be 01 02 03 04 on "
        "every host: most significant byte at the lowest address (RFC 791, "
        "appendix B).")
{
    uint32_t net = addr_htonl(0x01020304);

    SL_CHECK_BYTES("the bytes of addr_htonl(0x01020304) in memory", &net, sizeof net,
                   "\x01\x02\x03\x04", 4);
}

SL_TEST(ntohs_matches_libc, 1,
        "addr_ntohs() undoes addr_htons(): read the first byte in memory as the "
        "most significant one. It must return what ntohs() does.")
{
    char what[64];

    for (size_t i = 0; i < SL_COUNT(shorts); i++) {
        snprintf(what, sizeof what, "addr_ntohs(0x%04x)", (unsigned)shorts[i]);
        SL_CHECK_INT(what, addr_ntohs(shorts[i]), ntohs(shorts[i]));
    }
}

SL_TEST(ntohl_matches_libc, 1,
        "addr_ntohl() undoes addr_htonl(): read the four bytes in memory order, "
        "most significant first. It must return what ntohl() does.")
{
    char what[64];

    for (size_t i = 0; i < SL_COUNT(longs); i++) {
        snprintf(what, sizeof what, "addr_ntohl(0x%08lx)", (unsigned long)longs[i]);
        SL_CHECK_INT(what, addr_ntohl(longs[i]), ntohl(longs[i]));
    }
}

SL_TEST(ntohl_reads_wire_bytes, 1,
        "Bytes c0 00 02 01 as they come off the wire are 192.0.2.1, the number "
        "0xc0000201: addr_ntohl() must read the first byte as the most "
        "significant one, on every host.")
{
    const unsigned char wire[4] = {0xc0, 0x00, 0x02, 0x01};
    const unsigned char port[2] = {0x1f, 0x90};
    uint32_t a;
    uint16_t p;

    memcpy(&a, wire, sizeof a);
    memcpy(&p, port, sizeof p);
    SL_CHECK_INT("addr_ntohl() of the bytes c0 00 02 01", addr_ntohl(a), 0xc0000201);
    SL_HINT("Bytes 1f 90 as they come off the wire are port 8080 (0x1f90): "
            "addr_ntohs() must read the first byte as the most significant one.")
    {
        SL_CHECK_INT("addr_ntohs() of the bytes 1f 90", addr_ntohs(p), 8080);
    }
}

SL_TEST(byte_order_round_trip, 1,
        "For every x, addr_ntohl(addr_htonl(x)) == x and addr_htonl(x) == "
        "htonl(x); the same for the 16-bit pair. Check your shifts and casts "
        "for values with the top bit set.")
{
    uint32_t x = 12345;
    char what[80];

    for (int i = 0; i < 1000; i++) {
        x = x * 1103515245u + 12345u; /* a fixed sequence: deterministic */
        uint16_t s = (uint16_t)(x >> 16);

        snprintf(what, sizeof what, "addr_htonl(0x%08lx)", (unsigned long)x);
        if (!SL_CHECK_INT(what, addr_htonl(x), htonl(x)))
            return;
        snprintf(what, sizeof what, "addr_ntohl(addr_htonl(0x%08lx))", (unsigned long)x);
        if (!SL_CHECK_INT(what, addr_ntohl(addr_htonl(x)), x))
            return;
        snprintf(what, sizeof what, "addr_htons(0x%04x)", (unsigned)s);
        if (!SL_CHECK_INT(what, addr_htons(s), htons(s)))
            return;
        snprintf(what, sizeof what, "addr_ntohs(addr_htons(0x%04x))", (unsigned)s);
        if (!SL_CHECK_INT(what, addr_ntohs(addr_htons(s)), s))
            return;
    }
}
