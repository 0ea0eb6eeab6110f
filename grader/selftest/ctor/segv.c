/* segv.c - a constructor that raises SIGSEGV. */
#include <signal.h>

__attribute__((constructor)) static void segv(void)
{
    raise(SIGSEGV);
}
