/* test_util.c - self-tests of the helpers lessons share: sl_util.h (words
 * for errno and returns, blocks, patterns, descriptor counts), how a
 * program ended and its last words (sl_checks.h), the timer and the
 * addresses of sl_sockets.h. */
#include "sl_checks.h"
#include "sl_sockets.h"
#include "sl_test.h"
#include "sl_util.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

SL_TASK_PROGRAMS(7, "the harness: programs, connections, transcripts");

/* A program that printed err on stderr, as the harness keeps it. */
static sl_prog_t *printed(const char *err)
{
    static sl_prog_t p;

    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "fx");
    p.err.len = p.err.total = strlen(err);
    memcpy(p.err.data, err, p.err.len + 1);
    return &p;
}

SL_TEST(checks_last_words_are_the_last_line, 1,
        "sl_last_line() gives the last line of stderr that holds text (trailing newlines "
        "and blanks dropped), sl_last_words() the same after \": its last words: \", and "
        "both \"\" when the program printed nothing.")
{
    SL_ASSERT_STR_EQ(sl_last_line(printed("")), "");
    SL_ASSERT_STR_EQ(sl_last_words(printed("\n \n")), "");
    SL_ASSERT_STR_EQ(sl_last_line(printed("fx: starting\nfx: bind: in use  \n\n")),
                     "\"fx: bind: in use\"");
    SL_ASSERT_STR_EQ(sl_last_words(printed("no newline")), ": its last words: \"no newline\"");
    const char *a = sl_last_line(printed("first\n")), *b = sl_last_line(printed("second\n"));
    if (strcmp(a, "\"first\"") != 0 || strcmp(b, "\"second\"") != 0)
        SL_FAIL("two last lines in one message must not overwrite each other: \"%s\", \"%s\"",
                a, b);
}

SL_TEST(util_pattern_is_seeded, 1,
        "sl_pattern() gives the same bytes for the same seed, others for another, and "
        "every byte value in 64 KiB.")
{
    static unsigned char a[65536], b[65536];
    int seen[256] = {0}, missing = 0;

    sl_pattern(a, sizeof a, 7);
    sl_pattern(b, sizeof b, 7);
    CU_ASSERT(memcmp(a, b, sizeof a) == 0);
    sl_pattern(b, sizeof b, 8);
    CU_ASSERT(memcmp(a, b, sizeof a) != 0);
    for (size_t i = 0; i < sizeof a; i++)
        seen[a[i]] = 1;
    for (int v = 0; v < 256; v++)
        missing += !seen[v];
    SL_ASSERT_INT_EQ(missing, 0);
}

SL_TEST(util_fd_count_counts_descriptors, 1,
        "sl_fd_count(0) counts this process's descriptors (not the one that reads "
        "/proc/self/fd), sl_fd_count(pid) another's, and -1 for a process that is gone.")
{
    int before = sl_fd_count(0), fd = open("/dev/null", O_RDONLY);

    CU_ASSERT_FATAL(before > 0 && fd >= 0);
    SL_ASSERT_INT_EQ(sl_fd_count(0), before + 1);
    SL_ASSERT_INT_EQ(sl_fd_count(getpid()), before + 2);   /* with the folder's */
    close(fd);
    SL_ASSERT_INT_EQ(sl_fd_count(0), before);
    SL_ASSERT_INT_EQ(sl_fd_count(0x3ffffff0), -1);
}

SL_TEST(util_words_of_errno_and_returns, 1,
        "sl_errno_text() names errno with its text, sl_returned() says what a call "
        "returned, and a message may hold several of them.")
{
    SL_ASSERT_STR_EQ(sl_errno_text(EPIPE), "EPIPE (Broken pipe)");
    SL_ASSERT_STR_EQ(sl_errno_text(0), "0 (none set)");
    SL_ASSERT_STR_EQ(sl_returned(-1, ENXIO), "-1 with errno ENXIO (No such device or address)");
    SL_ASSERT_STR_EQ(sl_returned(3, EPIPE), "3");
    SL_RETURNS(close(-1) + 1, 0);
    SL_MUST_RETURN(dup2(1, 1), 1);
}

SL_TEST(util_blocks_are_exact_and_freed, 1,
        "sl_alloc() gives SL_BLOCKS blocks at once, sl_free() takes them back (NULL and "
        "other pointers: nothing), and the room is used again.")
{
    void *p[SL_BLOCKS];

    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < SL_BLOCKS; i++)
            memset(p[i] = sl_alloc((size_t)i), 0xa5, (size_t)i);
        for (int i = 0; i < SL_BLOCKS; i++)
            sl_free(p[i]);
    }
    sl_free(NULL);
    sl_free(p);   /* not a block of sl_alloc(): nothing */
}

/* A program that printed err and ended as a child does that exits with
 * code, or is killed by sig first. */
static sl_prog_t *ended_as(const char *err, int code, int sig)
{
    sl_prog_t *p = printed(err);
    pid_t pid = fork();

    if (pid == 0) {
        if (sig)
            kill(getpid(), sig);
        _exit(code);
    }
    CU_ASSERT_FATAL(pid > 0 && waitpid(pid, &p->status, 0) == pid);
    p->ended = 1;
    return p;
}

SL_TEST(checks_end_of_a_program_is_named, 1,
        "sl_end_of() tells a server's ends apart as its hints need them: still running, "
        "SIGPIPE, exit status 0, another status with EINTR named on stderr or without, "
        "another signal.")
{
    static const char eintr[] = "fx: recv: Interrupted system call\n";

    SL_ASSERT_INT_EQ(sl_end_of(printed("")), SL_END_RUNNING);
    SL_ASSERT_INT_EQ(sl_end_of(ended_as("", 0, SIGPIPE)), SL_END_SIGPIPE);
    SL_ASSERT_INT_EQ(sl_end_of(ended_as(eintr, 0, 0)), SL_END_EXIT_0);
    SL_ASSERT_INT_EQ(sl_end_of(ended_as(eintr, 1, 0)), SL_END_EINTR);
    SL_ASSERT_INT_EQ(sl_end_of(ended_as("fx: recv: Connection reset by peer\n", 1, 0)),
                     SL_END_EXIT);
    SL_ASSERT_INT_EQ(sl_end_of(ended_as(eintr, 0, SIGABRT)), SL_END_SIGNAL);
    SL_ASSERT_INT_EQ(sl_end_of(ended_as("", 0, SIGKILL)), SL_END_SIGNAL);
}

SL_TEST(sockets_timer_interrupts_and_counts, 1,
        "sl_timer_start() makes a blocking read() fail with EINTR (no SA_RESTART) and "
        "counts the signals in sl_ticks; sl_timer_stop() stops it and says how many.")
{
    int p[2];
    char c;

    CU_ASSERT_FATAL(pipe(p) == 0);
    sl_timer_start(2000, 2000);
    errno = 0;
    SL_ASSERT_INT_EQ(read(p[0], &c, 1), -1);
    SL_ASSERT_INT_EQ(errno, EINTR);
    sl_sleep_ms(20);
    int ticks = sl_timer_stop(), after = (int)sl_ticks;
    if (ticks < 2)
        SL_FAIL("expected a tick every 2 ms for 20 ms, counted %d", ticks);
    sl_sleep_ms(10);
    SL_ASSERT_INT_EQ((int)sl_ticks, after);
    close(p[0]);
    close(p[1]);
}

SL_TEST(sockets_numeric_addresses, 1,
        "sl_addr() fills IPv4 and IPv6 addresses with their port; sl_port_in() and "
        "sl_port_of() read it back.")
{
    struct sockaddr_storage ss;

    SL_ASSERT_INT_EQ(sl_addr(&ss, "::1", 8080), sizeof(struct sockaddr_in6));
    SL_ASSERT_INT_EQ(ss.ss_family, AF_INET6);
    SL_ASSERT_INT_EQ(sl_port_in(&ss), 8080);
    SL_ASSERT_INT_EQ(sl_addr(&ss, "127.0.0.1", 0), sizeof(struct sockaddr_in));
    SL_ASSERT_STR_EQ(sl_family_name("127.0.0.1"), "IPv4");

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    socklen_t len = sl_addr(&ss, "127.0.0.1", 0);

    CU_ASSERT_FATAL(fd >= 0 && bind(fd, (struct sockaddr *)&ss, len) == 0);
    if (sl_port_of(fd) <= 0)
        SL_FAIL("sl_port_of() of a bound socket: %d", sl_port_of(fd));
    close(fd);
    SL_ASSERT_INT_EQ(sl_port_of(fd), -1);
}

SL_TEST(sockets_closed_port_is_free_and_below_the_range, 1,
        "sl_closed_port() gives a port where nothing of that type is bound, below the "
        "kernel's ephemeral range when it starts above 2048: a connect() there is refused.")
{
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    int low = 0, high = 0, port = sl_closed_port("127.0.0.1", SOCK_STREAM);
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, "127.0.0.1", port);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (f == NULL || fscanf(f, "%d %d", &low, &high) != 2)
        low = 0;
    if (f != NULL)
        fclose(f);
    if (port <= 0 || (low > 2048 && (port < 1024 || port >= low)))
        SL_FAIL("port %d: expected one in [1024, %d)", port, low);
    CU_ASSERT_FATAL(fd >= 0);
    errno = 0;
    SL_ASSERT_INT_EQ(connect(fd, (struct sockaddr *)&ss, len), -1);
    SL_ASSERT_INT_EQ(errno, ECONNREFUSED);
    close(fd);
    port = sl_closed_port("::1", SOCK_DGRAM);
    if (port <= 0)
        SL_FAIL("sl_closed_port(\"::1\", SOCK_DGRAM) gave %d", port);
}
