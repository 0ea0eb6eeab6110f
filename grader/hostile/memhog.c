/* memhog.c - a memory hog: asked for 8080 (which only htons_matches_libc
 * asks), addr_htons() takes memory 16 MiB at a time, touching every page
 * (so the memory is really held, at the cost of a fault per page, not of
 * a memset of 1 GiB that a loaded machine makes slower than the test's
 * timeout), until malloc() says no, then gives it back; it returns a wrong
 * answer.
 * The grader's bound must stop the hog near 1 GiB, before it swaps the
 * machine, and the test must still end with its failed checks.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <stdio.h>

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
        for (size_t i = 0; i < HOSTILE_CHUNK; i += 4096)
            p[i] = (char)0xa5;
        hostile_kept[n++] = p;
    }
    printf("hostile: memhog held %zu MiB when malloc() said no\n", n * (HOSTILE_CHUNK >> 20));
    while (n > 0)
        free(hostile_kept[--n]);
    return 0;
}
