/* spin.c - a busy loop in a test: addr_htons() never returns and burns
 * all the CPU it is given.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

uint16_t addr_htons(uint16_t host)
{
    volatile unsigned long n = host;

    hostile_mark();
    for (;;)
        n++;
}
