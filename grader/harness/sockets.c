/* sockets.c - sockets, descriptors and children that tests make with
 * plain system calls (see sl_sockets.h). */
#include "sl_sockets.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "sl_checks.h"
#include "sl_harness.h"

socklen_t sl_addr(struct sockaddr_storage *ss, const char *host, int port)
{
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

    memset(ss, 0, sizeof *ss);
    if (strchr(host, ':')) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
            SL_FAIL_FATAL("test data: \"%s\" is not an IPv6 address", host);
        return sizeof *s6;
    }
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
        SL_FAIL_FATAL("test data: \"%s\" is not an IPv4 address", host);
    return sizeof *s4;
}

int sl_family(const char *host)
{
    return strchr(host, ':') ? AF_INET6 : AF_INET;
}

const char *sl_family_name(const char *host)
{
    return strchr(host, ':') ? "IPv6" : "IPv4";
}

void sl_sock_send(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            SL_FAIL_FATAL("test: send: %s", strerror(errno));
        p += n;
        len -= (size_t)n;
    }
}

void sl_sock_reset(int fd)
{
    struct linger l = {1, 0};

    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
}

void sl_sock_buffer(int fd, int option, int bytes)
{
    if (setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof bytes) < 0)
        SL_FAIL_FATAL("test setup: setsockopt: %s", strerror(errno));
}

int sl_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    return poll(&p, 1, 0) > 0;
}

int sl_accept_within(int lfd, int ms)
{
    struct pollfd p = {.fd = lfd, .events = POLLIN};

    if (poll(&p, 1, sl_scaled_ms(ms)) <= 0)
        return -1;
    return accept(lfd, NULL, NULL);
}

int sl_fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

/* fork(), with what is buffered written first; ends the test if it fails. */
static pid_t fork_or_fail(void)
{
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if (pid < 0)
        SL_FAIL_FATAL("test setup: fork: %s", strerror(errno));
    return pid;
}

pid_t sl_child(void (*fn)(int fd, long arg), int fd, long arg)
{
    pid_t pid = fork_or_fail();

    if (pid == 0) {
        struct itimerval off;

        memset(&off, 0, sizeof off);
        setitimer(ITIMER_REAL, &off, NULL);
        fn(fd, arg);
        _exit(0);
    }
    return pid;
}

pid_t sl_ticker(int every_ms, int for_ms)
{
    pid_t parent = getpid(), pid = fork_or_fail();

    if (pid == 0) {
        double end = sl_now_ms() + for_ms;

        while (sl_now_ms() < end) {
            sl_sleep_ms(every_ms);
            kill(parent, SIGALRM);
        }
        _exit(0);
    }
    return pid;
}
