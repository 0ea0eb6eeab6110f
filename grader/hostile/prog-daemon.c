/* prog-daemon.c - a program that double-forks a daemon and stays: the
 * greet server says where it listens, then leaves a daemon behind (a
 * session of its own, its folder /, every descriptor closed, deaf to
 * SIGTERM and SIGHUP) and exits at once. The daemon must not outlive the
 * test.
 * becomes: skeletons/03-tcp/greet-server.c */
#include "hostile_prog.h"

int main(int argc, char **argv)
{
    const char *host, *port;
    int ready[2], lfd;
    char c;
    pid_t pid;

    hostile_args(argc, argv, &host, &port);
    lfd = hostile_listen(host, port);
    if (lfd < 0 || pipe(ready) < 0)
        return 1;
    hostile_say_where(lfd);
    pid = fork();
    if (pid == 0) {
        setsid();
        if (fork() != 0)
            _exit(0);
        if (chdir("/") < 0)
            _exit(1);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        for (int fd = 0; fd < 1024; fd++)
            if (fd != ready[1])
                close(fd);
        hostile_mark();
        if (write(ready[1], "", 1) < 0)
            _exit(1);
        close(ready[1]);
        for (;;)
            pause();
    }
    close(ready[1]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    if (read(ready[0], &c, 1) < 0)
        c = 0;
    return 0;
}
