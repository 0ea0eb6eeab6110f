/* ctor-stdio.c - closed and redirected standard descriptors before
 * main(): a constructor leaves stdin on /dev/zero, stdout on /dev/full
 * and stderr closed, in every process of the test binary. The grader's
 * own descriptor is left alone, so every test still runs (to its TODO()).
 * adds: skeletons/01-addressing/hostile.c */
#include "hostile_mark.h"

__attribute__((constructor)) static void hostile_stdio(void)
{
    int zero, full;

    hostile_mark();
    close(0);
    close(1);
    close(2);
    zero = open("/dev/zero", O_RDONLY); /* becomes 0 */
    full = open("/dev/full", O_WRONLY); /* becomes 1; 2 stays closed */
    (void)zero;
    (void)full;
}
