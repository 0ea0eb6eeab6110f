# PLANTED: brk-client has no main file in the skeleton (a solution without
# one builds the skeleton's).
99-broken_PROGRAMS := brk-server \
                      brk-client
