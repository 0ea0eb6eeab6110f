/* spin.c - a constructor that burns CPU for ever. */
#include "alive.h"

#include <unistd.h>

__attribute__((constructor)) static void spin(void)
{
    alive_note();
    for (volatile unsigned long i = 0;; i++)
        ;
}
