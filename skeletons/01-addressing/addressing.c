/* addressing.c - lesson 01: byte order, socket addresses as text and back,
 * host:port, address classes, ports.
 *
 * Your work. Each function below starts with TODO(): replace that line with
 * your code. addressing.h says exactly what each function must do (every
 * error case and its errno); the lesson's README explains the ideas.
 * Check your work with `make grade LESSON=01`.
 *
 * You may add helper functions: make them static. */
#include "addressing.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "todo.h"

/* ---- Task 1: byte order by hand ---------------------------------------
 * Do not call htons() and friends here. Write the bytes into memory in
 * big-endian order (most significant first), e.g. into a uint8_t array,
 * and memcpy() them into the result; to go back, read them the same way. */

uint16_t addr_htons(uint16_t host)
{
    /* Byte 0 in memory: host >> 8; byte 1: host & 0xff. */
    (void)host;
    TODO();
}

uint32_t addr_htonl(uint32_t host)
{
    /* Bytes in memory: host >> 24, >> 16, >> 8, then the lowest byte. */
    (void)host;
    TODO();
}

uint16_t addr_ntohs(uint16_t net)
{
    /* Copy net's two bytes out; the first one is the most significant. */
    (void)net;
    TODO();
}

uint32_t addr_ntohl(uint32_t net)
{
    /* Copy net's four bytes out; combine them, first one most significant
     * (cast to uint32_t before shifting by 24). */
    (void)net;
    TODO();
}

/* ---- Task 2: text to socket address and back -------------------------- */

int addr_from_text(const char *text, uint16_t port,
                   struct sockaddr_storage *ss, socklen_t *len)
{
    /* Zero *ss. A ':' in text means IPv6 (struct sockaddr_in6), else IPv4
     * (struct sockaddr_in). Set the family and the port (htons), then
     * inet_pton() the address. For IPv6, split off a "%scope" first
     * (check that the address part fits in your array before copying it).
     * A scope of digits is an index: its value (strtoull()) must be at most
     * UINT32_MAX. Anything else is a name: IF_NAMESIZE (16) characters or
     * more is EINVAL, else if_nametoindex(), and ENXIO (set by you) if it
     * returns 0. */
    (void)text;
    (void)port;
    (void)ss;
    (void)len;
    TODO();
}

int addr_from_path(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
    /* Reject "" (EINVAL) and a path that does not fit in sun_path with its
     * NUL (ENAMETOOLONG) before copying anything. */
    (void)path;
    (void)sun;
    (void)len;
    TODO();
}

int addr_to_text(const struct sockaddr *sa, socklen_t len,
                 char *buf, size_t size)
{
    /* Check len against the family, then switch on sa->sa_family:
     * inet_ntop() for IP (plus "%scope" for a scoped IPv6 address),
     * sun_path for AF_UNIX (up to its NUL, the end of len, or the end of
     * sun_path: the kernel may say sizeof(struct sockaddr_un) + 1).
     * snprintf() into buf and compare what it returns with size: ENOSPC
     * and "" when it does not fit. */
    (void)sa;
    (void)len;
    (void)buf;
    (void)size;
    TODO();
}

/* ---- Task 3: host:port ------------------------------------------------- */

int addr_parse(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
    /* "[IPV6]:PORT" when text starts with '[', else "IPV4:PORT". Copy the
     * address (what lies between the brackets, which must hold a ':') into
     * a local buffer of ADDR_STRLEN bytes (too long for it is EINVAL:
     * check before copying), check the port is only digits (no leading
     * zero, at most 65535), then call addr_from_text() and pass its errno
     * on. */
    (void)text;
    (void)ss;
    (void)len;
    TODO();
}

int addr_format(const struct sockaddr *sa, socklen_t len,
                char *buf, size_t size)
{
    /* addr_to_text() into a local buffer, then snprintf() "%s:%d" (IPv4)
     * or "[%s]:%d" (IPv6) into buf; an AF_UNIX address is its path alone. */
    (void)sa;
    (void)len;
    (void)buf;
    (void)size;
    TODO();
}

/* ---- Task 4: classifying addresses ------------------------------------- */

int addr_classify(const struct sockaddr *sa, socklen_t len)
{
    /* IPv4: ntohl() the address, then test each block of a table
     * {net, prefix length, class} with (addr & mask) == net, smaller
     * blocks first (0.0.0.0 before 0.0.0.0/8). IPv6: a mapped address
     * (::ffff:a.b.c.d) as its IPv4 address, then a table of prefixes too:
     * compare the whole bytes, then the top bits of the next one. */
    (void)sa;
    (void)len;
    TODO();
}

/* ---- Task 5: ports ----------------------------------------------------- */

int addr_port(const struct sockaddr *sa, socklen_t len)
{
    /* sin_port or sin6_port, turned to host order with ntohs(). */
    (void)sa;
    (void)len;
    TODO();
}

int addr_port_is_privileged(uint16_t port)
{
    /* 1 to IPPORT_RESERVED - 1 (1023) are privileged; 0 is not. */
    (void)port;
    TODO();
}

/* ---- Task 6: comparing socket addresses -------------------------------- */

int addr_equal(const struct sockaddr *a, socklen_t alen,
               const struct sockaddr *b, socklen_t blen)
{
    /* Check both, compare families, then the fields that name the
     * endpoint. Never memcmp() whole structures: they hold padding.
     * AF_UNIX: a path ends at its first NUL (strnlen() up to the length,
     * and never past sun_path); an abstract name (sun_path[0] == '\0') is
     * every byte the length covers. Compare the two lengths, then
     * memcmp() that many bytes. */
    (void)a;
    (void)alen;
    (void)b;
    (void)blen;
    TODO();
}
