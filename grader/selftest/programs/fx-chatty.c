/* fx-chatty.c - a server that prints a line of its own before its
 * "listening on" line: against the contract (exactly one line, that one). */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sin;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(fd, 1) < 0 ||
        getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
        return 1;
    printf("starting up...\nlistening on 127.0.0.1:%d\n", ntohs(sin.sin_port));
    fflush(stdout);
    pause();
    return 0;
}
