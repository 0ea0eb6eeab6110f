/* PLANTED: the README has no task 7. */
#include "broken.h"
#include "sl_test.h"

SL_TASK(7, "Ghost");

SL_TEST(ghost_neg, 1, "brk_neg(0) is 0.")
{
    SL_ASSERT_INT_EQ(brk_neg(0), 0);
}
