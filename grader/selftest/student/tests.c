/* tests.c - one test per mistake of student.c. */
#include "sl_test.h"
#include "student.h"

SL_TASK(1, "sanitizer verdicts");

SL_TEST(heap_overflow, 1, "fixture: a write past a heap block")
{
    SL_HINT("fixture: the hint of the block the sanitizer stopped in")
    {
        SL_ASSERT_INT_EQ(student_copy("127.0.0.1"), 9);
    }
}

SL_TEST(null_dereference, 1, "fixture: a read through NULL")
{
    SL_ASSERT_INT_EQ(student_null(), 0);
}

SL_TEST(bad_shift, 1, "fixture: 255 << 24 in an int")
{
    SL_ASSERT_INT_EQ(student_shift(255), 0xff000000u);
}

SL_TEST(leak, 1, "fixture: 46 bytes never freed")
{
    student_leak();
}
