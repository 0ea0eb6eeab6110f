/* blocked.c - where a process waits, from /proc/PID/syscall (see
 * blocked.h). */
#include "blocked.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The calls a test, or the code it tests, is likely to wait in; 1 when the
 * first argument is a descriptor. */
static const struct {
    long nr;
    const char *name;
    int on_fd;
} calls[] = {
    {SYS_read, "read", 1}, {SYS_write, "write", 1}, {SYS_recvfrom, "recv", 1},
    {SYS_sendto, "send", 1}, {SYS_recvmsg, "recvmsg", 1}, {SYS_sendmsg, "sendmsg", 1},
    {SYS_accept, "accept", 1}, {SYS_accept4, "accept", 1}, {SYS_connect, "connect", 1},
    {SYS_readv, "readv", 1}, {SYS_writev, "writev", 1},
#ifdef SYS_poll
    {SYS_poll, "poll", 0},
#endif
#ifdef SYS_select
    {SYS_select, "select", 0},
#endif
#ifdef SYS_pause
    {SYS_pause, "pause", 0},
#endif
#ifdef SYS_epoll_wait
    {SYS_epoll_wait, "epoll_wait", 1},
#endif
    {SYS_ppoll, "poll", 0}, {SYS_pselect6, "select", 0}, {SYS_epoll_pwait, "epoll_wait", 1},
    {SYS_nanosleep, "sleep", 0}, {SYS_clock_nanosleep, "sleep", 0}, {SYS_wait4, "wait", 0},
    {SYS_waitid, "wait", 0}, {SYS_futex, "a lock or condition variable (futex)", 0},
    {SYS_rt_sigsuspend, "sigsuspend", 0}, {SYS_rt_sigtimedwait, "sigwait", 0},
    {SYS_sched_yield, "sched_yield(), over and over (a spin lock)", 0},
};

void blk_describe(pid_t pid, char *buf, size_t bufsz)
{
    char path[64], line[256];
    buf[0] = '\0';
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = read(fd, line, sizeof line - 1);
    close(fd);
    if (n <= 0)
        return;
    line[n] = '\0';
    if (strncmp(line, "running", 7) == 0) {
        snprintf(buf, bufsz, "busy computing (a loop that never ends?)");
        return;
    }
    char *end;
    long nr = strtol(line, &end, 10), arg0 = strtol(end, NULL, 16);
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        if (calls[i].nr != nr)
            continue;
        if (calls[i].on_fd)
            snprintf(buf, bufsz, "blocked in %s() on descriptor %ld", calls[i].name, arg0);
        else
            snprintf(buf, bufsz, "blocked in %s%s", calls[i].name,
                     strchr(calls[i].name, ' ') ? "" : "()");
        return;
    }
    if (nr >= 0)
        snprintf(buf, bufsz, "blocked in system call %ld", nr);
}
