/* student.h - the "lesson" of the sanitizer fixtures: functions with the
 * mistakes students make, each found by a sanitizer. */
#ifndef STUDENT_H
#define STUDENT_H

#include <stddef.h>
#include <stdint.h>

/** Copies text into a buffer one byte too small (heap overflow); its length. */
size_t student_copy(const char *text);

/** Reads through a NULL pointer. */
int student_null(void);

/** Shifts a byte into the sign bit of an int (undefined behaviour). */
uint32_t student_shift(unsigned char b);

/** Allocates and forgets (a leak). */
void student_leak(void);

/** freeaddrinfo() of a list getaddrinfo() never gave: the C library
 *  crashes inside free(), deep below the student's frame. */
int student_free_junk(void);

#endif
