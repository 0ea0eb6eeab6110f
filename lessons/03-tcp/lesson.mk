# Lesson 03: the programs. Each NAME has its main() in IMPL/03-tcp/NAME.c;
# the other .c files there are the lesson's library, linked into the
# programs and into the tests: tcp.c (the tasks) and server.c (what the two
# servers share, given whole).
03-tcp_PROGRAMS := greet-server echo-server echo-client
