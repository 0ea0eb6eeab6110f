/* fx-udp-client.c - a correct UDP echo client for the fault injectors'
 * self-tests, as the lessons' udp-echo-client: `fx-udp-client HOST PORT
 * [-t MS] [-r RETRIES]` sends each stdin line as a datagram and prints the
 * reply. It waits MS ms for the reply (default 100), sends again up to
 * RETRIES times (default 10), and takes only a datagram equal to what it
 * sent: late and doubled replies to earlier lines are thrown away. */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/fx.h"

/* Waits up to ms for a datagram equal to line[0, len); 1 if it came. */
static int await_echo(int fd, const char *line, size_t len, int ms)
{
    char buf[65536];
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, ms) <= 0)
            return 0; /* ms restarts after a stale datagram: good enough here */
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n == (ssize_t)len && memcmp(buf, line, len) == 0)
            return 1;
    }
}

int main(int argc, char **argv)
{
    char line[4096];
    int ms = 100, retries = 10;
    fx_client_options(argc, argv, &ms, &retries);
    int fd = fx_connect(argv[1], argv[2], SOCK_DGRAM);
    if (fd < 0) {
        fprintf(stderr, "fx-udp-client: cannot reach %s %s\n", argv[1], argv[2]);
        return 1;
    }
    for (int n = 1; fgets(line, sizeof line, stdin); n++) {
        size_t len = strcspn(line, "\n");
        int tries = 0, ok = 0;
        while (!ok && tries++ <= retries) {
            send(fd, line, len, 0);
            ok = await_echo(fd, line, len, ms);
        }
        if (!ok) {
            fprintf(stderr, "fx-udp-client: no reply to line %d after %d tries\n", n, tries - 1);
            return 1;
        }
        printf("%.*s\n", (int)len, line);
        fflush(stdout);
    }
    close(fd);
    return 0;
}
