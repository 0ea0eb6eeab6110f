/* fx-dies.c - a server that fails before it listens, as one whose port is
 * taken does: one line on stderr, exit 1. */
#include <stdio.h>

int main(void)
{
    fprintf(stderr, "fx-dies: bind: Address already in use\n");
    return 1;
}
