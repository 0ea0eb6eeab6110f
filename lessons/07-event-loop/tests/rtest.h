/* rtest.h - lesson 07's test helpers: every test body written once and
 * stamped for each backend (so a broken backend loses its own tests, and
 * only those), a loop made for a test, socket pairs and pipes, pumping a
 * loop until something happened, and for the programs a crowd of
 * non-blocking clients driven with epoll from the test process. */
#ifndef RTEST_H
#define RTEST_H

#include "sl_checks.h"
#include "sl_harness.h"
#include "sl_test.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- stamping: one body, a test per backend ------------------------------------ */

/* What a test on poll or epoll needs besides the loop: the backend (and
 * on epoll, a word on the ENOENT that a core calling add() too late gets). */
#define RT_ON(b_)                                                             \
    " (The _poll and _epoll versions of a test need Task 3 as well as the loop: "     \
    "backend_poll.c, backend_epoll.c. The _select version tests the loop alone, on "    \
    "the given backend.)"
#define RT_ON_EPOLL                                                           \
    RT_ON("epoll") " ENOENT from el_add() on epoll: a MOD of a descriptor the epoll set "  \
    "does not hold; either your core changed files[fd].mask before calling the "         \
    "backend's add() (it must call add() first: add() looks at the old mask to choose "  \
    "ADD or MOD), or your epoll_add() chose MOD for a descriptor not added yet."

/* A library test, declared for select, poll and epoll: NAME_select, ...
 * The three share a hint, so that failing alike they are told once; the
 * note on Task 3 goes to the _poll and _epoll ones only while the loop
 * works on select (rt_hint_if_select_works(), libutil.h). */
#define RT_BACKENDS(name_, points_, timeout_ms_, hint_)                       \
    static void rt_body_##name_(const char *backend);                        \
    SL_TEST_TIMEOUT(name_##_select, points_, timeout_ms_, hint_)             \
    {                                                                         \
        rt_body_##name_("select");                                           \
    }                                                                         \
    SL_TEST_TIMEOUT(name_##_poll, points_, timeout_ms_, hint_)               \
    {                                                                         \
        rt_hint_if_select_works(hint_ RT_ON("poll"));                        \
        rt_body_##name_("poll");                                             \
    }                                                                         \
    SL_TEST_TIMEOUT(name_##_epoll, points_, timeout_ms_, hint_)              \
    {                                                                         \
        rt_hint_if_select_works(hint_ RT_ON_EPOLL);                          \
        rt_body_##name_("epoll");                                            \
    }                                                                         \
    static void rt_body_##name_(const char *backend)

/* A program test, declared for each backend: select over 127.0.0.1, poll
 * over ::1, epoll over 127.0.0.1 (the frame that listens is given whole:
 * each family is tried, the backends each once). */
#define RT_SERVERS(name_, points_, timeout_ms_, hint_)                        \
    static void rt_prog_##name_(const char *backend, const char *host);      \
    SL_TEST_TIMEOUT(name_##_select, points_, timeout_ms_, hint_)             \
    {                                                                         \
        rt_prog_##name_("select", "127.0.0.1");                              \
    }                                                                         \
    SL_TEST_TIMEOUT(name_##_poll, points_, timeout_ms_, hint_)               \
    {                                                                         \
        rt_prog_##name_("poll", "::1");                                      \
    }                                                                         \
    SL_TEST_TIMEOUT(name_##_epoll, points_, timeout_ms_, hint_)              \
    {                                                                         \
        rt_prog_##name_("epoll", "127.0.0.1");                               \
    }                                                                         \
    static void rt_prog_##name_(const char *backend, const char *host)

/* ---- descriptors ------------------------------------------------------------ */

static inline void rt_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* A connected AF_UNIX stream pair, both ends non-blocking. */
static inline void rt_pair_at(int sv[2], const char *file, int line)
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        sl_fail_errno_at(file, line, 1, errno, "socketpair() failed");
    rt_nonblock(sv[0]);
    rt_nonblock(sv[1]);
}
#define RT_PAIR(sv) rt_pair_at((sv), __FILE__, __LINE__)

static inline void rt_close(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Descriptors open in this process, from /proc/self/fd. */
static inline int rt_fds_open(void)
{
    int n = 0;

    for (int fd = 0; fd < 8192; fd++)
        if (fcntl(fd, F_GETFD) >= 0)
            n++;
    return n;
}

#endif
