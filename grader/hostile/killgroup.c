/* killgroup.c - killing its own process group: addr_htons() sends
 * SIGKILL to every process of its group, itself included.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <signal.h>

uint16_t addr_htons(uint16_t host)
{
    (void)host;
    hostile_mark();
    kill(0, SIGKILL);
    return 0;
}
