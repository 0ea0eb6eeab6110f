/* fx-chatty.c - a server that prints a line of its own before its
 * "listening on" line: against the contract (exactly one line, that one).
 * It takes no options: 127.0.0.1, any port. */
#include <stdio.h>
#include <unistd.h>

#include "common/fx.h"

int main(void)
{
    printf("starting up...\n");
    fx_listen("127.0.0.1", "0");
    pause();
    return 0;
}
