/* overflow.c - a constructor that writes one byte past a heap block. */
#include <stdlib.h>

__attribute__((constructor)) static void overflow(void)
{
    volatile size_t n = 8;
    volatile char *p = malloc(8);
    if (p)
        p[n] = 'x';
    free((void *)p);
}
