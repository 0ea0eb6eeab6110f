/* test_hints.c - self-tests: an errno's usual cause fits the socket it
 * came from (TCP, UDP, AF_UNIX), as the hint under a failure says it. */
#include "hints.h"
#include "sl_test.h"

#include <string.h>

SL_TASK(5, "sanitizer verdicts and limits");

/* Checks that the hint for errno name, after message, holds want. */
static void hint_holds(const char *name, const char *message, const char *want)
{
    const char *h = hint_for_errno(name, message);

    if (h == NULL || strstr(h, want) == NULL)
        SL_FAIL("hint for %s after \"%s\": expected \"%s\" in it, got \"%s\"", name, message,
                want, h ? h : "(none)");
}

SL_TEST(errno_hints_fit_the_socket, 1,
        "EADDRINUSE and ECONNREFUSED get the cause of their kind of socket: TIME_WAIT "
        "and SO_REUSEADDR for TCP, no TIME_WAIT for UDP, a stale socket file for AF_UNIX.")
{
    hint_holds("EADDRINUSE", "echo-server: bind: Address already in use", "TIME_WAIT: set");
    hint_holds("EADDRINUSE", "udp-echo-server: bind: Address already in use",
               "UDP has no TIME_WAIT");
    hint_holds("EADDRINUSE", "unix-echo-server: bind unix:/tmp/s: Address already in use",
               "unlink() it");
    hint_holds("ECONNREFUSED", "connect to 127.0.0.1:80: Connection refused", "htons?");
    hint_holds("ECONNREFUSED", "connect to unix:/tmp/s: Connection refused", "socket file");
    SL_ASSERT_INT_EQ(hint_for_errno("ENOSUCH", "x") == NULL, 1);
}
