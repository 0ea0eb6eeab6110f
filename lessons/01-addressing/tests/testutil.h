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

#endif
