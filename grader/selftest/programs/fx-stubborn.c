/* fx-stubborn.c - a server that does not stop on SIGTERM. It takes no
 * options: 127.0.0.1, any port. */
#include <signal.h>
#include <unistd.h>

#include "common/fx.h"

int main(void)
{
    signal(SIGTERM, SIG_IGN);
    fx_listen("127.0.0.1", "0");
    for (;;)
        pause();
}
