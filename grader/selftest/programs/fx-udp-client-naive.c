/* fx-udp-client-naive.c - a broken UDP echo client for the fault
 * injectors' self-tests: as fx-udp-client (`HOST PORT [-t MS] [-r
 * RETRIES]`, each stdin line a datagram, the reply printed), but it sends
 * each line once, whatever -r says, and takes the first datagram that
 * comes for the reply: a lost datagram ends it, a doubled one is printed
 * as the reply to the next line (sl-udp-relay shows both). */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/fx.h"

/* The bug: the first datagram is the reply, whatever it holds. */
static ssize_t await_reply(int fd, char *buf, size_t cap, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0)
        return -1;
    return recv(fd, buf, cap, 0);
}

int main(int argc, char **argv)
{
    char line[4096];
    int ms = 100, retries = 10;
    fx_client_options(argc, argv, &ms, &retries);
    int fd = fx_connect(argv[1], argv[2], SOCK_DGRAM);
    if (fd < 0) {
        fprintf(stderr, "fx-udp-client-naive: cannot reach %s %s\n", argv[1], argv[2]);
        return 1;
    }
    (void)retries; /* the bug: never sends again */
    for (int n = 1; fgets(line, sizeof line, stdin); n++) {
        char reply[4096];
        send(fd, line, strcspn(line, "\n"), 0);
        ssize_t got = await_reply(fd, reply, sizeof reply, ms);
        if (got < 0) {
            fprintf(stderr, "fx-udp-client-naive: no reply to line %d\n", n);
            return 1;
        }
        printf("%.*s\n", (int)got, reply);
        fflush(stdout);
    }
    close(fd);
    return 0;
}
