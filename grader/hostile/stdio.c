/* stdio.c - closed and redirected standard descriptors in a test: a
 * correct addr_htons() that first closes stdin, points stdout at
 * /dev/full (every write fails) and closes stderr, then prints on both.
 * The verdict must not depend on them: these tests pass.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <stdio.h>
#include <string.h>

uint16_t addr_htons(uint16_t host)
{
    uint8_t b[2] = {(uint8_t)(host >> 8), (uint8_t)(host & 0xff)};
    uint16_t net;
    int full = open("/dev/full", O_WRONLY);

    hostile_mark();
    close(0);
    if (full >= 0 && full != 1) {
        dup2(full, 1);
        close(full);
    }
    close(2);
    printf("hostile: this line goes nowhere\n");
    fflush(stdout);
    fprintf(stderr, "hostile: nor does this one\n");
    memcpy(&net, b, sizeof net);
    return net;
}
