/* check.c - lesson 01, Task 1 on a big-endian machine.
 *
 * grader/scripts/bigendian.sh builds this file with an implementation's
 * addressing.c for s390x and runs it under qemu. On a little-endian host a
 * plain byte swap (x << 8 | x >> 8) gives what htons() gives, so the
 * lesson's tests cannot tell it from a correct conversion; here htons()
 * changes nothing, and a swap that ignores the host puts the bytes in the
 * wrong order.
 *
 * Self-contained: its own main(), no CUnit. Each check runs in a child
 * process, so that a TODO() (which exits with status 3), a crash or a loop
 * in one function leaves the other checks to run; a child has CHECK_SECONDS
 * to finish. Prints one line per failure,
 * then "N passed, N failed"; exits 0 if every check passed, 1 if not, 2 if
 * this is no big-endian host (then nothing was checked). */
#include "addressing.h"

#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* How long one check may run (under qemu, a few milliseconds do). */
#define CHECK_SECONDS 10

/* Failures of the check that runs in this (child) process. */
static int failures;

/* Records a failure: one line, naming the call and saying what came and
 * what big-endian needs. */
static void fail(const char *what, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(const char *what, const char *fmt, ...)
{
    va_list ap;

    printf("FAIL %s: ", what);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    failures++;
}

/* The bytes of a value in memory must be want[0..n-1]. */
static void check_bytes(const char *what, const void *p, const unsigned char *want,
                        size_t n)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i] != want[i]) {
            printf("FAIL %s: byte %zu in memory is %02x, big-endian needs %02x"
                   " (bytes:", what, i, b[i], want[i]);
            for (size_t j = 0; j < n; j++)
                printf(" %02x", b[j]);
            printf(")\n");
            fflush(stdout);
            failures++;
            return;
        }
    }
}

static void htons_layout(void)
{
    static const unsigned char want[] = {0x12, 0x34};
    uint16_t net = addr_htons(0x1234);

    check_bytes("addr_htons(0x1234)", &net, want, sizeof want);
    if (net != htons(0x1234))
        fail("addr_htons(0x1234)", "returned 0x%04x, htons() returns 0x%04x",
             (unsigned)net, (unsigned)htons(0x1234));
}

static void htonl_layout(void)
{
    static const unsigned char want[] = {0x01, 0x02, 0x03, 0x04};
    uint32_t net = addr_htonl(0x01020304);

    check_bytes("addr_htonl(0x01020304)", &net, want, sizeof want);
    if (net != htonl(0x01020304))
        fail("addr_htonl(0x01020304)", "returned 0x%08lx, htonl() returns 0x%08lx",
             (unsigned long)net, (unsigned long)htonl(0x01020304));
}

static void ntohs_wire(void)
{
    static const unsigned char wire[] = {0x1f, 0x90};
    uint16_t net;

    memcpy(&net, wire, sizeof net);
    if (addr_ntohs(net) != 8080)
        fail("addr_ntohs(bytes 1f 90)", "returned %u; the bytes 1f 90 are port 8080",
             (unsigned)addr_ntohs(net));
}

static void ntohl_wire(void)
{
    static const unsigned char wire[] = {0xc0, 0x00, 0x02, 0x01};
    uint32_t net;

    memcpy(&net, wire, sizeof net);
    if (addr_ntohl(net) != 0xc0000201)
        fail("addr_ntohl(bytes c0 00 02 01)", "returned 0x%08lx, 192.0.2.1 is 0xc0000201",
             (unsigned long)addr_ntohl(net));
}

/* For a fixed sequence of values: each function returns what the C
 * library's does on this host, and each pair undoes itself. */
static void matches_libc(void)
{
    uint32_t x = 12345;
    char what[64];

    for (int i = 0; i < 1000 && failures == 0; i++) {
        uint16_t s;

        x = x * 1103515245u + 12345u;
        s = (uint16_t)(x >> 16);
        snprintf(what, sizeof what, "addr_htonl(0x%08lx)", (unsigned long)x);
        if (addr_htonl(x) != htonl(x))
            fail(what, "returned 0x%08lx, htonl() returns 0x%08lx",
                 (unsigned long)addr_htonl(x), (unsigned long)htonl(x));
        snprintf(what, sizeof what, "addr_ntohl(0x%08lx)", (unsigned long)x);
        if (addr_ntohl(x) != ntohl(x))
            fail(what, "returned 0x%08lx, ntohl() returns 0x%08lx",
                 (unsigned long)addr_ntohl(x), (unsigned long)ntohl(x));
        snprintf(what, sizeof what, "addr_htons(0x%04x)", (unsigned)s);
        if (addr_htons(s) != htons(s))
            fail(what, "returned 0x%04x, htons() returns 0x%04x",
                 (unsigned)addr_htons(s), (unsigned)htons(s));
        snprintf(what, sizeof what, "addr_ntohs(0x%04x)", (unsigned)s);
        if (addr_ntohs(s) != ntohs(s))
            fail(what, "returned 0x%04x, ntohs() returns 0x%04x",
                 (unsigned)addr_ntohs(s), (unsigned)ntohs(s));
    }
}

static const struct {
    const char *name;
    void (*run)(void);
} checks[] = {
    {"htons_byte_layout", htons_layout},
    {"htonl_byte_layout", htonl_layout},
    {"ntohs_reads_wire_bytes", ntohs_wire},
    {"ntohl_reads_wire_bytes", ntohl_wire},
    {"byte_order_matches_libc", matches_libc},
};

/* Runs one check in a child; returns 1 if it passed. */
static int run_check(size_t i)
{
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        perror("check: fork");
        exit(1);
    }
    if (pid == 0) {
        alarm(CHECK_SECONDS);
        checks[i].run();
        fflush(stdout);
        _exit(failures == 0 ? 0 : 1);
    }
    if (waitpid(pid, &status, 0) < 0) {
        perror("check: waitpid");
        exit(1);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
        printf("FAIL %s: not implemented (a TODO() is still there)\n", checks[i].name);
    else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        printf("FAIL %s: did not finish within %d seconds (a loop that never ends?)\n",
               checks[i].name, CHECK_SECONDS);
    else if (WIFSIGNALED(status))
        printf("FAIL %s: crashed (signal %d, %s)\n", checks[i].name, WTERMSIG(status),
               strsignal(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 1)
        printf("FAIL %s: exited with status %d in the middle of the check\n",
               checks[i].name, WEXITSTATUS(status));
    return 0;
}

int main(void)
{
    const uint16_t one = 0x0102;
    unsigned char first;
    int passed = 0, failed = 0;

    memcpy(&first, &one, 1);
    if (first != 0x01) {
        printf("check: this host is not big-endian (0x0102 is stored %02x first): "
               "nothing checked\n", first);
        return 2;
    }
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        if (run_check(i))
            passed++;
        else
            failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
