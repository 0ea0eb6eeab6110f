# Lesson 06: the programs. Each NAME has its main() in IMPL/06-concurrency/NAME.c;
# the other .c files there are the lesson's library, linked into the
# programs and into the tests: concurrency.c and framework.c (the tasks),
# server.c and echo.c (what the four servers share, given whole).
06-concurrency_PROGRAMS := fork-echo-server thread-echo-server pool-echo-server \
                           udp-framework-echo-server
# Its servers run threads: make test grades the solution under
# ThreadSanitizer too (SAN=thread), where a data race is the verdict.
06-concurrency_TSAN := 1
