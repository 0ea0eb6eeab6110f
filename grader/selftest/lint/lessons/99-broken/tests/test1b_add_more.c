/* More of task 1. */
#include "broken.h"
#include "sl_test.h"

/* PLANTED: the README calls task 1 "Adding". */
SL_TASK(1, "Addition");

/* PLANTED: test1_add.c has a test of this name. */
SL_TEST(add_small, 1, "brk_add(1, 1) is 2.")
{
    SL_ASSERT_INT_EQ(brk_add(1, 1), 2);
}
