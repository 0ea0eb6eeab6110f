/* memhog.c - a memory hog: asked for 8080 (which only htons_matches_libc
 * asks), addr_htons() takes memory 16 MiB at a time, touching every byte,
 * until malloc() says no, then gives it back; it returns a wrong answer.
 * The grader's bound must stop the hog near 1 GiB, before it swaps the
 * machine, and the test must still end with its failed checks.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <stdio.h>
#include <string.h>

enum { HOSTILE_CHUNK = 16 << 20, HOSTILE_MOST = 4096 }; /* at most 64 GiB */
static char *hostile_kept[HOSTILE_MOST];

uint16_t addr_htons(uint16_t host)
{
    static int done;
    size_t n = 0;

    hostile_mark();
    if (host != 8080 || done++)
        return 0;
    while (n < HOSTILE_MOST) {
        char *p = malloc(HOSTILE_CHUNK);

        if (!p)
            break;
        memset(p, 0xa5, HOSTILE_CHUNK);
        hostile_kept[n++] = p;
    }
    printf("hostile: memhog held %zu MiB when malloc() said no\n", n * (HOSTILE_CHUNK >> 20));
    while (n > 0)
        free(hostile_kept[--n]);
    return 0;
}
