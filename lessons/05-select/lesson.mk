# Lesson 05: the programs. Each NAME has its main() in IMPL/05-select/NAME.c;
# the other .c files there are the lesson's library, linked into the
# programs and into the tests: select.c (the tasks) and server.c (what the
# three servers share, given whole).
05-select_PROGRAMS := select-echo-server poll-echo-server chat-server
