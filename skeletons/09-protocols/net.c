/* net.c - lesson 09: a connection with time limits, and send-all; given
 * whole (see net.h). */
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Milliseconds on the monotonic clock. */
static long long net_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What is left until end (net_now_ms() time), 0 once it passed. */
static int net_left_ms(long long end)
{
    long long left = end - net_now_ms();

    return left > 0 ? (int)left : 0;
}

/* A non-blocking connect, finished within ms: 0, or -1 with errno. */
static int net_connect_one(int fd, const struct sockaddr *sa, socklen_t len, int ms)
{
    long long end = net_now_ms() + ms;
    struct pollfd p = {fd, POLLOUT, 0};
    int flags = fcntl(fd, F_GETFL), err = 0, n;
    socklen_t errlen = sizeof err;

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -1;
    if (connect(fd, sa, len) < 0 && errno != EINPROGRESS)
        return -1;
    do
        n = poll(&p, 1, net_left_ms(end));   /* after EINTR, only what is left */
    while (n < 0 && errno == EINTR);
    if (n == 0)
        return errno = ETIMEDOUT, -1;
    if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0)
        return -1;
    if (err != 0)
        return errno = err, -1;
    return fcntl(fd, F_SETFL, flags);
}

/* SO_RCVTIMEO and SO_SNDTIMEO of ms. */
static int net_set_timeouts(int fd, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0)
        return -1;
    return setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

int net_connect(const char *host, int port, char *why, size_t whysz)
{
    struct addrinfo hints, *res, *ai;
    char service[8];
    int fd = -1, rc, err = 0;

    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof service, "%d", port);
    rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0) {
        snprintf(why, whysz, "lookup %s: %s", host,
                 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd >= 0 && net_connect_one(fd, ai->ai_addr, ai->ai_addrlen, NET_CONNECT_MS) == 0 &&
            net_set_timeouts(fd, NET_IO_MS) == 0)
            break;
        err = errno;
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        snprintf(why, whysz, "connect to %s port %d: %s", host, port, strerror(err));
    return fd;
}

int net_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
