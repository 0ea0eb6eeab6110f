# PLANTED: brk-client has no main file in the skeleton nor in the solution.
99-broken_PROGRAMS := brk-server \
                      brk-client
