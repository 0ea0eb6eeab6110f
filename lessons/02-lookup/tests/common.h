/* common.h - what the library tests (testutil.h) and the program tests
 * (progutil.h) of lesson 02 share: codes and flags in words, lookups of
 * the test's own that are bounded in time, and the lab (lab.h) in a child
 * process. Nothing here calls a function of lookup.h. */
#ifndef COMMON_H
#define COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* unshare(), EAI_ADDRFAMILY and EAI_NODATA by name */
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"
#include "sl_harness.h"
#include "sl_checks.h"
#include "sl_sockets.h"
#include "sl_util.h"
#include "sl_test.h"

/* ---- words ------------------------------------------------------------------ */

/* One of a few static buffers, used in turn, for words in messages. */
static inline char *cu_buf(void)
{
    static char bufs[8][512];
    static unsigned next;

    return bufs[next++ % 8];
}

/* The name of an EAI_ code: "EAI_NONAME"; "0" for success. */
static inline const char *cu_code_name(int code)
{
    static const struct { int code; const char *name; } names[] = {
        {EAI_BADFLAGS, "EAI_BADFLAGS"}, {EAI_NONAME, "EAI_NONAME"}, {EAI_AGAIN, "EAI_AGAIN"},
        {EAI_FAIL, "EAI_FAIL"}, {EAI_FAMILY, "EAI_FAMILY"}, {EAI_SOCKTYPE, "EAI_SOCKTYPE"},
        {EAI_SERVICE, "EAI_SERVICE"}, {EAI_MEMORY, "EAI_MEMORY"}, {EAI_SYSTEM, "EAI_SYSTEM"},
        {EAI_OVERFLOW, "EAI_OVERFLOW"},
#ifdef EAI_NODATA
        {EAI_NODATA, "EAI_NODATA"},
#endif
#ifdef EAI_ADDRFAMILY
        {EAI_ADDRFAMILY, "EAI_ADDRFAMILY"},
#endif
    };
    char *b;

    if (code == 0)
        return "0";
    for (size_t i = 0; i < SL_COUNT(names); i++)
        if (names[i].code == code)
            return names[i].name;
    b = cu_buf();
    snprintf(b, 512, "code %d", code);
    return b;
}

/* A code with its text: "EAI_NONAME (Name or service not known)", "0 (success)". */
static inline const char *cu_code_words(int code)
{
    char *b = cu_buf();

    if (code == 0)
        return "0 (success)";
    snprintf(b, 512, "%s (%s)", cu_code_name(code), gai_strerror(code));
    return b;
}

/* errno in words: "ENOSPC (No space left on device)". */
static inline const char *cu_errno_words(int err)
{
    char *b = cu_buf();

    snprintf(b, 512, "%s (%s)", sl_errno_name(err) ? sl_errno_name(err) : "?", strerror(err));
    return b;
}

static inline const char *cu_family_name(int family)
{
    char *b;

    switch (family) {
    case AF_UNSPEC: return "AF_UNSPEC";
    case AF_INET:   return "AF_INET";
    case AF_INET6:  return "AF_INET6";
    case AF_UNIX:   return "AF_UNIX";
    }
    b = cu_buf();
    snprintf(b, 512, "family %d", family);
    return b;
}

static inline const char *cu_socktype_name(int type)
{
    char *b;

    switch (type) {
    case 0:           return "0";
    case SOCK_STREAM: return "SOCK_STREAM";
    case SOCK_DGRAM:  return "SOCK_DGRAM";
    case SOCK_RAW:    return "SOCK_RAW";
    }
    b = cu_buf();
    snprintf(b, 512, "type %d", type);
    return b;
}

static inline const char *cu_protocol_name(int protocol)
{
    char *b;

    switch (protocol) {
    case 0:            return "0";
    case IPPROTO_TCP:  return "IPPROTO_TCP";
    case IPPROTO_UDP:  return "IPPROTO_UDP";
    }
    b = cu_buf();
    snprintf(b, 512, "protocol %d", protocol);
    return b;
}

/* AI_ flags in words: "AI_PASSIVE | AI_NUMERICHOST", "0". */
static inline const char *cu_flags_words(int flags)
{
    static const struct { int flag; const char *name; } names[] = {
        {AI_PASSIVE, "AI_PASSIVE"}, {AI_CANONNAME, "AI_CANONNAME"},
        {AI_NUMERICHOST, "AI_NUMERICHOST"}, {AI_V4MAPPED, "AI_V4MAPPED"},
        {AI_ALL, "AI_ALL"}, {AI_ADDRCONFIG, "AI_ADDRCONFIG"},
        {AI_NUMERICSERV, "AI_NUMERICSERV"},
    };
    char *b = cu_buf();
    size_t n = 0;

    b[0] = '\0';
    for (size_t i = 0; i < SL_COUNT(names); i++)
        if (flags & names[i].flag) {
            n += (size_t)snprintf(b + n, 512 - n, "%s%s", n ? " | " : "", names[i].name);
            flags &= ~names[i].flag;
        }
    if (flags)
        snprintf(b + n, 512 - n, "%s%#x", n ? " | " : "", (unsigned)flags);
    else if (n == 0)
        snprintf(b, 512, "0");
    return b;
}

/* A string argument as C would write it: "\"localhost\"" or "NULL". */
static inline const char *cu_str(const char *s)
{
    char *b;

    if (s == NULL)
        return "NULL";
    b = cu_buf();
    snprintf(b, 512, "\"%.400s\"", s);
    return b;
}

/* An IPv4 or IPv6 socket address in words: "127.0.0.1 port 80". */
static inline const char *cu_sa_words(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV], *b = cu_buf();

    if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(b, 512, "(%s, %u bytes: no IP address)", cu_family_name(sa->sa_family),
                 (unsigned)len);
    else
        snprintf(b, 512, "%.100s port %.31s", host, serv);
    return b;
}

/* ---- time ------------------------------------------------------------------- */

/* How the child pid ended, in words ("was killed by SIGSEGV"). */
static inline const char *cu_how(int status)
{
    char *b = cu_buf();

    if (WIFSIGNALED(status))
        snprintf(b, 512, "was killed by SIG%s (%s)", sigabbrev_np(WTERMSIG(status))
                 ? sigabbrev_np(WTERMSIG(status)) : "?", strsignal(WTERMSIG(status)));
    else
        snprintf(b, 512, "exited with status %d", WEXITSTATUS(status));
    return b;
}

/* Waits for child pid at most ms: 1 and *status once it ended, 0 when it
 * was still running (it is then killed and reaped). */
static inline int cu_wait(pid_t pid, int ms, int *status)
{
    double end = sl_now_ms() + ms;

    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);

        if (r == pid)
            return 1;
        if (r < 0 && errno != EINTR)
            return 1;
        if (sl_now_ms() > end) {
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            return 0;
        }
        sl_sleep_ms(1);
    }
}

/* Memory shared with a child, zeroed; it lasts as long as the test. */
static inline void *cu_shared(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        SL_FAIL_FATAL("test setup: mmap: %s", strerror(errno));
    return p;
}

/* ---- every lookup bounded ----------------------------------------------------- */

/* How long the C library may take to answer for a name, in ms (scaled).
 * Here it answers in well under a millisecond: no name server can be
 * reached from a test's network namespace, and /etc/hosts is read at once. */
#define CU_RESOLVER_MS 1000

/* Ends the test, saying so, unless the C library answers for name (any
 * answer: an address or an error) within CU_RESOLVER_MS. Call it before
 * code under test looks name up, so that a machine whose name server is
 * slow to answer is told apart from code that hangs. */
static inline void cu_answers_quickly(const char *name)
{
    int ms = sl_scaled_ms(CU_RESOLVER_MS), status;
    pid_t pid;

    pid = sl_fork();
    if (pid == 0) {
        struct addrinfo hints, *res;

        memset(&hints, 0, sizeof hints);
        hints.ai_socktype = SOCK_STREAM;
        if (getaddrinfo(name, NULL, &hints, &res) == 0)
            freeaddrinfo(res);
        _exit(0);
    }
    if (!cu_wait(pid, ms, &status))
        SL_FAIL_FATAL("test setup: this machine's C library took more than %d ms to answer for "
                      "%s: its name server is slow or does not answer (see /etc/resolv.conf). "
                      "The tests of this lesson need one that answers at once, or none at all "
                      "(as in the grader's network namespace)", ms, cu_str(name));
}

/* ---- the lab in a child process ----------------------------------------------- */

/* The lab's /etc/hosts written to a new file of /tmp, its name in path
 * (the caller removes it once the child has it mounted, or has ended). */
static inline void cu_lab_file(char *path, size_t size)
{
    if (lab_temp_file(path, size, LAB_HOSTS) < 0)
        SL_FAIL_FATAL("test setup: cannot write the lab's hosts file in /tmp: %s",
                      strerror(errno));
}

/* What a child of cu_in_lab() tells its parent. */
typedef struct cu_lab_ctl {
    int phase;        /* 0 started, -1 no lab here, 1 in the lab, 2 fn returned */
    char why[300];    /* why there is no lab */
} cu_lab_ctl_t;

/* Runs fn(data) in a child process that has the lab's /etc/hosts (data:
 * memory from cu_shared(), where fn leaves what it found). 1 once fn has
 * returned; 0 where this machine allows no lab (a note says why, once per
 * test). Ends the test if fn crashed, ended the child, or did not return
 * within ms. `what` names fn's work in words. */
static inline int cu_in_lab(void (*fn)(void *data), void *data, const char *what, int ms)
{
    static int noted;
    cu_lab_ctl_t *ctl = cu_shared(sizeof *ctl);
    char file[64];
    int status, waited;
    pid_t pid;

    ms = sl_scaled_ms(ms);
    cu_lab_file(file, sizeof file);
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        unlink(file);
        SL_FAIL_FATAL("test setup: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        if (lab_enter(file, ctl->why, sizeof ctl->why) < 0) {
            ctl->phase = -1;
            _exit(0);
        }
        unlink(file);   /* mounted over /etc/hosts: the mount keeps it */
        ctl->phase = 1;
        fn(data);
        ctl->phase = 2;
        _exit(0);
    }
    waited = cu_wait(pid, ms, &status);
    unlink(file);       /* if the child never got as far */
    if (!waited)
        SL_FAIL_FATAL("%s, in a process with the lab's /etc/hosts, did not end within %d ms",
                      what, ms);
    if (ctl->phase == -1) {
        if (!noted++)
            sl_note("this machine gives a process no /etc/hosts of its own (%s): the checks "
                    "with the lab's names (www.lab.example, web, ...) are skipped", ctl->why);
        return 0;
    }
    if (ctl->phase != 2 || !WIFEXITED(status))
        SL_FAIL_FATAL("%s, in a process with the lab's /etc/hosts, %s before it returned", what,
                      cu_how(status));
    if (!noted++)
        sl_note("the lab: a child process whose /etc/hosts is lessons/02-lookup/tests/lab.h's "
                "LAB_HOSTS, looked up there alone (by hand: with-hosts --lab COMMAND; "
                "with-hosts --lab cat /etc/hosts shows it)");
    return 1;
}

#endif
