/* sleeps.c - a constructor that sleeps longer than any test may take. */
#include "alive.h"

#include <unistd.h>

__attribute__((constructor)) static void sleeps(void)
{
    alive_note();
    sleep(30);
}
