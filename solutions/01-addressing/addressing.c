/* addressing.c - lesson 01, reference solution: byte order, socket
 * addresses as text and back, host:port, address classes, ports.
 *
 * The contract is in addressing.h; the ideas are in the lesson's README. */
#include "addressing.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Task 1: byte order by hand ------------------------------------ */

/* Network order is "most significant byte first in memory". So we write
 * the bytes into memory in that order and let memcpy() make a number of
 * them: no test of the host's endianness, no #ifdef. */

uint16_t addr_htons(uint16_t host)
{
    uint8_t b[2] = {(uint8_t)(host >> 8), (uint8_t)host};
    uint16_t net;

    memcpy(&net, b, sizeof net);
    return net;
}

uint32_t addr_htonl(uint32_t host)
{
    uint8_t b[4] = {(uint8_t)(host >> 24), (uint8_t)(host >> 16),
                    (uint8_t)(host >> 8), (uint8_t)host};
    uint32_t net;

    memcpy(&net, b, sizeof net);
    return net;
}

/* The other way: read the bytes in memory order, most significant first. */

uint16_t addr_ntohs(uint16_t net)
{
    uint8_t b[2];

    memcpy(b, &net, sizeof b);
    return (uint16_t)(b[0] << 8 | b[1]);
}

uint32_t addr_ntohl(uint32_t net)
{
    uint8_t b[4];

    memcpy(b, &net, sizeof b);
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
           (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

/* ---- Helpers --------------------------------------------------------- */

/* Fails with EINVAL unless len covers the structure of sa's family (for
 * AF_UNIX: its family), and with EAFNOSUPPORT for a family this lesson does
 * not know. A longer len is fine: a sockaddr_storage's size, or for AF_UNIX
 * the kernel's sizeof(struct sockaddr_un) + 1 (unix(7), BUGS), which
 * unix_len() cuts back to the structure. */
static int check_addr(const struct sockaddr *sa, socklen_t len)
{
    size_t min;

    if (sa == NULL || len < sizeof(sa_family_t)) {
        errno = EINVAL;
        return -1;
    }
    switch (sa->sa_family) {
    case AF_INET:
        min = sizeof(struct sockaddr_in);
        break;
    case AF_INET6:
        min = sizeof(struct sockaddr_in6);
        break;
    case AF_UNIX:
        min = offsetof(struct sockaddr_un, sun_path);
        break;
    default:
        errno = EAFNOSUPPORT;
        return -1;
    }
    if (len < min) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

/* Like check_addr(), for the functions that want an IP address. */
static int check_ip(const struct sockaddr *sa, socklen_t len)
{
    if (check_addr(sa, len) < 0)
        return -1;
    if (sa->sa_family == AF_UNIX) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    return 0;
}

/* Checks what snprintf() returned: if the text did not fit, fail with
 * ENOSPC and leave "" in buf rather than a cut-off address. */
static int fits(int n, char *buf, size_t size)
{
    if (n < 0 || (size_t)n >= size) {
        if (size > 0)
            buf[0] = '\0';
        errno = ENOSPC;
        return -1;
    }
    return 0;
}

/* True if s is one or more decimal digits and nothing else. strtoull()
 * alone would also take spaces, a sign and "0x". */
static int all_digits(const char *s)
{
    size_t n = strspn(s, "0123456789");

    return n > 0 && s[n] == '\0';
}

/* ---- Task 2: text to socket address and back ------------------------- */

/* Turns the scope after the '%' (an index or an interface name) into an
 * interface index. */
static int parse_scope(const char *scope, uint32_t *index)
{
    if (all_digits(scope)) {
        /* An index: its value counts, not its digits ("%007" is 7).
         * strtoull() saturates at ULLONG_MAX, which is over UINT32_MAX too. */
        unsigned long long n = strtoull(scope, NULL, 10);

        if (n > UINT32_MAX) {
            errno = EINVAL;
            return -1;
        }
        *index = (uint32_t)n;
        return 0;
    }
    /* A name: empty, or too long for any interface, is no name at all. */
    if (*scope == '\0' || strlen(scope) >= IF_NAMESIZE) {
        errno = EINVAL;
        return -1;
    }
    *index = if_nametoindex(scope);
    if (*index == 0) {
        errno = ENXIO; /* glibc leaves ENODEV; the contract says ENXIO */
        return -1;
    }
    return 0;
}

static int ipv4_from_text(const char *text, uint16_t port,
                          struct sockaddr_in *sin)
{
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    if (inet_pton(AF_INET, text, &sin->sin_addr) != 1) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

static int ipv6_from_text(const char *text, uint16_t port,
                          struct sockaddr_in6 *sin6)
{
    char addr[INET6_ADDRSTRLEN];
    const char *pct = strchr(text, '%');
    size_t n = pct ? (size_t)(pct - text) : strlen(text);

    /* inet_pton() wants the address alone: copy it out of the text. */
    if (n >= sizeof addr) {
        errno = EINVAL;
        return -1;
    }
    memcpy(addr, text, n);
    addr[n] = '\0';

    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1) {
        errno = EINVAL;
        return -1;
    }
    if (pct != NULL)
        return parse_scope(pct + 1, &sin6->sin6_scope_id);
    return 0;
}

int addr_from_text(const char *text, uint16_t port,
                   struct sockaddr_storage *ss, socklen_t *len)
{
    if (text == NULL || ss == NULL || len == NULL) {
        errno = EINVAL;
        return -1;
    }
    memset(ss, 0, sizeof *ss);
    if (strchr(text, ':') != NULL) {
        *len = sizeof(struct sockaddr_in6);
        return ipv6_from_text(text, port, (struct sockaddr_in6 *)ss);
    }
    *len = sizeof(struct sockaddr_in);
    return ipv4_from_text(text, port, (struct sockaddr_in *)ss);
}

int addr_from_path(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
    size_t n;

    if (path == NULL || sun == NULL || len == NULL || *path == '\0') {
        errno = EINVAL;
        return -1;
    }
    n = strlen(path);
    if (n >= sizeof sun->sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    memcpy(sun->sun_path, path, n + 1);
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    return 0;
}

static int ipv6_to_text(const struct sockaddr_in6 *sin6, char *buf, size_t size)
{
    char addr[INET6_ADDRSTRLEN];
    char ifname[IF_NAMESIZE];
    uint32_t scope = sin6->sin6_scope_id;

    /* inet_ntop() cannot fail here: right family, big enough buffer. */
    inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof addr);
    if (scope == 0)
        return fits(snprintf(buf, size, "%s", addr), buf, size);
    if (if_indextoname(scope, ifname) != NULL)
        return fits(snprintf(buf, size, "%s%%%s", addr, ifname), buf, size);
    return fits(snprintf(buf, size, "%s%%%lu", addr, (unsigned long)scope),
                buf, size);
}

/* How many bytes of sun_path len covers: never more than sun_path has,
 * whatever len says (the kernel may count a NUL past its end). */
static size_t unix_len(socklen_t len)
{
    size_t n = len - offsetof(struct sockaddr_un, sun_path);

    return n < sizeof ((struct sockaddr_un *)0)->sun_path
               ? n : sizeof ((struct sockaddr_un *)0)->sun_path;
}

/* sun_path need not end in a NUL: the length says where the path ends. */
static size_t unix_path_len(const struct sockaddr_un *sun, socklen_t len)
{
    return strnlen(sun->sun_path, unix_len(len));
}

static int unix_to_text(const struct sockaddr_un *sun, socklen_t len,
                        char *buf, size_t size)
{
    int n = (int)unix_path_len(sun, len);

    return fits(snprintf(buf, size, "%.*s", n, sun->sun_path), buf, size);
}

int addr_to_text(const struct sockaddr *sa, socklen_t len,
                 char *buf, size_t size)
{
    if (buf == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (check_addr(sa, len) < 0)
        return -1;

    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
        char addr[INET_ADDRSTRLEN];

        inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof addr);
        return fits(snprintf(buf, size, "%s", addr), buf, size);
    }
    if (sa->sa_family == AF_INET6)
        return ipv6_to_text((const struct sockaddr_in6 *)sa, buf, size);
    return unix_to_text((const struct sockaddr_un *)sa, len, buf, size);
}

/* ---- Task 3: host:port ------------------------------------------------ */

/* A port: "0", or 1 to 5 digits without a leading zero, at most 65535.
 * The digits are counted before converting, so that no number wraps. */
static int parse_port(const char *s, uint16_t *port)
{
    unsigned long n;

    if (!all_digits(s) || strlen(s) > 5 || (s[0] == '0' && s[1] != '\0')) {
        errno = EINVAL;
        return -1;
    }
    n = strtoul(s, NULL, 10);
    if (n > 65535) {
        errno = EINVAL;
        return -1;
    }
    *port = (uint16_t)n;
    return 0;
}

/* Splits "IPV4:PORT" or "[IPV6]:PORT": copies the address into host and
 * points *port at the port's text. */
static int split_host_port(const char *text, char *host, size_t size,
                           const char **port)
{
    const char *start = text;
    const char *end;

    if (*text == '[') {
        start = text + 1;
        end = strchr(start, ']');
        /* Brackets hold an IPv6 address, so there must be a ':' inside. */
        if (end == NULL || end[1] != ':' ||
            memchr(start, ':', (size_t)(end - start)) == NULL)
            goto bad;
        *port = end + 2;
    } else {
        /* Split at the first ':', so an unbracketed IPv6 address such as
         * "::1:80" leaves an empty or invalid IPv4 address: rejected. */
        end = strchr(text, ':');
        if (end == NULL)
            goto bad;
        *port = end + 1;
    }
    if ((size_t)(end - start) >= size)
        goto bad;
    memcpy(host, start, (size_t)(end - start));
    host[end - start] = '\0';
    return 0;
bad:
    errno = EINVAL;
    return -1;
}

int addr_parse(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[ADDR_STRLEN];
    const char *port_text;
    uint16_t port;

    if (text == NULL || ss == NULL || len == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (split_host_port(text, host, sizeof host, &port_text) < 0 ||
        parse_port(port_text, &port) < 0)
        return -1;
    return addr_from_text(host, port, ss, len);
}

int addr_format(const struct sockaddr *sa, socklen_t len,
                char *buf, size_t size)
{
    char host[ADDR_STRLEN];

    if (buf == NULL) {
        errno = EINVAL;
        return -1;
    }
    if (addr_to_text(sa, len, host, sizeof host) < 0)
        return -1;
    switch (sa->sa_family) {
    case AF_INET:
        return fits(snprintf(buf, size, "%s:%d", host, addr_port(sa, len)),
                    buf, size);
    case AF_INET6:
        return fits(snprintf(buf, size, "[%s]:%d", host, addr_port(sa, len)),
                    buf, size);
    default:
        return fits(snprintf(buf, size, "%s", host), buf, size);
    }
}

/* ---- Task 4: classifying addresses ----------------------------------- */

/* A block is a prefix: the addresses whose first `bits` bits are those of
 * `net`. The first block that holds an address gives its class, so a
 * smaller block comes before a larger one that contains it (0.0.0.0
 * before 0.0.0.0/8, 255.255.255.255 before 240.0.0.0/4). */
struct v4_block {
    uint32_t net; /* host order */
    int bits;
    addr_class_t kind;
};

static const struct v4_block v4_blocks[] = {
    {0x00000000, 32, ADDR_UNSPECIFIED}, /* 0.0.0.0          RFC 1122 */
    {0xffffffff, 32, ADDR_BROADCAST},   /* 255.255.255.255  RFC 919  */
    {0x7f000000, 8, ADDR_LOOPBACK},     /* 127.0.0.0/8      RFC 1122 */
    {0x0a000000, 8, ADDR_PRIVATE},      /* 10.0.0.0/8       RFC 1918 */
    {0xac100000, 12, ADDR_PRIVATE},     /* 172.16.0.0/12    RFC 1918 */
    {0xc0a80000, 16, ADDR_PRIVATE},     /* 192.168.0.0/16   RFC 1918 */
    {0xa9fe0000, 16, ADDR_LINK_LOCAL},  /* 169.254.0.0/16   RFC 3927 */
    {0xe0000000, 4, ADDR_MULTICAST},    /* 224.0.0.0/4      RFC 5771 */
    {0x00000000, 8, ADDR_RESERVED},     /* 0.0.0.0/8        RFC 1122 */
    {0x64400000, 10, ADDR_RESERVED},    /* 100.64.0.0/10    RFC 6598 */
    {0xc0000000, 24, ADDR_RESERVED},    /* 192.0.0.0/24     RFC 6890 */
    {0xc0000200, 24, ADDR_RESERVED},    /* 192.0.2.0/24     RFC 5737 */
    {0xc6120000, 15, ADDR_RESERVED},    /* 198.18.0.0/15    RFC 2544 */
    {0xc6336400, 24, ADDR_RESERVED},    /* 198.51.100.0/24  RFC 5737 */
    {0xcb007100, 24, ADDR_RESERVED},    /* 203.0.113.0/24   RFC 5737 */
    {0xf0000000, 4, ADDR_RESERVED},     /* 240.0.0.0/4      RFC 1112 */
};

/* Classifies an IPv4 address given in host order. */
static int classify_ipv4(uint32_t a)
{
    for (size_t i = 0; i < sizeof v4_blocks / sizeof v4_blocks[0]; i++) {
        uint32_t mask = 0xffffffffu << (32 - v4_blocks[i].bits);

        if ((a & mask) == v4_blocks[i].net)
            return v4_blocks[i].kind;
    }
    return ADDR_GLOBAL;
}

/* IPv6 blocks: the prefix's bytes (the rest are zero), as in s6_addr. */
struct v6_block {
    uint8_t net[16];
    int bits;
    addr_class_t kind;
};

static const struct v6_block v6_blocks[] = {
    {{0}, 128, ADDR_UNSPECIFIED},                    /* ::/128          RFC 4291 */
    {{[15] = 1}, 128, ADDR_LOOPBACK},                /* ::1/128         RFC 4291 */
    {{0xfc}, 7, ADDR_PRIVATE},                       /* fc00::/7        RFC 4193 */
    {{0xfe, 0x80}, 10, ADDR_LINK_LOCAL},             /* fe80::/10       RFC 4291 */
    {{0xff}, 8, ADDR_MULTICAST},                     /* ff00::/8        RFC 4291 */
    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48, ADDR_RESERVED}, /* 64:ff9b:1::/48  RFC 8215 */
    {{0x01}, 64, ADDR_RESERVED},                     /* 100::/64        RFC 6666 */
    {{0x20, 0x01}, 23, ADDR_RESERVED},               /* 2001::/23       RFC 2928 */
    {{0x20, 0x01, 0x0d, 0xb8}, 32, ADDR_RESERVED},   /* 2001:db8::/32   RFC 3849 */
    {{0x3f, 0xff}, 20, ADDR_RESERVED},               /* 3fff::/20       RFC 9637 */
};

/* True if the first bits bits of a are those of net: the whole bytes
 * first, then the top bits of the next one. */
static int in6_prefix(const struct in6_addr *a, const uint8_t *net, int bits)
{
    size_t whole = (size_t)bits / 8;
    unsigned rest = (unsigned)bits % 8;
    uint8_t mask = (uint8_t)(0xff00u >> rest); /* the top rest bits */

    return memcmp(a->s6_addr, net, whole) == 0 &&
           (rest == 0 || (a->s6_addr[whole] & mask) == net[whole]);
}

static int classify_ipv6(const struct in6_addr *a)
{
    /* ::ffff:a.b.c.d is an IPv4 address in disguise: class it as one. */
    if (IN6_IS_ADDR_V4MAPPED(a)) {
        uint32_t v4;

        memcpy(&v4, &a->s6_addr[12], sizeof v4);
        return classify_ipv4(ntohl(v4));
    }
    for (size_t i = 0; i < sizeof v6_blocks / sizeof v6_blocks[0]; i++)
        if (in6_prefix(a, v6_blocks[i].net, v6_blocks[i].bits))
            return v6_blocks[i].kind;
    return ADDR_GLOBAL;
}

int addr_classify(const struct sockaddr *sa, socklen_t len)
{
    if (check_ip(sa, len) < 0)
        return -1;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

        return classify_ipv4(ntohl(sin->sin_addr.s_addr));
    }
    return classify_ipv6(&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

/* ---- Task 5: ports ----------------------------------------------------- */

int addr_port(const struct sockaddr *sa, socklen_t len)
{
    if (check_ip(sa, len) < 0)
        return -1;
    if (sa->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)sa)->sin_port);
    return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
}

/* IPPORT_RESERVED (1024, <netinet/in.h>) is BSD's name for the first port
 * anyone may bind; port 0 is no port to bind but a request for any. */
int addr_port_is_privileged(uint16_t port)
{
    return port != 0 && port < IPPORT_RESERVED;
}

/* ---- Task 6: comparing socket addresses ------------------------------ */

static int equal_ipv4(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
    return a->sin_port == b->sin_port &&
           a->sin_addr.s_addr == b->sin_addr.s_addr;
}

static int equal_ipv6(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
    return a->sin6_port == b->sin6_port &&
           a->sin6_scope_id == b->sin6_scope_id &&
           IN6_ARE_ADDR_EQUAL(&a->sin6_addr, &b->sin6_addr);
}

/* The length of the name in sun_path. A path ends at its first NUL (or
 * at the end of len); an abstract name (Linux: sun_path[0] is a NUL) is
 * all the bytes that len covers, NULs included. Unnamed: 0. */
static size_t unix_name_len(const struct sockaddr_un *sun, socklen_t len)
{
    size_t max = unix_len(len);

    if (max > 0 && sun->sun_path[0] == '\0')
        return max;
    return unix_path_len(sun, len);
}

static int equal_unix(const struct sockaddr_un *a, socklen_t alen,
                      const struct sockaddr_un *b, socklen_t blen)
{
    size_t an = unix_name_len(a, alen);
    size_t bn = unix_name_len(b, blen);

    return an == bn && memcmp(a->sun_path, b->sun_path, an) == 0;
}

int addr_equal(const struct sockaddr *a, socklen_t alen,
               const struct sockaddr *b, socklen_t blen)
{
    if (check_addr(a, alen) < 0 || check_addr(b, blen) < 0)
        return -1;
    if (a->sa_family != b->sa_family)
        return 0;
    switch (a->sa_family) {
    case AF_INET:
        return equal_ipv4((const struct sockaddr_in *)a,
                          (const struct sockaddr_in *)b);
    case AF_INET6:
        return equal_ipv6((const struct sockaddr_in6 *)a,
                          (const struct sockaddr_in6 *)b);
    default:
        return equal_unix((const struct sockaddr_un *)a, alen,
                          (const struct sockaddr_un *)b, blen);
    }
}
