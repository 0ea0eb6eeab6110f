/* testutil.h - helpers shared by the tests of lesson 01: test data, the
 * inputs of a call described in words for failure messages, and buffers
 * of an exact size. The checks themselves are sl_test.h's (SL_CHECK_*).
 *
 * Test data is built with the C library (inet_pton(3) and plain struct
 * filling), never with the student's functions, so that each task is
 * graded on its own. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addressing.h"
#include "sl_test.h"

/* ---- test data ------------------------------------------------------- */

/* Fills ss with the IPv4 address ip and port; returns its length. */
static inline socklen_t tu_in4(struct sockaddr_storage *ss, const char *ip,
                               uint16_t port)
{
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;

    memset(ss, 0, sizeof *ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    if (inet_pton(AF_INET, ip, &sin->sin_addr) != 1)
        SL_FAIL_FATAL("test data: \"%s\" is not an IPv4 address", ip);
    return sizeof *sin;
}

/* Fills ss with an IPv6 address, port and scope id; returns its length. */
static inline socklen_t tu_in6(struct sockaddr_storage *ss, const char *ip,
                               uint16_t port, uint32_t scope)
{
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof *ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    sin6->sin6_scope_id = scope;
    if (inet_pton(AF_INET6, ip, &sin6->sin6_addr) != 1)
        SL_FAIL_FATAL("test data: \"%s\" is not an IPv6 address", ip);
    return sizeof *sin6;
}

/* Fills ss with an AF_UNIX address; returns the length with the NUL. */
static inline socklen_t tu_un(struct sockaddr_storage *ss, const char *path)
{
    struct sockaddr_un *sun = (struct sockaddr_un *)ss;

    if (strlen(path) >= sizeof sun->sun_path)
        SL_FAIL_FATAL("test data: a path of %zu characters does not fit in sun_path",
                      strlen(path));
    memset(ss, 0, sizeof *ss);
    sun->sun_family = AF_UNIX;
    strcpy(sun->sun_path, path);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

/* The index of the loopback interface, looked up (never assumed). */
static inline unsigned tu_lo_index(void)
{
    unsigned lo = if_nametoindex("lo");

    if (lo == 0)
        SL_FAIL_FATAL("this machine has no interface named lo");
    return lo;
}

/* What the kernel itself says of a socket bound to a path that fills
 * sun_path (sizeof(sun_path) characters, no room for a NUL): binds a real
 * AF_UNIX socket in a new folder under /tmp, asks getsockname(2) with the
 * room of a whole sockaddr_storage, and removes the socket, its file and
 * the folder before returning, so that nothing is left behind whatever
 * the student's code does next. Fills ss with the kernel's answer and
 * path with the path as a string (size: at least sizeof(sun_path) + 1);
 * returns the length the kernel gave: on Linux sizeof(struct sockaddr_un)
 * + 1, a NUL counted past the end of sun_path (unix(7), BUGS). */
static inline socklen_t tu_kernel_unix(struct sockaddr_storage *ss, char *path,
                                       size_t size)
{
    char dir[] = "/tmp/sl01-XXXXXX";
    struct sockaddr_un sun;
    size_t n = sizeof sun.sun_path, d = strlen(dir);
    socklen_t len = sizeof *ss;
    int fd, bound, named;

    if (size < n + 1)
        SL_FAIL_FATAL("test set-up: %zu bytes do not hold a path of %zu", size, n);
    if (mkdtemp(dir) == NULL)
        SL_FAIL_FATAL("test set-up: no folder under /tmp for a socket: %s",
                      strerror(errno));
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    memset(sun.sun_path, 'k', n); /* dir "/" kkk...: n bytes, no NUL */
    memcpy(sun.sun_path, dir, d);
    sun.sun_path[d] = '/';
    memcpy(path, sun.sun_path, n);
    path[n] = '\0';
    memset(ss, 0xa5, sizeof *ss);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    bound = fd >= 0 && bind(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
    named = bound && getsockname(fd, (struct sockaddr *)ss, &len) == 0;
    if (fd >= 0)
        close(fd);
    if (bound)
        unlink(path);
    rmdir(dir);
    if (!named)
        SL_FAIL_FATAL("test set-up: could not bind and name an AF_UNIX socket "
                      "of %zu bytes of path under /tmp", n);
    return len;
}

/* Writes head, n copies of c, then tail into buf of size bytes: a long
 * text for the tests of overlong input. Returns buf. */
static inline const char *tu_repeat(char *buf, size_t size, const char *head,
                                    char c, size_t n, const char *tail)
{
    size_t h = strlen(head);

    if (h + n + strlen(tail) >= size)
        SL_FAIL_FATAL("test data: %zu bytes do not hold the text", size);
    memcpy(buf, head, h);
    memset(buf + h, c, n);
    strcpy(buf + h + n, tail);
    return buf;
}

/* The name of an addr_class_t value, for messages. */
static inline const char *tu_class_name(int c)
{
    switch (c) {
    case ADDR_UNSPECIFIED: return "ADDR_UNSPECIFIED";
    case ADDR_LOOPBACK:    return "ADDR_LOOPBACK";
    case ADDR_PRIVATE:     return "ADDR_PRIVATE";
    case ADDR_LINK_LOCAL:  return "ADDR_LINK_LOCAL";
    case ADDR_MULTICAST:   return "ADDR_MULTICAST";
    case ADDR_BROADCAST:   return "ADDR_BROADCAST";
    case ADDR_RESERVED:    return "ADDR_RESERVED";
    case ADDR_GLOBAL:      return "ADDR_GLOBAL";
    case -1:               return "-1 (an error)";
    default:               return "a value that is no addr_class_t";
    }
}

/* ---- inputs in words ------------------------------------------------- */

/* The words of tu_text() and tu_addr() live in a few static buffers used
 * in turn, so that one message may name several inputs. */
#define TU_WORDS 8
#define TU_WORDS_LEN 200

static inline char *tu_words(void)
{
    static char words[TU_WORDS][TU_WORDS_LEN];
    static unsigned next;

    return words[next++ % TU_WORDS];
}

/* Appends the n bytes of s to out, escaped as C would write them. */
static inline void tu_escape(char *out, size_t size, const char *s, size_t n)
{
    size_t used = strlen(out);

    for (size_t i = 0; i < n && used + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' || c == '\\')
            used += (size_t)snprintf(out + used, size - used, "\\%c", c);
        else if (c == '\n')
            used += (size_t)snprintf(out + used, size - used, "\\n");
        else if (c == '\t')
            used += (size_t)snprintf(out + used, size - used, "\\t");
        else if (isprint(c))
            out[used++] = (char)c, out[used] = '\0';
        else
            used += (size_t)snprintf(out + used, size - used, "\\x%02x", c);
    }
}

/* A text as a C string literal, `"1.2.3.4:80"`; a long one cut short
 * with its length, `"1111111111111111111111111111..." (1000 characters)`. */
static inline const char *tu_text(const char *s)
{
    char *out = tu_words();
    size_t n = strlen(s);

    strcpy(out, "\"");
    if (n <= 64) {
        tu_escape(out, TU_WORDS_LEN, s, n);
        strcat(out, "\"");
    } else {
        tu_escape(out, TU_WORDS_LEN, s, 32);
        snprintf(out + strlen(out), TU_WORDS_LEN - strlen(out),
                 "...\" (%zu characters)", n);
    }
    return out;
}

/* "FIELD after CALL", e.g. "sin_port after addr_from_text(...)". */
static inline const char *tu_of(const char *field, const char *call)
{
    char *out = tu_words();

    if (snprintf(out, TU_WORDS_LEN, "%s after %s", field, call) >= TU_WORDS_LEN)
        strcpy(out + TU_WORDS_LEN - 4, "...");
    return out;
}

/* A socket address as a person writes it, from the bytes alone (never
 * with the student's functions): `192.0.2.1:80`, `[fe80::1%1]:443`,
 * `unix:/tmp/echo.sock`, `unix:@echo` (an abstract name), `unix (unnamed)`;
 * followed by `(len N)` when len is not the usual length of such an
 * address. */
static inline const char *tu_addr(const void *sa, socklen_t len)
{
    const size_t off = offsetof(struct sockaddr_un, sun_path);
    char *out = tu_words();
    char ip[INET6_ADDRSTRLEN];
    size_t usual = 0;
    sa_family_t family;

    if (sa == NULL)
        return "NULL";
    memcpy(&family, sa, sizeof family);
    if (family == AF_INET) {
        const struct sockaddr_in *sin = sa;

        inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof ip);
        snprintf(out, TU_WORDS_LEN, "%s:%u", ip, (unsigned)ntohs(sin->sin_port));
        usual = sizeof *sin;
    } else if (family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = sa;

        inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof ip);
        if (sin6->sin6_scope_id != 0)
            snprintf(out, TU_WORDS_LEN, "[%s%%%lu]:%u", ip,
                     (unsigned long)sin6->sin6_scope_id,
                     (unsigned)ntohs(sin6->sin6_port));
        else
            snprintf(out, TU_WORDS_LEN, "[%s]:%u", ip, (unsigned)ntohs(sin6->sin6_port));
        usual = sizeof *sin6;
    } else if (family == AF_UNIX && len >= off) {
        const struct sockaddr_un *sun = sa;
        size_t max = (len < sizeof *sun ? len : sizeof *sun) - off;
        size_t n = strnlen(sun->sun_path, max);

        if (max == 0) {
            strcpy(out, "unix (unnamed)");
            usual = off;
        } else if (sun->sun_path[0] == '\0') {
            strcpy(out, "unix:@");
            tu_escape(out, TU_WORDS_LEN, sun->sun_path + 1, max - 1 > 40 ? 40 : max - 1);
            if (max == 1)
                strcat(out, " (an abstract name of 0 bytes)");
            else if (max - 1 > 40)
                snprintf(out + strlen(out), TU_WORDS_LEN - strlen(out),
                         "... (an abstract name of %zu bytes)", max - 1);
            usual = off + max;
        } else {
            strcpy(out, "unix:");
            tu_escape(out, TU_WORDS_LEN, sun->sun_path, n > 40 ? 40 : n);
            if (n > 40)
                snprintf(out + strlen(out), TU_WORDS_LEN - strlen(out),
                         "... (a path of %zu bytes)", n);
            usual = off + n + 1;
        }
        if (len > sizeof *sun)
            usual = 0; /* longer than any AF_UNIX address: say so */
    } else if (family == AF_UNIX) {
        strcpy(out, "unix");
    } else {
        snprintf(out, TU_WORDS_LEN, "an address of family %u%s", (unsigned)family,
                 family == AF_UNSPEC ? " (AF_UNSPEC)" : "");
        usual = len;
    }
    if (len != usual)
        snprintf(out + strlen(out), TU_WORDS_LEN - strlen(out), " (len %u)",
                 (unsigned)len);
    return out;
}

/* ---- buffers of an exact size ------------------------------------------
 * A buffer handed to the student's code is a heap block of exactly the
 * size the call is told, so that AddressSanitizer (on by default when
 * grading) stops at the first byte written or read past its end. Built
 * without it, the block is followed by guard bytes that tu_free() checks,
 * which catches the writes. */

#if defined(__SANITIZE_ADDRESS__)
#define TU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TU_ASAN 1
#endif
#endif

#ifdef TU_ASAN
#define TU_GUARD 0
#else
#define TU_GUARD 16
#endif
#define TU_GUARD_BYTE 0x5a

/* The blocks not freed yet. They stay reachable from here: a test that
 * ends at a failed fatal check leaves its blocks behind, and
 * LeakSanitizer must not blame the student's code for them. */
#define TU_BLOCKS 16

struct tu_block {
    unsigned char *base; /* what malloc() returned */
    unsigned char *p;    /* what the student's code gets */
    size_t size;
};

static inline struct tu_block *tu_blocks(void)
{
    static struct tu_block blocks[TU_BLOCKS];

    return blocks;
}

/* A block of size bytes (0 allowed), each set to fill, with guard bytes
 * after it in a build without AddressSanitizer. AddressSanitizer lets a
 * program write one byte into malloc(0), so a block of 0 bytes is the end
 * of a block of 1: any byte of it is past the end. */
static inline void *tu_alloc(size_t size, int fill)
{
    size_t skip = size == 0 && TU_GUARD == 0 ? 1 : 0;
    unsigned char *base = malloc(skip + size + TU_GUARD);
    unsigned char *p = base + skip;
    struct tu_block *blocks = tu_blocks();
    size_t i = 0;

    if (base == NULL)
        SL_FAIL_FATAL("test: out of memory");
    memset(p, fill, size);
#if TU_GUARD > 0
    memset(p + size, TU_GUARD_BYTE, TU_GUARD);
#endif
    while (i < TU_BLOCKS && blocks[i].base != NULL)
        i++;
    if (i == TU_BLOCKS)
        SL_FAIL_FATAL("test: more than %d blocks at once", TU_BLOCKS);
    blocks[i].base = base;
    blocks[i].p = p;
    blocks[i].size = size;
    return p;
}

/* A copy of the n bytes at p in a block of exactly n bytes: an input the
 * student's code must not read past. */
static inline void *tu_dup(const void *p, size_t n)
{
    void *q = tu_alloc(n, 0);

    memcpy(q, p, n);
    return q;
}

/* A copy of the address ss in a block of exactly len bytes, or of its
 * family alone if len is shorter than that: the family may always be read. */
static inline void *tu_dup_addr(const struct sockaddr_storage *ss, socklen_t len)
{
    return tu_dup(ss, len < sizeof(sa_family_t) ? sizeof(sa_family_t) : len);
}

/* Frees a block of tu_alloc(); what (the call that had it) is named in
 * the failure if that call wrote past its end. */
static inline void tu_free(const char *what, void *p)
{
    struct tu_block *blocks = tu_blocks();

    for (size_t i = 0; i < TU_BLOCKS; i++) {
        if (blocks[i].base == NULL || blocks[i].p != p)
            continue;
#if TU_GUARD > 0
        for (size_t g = 0; g < TU_GUARD; g++) {
            if (blocks[i].p[blocks[i].size + g] != TU_GUARD_BYTE) {
                SL_FAIL("%s wrote past the end of its buffer (%zu bytes)", what,
                        blocks[i].size);
                break;
            }
        }
#else
        (void)what;
#endif
        free(blocks[i].base);
        blocks[i].base = NULL;
        return;
    }
}

#endif
