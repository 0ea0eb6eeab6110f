/* prog-nolisten.c - a server that never prints "listening on": asked to
 * listen on IPv6, the greet server listens where it is told, says
 * something else on stderr, and waits for clients that cannot know where
 * it is. (On IPv4 it listens, says so, and stops at its unfinished part,
 * a TODO(), so that only the IPv6 tests spend their time waiting.) A
 * whole program: it needs nothing of the skeleton but the name.
 * becomes: skeletons/03-tcp/greet-server.c */
#include "hostile_prog.h"

int main(int argc, char **argv)
{
    const char *host, *port;
    int lfd;

    hostile_args(argc, argv, &host, &port);
    hostile_mark();
    lfd = hostile_listen(host, port);
    if (lfd < 0) {
        fprintf(stderr, "greet-server: listen on %s port %s: %s\n", host, port, strerror(errno));
        return 1;
    }
    if (!strchr(host, ':')) {
        hostile_say_where(lfd);
        return hostile_serve(lfd);
    }
    fprintf(stderr, "greet-server: up and running (where? guess)\n");
    for (;;)
        pause();
}
