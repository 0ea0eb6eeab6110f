/* fx-dies-forked.c - a server that fails before it listens, as fx-dies
 * does, but after starting a child that keeps its stdout and stderr open
 * (for up to 10 s; the test's end kills it sooner). The server's own exit
 * is what counts: its pipes stay open. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        sleep(10);
        _exit(0);
    }
    fprintf(stderr, "fx-dies-forked: bind: Address already in use\n");
    return 1;
}
