/* tests.c - the tests of a pretend lesson whose "student code" is one
 * constructor from this folder (one behaviour per file): it runs before
 * main() in every test process. Built twice: alone (the listing, as
 * build/meta/ is for a lesson) and with each constructor. */
#include "sl_test.h"

SL_TASK(1, "constructors: code that runs before main()");

SL_TEST(ctor_passes, 1, "fixture: passes once main() is reached")
{
    SL_ASSERT_INT_EQ(1 + 1, 2);
}

SL_TEST(ctor_fails, 1, "fixture: fails once main() is reached")
{
    SL_ASSERT_INT_EQ(1 + 1, 3);
}
