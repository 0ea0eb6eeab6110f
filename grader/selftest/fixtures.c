/* fixtures.c - a pretend lesson whose tests misbehave on purpose.
 *
 * The grader's self-tests (test_engine.c) run this binary one test at a time
 * and check the verdicts. Where a fixture starts processes it writes their
 * pids, one a line, to $FIXTURE_DIR/pids so the self-test can check that
 * none survived.
 */
#include "alive.h"
#include "sl_harness.h"
#include "sl_test.h"
#include "todo.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

SL_TASK(1, "fixtures: tests that misbehave on purpose");

static void student_function(void)
{
    TODO();
}

SL_TEST(passes, 2, "fixture: passes")
{
    SL_ASSERT_INT_EQ(2 + 2, 4);
}

SL_TEST(needs_missing_tool, 2, "fixture: needs a program no machine has; must never run")
{
    SL_FAIL("needs_missing_tool ran: a test whose tool is missing must be skipped");
}
SL_TEST_NEEDS(needs_missing_tool, "socklab-no-such-tool");

SL_TEST(needs_sh, 1, "fixture: needs sh, which every machine has: runs and passes")
{
    SL_ASSERT_INT_EQ(1, 1);
}
SL_TEST_NEEDS(needs_sh, "sh");

SL_TEST(fails_int, 3, "fixture: a failed integer check")
{
    printf("some output before the failure\n");
    SL_ASSERT_INT_EQ(2 + 2, 5);
}

SL_TEST(fails_bytes, 1, "fixture: a failed byte comparison")
{
    static const char want[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    static const char got[] = "GET / HTTP/1.1\nHost: x\r\n\r\n";
    SL_ASSERT_BYTES_EQ(got, sizeof got - 1, want, sizeof want - 1);
}

SL_TEST(fails_trailing_space, 1, "fixture: a text with a space too many at its end")
{
    SL_CHECK_STR("lookup -r 127.0.0.1", "127.0.0.1 has name localhost ",
                 "127.0.0.1 has name localhost");
}

SL_TEST(crashes, 1, "fixture: a NULL dereference")
{
    volatile int *p = NULL;
    *p = 1;
}

SL_TEST(fails_then_crashes, 1, "fixture: a failed check, then a NULL dereference")
{
    SL_ASSERT_INT_EQ(6 * 7, 41);
    volatile int *p = NULL;
    *p = 1;
}

SL_TEST(fails_then_aborts, 1, "fixture: a failed check, then abort()")
{
    SL_ASSERT_INT_EQ(6 * 7, 43);
    abort();
}

SL_TEST(aborts, 1, "fixture: abort()")
{
    abort();
}

SL_TEST_TIMEOUT(hangs, 1, 500, "fixture: sleeps for ever")
{
    for (;;)
        pause();
}

SL_TEST_TIMEOUT(spins, 1, 500, "fixture: burns CPU for ever")
{
    for (volatile unsigned long i = 0;; i++)
        ;
}

SL_TEST(exits_zero, 1, "fixture: exit(0) in the middle")
{
    exit(0);
    SL_FAIL("not reached");
}

SL_TEST(exits_after_failure, 1, "fixture: a failure, then exit(0)")
{
    SL_ASSERT_INT_EQ(1, 2);
    exit(0);
}

SL_TEST(not_implemented, 1, "fixture: reaches a TODO()")
{
    student_function();
    SL_FAIL("not reached");
}

SL_TEST(leaves_grandchild, 1, "fixture: a grandchild that escapes the group")
{
    pid_t pid = fork();
    if (pid == 0) {
        alive_note();
        pid_t grandchild = fork();
        if (grandchild == 0) {
            setsid();
            alive_note();
            for (;;)
                pause();
        }
        usleep(50 * 1000);
        _exit(0); /* the grandchild is an orphan now */
    }
    pid_t kept = fork();
    if (kept == 0) {
        alive_note();
        for (;;)
            pause();
    }
    usleep(150 * 1000);
}

SL_TEST(checks_processes_gone, 1, "fixture: run after leaves_grandchild (-j 1)")
{
    const char *dir = getenv("FIXTURE_DIR");
    DIR *d = opendir(dir ? dir : ".");
    struct dirent *e;
    int n = 0;
    if (!d)
        SL_FAIL_FATAL("no folder %s", dir ? dir : ".");
    while ((e = readdir(d))) {
        char path[600];
        if (strncmp(e->d_name, "alive-", 6) != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        int fd = open(path, O_RDONLY);
        n++;
        if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
            SL_FAIL("a process of the previous test is still there (%s)", e->d_name);
        if (fd >= 0)
            close(fd);
    }
    closedir(d);
    SL_ASSERT_INT_EQ(n, 3);
}

SL_TEST_TIMEOUT(forks_many, 1, 1500, "fixture: forks until it cannot, then hangs")
{
    for (int i = 0; i < 4000; i++) {
        pid_t pid = fork();
        if (pid < 0)
            break;
        if (pid == 0) {
            alive_note();
            for (;;)
                pause();
        }
    }
    for (;;)
        pause();
}

SL_TEST(forks_once_later, 1, "fixture: beside forks_many, forks once it has used the limit up")
{
    usleep(400 * 1000);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    if (pid < 0)
        SL_FAIL_FATAL("fork: %s", strerror(errno));
    SL_ASSERT_INT_EQ(waitpid(pid, NULL, 0), pid);
}

SL_TEST(forges_done, 1, "fixture: writes a 'done' record into every descriptor, then _exit(0)")
{
    static const char fake[] = {'D', 0, 0, 0, 0};
    for (int fd = 3; fd < 1024; fd++)
        if (write(fd, fake, sizeof fake) < 0)
            continue;
    _exit(0);
}

SL_TEST(forges_error, 1, "fixture: writes a 'grader error' record into every descriptor, then fails")
{
    static const char fake[] = {'E', 6, 0, 0, 0, 'f', 'o', 'r', 'g', 'e', 'd'};
    for (int fd = 3; fd < 1024; fd++)
        if (write(fd, fake, sizeof fake) < 0)
            continue;
    SL_FAIL("the fixture's own failure");
}

SL_TEST(sees_few_descriptors, 1, "fixture: passes if only 0, 1, 2 and the report socket (moved to 900 or above) are open")
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int seen = 0;
    if (!d)
        SL_FAIL_FATAL("opendir /proc/self/fd: %s", strerror(errno));
    while ((e = readdir(d))) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] != '.' && fd != dirfd(d) && fd > 2 && fd < 900)
            SL_FAIL("descriptor %d is open in the test", fd);
        seen += e->d_name[0] != '.';
    }
    closedir(d);
    SL_ASSERT_INT_EQ(seen, 5); /* 0, 1, 2, the report socket and the directory's own */
}

SL_TEST(fails_many_times, 1, "fixture: 200 long failures")
{
    char big[900];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 200; i++)
        SL_FAIL("failure %d: %s", i, big);
}

SL_TEST(fails_then_todo, 1, "fixture: a failed check, then a TODO()")
{
    SL_ASSERT_INT_EQ(3, 4);
    student_function();
}

SL_TEST_TIMEOUT(hangs_long, 1, 4000, "fixture: an escaped grandchild, then sleeps for ever")
{
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        alive_note();
        for (;;)
            pause();
    }
    for (;;)
        pause();
}

SL_TEST(floods_output, 1, "fixture: prints a megabyte, then fails")
{
    char line[101];
    memset(line, 'x', 99);
    line[99] = '\n';
    line[100] = '\0';
    for (int i = 0; i < 10000; i++)
        fputs(line, stdout);
    printf("the last line\n");
    SL_FAIL("failed on purpose");
}

SL_TEST(prints_bad_bytes, 1, "fixture: prints bytes that are not text")
{
    static const char junk[] = "ok \xff\xfe \x01\x1b[31m <tag> & \"q\" \xc3\xa9 \xed\xa0\x80 end\n";
    fwrite(junk, 1, sizeof junk - 1, stdout);
    fwrite("\0nul\n", 1, 5, stderr);
    SL_FAIL("bad bytes: \xff <&>");
}

SL_TEST(pretends_to_pass, 1, "fixture: prints what a pass might look like, then exits")
{
    printf("{\"status\":\"pass\"}\nPASS\nD\n");
    fflush(stdout);
    exit(0);
}

SL_TEST_TIMEOUT(hogs_memory, 1, 10000, "fixture: allocates and touches memory until it gets none")
{
    static char *chunks[128];
    size_t chunk = 64u << 20, n = 0;
    for (; n < SL_COUNT(chunks); n++) {
        if (!(chunks[n] = malloc(chunk)))
            break;
        for (size_t i = 0; i < chunk; i += 4096)
            chunks[n][i] = 1;
    }
    for (size_t i = 0; i < n; i++)
        free(chunks[i]);
    SL_FAIL("allocated %zu MiB before malloc returned NULL", n * (chunk >> 20));
}

SL_TEST(sees_only_loopback, 1, "fixture: passes if lo is the only network interface, and up")
{
    struct if_nameindex *ifs = if_nameindex();
    if (!ifs)
        SL_FAIL_FATAL("if_nameindex: %s", strerror(errno));
    for (struct if_nameindex *i = ifs; i->if_index; i++)
        if (strcmp(i->if_name, "lo") != 0)
            SL_FAIL("the test sees the interface %s", i->if_name);
    if_freenameindex(ifs);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    SL_ASSERT_INT_EQ(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
    close(fd);
}

SL_TEST(runs_in_pid_namespace, 1, "fixture: passes if its parent is pid 1 (its supervisor, in a namespace)")
{
    SL_ASSERT_INT_EQ(getppid(), 1);
}

/* Takes all the memory it can, and keeps it: what the test then does
 * itself must still be reported. */
static void exhaust_memory(void)
{
    static char *chunks[128];
    for (size_t n = 0; n < SL_COUNT(chunks); n++) {
        char *p = malloc(64u << 20);
        if (!p)
            break;
        for (size_t i = 0; i < (64u << 20); i += 4096)
            p[i] = 1;
        chunks[n] = p;
    }
    static void *volatile crumb; /* and the last crumbs, kept */
    while ((crumb = malloc(4096)) != NULL)
        ;
}

SL_TEST_TIMEOUT(fails_without_memory, 1, 10000, "fixture: exhausts memory, then a check fails")
{
    exhaust_memory();
    SL_ASSERT_INT_EQ(1 + 1, 3);
}

SL_TEST_TIMEOUT(cunit_fails_without_memory, 1, 10000, "fixture: exhausts memory, then a CU_ASSERT fails")
{
    exhaust_memory();
    CU_ASSERT(1 + 1 == 3);
}

SL_TEST(closes_descriptor_3, 1, "fixture: closes descriptor 3 (a double close), then passes")
{
    close(3);
    SL_ASSERT_INT_EQ(1 + 1, 2);
}

SL_TEST(sees_files_read_only, 1, "fixture: passes if the tree is read-only, /tmp its own and solutions/ hidden")
{
    const char *exe = getenv("SOCKLAB_EXE_DIR");
    char path[600];
    snprintf(path, sizeof path, "%s/written-by-a-test", exe ? exe : ".");
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) {
        close(fd);
        unlink(path);
        SL_FAIL("a test could write %s", path);
    }
    SL_ASSERT_INT_EQ(errno, EROFS);
    fd = open("/tmp/mine", O_WRONLY | O_CREAT, 0644);
    SL_ASSERT_INT_EQ(fd >= 0, 1);
    if (fd >= 0)
        close(fd);
    DIR *d = opendir("solutions");
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            SL_FAIL("the test sees solutions/%s", e->d_name);
    if (d)
        closedir(d);
}

SL_TEST(fails_with_an_errno, 1, "fixture: its own hint")
{
    sl_fail_errno_at(__FILE__, __LINE__, 0, ECONNREFUSED, "connect to 127.0.0.1:9: "
                     "Connection refused");
}

SL_TEST(fails_reporting_a_step, 1, "fixture: its own hint")
{
    /* a lesson's helper that words the harness's error its own way */
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(9),
                              .sin_addr = {htonl(INADDR_LOOPBACK)}};
    sl_conn_t c;
    if (sl_conn_open_addr(&c, (struct sockaddr *)&sin, sizeof sin, "the discard port",
                          sl_deadline(1000)) < 0)
        sl_fail_at(__FILE__, __LINE__, 1, "the client could not start: %s", sl_harness_error());
}

SL_TEST(fails_reporting_a_program, 1, "fixture: its own hint")
{
    SL_FAIL("greet-server printed no line 'listening on ADDR:PORT' and ended: its last words: "
            "\"greet-server: listen on ::1 port 5555: Address already in use\"");
}

SL_TEST(fails_reporting_a_udp_program, 1, "fixture: its own hint")
{
    SL_FAIL("udp-echo-server exited with status 1 before listening: udp-echo-server: bind: "
            "Address already in use");
}

SL_TEST(fails_with_errno_as_data, 1, "fixture: its own hint")
{
    SL_CHECK_STR("lk_strerror(EAI_SYSTEM, EMFILE)", "No such file or directory",
                 "Too many open files");
}

SL_TEST(fails_with_program_line_as_data, 1, "fixture: its own hint")
{
    SL_CHECK_STR("the stderr of lookup x", "lookup: x: Resource temporarily unavailable",
                 "lookup: x: Name or service not known");
}

/* A library function that prints its error, as udp_bind() with perror(). */
static int noisy_bind(void)
{
    fprintf(stderr, "udp_bind: Address already in use\n");
    errno = EADDRINUSE;
    return -1;
}

SL_TEST(prints_in_quiet_call, 1, "fixture: its own hint")
{
    int ret;
    SL_QUIET_CALL(ret, noisy_bind());
    SL_ASSERT_INT_EQ(ret, -1);
    SL_ASSERT_INT_EQ(errno, EADDRINUSE);
    fprintf(stderr, "stderr is the real one again\n");
}
