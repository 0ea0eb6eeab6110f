/* Task 1 of the lint's fixture: one planted problem per test but the first. */
#include "broken.h"
#include "sl_test.h"

SL_TASK(1, "Adding");

SL_TEST(add_small, 1, "brk_add(2, 3) is 5.")
{
    SL_ASSERT_INT_EQ(brk_add(2, 3), 5);
}

/* PLANTED: worth no points. */
SL_TEST(add_zero_points, 0, "brk_add(0, 0) is 0.")
{
    SL_ASSERT_INT_EQ(brk_add(0, 0), 0);
}

/* PLANTED: a hint of blanks only. */
SL_TEST(add_no_hint, 1, " \t ")
{
    SL_ASSERT_INT_EQ(brk_add(-1, 1), 0);
}

SL_TEST(sub_neg_div, 1, "brk_sub(), brk_neg() and brk_div() on small numbers.")
{
    SL_ASSERT_INT_EQ(brk_sub(3, 2), 1);
    SL_ASSERT_INT_EQ(brk_neg(3), -3);
    SL_ASSERT_INT_EQ(brk_div(6, 2), 3);
}
