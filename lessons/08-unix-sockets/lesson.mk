# Lesson 08: the programs. Each NAME has its main() in IMPL/08-unix-sockets/NAME.c;
# the other .c files there are the lesson's library, linked into the
# programs and into the tests: unix.c (the tasks) and server.c (the
# plumbing of unix-echo-server, given whole).
08-unix-sockets_PROGRAMS := unix-echo-server unix-echo-client
