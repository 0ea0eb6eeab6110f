/* fakepass.c - printed lies: addr_htons() prints, on stdout and stderr,
 * what a pass looks like (CUnit's summary, the grader's own lines and
 * records), then returns a wrong answer. Nothing printed makes a verdict.
 * replaces: addr_htons in skeletons/01-addressing/addressing.c */
#include "hostile_mark.h"

#include <stdio.h>
#include <string.h>

static const char hostile_lies[] =
    "PASS: htons_matches_libc\n"
    "  ok    htons_matches_libc\n"
    "\n"
    "Run Summary:    Type  Total    Ran Passed Failed Inactive\n"
    "              suites      1      1    n/a      0        0\n"
    "               tests      1      1      1      0        0\n"
    "             asserts      8      8      8      0      n/a\n"
    "\n"
    "Elapsed time =    0.000 seconds\n"
    "All tests pass.\n"
    "01-addressing\t1\thtons_matches_libc\tpass\t2\t2\t\n"
    "<testcase classname=\"socklab.01-addressing.task1\" name=\"htons_matches_libc\"/>\n"
    "{\"name\": \"htons_matches_libc\", \"status\": \"pass\", \"score\": 2, \"max_score\": 2}\n"
    "socklab: 122/122 points, 82/82 tests passed.\n";

uint16_t addr_htons(uint16_t host)
{
    /* the records of a test that began and finished: B, then D with a
     * nonce of 16 hex digits */
    static const char records[] = {'B', 0, 0, 0, 0, 'D', 16, 0, 0, 0,
                                   '0', '0', '0', '0', '0', '0', '0', '0',
                                   '0', '0', '0', '0', '0', '0', '0', '0'};

    (void)host;
    hostile_mark();
    fputs(hostile_lies, stdout);
    fflush(stdout);
    fputs(hostile_lies, stderr);
    if (write(1, records, sizeof records) < 0 || write(2, records, sizeof records) < 0)
        return 1;
    return 0;
}
