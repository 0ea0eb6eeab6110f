/* ctor-spin.c - a busy loop before main(): a constructor that never
 * returns, in every process of the lesson's test binary.
 * adds: skeletons/01-addressing/hostile.c */
#include "hostile_mark.h"

__attribute__((constructor)) static void hostile_spin(void)
{
    volatile unsigned long n = 0;

    hostile_mark();
    for (;;)
        n++;
}
