/* explore.c - lesson 01, reference: the exploration program, with the
 * answers to the README's questions ("Explore first").
 *
 *   make build LESSON=01 IMPL=solutions && build/solutions/bin/explore
 *
 * The program is the one the skeleton hands out; only this comment is
 * new. The answers, as measured on Linux with glibc:
 *
 *  1. "192.0.2.1" is a dotted quad of four decimal numbers 0..255: the one
 *     form that inet_aton() and inet_pton() read alike, and that
 *     inet_ntoa() and getnameinfo() write back unchanged.
 *  2. inet_aton() reads "numbers and dots" (inet(3)): each number may be
 *     decimal, octal (0...) or hex (0x...), and the last one fills all
 *     the bytes left. "1" is one 32-bit number: 0.0.0.1; "2130706433" is
 *     0x7f000001: 127.0.0.1; "127.1" is 127 then 1 in the last 24 bits:
 *     127.0.0.1; "0x7f.1" the same in hex. inet_pton() reads exactly four
 *     decimal numbers, so it refuses all four.
 *  3. inet_aton() reads "010" as octal, 8, and "01" as octal 1: 8.0.0.1
 *     and 1.2.3.4. inet_pton() refuses a leading zero, and so does this
 *     lesson: whoever wrote 010 may have meant ten.
 *  4. glibc's inet_aton() stops at white space and ignores what follows
 *     it, so "1.2.3.4 junk" is 1.2.3.4; after "1.2.3.4" a letter is no
 *     white space, so "1.2.3.4junk" is refused. A server that checked
 *     text with inet_aton() would take "1.2.3.4 ; rm -rf /" as an address.
 *  5. 256 does not fit in a byte; "localhost" is a name, which only a
 *     lookup (lesson 02) turns into an address; "" holds nothing.
 *  6. inet_addr() returns INADDR_NONE, 0xffffffff, for bad text, and
 *     255.255.255.255 is also 0xffffffff: for this valid address it
 *     cannot tell success from failure. inet_aton() and inet_pton()
 *     return the verdict apart from the address.
 *  7. RFC 5952: lower case (DB8 -> db8), no leading zeros in a group, the
 *     longest run of zero groups as "::", and a mapped address keeps its
 *     last 32 bits as a dotted quad.
 *  8. glibc's inet_ntop() writes an address whose first six groups are
 *     zero and whose seventh is not in the old IPv4-compatible form
 *     (deprecated by RFC 4291, 2.5.5.1), so ::2:3 comes out ::0.2.0.3.
 *     RFC 5952 would write ::2:3. addr_to_text() writes what inet_ntop()
 *     writes.
 *  9. The scope is no part of the address: inet_pton() reads the address
 *     alone, so split off "%lo" first (Task 2). getnameinfo() writes a
 *     scope id after a '%', as the interface's name when an interface
 *     has that index (1 is lo here) and as the number when none has
 *     (4000000000): the rule of addr_to_text().
 * 10. inet_ntoa() writes into one static buffer and returns it: both
 *     calls run before printf() prints, so both %s show the text of the
 *     last call to run (C leaves open which one that is).
 * 11. 0 says "this text is not an address of that family"; -1 with errno
 *     EAFNOSUPPORT says "I do not know that family": a mistake in the
 *     program, not in its input. Hence tests for != 1, not for < 0.
 * 12. sockaddr is 16 bytes; sockaddr_in6 (28), sockaddr_un (110) do not
 *     fit in it. sockaddr_storage (128) holds any of them.
 * 13. 8080 is 0x1f90; this machine stores it 90 1f, least significant
 *     byte first: little-endian. htons() swaps it into 1f 90, network
 *     order. A big-endian machine stores 8080 as 1f 90 already, and
 *     htons() changes nothing: both would print 1f 90. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

static const char *const texts[] = {
    "192.0.2.1", "127.1", "1", "2130706433", "0x7f.1", "010.0.0.1",
    "01.2.3.4", "1.2.3.4 junk", "1.2.3.4junk", "256.1.1.1",
    "255.255.255.255", "::1", "2001:DB8:0:0:0:0:0:1", "::ffff:192.0.2.1",
    "::2:3", "fe80::1%lo", "localhost", "",
};

/* A text between quotes, so that spaces and "" show. */
static void print_text(const char *text)
{
    int n = printf("\"%s\"", text);

    printf("%*s", n < 24 ? 24 - n : 1, "");
}

/* What getnameinfo(NI_NUMERICHOST) writes for an address, or why not. */
static const char *numeric_host(const struct sockaddr *sa, socklen_t len,
                                char *host, size_t size)
{
    int rc = getnameinfo(sa, len, host, (socklen_t)size, NULL, 0, NI_NUMERICHOST);

    return rc == 0 ? host : gai_strerror(rc);
}

/* One line: the text, then what each call made of it, written back as
 * text (inet_ntoa() for IPv4, inet_ntop() for IPv6), or 0 if the call
 * returned 0; getnameinfo() writes the address inet_pton() made, if any. */
static void explore(const char *text)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    char v6[INET6_ADDRSTRLEN], host[NI_MAXHOST];
    const char *name = "-";

    print_text(text);
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    if (inet_aton(text, &sin.sin_addr))
        printf("%-18s", inet_ntoa(sin.sin_addr));
    else
        printf("%-18s", "0");

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    if (inet_pton(AF_INET, text, &sin.sin_addr) == 1) {
        printf("%-18s", inet_ntoa(sin.sin_addr));
        name = numeric_host((struct sockaddr *)&sin, sizeof sin, host, sizeof host);
    } else {
        printf("%-18s", "0");
    }

    memset(&sin6, 0, sizeof sin6);
    sin6.sin6_family = AF_INET6;
    if (inet_pton(AF_INET6, text, &sin6.sin6_addr) == 1) {
        inet_ntop(AF_INET6, &sin6.sin6_addr, v6, sizeof v6);
        printf("%-20s", v6);
        name = numeric_host((struct sockaddr *)&sin6, sizeof sin6, host, sizeof host);
    } else {
        printf("%-20s", "0");
    }
    printf("%s\n", name);
}

/* getnameinfo() writes the scope id after a '%', as a name if it can. */
static void explore_scopes(void)
{
    const unsigned scopes[] = {if_nametoindex("lo"), 4000000000u};
    struct sockaddr_in6 sin6;
    char host[NI_MAXHOST];

    memset(&sin6, 0, sizeof sin6);
    sin6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr);
    for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
        sin6.sin6_scope_id = scopes[i];
        printf("getnameinfo(fe80::1, sin6_scope_id %u): %s\n", scopes[i],
               numeric_host((struct sockaddr *)&sin6, sizeof sin6, host, sizeof host));
    }
}

static void explore_facts(void)
{
    struct in_addr a, b;
    unsigned char bytes[2];
    uint16_t port = 8080, net = htons(8080);
    int rc;

    inet_pton(AF_INET, "192.0.2.1", &a);
    inet_pton(AF_INET, "198.51.100.7", &b);
    printf("inet_ntoa(192.0.2.1), inet_ntoa(198.51.100.7) in one printf: %s %s\n",
           inet_ntoa(a), inet_ntoa(b));
    printf("inet_addr(\"255.255.255.255\") == INADDR_NONE: %d\n",
           inet_addr("255.255.255.255") == INADDR_NONE);
    errno = 0;
    rc = inet_pton(AF_UNIX, "192.0.2.1", &a);
    printf("inet_pton(AF_UNIX, \"192.0.2.1\") = %d, errno %s\n", rc,
           errno == EAFNOSUPPORT ? "EAFNOSUPPORT" : strerror(errno));
    printf("INET_ADDRSTRLEN %d, INET6_ADDRSTRLEN %d, IF_NAMESIZE %d\n",
           INET_ADDRSTRLEN, INET6_ADDRSTRLEN, IF_NAMESIZE);
    printf("sizeof: sockaddr %zu, sockaddr_in %zu, sockaddr_in6 %zu, "
           "sockaddr_un %zu, sockaddr_storage %zu\n",
           sizeof(struct sockaddr), sizeof(struct sockaddr_in),
           sizeof(struct sockaddr_in6), sizeof(struct sockaddr_un),
           sizeof(struct sockaddr_storage));
    memcpy(bytes, &port, sizeof bytes);
    printf("8080 in memory: %02x %02x; ", bytes[0], bytes[1]);
    memcpy(bytes, &net, sizeof bytes);
    printf("htons(8080) in memory: %02x %02x\n", bytes[0], bytes[1]);
}

int main(int argc, char **argv)
{
    int first = 1;

    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("usage: explore [TEXT...]\n"
               "  what inet_aton(), inet_pton(), inet_ntoa(), inet_ntop() and\n"
               "  getnameinfo() make of each TEXT (default: a table of examples)\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--") == 0)
        first = 2;
    printf("%-24s%-18s%-18s%-20s%s\n", "text", "inet_aton", "inet_pton(INET)",
           "inet_pton(INET6)", "getnameinfo");
    if (argc > first) {
        for (int i = first; i < argc; i++)
            explore(argv[i]);
    } else {
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
            explore(texts[i]);
    }
    printf("\n");
    explore_scopes();
    explore_facts();
    return 0;
}
