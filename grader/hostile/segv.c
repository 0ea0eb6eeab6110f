/* segv.c - a segfault: addr_htons() writes to an address nothing maps.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <stdint.h>

uint16_t addr_htons(uint16_t host)
{
    volatile uint16_t *nowhere = (volatile uint16_t *)(uintptr_t)0x10;

    hostile_mark();
    *nowhere = host;
    return host;
}
