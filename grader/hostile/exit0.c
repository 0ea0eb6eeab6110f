/* exit0.c - exit(0) in the middle of a test: addr_htons() ends the
 * process with the status of success.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <stdio.h>

uint16_t addr_htons(uint16_t host)
{
    (void)host;
    hostile_mark();
    printf("hostile: all done, bye\n");
    exit(0);
}
