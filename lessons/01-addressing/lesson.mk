# Lesson 01: its program. explore (lessons/01-addressing/explore.c, given
# whole: it uses the C library only) prints what the C library makes of
# addresses as text; see the README, "Explore first". Built into
# build/IMPL/bin/ like a lesson's programs.
01-addressing_GIVEN := explore
