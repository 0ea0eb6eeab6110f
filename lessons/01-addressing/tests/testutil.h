/* testutil.h - helpers shared by the tests of lesson 01.
 *
 * Test data is built with the C library (inet_pton(3) and plain struct
 * filling), never with the student's functions, so that each task is
 * graded on its own. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "addressing.h"
#include "sl_test.h"

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
    case ADDR_GLOBAL:      return "ADDR_GLOBAL";
    case -1:               return "-1 (an error)";
    default:               return "a value that is no addr_class_t";
    }
}

/* Two strings are equal; what says which call made got. */
#define TU_STR_EQ(what, got, want)                                            \
    sl_check_bytes(__FILE__, __LINE__, 0, (what), (got), strlen(got),        \
                   (want), strlen(want))

/* Two integers are equal; what says which call made got. */
#define TU_INT_EQ(what, got, want)                                            \
    sl_check_int(__FILE__, __LINE__, 0, (what), (long long)(got),            \
                 (long long)(want))

/* A call returned ret leaving err; it should fail with want. */
#define TU_FAILED_WITH(what, ret, err, want)                                  \
    sl_check_fails(__FILE__, __LINE__, 0, (what), (long long)(ret), (err),   \
                   (want))

/* Number of elements of an array. */
#define TU_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Ends the test unless a call on valid input returned want. A test of
 * rejections (or of one answer) first requires that the function gives the
 * right answer on a valid input of the same kind: otherwise a function that
 * rejects everything, or always answers the same, would pass it. what names
 * the call; got and err are what it returned and the errno it left. */
static inline void tu_require(const char *file, int line, const char *what,
                              long long got, int err, long long want)
{
    char must[48];

    if (got == want)
        return;
    if (want == 0)
        snprintf(must, sizeof must, "succeed (return 0)");
    else
        snprintf(must, sizeof must, "return %lld", want);
    if (got == -1)
        sl_fail_at(file, line, 1,
                   "%s must %s before the rest of this test means anything; "
                   "it returned -1 (errno %d: %s)",
                   what, must, err, strerror(err));
    else
        sl_fail_at(file, line, 1,
                   "%s must %s before the rest of this test means anything; "
                   "it returned %lld", what, must, got);
}

/* The call (on valid input) must return want, or the test ends here. */
#define TU_REQUIRE(call, want)                                                \
    do {                                                                      \
        errno = 0;                                                            \
        long long tu_ret_ = (long long)(call);                                \
        tu_require(__FILE__, __LINE__, #call, tu_ret_, errno, (want));       \
    } while (0)

/* The call (on valid input) must succeed, returning 0, or the test ends. */
#define TU_REQUIRE_OK(call) TU_REQUIRE(call, 0)

#endif
