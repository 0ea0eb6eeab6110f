/* ctor-daemon.c - a daemon from code that runs before main(): a
 * constructor double-forks one that stays (a session of its own, the
 * polite signals ignored) in every process of the test binary: the probe
 * and each test. Each must be gone when its test is.
 * adds: skeletons/01-addressing/hostile.c */
#include "hostile_mark.h"

#include <signal.h>
#include <sys/wait.h>

__attribute__((constructor)) static void hostile_daemon(void)
{
    int ready[2];
    char c;
    pid_t pid;

    if (pipe(ready) < 0)
        return;
    pid = fork();
    if (pid == 0) {
        setsid();
        if (fork() != 0)
            _exit(0);
        if (chdir("/") < 0)
            _exit(1);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        signal(SIGINT, SIG_IGN);
        hostile_mark();
        if (write(ready[1], "", 1) < 0)
            _exit(1);
        close(ready[1]);
        close(ready[0]);
        for (int fd = 0; fd < 1024; fd++)
            close(fd); /* the grader's descriptors too: it must not wait on them */
        for (;;)
            pause();
    }
    close(ready[1]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    if (read(ready[0], &c, 1) < 0)
        c = 0;
    close(ready[0]);
}
