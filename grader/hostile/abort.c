/* abort.c - abort(): addr_htons() gives up.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

uint16_t addr_htons(uint16_t host)
{
    (void)host;
    hostile_mark();
    abort();
}
