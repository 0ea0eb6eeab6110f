/* Task 2 of the lint's fixture: its tests never call brk_mul(). */
#include "broken.h"
#include "sl_test.h"

SL_TASK(2, "Multiplying");

SL_TEST(mul_nothing, 1, "Nothing to do: this test calls no function of the lesson.")
{
    SL_ASSERT_INT_EQ(2 * 3, 6);
}
