# Lesson 04: the programs. Each NAME has its main() in IMPL/04-udp/NAME.c;
# the other .c files there (udp.c) are the lesson's library, linked into
# the programs and into the tests.
04-udp_PROGRAMS := udp-echo-server udp-echo-client
