/* fakerecords.c - forged report records: addr_htons() writes "main()
 * reached" and "done" records, with nonces it guesses, into every
 * descriptor it has (the report socket among them), then _exit(0)s.
 * Without the nonce no record of its own can make a pass.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <string.h>

uint16_t addr_htons(uint16_t host)
{
    char rec[5 + 16];

    (void)host;
    hostile_mark();
    for (int fd = 0; fd < 1024; fd++) {
        rec[0] = 'B';
        memset(rec + 1, 0, 4);
        if (write(fd, rec, 5) < 0)
            continue;
        rec[0] = 'D'; /* an empty nonce, then guesses of 16 hex digits */
        if (write(fd, rec, 5) < 0)
            continue;
        for (char g = '0'; g <= 'f'; g = (char)(g == '9' ? 'a' : g + 1)) {
            uint32_t n = 16;

            rec[0] = 'D';
            memcpy(rec + 1, &n, 4);
            memset(rec + 5, g, 16);
            if (write(fd, rec, sizeof rec) < 0)
                break;
        }
    }
    _exit(0);
}
