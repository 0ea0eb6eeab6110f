/* fakeerror.c - a forged "grader error" record: addr_htons() writes an
 * 'E' record (what the supervisor's side sends when a test cannot be set
 * up) into every descriptor, then returns a wrong answer. The failure is
 * the student's: the report must not blame the grader for it.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <string.h>

uint16_t addr_htons(uint16_t host)
{
    static const char why[] = "cannot isolate the test: the sandbox broke (hostile)";
    char rec[5 + sizeof why];
    uint32_t n = (uint32_t)strlen(why);

    (void)host;
    hostile_mark();
    rec[0] = 'E';
    memcpy(rec + 1, &n, 4);
    memcpy(rec + 5, why, n);
    for (int fd = 3; fd < 1024; fd++)
        if (write(fd, rec, 5 + n) < 0)
            continue;
    return 0;
}
