# Lesson 07: the programs. Each NAME has its main() in IMPL/07-event-loop/NAME.c;
# the other .c files there are the lesson's library, linked into the
# programs and into the tests: loop.c, backend_*.c, proto.c and line.c (the
# tasks, and the given select and kqueue backends), backends.c and
# server.c (given whole).
07-event-loop_PROGRAMS := reactor-echo-server reactor-chat-server
