/**
 * @file broken.h
 * @brief The API of the lint's fixture lesson: every planted problem is
 *        named in a comment next to it.
 */
#ifndef BROKEN_H
#define BROKEN_H

/** @name Task 1: adding
 * @{ */

/** @brief a + b: clean (a TODO and a test). */
int brk_add(int a, int b);

/** @brief a - b. PLANTED: the skeleton implements it, with no TODO(). */
int brk_sub(int a, int b);

/** @brief -a: clean. */
int brk_neg(int a);

/** @} */

/** @name Task 2: multiplying numbers
 * PLANTED: the README's title is "Multiplying".
 * @{ */

/** @brief a * b. PLANTED: no test calls it. */
int brk_mul(int a, int b);

/** @brief a / b. PLANTED: the skeleton does not define it. */
int brk_div(int a, int b);

/** @} */

/** @name Task 4: extra
 * PLANTED: the README has no Task 4.
 * @{ */
/** @} */

/** @name Task 5: untested
 * @{ */
/** @} */

#endif
