/* prog-fixedport.c - a bind to a fixed port that collides: the greet
 * server ignores -p and binds port 5555, which an old copy of itself holds
 * (forked first, as if left from an earlier run: a session of its own, no
 * output, deaf to SIGTERM). The server then fails with EADDRINUSE at once;
 * the old copy must not outlive the test.
 * becomes: skeletons/03-tcp/greet-server.c */
#include "hostile_prog.h"

int main(int argc, char **argv)
{
    const char *host, *port;
    int ready[2], lfd;
    char c;

    hostile_args(argc, argv, &host, &port);
    hostile_mark();
    if (pipe(ready) < 0)
        return 1;
    if (fork() == 0) { /* the old copy: holds the port (if it is free) for ever */
        int null = open("/dev/null", O_RDWR);

        setsid();
        signal(SIGTERM, SIG_IGN);
        close(ready[0]);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        lfd = hostile_listen(host, "5555");
        if (write(ready[1], "", 1) < 0)
            _exit(1);
        close(ready[1]);
        for (;;)
            pause();
    }
    close(ready[1]);
    if (read(ready[0], &c, 1) < 0)
        c = 0;
    close(ready[0]);
    lfd = hostile_listen(host, "5555");
    if (lfd < 0) {
        fprintf(stderr, "greet-server: listen on %s port 5555: %s\n", host, strerror(errno));
        return 1;
    }
    hostile_say_where(lfd);
    return hostile_serve(lfd);
}
