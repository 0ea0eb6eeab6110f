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
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
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

int sl_port_in(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
    if (ss->ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)ss)->sin_port);
    return -1;
}

int sl_port_of(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    return sl_port_in(&ss);
}

/* The first port of the kernel's ephemeral range, or 0 if unknown. */
static int ephemeral_low(void)
{
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    int low = 0, high = 0;

    if (f != NULL) {
        if (fscanf(f, "%d %d", &low, &high) != 2)
            low = 0;
        fclose(f);
    }
    return low;
}

/* Binds a socket of type to host:port and closes it: the port it got, or
 * -1 if the bind failed. */
static int bind_and_close(const char *host, int port, int type)
{
    struct sockaddr_storage ss;
    socklen_t len = sl_addr(&ss, host, port);
    int fd = socket(ss.ss_family, type, 0), got = -1;

    if (fd >= 0 && bind(fd, (struct sockaddr *)&ss, len) == 0)
        got = sl_port_of(fd);
    if (fd >= 0)
        close(fd);
    return got;
}

int sl_closed_port(const char *host, int type)
{
    int low = ephemeral_low(), port = -1;
    struct timespec ts;
    unsigned x;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    x = (unsigned)ts.tv_nsec ^ (unsigned)getpid() * 2654435761u;
    for (int i = 0; low > 2048 && i < 50 && port < 0; i++) {
        x = x * 1103515245u + 12345u;
        port = bind_and_close(host, 1024 + (int)((x >> 8) % (unsigned)(low - 1024)), type);
    }
    if (port < 0)
        port = bind_and_close(host, 0, type);
    if (port < 0)
        SL_FAIL_FATAL("test setup: cannot bind on %s: %s", host, strerror(errno));
    return port;
}

int sl_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void sl_sock_send(int fd, const void *buf, size_t len)
{
    if (sl_send_all(fd, buf, len) < 0)
        SL_FAIL_FATAL("test: send: %s", strerror(errno));
}

size_t sl_read_within(int fd, void *buf, size_t len, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);
    size_t got = 0;

    while (got < len) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int left = (int)(end - sl_now_ms());
        ssize_t n;

        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        n = read(fd, (char *)buf + got, len - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
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

pid_t sl_fork(void)
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
    pid_t pid = sl_fork();

    if (pid == 0) {
        struct itimerval off;

        memset(&off, 0, sizeof off);
        setitimer(ITIMER_REAL, &off, NULL);
        fn(fd, arg);
        _exit(0);
    }
    return pid;
}

int sl_reap(pid_t pid, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);
    int st = 0;
    pid_t got;

    while ((got = waitpid(pid, &st, WNOHANG)) == 0) {
        if (sl_now_ms() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            return -1;
        }
        sl_sleep_ms(2);
    }
    return got == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

pid_t sl_ticker(int every_ms, int for_ms)
{
    pid_t parent = getpid(), pid = sl_fork();

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

/* Did the datagram of msg come at least 3 ms before now (its stamp)? */
static int stamped_early(struct msghdr *msg)
{
    struct timespec at = {0, 0}, now;

    clock_gettime(CLOCK_REALTIME, &now);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
            memcpy(&at, CMSG_DATA(c), sizeof at);
    return at.tv_sec != 0 &&
           (now.tv_sec - at.tv_sec) * 1000.0 + (now.tv_nsec - at.tv_nsec) / 1e6 >= 3;
}

void sl_wait_stamps(int fd)
{
    struct sockaddr_storage me;
    socklen_t melen = sizeof me;
    char b[8];

    if (getsockname(fd, (struct sockaddr *)&me, &melen) < 0)
        return;
    for (int i = 0; i < 40; i++) {
        union { struct cmsghdr align; char space[CMSG_SPACE(sizeof(struct timespec))]; } cbuf;
        struct iovec iov = {b, sizeof b};
        struct msghdr msg;

        if (sendto(fd, "probe", 5, 0, (struct sockaddr *)&me, melen) != 5)
            break;
        sl_sleep_ms(5);
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf.space;
        msg.msg_controllen = sizeof cbuf.space;
        if (recvmsg(fd, &msg, MSG_DONTWAIT) >= 0 && stamped_early(&msg))
            break;
    }
    while (recv(fd, b, sizeof b, MSG_DONTWAIT) >= 0)
        ;
}

volatile sig_atomic_t sl_ticks;

/* The handler of sl_timer_start(): counts. */
static void on_tick(int sig)
{
    (void)sig;
    sl_ticks++;
}

void sl_timer_start(long first_us, long interval_us)
{
    sl_timer_start_on(on_tick, first_us, interval_us);
}

void sl_timer_start_on(void (*on)(int), long first_us, long interval_us)
{
    struct sigaction sa;
    struct itimerval it = {{interval_us / 1000000, interval_us % 1000000},
                           {first_us / 1000000, first_us % 1000000}};

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART */
    sl_ticks = 0;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
}

int sl_timer_stop(void)
{
    struct itimerval off;

    memset(&off, 0, sizeof off);
    setitimer(ITIMER_REAL, &off, NULL);
    signal(SIGALRM, SIG_IGN);
    return (int)sl_ticks;
}
