/* prog-bigoutput.c - 100 MB of output from a program: the greet server
 * prints 100,000,000 bytes on stderr, then "listening on" where it truly
 * listens, then stops at its unfinished part (a TODO()) with the first
 * client. The test, which drains what its programs print while it waits
 * for the listening line, must keep within its bounds and its time, and
 * still see the TODO().
 * becomes: skeletons/03-tcp/greet-server.c */
#include "hostile_prog.h"

int main(int argc, char **argv)
{
    static char line[100000];
    const char *host, *port;
    int lfd;

    hostile_args(argc, argv, &host, &port);
    hostile_mark();
    lfd = hostile_listen(host, port);
    if (lfd < 0) {
        fprintf(stderr, "greet-server: listen on %s port %s: %s\n", host, port, strerror(errno));
        return 1;
    }
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    for (int i = 0; i < 1000; i++)
        if (fwrite(line, 1, sizeof line, stderr) != sizeof line)
            break;
    hostile_say_where(lfd);
    return hostile_serve(lfd);
}
