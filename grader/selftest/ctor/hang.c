/* hang.c - a constructor that sleeps for ever. */
#include "alive.h"

#include <unistd.h>

__attribute__((constructor)) static void hang(void)
{
    alive_note();
    for (;;)
        pause();
}
