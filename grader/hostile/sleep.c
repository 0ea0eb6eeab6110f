/* sleep.c - a sleep in a test: addr_htons() ignores the polite signals
 * and sleeps for ever.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <signal.h>

uint16_t addr_htons(uint16_t host)
{
    (void)host;
    hostile_mark();
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGALRM, SIG_IGN);
    for (;;)
        sleep(1000);
}
