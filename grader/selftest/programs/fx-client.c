/* fx-client.c - a correct line client for the fault injectors' self-tests,
 * as the lessons' echo-client: `fx-client HOST PORT` sends each stdin line
 * and prints the line that comes back. A reset or a close by the server is
 * said in one line on stderr, exit 1; SIGPIPE never kills it. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/fx.h"

int main(int argc, char **argv)
{
    char line[4096], reply[4096];
    fx_client_options(argc, argv, NULL, NULL);
    int fd = fx_connect(argv[1], argv[2], SOCK_STREAM);
    if (fd < 0)
        return fx_fail("connect");
    while (fgets(line, sizeof line, stdin)) {
        if (fx_send_all(fd, line, strlen(line)) < 0)
            return fx_fail("send");
        ssize_t n = fx_read_line(fd, reply, sizeof reply);
        if (n < 0)
            return fx_fail("recv");
        if (n == 0) {
            fprintf(stderr, "fx-client: recv: the server closed the connection\n");
            return 1;
        }
        fwrite(reply, 1, (size_t)n, stdout);
        fflush(stdout);
    }
    close(fd);
    return 0;
}
