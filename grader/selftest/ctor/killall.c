/* killall.c - a constructor that kills every process it may: kill(-1).
 * Only run where tests have namespaces of their own, or as root (tests
 * then run under uids of their own): elsewhere it would end the user's
 * whole session. */
#include <signal.h>

__attribute__((constructor)) static void killall(void)
{
    kill(-1, SIGKILL);
}
