# Lesson 02: its program, lookup (impl/02-lookup/lookup.c holds its main;
# names.c, the lesson's functions, is linked in), and a tool given whole,
# with-hosts (lessons/02-lookup/with-hosts.c, the C library only): it runs
# a command with an /etc/hosts of its own, the lab of the README. Both are
# built into build/IMPL/bin/.
02-lookup_PROGRAMS := lookup
02-lookup_GIVEN := with-hosts
