/* Task 4: classifying addresses (addr_classify). */
#include "testutil.h"

SL_TASK(4, "Classifying addresses");

struct case_ {
    const char *ip;
    int want;
};

/* Each address of cases, in a block of exactly its length, must be
 * classified as its want. */
static void classify_all(const struct case_ *cases, size_t n)
{
    struct sockaddr_storage ss;
    socklen_t len;

    for (size_t i = 0; i < n; i++) {
        void *sa;
        int got;

        if (strchr(cases[i].ip, ':') != NULL)
            len = tu_in6(&ss, cases[i].ip, 80, 0);
        else
            len = tu_in4(&ss, cases[i].ip, 80);
        sa = tu_dup_addr(&ss, len);
        got = addr_classify(sa, len);
        if (got != cases[i].want)
            SL_FAIL("addr_classify(%s): expected %s, got %s", cases[i].ip,
                    tu_class_name(cases[i].want), tu_class_name(got));
        tu_free("addr_classify()", sa);
    }
}

#define CLASSIFY_ALL(cases) classify_all((cases), SL_COUNT(cases))

/* Ends the test unless addr_classify(ip) is want. A test whose cases all
 * share one class first checks an address of another class: a function
 * that always gives the same answer would pass it. */
#define CLASSIFY_MUST_BE(ip, want) classify_must_be(__FILE__, __LINE__, (ip), (want))

static void classify_must_be(const char *file, int line, const char *ip, int want)
{
    struct sockaddr_storage ss;
    socklen_t len = strchr(ip, ':') ? tu_in6(&ss, ip, 80, 0) : tu_in4(&ss, ip, 80);
    int got = addr_classify((struct sockaddr *)&ss, len);

    if (got != want)
        sl_fail_at(file, line, 1, "addr_classify(%s) must be %s before the "
                   "rest of this test means anything; got %s", ip,
                   tu_class_name(want), tu_class_name(got));
}

SL_TEST(classify_ipv4_special, 2,
        "Turn sin_addr into a host-order number with ntohl() first, then "
        "compare: 0.0.0.0 is unspecified, 127.0.0.0/8 loopback, "
        "255.255.255.255 broadcast.")
{
    static const struct case_ cases[] = {
        {"0.0.0.0", ADDR_UNSPECIFIED},  {"127.0.0.1", ADDR_LOOPBACK},
        {"127.0.0.0", ADDR_LOOPBACK},   {"127.255.255.255", ADDR_LOOPBACK},
        {"127.1.2.3", ADDR_LOOPBACK},   {"255.255.255.255", ADDR_BROADCAST},
    };

    CLASSIFY_ALL(cases);
}

SL_TEST(classify_ipv4_private, 2,
        "RFC 1918 reserves 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 for "
        "private use. An address is in a.b.c.d/n when its top n bits equal "
        "those of a.b.c.d: (addr & mask) == net.")
{
    static const struct case_ cases[] = {
        {"10.0.0.0", ADDR_PRIVATE},      {"10.255.255.255", ADDR_PRIVATE},
        {"172.16.0.0", ADDR_PRIVATE},    {"172.20.1.2", ADDR_PRIVATE},
        {"172.31.255.255", ADDR_PRIVATE}, {"192.168.0.0", ADDR_PRIVATE},
        {"192.168.1.1", ADDR_PRIVATE},   {"192.168.255.255", ADDR_PRIVATE},
    };

    CLASSIFY_MUST_BE("8.8.8.8", ADDR_GLOBAL);
    CLASSIFY_ALL(cases);
}

SL_TEST(classify_ipv4_private_edges, 2,
        "172.16.0.0/12 runs from 172.16.0.0 to 172.31.255.255 only (a /12 mask "
        "is 255.240.0.0): 172.15.255.255 and 172.32.0.0 are global, and so are "
        "the neighbours of 10/8 and 192.168/16.")
{
    static const struct case_ cases[] = {
        {"9.255.255.255", ADDR_GLOBAL},   {"11.0.0.0", ADDR_GLOBAL},
        {"172.15.255.255", ADDR_GLOBAL},  {"172.32.0.0", ADDR_GLOBAL},
        {"192.167.255.255", ADDR_GLOBAL}, {"192.169.0.0", ADDR_GLOBAL},
        {"126.255.255.255", ADDR_GLOBAL}, {"128.0.0.0", ADDR_GLOBAL},
    };

    CLASSIFY_MUST_BE("10.1.2.3", ADDR_PRIVATE);
    CLASSIFY_ALL(cases);
}

SL_TEST(classify_ipv4_link_local_multicast, 2,
        "169.254.0.0/16 is link-local (RFC 3927); 224.0.0.0/4 (224.0.0.0 to "
        "239.255.255.255) is multicast (RFC 5771). Mind both ends of each "
        "block.")
{
    static const struct case_ cases[] = {
        {"169.254.0.0", ADDR_LINK_LOCAL}, {"169.254.255.255", ADDR_LINK_LOCAL},
        {"169.253.255.255", ADDR_GLOBAL}, {"169.255.0.0", ADDR_GLOBAL},
        {"224.0.0.0", ADDR_MULTICAST},    {"224.0.0.251", ADDR_MULTICAST},
        {"239.255.255.255", ADDR_MULTICAST}, {"223.255.255.255", ADDR_GLOBAL},
    };

    CLASSIFY_ALL(cases);
}

/* A special-purpose block of the IANA registries (RFC 6890), tested at
 * its edges: its first and last addresses are ADDR_RESERVED, and the
 * addresses just outside it, where they belong to no special block (NULL
 * where they do, tested apart), are ADDR_GLOBAL. */
struct block {
    const char *first, *last;  /* the block's edges */
    const char *below, *above; /* its neighbours, or NULL */
    const char *hint;          /* what the block is, and its RFC */
};

static void classify_blocks(const struct block *blocks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        SL_HINT(blocks[i].hint)
        {
            struct case_ edges[4] = {
                {blocks[i].first, ADDR_RESERVED}, {blocks[i].last, ADDR_RESERVED},
            };
            size_t k = 2;

            if (blocks[i].below != NULL)
                edges[k++] = (struct case_){blocks[i].below, ADDR_GLOBAL};
            if (blocks[i].above != NULL)
                edges[k++] = (struct case_){blocks[i].above, ADDR_GLOBAL};
            classify_all(edges, k);
        }
}

SL_TEST(classify_ipv4_reserved, 3,
        "The IANA IPv4 special-purpose registry (RFC 6890) marks these blocks "
        "not globally reachable: 0.0.0.0/8, 100.64.0.0/10, 192.0.0.0/24, "
        "192.0.2.0/24, 198.18.0.0/15, 198.51.100.0/24, 203.0.113.0/24 and "
        "240.0.0.0/4: ADDR_RESERVED. Put them in your table after the smaller "
        "blocks they hold (0.0.0.0 is unspecified, 255.255.255.255 broadcast).")
{
    static const struct block blocks[] = {
        {"0.0.0.1", "0.255.255.255", NULL, "1.0.0.0",
         "0.0.0.0/8 names hosts of \"this network\" (RFC 1122, section "
         "3.2.1.3): a source address while a host starts up, never a "
         "destination. ADDR_RESERVED, but for 0.0.0.0 itself, which is "
         "ADDR_UNSPECIFIED (test the smaller block first). 1.0.0.0 is global."},
        {"100.64.0.0", "100.127.255.255", "100.63.255.255", "100.128.0.0",
         "100.64.0.0/10 is the shared address space of carrier-grade NAT "
         "(RFC 6598): 100.64.0.0 to 100.127.255.255, a /10 (mask 255.192.0.0)."},
        {"192.0.0.0", "192.0.0.255", "191.255.255.255", "192.0.1.0",
         "192.0.0.0/24 holds the IETF protocol assignments (RFC 6890, section "
         "2.1): 192.0.0.0 to 192.0.0.255."},
        {"192.0.2.0", "192.0.2.255", "192.0.1.255", "192.0.3.0",
         "192.0.2.0/24 is TEST-NET-1, for documentation (RFC 5737): the "
         "examples of this lesson, and never a real host."},
        {"198.18.0.0", "198.19.255.255", "198.17.255.255", "198.20.0.0",
         "198.18.0.0/15 is for benchmarking (RFC 2544): 198.18.0.0 to "
         "198.19.255.255, a /15 (mask 255.254.0.0)."},
        {"198.51.100.0", "198.51.100.255", "198.51.99.255", "198.51.101.0",
         "198.51.100.0/24 is TEST-NET-2, for documentation (RFC 5737)."},
        {"203.0.113.0", "203.0.113.255", "203.0.112.255", "203.0.114.0",
         "203.0.113.0/24 is TEST-NET-3, for documentation (RFC 5737)."},
        {"240.0.0.0", "255.255.255.254", NULL, NULL,
         "240.0.0.0/4 (the old class E) is reserved (RFC 1112, section 4): "
         "240.0.0.0 to 255.255.255.254, since 255.255.255.255 is the "
         "broadcast address (test it first)."},
    };

    CLASSIFY_MUST_BE("8.8.8.8", ADDR_GLOBAL);
    CLASSIFY_MUST_BE("192.0.2.1", ADDR_RESERVED);
    classify_blocks(blocks, SL_COUNT(blocks));
    SL_HINT("Where blocks nest, the smaller one wins: 0.0.0.0 is "
            "ADDR_UNSPECIFIED though 0.0.0.0/8 is reserved, and "
            "255.255.255.255 is ADDR_BROADCAST though 240.0.0.0/4 is. Just "
            "below 240.0.0.0/4, 239.255.255.255 is multicast.")
    {
        static const struct case_ nested[] = {
            {"0.0.0.0", ADDR_UNSPECIFIED}, {"255.255.255.255", ADDR_BROADCAST},
            {"239.255.255.255", ADDR_MULTICAST},
        };

        CLASSIFY_ALL(nested);
    }
}

SL_TEST(classify_ipv4_global, 1,
        "ADDR_GLOBAL is what is left: an address in none of the blocks of the "
        "other classes, such as 8.8.8.8. It includes special-purpose blocks "
        "that are globally reachable, such as AS112's 192.31.196.0/24 "
        "(RFC 7535).")
{
    static const struct case_ cases[] = {
        {"8.8.8.8", ADDR_GLOBAL},        {"1.0.0.0", ADDR_GLOBAL},
        {"93.184.216.34", ADDR_GLOBAL},  {"192.31.196.1", ADDR_GLOBAL},
        {"223.255.255.255", ADDR_GLOBAL}, {"100.128.0.1", ADDR_GLOBAL},
    };

    CLASSIFY_MUST_BE("127.0.0.1", ADDR_LOOPBACK);
    CLASSIFY_ALL(cases);
}

SL_TEST(classify_ipv6_special, 2,
        "IN6_IS_ADDR_UNSPECIFIED, IN6_IS_ADDR_LOOPBACK and IN6_IS_ADDR_MULTICAST "
        "(netinet/in.h) test :: and ::1 (RFC 4291, sections 2.5.2 and 2.5.3) and "
        "ff00::/8 (section 2.7).")
{
    static const struct case_ cases[] = {
        {"::", ADDR_UNSPECIFIED},      {"::1", ADDR_LOOPBACK},
        {"::2", ADDR_GLOBAL},          {"ff02::1", ADDR_MULTICAST},
        {"ff0e::101", ADDR_MULTICAST}, {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ADDR_MULTICAST},
        {"ff00::", ADDR_MULTICAST},
        {"feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ADDR_GLOBAL},
        {"2606:4700::1111", ADDR_GLOBAL}, {"2a00:1450:4001::1", ADDR_GLOBAL},
    };

    CLASSIFY_ALL(cases);
}

SL_TEST(classify_ipv6_ranges, 2,
        "fc00::/7 (unique local, RFC 4193) is fc00:: to fdff:...: the top 7 bits "
        "of the first byte, (b & 0xfe) == 0xfc. fe80::/10 is link-local "
        "(RFC 4291, section 2.5.6): fe80:: to febf:....")
{
    static const struct case_ cases[] = {
        {"fc00::", ADDR_PRIVATE},          {"fd12:3456:789a::1", ADDR_PRIVATE},
        {"fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ADDR_PRIVATE},
        {"fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ADDR_GLOBAL},
        {"fe00::", ADDR_GLOBAL},           {"fe7f:ffff::", ADDR_GLOBAL},
        {"fe80::", ADDR_LINK_LOCAL},       {"fe80::1", ADDR_LINK_LOCAL},
        {"febf:ffff:ffff:ffff::1", ADDR_LINK_LOCAL},
    };

    CLASSIFY_ALL(cases);
    SL_HINT("fec0::/10 was site-local, and is no more: RFC 3879 deprecated "
            "it, and RFC 4291 (section 2.5.7) says to treat it as global "
            "unicast. fec0::1 is ADDR_GLOBAL.")
    {
        static const struct case_ site[] = {{"fec0::1", ADDR_GLOBAL}};

        CLASSIFY_ALL(site);
    }
}

SL_TEST(classify_ipv6_reserved, 2,
        "The IANA IPv6 special-purpose registry (RFC 6890) marks these blocks "
        "not globally reachable: 64:ff9b:1::/48, 100::/64, 2001::/23, "
        "2001:db8::/32 and 3fff::/20: ADDR_RESERVED. A block is a prefix of "
        "bits: compare its whole bytes, then the top bits of the next byte.")
{
    static const struct block blocks[] = {
        {"64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
         "64:ff9b:0:ffff:ffff:ffff:ffff:ffff", "64:ff9b:2::",
         "64:ff9b:1::/48 is for local-use IPv4/IPv6 translation (RFC 8215). "
         "(The NAT64 well-known prefix 64:ff9b::/96 beside it is globally "
         "reachable, RFC 6052: global.)"},
        {"100::", "100::ffff:ffff:ffff:ffff", "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
         "100:0:0:2::",
         "100::/64 is the discard-only block (RFC 6666): 100:: to "
         "100::ffff:ffff:ffff:ffff, a prefix of 64 bits, not 16. Its "
         "neighbours ff:ffff:... and 100:0:0:2:: are in no special-purpose "
         "block: unallocated space, global unicast for RFC 4291."},
        {"2001::", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
         "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:200::",
         "2001::/23 holds the IETF protocol assignments (RFC 2928): 2001:0:: to "
         "2001:1ff:ffff:...; a prefix of 23 bits ends inside the third byte "
         "(mask 0xfe)."},
        {"2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
         "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::",
         "2001:db8::/32 is for documentation (RFC 3849): the examples of this "
         "lesson, never a real host."},
        {"3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff",
         "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "3fff:1000::",
         "3fff::/20 is the newer documentation prefix (RFC 9637): 3fff:0:: to "
         "3fff:fff:ffff:...; a prefix of 20 bits ends in the middle of the "
         "third byte (mask 0xf0)."},
    };

    CLASSIFY_MUST_BE("2606:4700::1111", ADDR_GLOBAL);
    CLASSIFY_MUST_BE("2001:db8::1", ADDR_RESERVED);
    classify_blocks(blocks, SL_COUNT(blocks));
    SL_HINT("64:ff9b::/96 (RFC 6052) carries IPv4 addresses for NAT64, but "
            "it is no IPv4-mapped address: classify it as IPv6, where it is "
            "globally reachable: ADDR_GLOBAL.")
    {
        static const struct case_ nat64[] = {{"64:ff9b::808:808", ADDR_GLOBAL}};

        CLASSIFY_ALL(nat64);
    }
}

SL_TEST(classify_ipv4_mapped, 2,
        "::ffff:a.b.c.d (IN6_IS_ADDR_V4MAPPED) carries an IPv4 address in its "
        "last 4 bytes: classify that IPv4 address. ::a.b.c.d without the ffff "
        "is not mapped.")
{
    static const struct case_ cases[] = {
        {"::ffff:127.0.0.1", ADDR_LOOPBACK},   {"::ffff:10.1.2.3", ADDR_PRIVATE},
        {"::ffff:172.31.0.1", ADDR_PRIVATE},   {"::ffff:169.254.1.1", ADDR_LINK_LOCAL},
        {"::ffff:0.0.0.0", ADDR_UNSPECIFIED},  {"::ffff:255.255.255.255", ADDR_BROADCAST},
        {"::ffff:224.0.0.1", ADDR_MULTICAST},  {"::ffff:8.8.8.8", ADDR_GLOBAL},
        {"::ffff:192.0.2.1", ADDR_RESERVED},   {"::ffff:100.64.0.1", ADDR_RESERVED},
        {"::127.0.0.1", ADDR_GLOBAL},          {"::fffe:10.1.2.3", ADDR_GLOBAL},
        {"::1:ffff:10.1.2.3", ADDR_GLOBAL},    {"2606:4700::ffff:10.1.2.3", ADDR_GLOBAL},
        {"fe80::ffff:10.1.2.3", ADDR_LINK_LOCAL},
    };

    CLASSIFY_ALL(cases);
}

/* addr_classify() of (ss, len), read from a copy of exactly len bytes,
 * must fail with err. */
#define CLASSIFY_FAILS(ss, len, err) classify_fails(__FILE__, __LINE__, (ss), (len), (err))

static void classify_fails(const char *file, int line, const struct sockaddr_storage *ss,
                           socklen_t len, int err)
{
    void *sa = tu_dup_addr(ss, len);
    char what[TU_WORDS_LEN + 16];
    int ret;

    snprintf(what, sizeof what, "addr_classify(%s)", tu_addr(ss, len));
    errno = 0;
    ret = addr_classify(sa, len);
    sl_check_fails(file, line, 0, what, ret, errno, err);
    tu_free(what, sa);
}

/* addr_classify() of (ss, len), read from a copy of exactly len bytes,
 * must be want. */
#define CLASSIFY_IS(ss, len, want) classify_is(__FILE__, __LINE__, (ss), (len), (want))

static void classify_is(const char *file, int line, const struct sockaddr_storage *ss,
                        socklen_t len, int want)
{
    void *sa = tu_dup_addr(ss, len);
    int got = addr_classify(sa, len);

    if (got != want)
        sl_fail_at(file, line, 0, "addr_classify(%s): expected %s, got %s",
                   tu_addr(ss, len), tu_class_name(want), tu_class_name(got));
    tu_free("addr_classify()", sa);
}

SL_TEST(classify_bad_address, 1,
        "Only AF_INET and AF_INET6 have classes: AF_UNIX and others are "
        "EAFNOSUPPORT; a length too short for the family or NULL is EINVAL.")
{
    struct sockaddr_storage ss;
    int ret;

    CLASSIFY_MUST_BE("10.0.0.1", ADDR_PRIVATE);
    CLASSIFY_MUST_BE("fe80::1", ADDR_LINK_LOCAL);
    CLASSIFY_FAILS(&ss, tu_un(&ss, "/tmp/s"), EAFNOSUPPORT);
    memset(&ss, 0, sizeof ss);
    ss.ss_family = AF_UNSPEC;
    CLASSIFY_FAILS(&ss, sizeof ss, EAFNOSUPPORT);
    CLASSIFY_FAILS(&ss, tu_in4(&ss, "10.0.0.1", 0) - 1, EINVAL);
    CLASSIFY_FAILS(&ss, tu_in6(&ss, "fe80::1", 0, 0) - 1, EINVAL);
    CLASSIFY_FAILS(&ss, sizeof(struct sockaddr_in), EINVAL);
    errno = 0;
    ret = addr_classify(NULL, sizeof(struct sockaddr_in6));
    SL_CHECK_FAILS("addr_classify(NULL address, 28)", ret, errno, EINVAL);
}

SL_TEST(classify_lengths, 1,
        "len must be at least the size of the family's structure, and may be "
        "more (the size of a sockaddr_storage, say): refuse only a shorter "
        "one, and read no byte past len.")
{
    struct sockaddr_storage ss;

    CLASSIFY_IS(&ss, tu_in4(&ss, "10.0.0.1", 0), ADDR_PRIVATE);
    CLASSIFY_IS(&ss, tu_in6(&ss, "fe80::1", 0, 0), ADDR_LINK_LOCAL);
    tu_in4(&ss, "10.0.0.1", 0);
    CLASSIFY_IS(&ss, sizeof ss, ADDR_PRIVATE);
    tu_in6(&ss, "fe80::1", 0, 0);
    CLASSIFY_IS(&ss, sizeof ss, ADDR_LINK_LOCAL);
}
