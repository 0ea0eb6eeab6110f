/* tests.c - one test per mistake of student.c. */
#include "sl_test.h"
#include "student.h"

#include <stdlib.h>

SL_TASK(1, "sanitizer verdicts");

/* This pretend lesson gives a hint of its own for an overflow, and wants
 * no errno hints. */
SL_LESSON_SANITIZER_HINT("overflow", "fixture: the lesson's hint for an overflow");
SL_LESSON_NO_ERRNO_HINTS();

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

SL_TEST(leak_twice, 1, "fixture: 2 x 46 bytes never freed, at the same place")
{
    student_leak();
    student_leak();
}

SL_TEST(leak_after_failure, 1, "fixture: a failed check, then a leak at the end")
{
    student_leak();
    SL_FAIL("fixture: a check that fails");
}

/* The test body allocates (a test helper in this folder would count as
 * the student's: here the student's sources and the tests share it), and
 * the pointer is lost with the body's frame. */
SL_TEST(own_leak_after_failure, 1, "fixture: the test allocates, then stops at a failure")
{
    char *volatile p = malloc(6672);
    if (p)
        p[0] = 1;
    SL_FAIL_FATAL("fixture: a check that fails");
}

SL_TEST(own_leak_passes, 1, "fixture: the test allocates and forgets it; the code is right")
{
    char *volatile p = malloc(100);
    if (p)
        p[0] = 1;
    SL_ASSERT_INT_EQ(1 + 1, 2);
}

SL_TEST(crash_deep_in_libc, 1, "fixture: freeaddrinfo() of junk")
{
    SL_ASSERT_INT_EQ(student_free_junk(), 0);
}

SL_TEST(fails_with_an_errno, 1, "fixture: a step failed with ECONNREFUSED")
{
    sl_fail_errno_at(__FILE__, __LINE__, 0, ECONNREFUSED, "connect to 127.0.0.1:9: "
                     "Connection refused");
}
