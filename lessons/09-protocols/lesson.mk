# Lesson 09: the programs. Each NAME has its main() in IMPL/09-protocols/NAME.c;
# the other .c files there are the lesson's library, linked into the
# programs and into the tests: url.c, http.c and gopher.c (the tasks) and
# net.c (a connection with time limits, given whole).
09-protocols_PROGRAMS := http-get gopher-get
