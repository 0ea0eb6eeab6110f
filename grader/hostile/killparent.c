/* killparent.c - killing its parent: addr_htons() sends SIGKILL to the
 * process that started the test (the grader's supervisor), waits a
 * little, then returns a wrong answer. In a PID namespace the supervisor
 * is its init and the signal does nothing; without one the supervisor
 * dies, and the driver must say so.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <signal.h>
#include <time.h>

uint16_t addr_htons(uint16_t host)
{
    const struct timespec nap = {0, 200 * 1000 * 1000};

    (void)host;
    hostile_mark();
    kill(getppid(), SIGKILL);
    nanosleep(&nap, NULL);
    return 0;
}
