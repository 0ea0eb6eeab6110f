/* fx-udp-echo.c - a correct UDP echo server for the fault injectors'
 * self-tests: each datagram goes back to its sender unchanged. -b ADDR
 * -p PORT, one "listening on" line, SIGTERM ends it with status 0. */
#include <sys/socket.h>
#include <unistd.h>

#include "common/fx.h"

int main(int argc, char **argv)
{
    static char buf[65536];
    const char *host, *port;
    fx_options(argc, argv, &host, &port);
    fx_on_stop();
    int fd = fx_bind_udp(host, port);
    while (!fx_stopped()) {
        struct sockaddr_storage from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
        if (n >= 0)
            sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
    }
    close(fd);
    return 0;
}
