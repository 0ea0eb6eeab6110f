# Lesson 01: its program. explore (IMPL/01-addressing/explore.c) prints
# what the C library makes of addresses as text; see the README, "Explore
# first". addressing.c is the lesson's library, linked into it and the tests.
01-addressing_PROGRAMS := explore
