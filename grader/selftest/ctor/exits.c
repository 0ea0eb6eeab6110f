/* exits.c - a constructor that calls exit(0). */
#include <stdlib.h>

__attribute__((constructor)) static void exits(void)
{
    exit(0);
}
