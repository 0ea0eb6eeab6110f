/* bigoutput.c - 100 MB of output: addr_htons() prints 100,000,000 bytes
 * on stdout (once per process), then a last line, then returns a wrong
 * answer. The report keeps the end, bounded.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <string.h>

uint16_t addr_htons(uint16_t host)
{
    static const char end[] = "hostile: the end of 100 MB of output\n";
    static char line[100000];
    static int done;

    (void)host;
    hostile_mark();
    if (done++)
        return 0;
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    for (int i = 0; i < 1000; i++)
        for (size_t off = 0; off < sizeof line;) {
            ssize_t n = write(1, line + off, sizeof line - off);

            if (n <= 0)
                return 0;
            off += (size_t)n;
        }
    if (write(1, end, sizeof end - 1) < 0)
        return 0;
    return 0;
}
