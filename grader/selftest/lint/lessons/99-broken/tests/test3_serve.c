/* Task 3 of the lint's fixture: tests that drive a program. */
#include "broken.h"
#include "sl_test.h"

SL_TASK_PROGRAMS(3, "Serving");

/* PLANTED: a programs test that calls a function of the header. */
SL_TEST(serve_adds, 1, "brk-server must add what it is sent.")
{
    SL_ASSERT_INT_EQ(brk_add(1, 2), 3);
}
