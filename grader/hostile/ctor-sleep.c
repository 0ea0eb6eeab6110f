/* ctor-sleep.c - a sleep before main(): a constructor that blocks every
 * signal it can and sleeps for ever.
 * adds: skeletons/01-addressing/hostile.c */
#include "hostile_mark.h"

#include <signal.h>

__attribute__((constructor)) static void hostile_sleep(void)
{
    sigset_t all;

    hostile_mark();
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    for (;;)
        sleep(1000);
}
