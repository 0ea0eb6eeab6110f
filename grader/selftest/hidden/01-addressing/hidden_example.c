/* hidden_example.c - a teacher's hidden test, as the C files of hidden/NN-topic/ in a
 * teacher's tree holds them (make dist leaves hidden/ out). It is built
 * into lesson 01's tests like the others, marked hidden: Gradescope shows
 * it after the due date. make test builds it with HIDDEN=grader/selftest/hidden
 * to prove the mechanism; it includes the lesson's header like any test. */
#include <arpa/inet.h>

#include "addressing.h"
#include "sl_test.h"

SL_TASK(1, "Byte order by hand");

SL_TEST(hidden_htonl_of_an_address, 1,
        "addr_htonl() of 0x7f000001 (127.0.0.1) puts 7f first in memory.")
{
    uint32_t n = addr_htonl(0x7f000001u);
    SL_CHECK_BYTES("addr_htonl(0x7f000001)", &n, 4, "\x7f\x00\x00\x01", 4);
}
