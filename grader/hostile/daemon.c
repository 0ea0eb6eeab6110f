/* daemon.c - a daemon that double-forks and stays: addr_htons() starts
 * one (a session of its own, its folder /, every descriptor closed, the
 * polite signals ignored) and waits until it runs, then returns a wrong
 * answer. The grader must end it with the test.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <signal.h>
#include <sys/wait.h>

uint16_t addr_htons(uint16_t host)
{
    int ready[2];
    char c;
    pid_t pid;

    (void)host;
    if (pipe(ready) < 0)
        return 0;
    pid = fork();
    if (pid == 0) {
        setsid();
        if (fork() != 0)
            _exit(0);
        if (chdir("/") < 0)
            _exit(1);
        for (int fd = 0; fd < 1024; fd++)
            if (fd != ready[1])
                close(fd);
        open("/dev/null", O_RDWR);
        dup2(0, 1);
        dup2(0, 2);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        signal(SIGINT, SIG_IGN);
        hostile_mark(); /* a lock of its own: the descriptors are closed */
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
    close(ready[0]);
    return 0;
}
