# socklab - a course in BSD socket programming in C.
# The one entry point: `make help` lists every target.

SHELL       := /bin/bash
.DEFAULT_GOAL := help

BUILD       ?= build
IMPL        ?= skeletons
FORMAT      ?= text
LESSON      ?=
OUT         ?=
JOBS        ?=
EXPECT      ?=
BIGENDIAN   ?=
HIDDEN      ?= hidden
V           ?= 0

LESSONS     := $(sort $(notdir $(wildcard lessons/[0-9][0-9]-*)))
IMPLS       := skeletons solutions
FORMATS     := text json junit tsv
MAX_JOBS    := 256

CC          ?= cc
WARNINGS    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 $(WARNINGS)
Q           := $(if $(filter 1,$(V)),,@)

# ---- sanitizers: student code is built with them unless SAN=none -----------
# The probe's answer is kept per compiler, so it runs once, not every time.
SAN_PROBE_FILE := $(BUILD)/.san-probe-$(notdir $(CC))
ifeq ($(origin SAN),undefined)
  SAN := $(shell test -s $(SAN_PROBE_FILE) && cat $(SAN_PROBE_FILE) || \
           { mkdir -p $(BUILD) && if printf 'int main(void){return 0;}\n' | \
               $(CC) -fsanitize=address,undefined -x c - -o $(BUILD)/.san-probe.out >/dev/null 2>&1; \
             then echo address,undefined; else echo none; fi | tee $(SAN_PROBE_FILE); \
             rm -f $(BUILD)/.san-probe.out; })
endif
SAN_ON      := $(filter-out none,$(SAN))
# The grader's own programs (sl-run, sl-report) are never sanitized: they
# are trusted, and never share a process with student code.
TRUSTED_CFLAGS := $(BASE_CFLAGS)
LESSON_CFLAGS  := $(BASE_CFLAGS) $(if $(SAN_ON),-fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all)
LESSON_LDFLAGS := $(if $(SAN_ON),-fsanitize=$(SAN))
LDLIBS      := -lcunit -ljansson

comma       := ,

# ---- which lessons: LESSON takes 03, 3, tcp or 03-tcp ------------------------
lesson_num   = $(firstword $(subst -, ,$(1)))
lesson_topic = $(patsubst $(call lesson_num,$(1))-%,%,$(1))
lesson_keys  = $(1) $(call lesson_num,$(1)) $(patsubst 0%,%,$(call lesson_num,$(1))) $(call lesson_topic,$(1))
lesson_find  = $(strip $(foreach l,$(LESSONS),$(if $(filter $(1),$(call lesson_keys,$(l))),$(l))))
# Each word of LESSON must name exactly one lesson ('%' is make's wildcard).
LESSON_BAD  := $(strip $(foreach w,$(LESSON),$(if $(or $(findstring %,$(w)),$(filter-out 1,$(words $(call lesson_find,$(w))))),$(w))))
SELECTED    := $(sort $(if $(LESSON),$(foreach w,$(LESSON),$(call lesson_find,$(w))),$(LESSONS)))

# The first thing wrong with the options, or nothing: said in one line by
# the target that needs them, before it does anything.
JOBS_OK     := $(if $(JOBS),$(shell [[ '$(JOBS)' =~ ^[1-9][0-9]{0,2}$$ ]] && [ '$(JOBS)' -le $(MAX_JOBS) ] && echo ok),ok)
# Lessons the course plans but this tree does not have yet.
PLANNED     := 01-addressing 02-lookup 03-tcp 04-udp 05-select 06-concurrency 07-event-loop \
               08-unix-sockets 09-protocols
LESSON_WORD := $(or $(firstword $(LESSON_BAD)),$(LESSON))
LESSON_PLAN := $(strip $(foreach l,$(filter-out $(LESSONS),$(PLANNED)),$(if $(filter $(LESSON_WORD),$(call lesson_keys,$(l))),$(l))))
ERR_LESSON  := $(if $(LESSON_BAD)$(if $(SELECTED),,none),$(if $(LESSON_PLAN),lesson $(LESSON_PLAN) is planned but not written yet: the lessons of this tree are $(LESSONS),unknown lesson '$(LESSON_WORD)': valid lessons are $(LESSONS) (or the number$(comma) or the topic alone)))
ERR_IMPL    := $(if $(filter $(IMPL),$(IMPLS)),,unknown IMPL '$(IMPL)': valid are $(IMPLS))
ERR_HANDOUT := $(if $(filter solutions,$(IMPL)),$(if $(wildcard solutions),,IMPL=solutions: this hand-out has no solutions (valid here: skeletons)))
ERR_FORMAT  := $(if $(filter $(FORMAT),$(FORMATS)),,unknown FORMAT '$(FORMAT)': valid are $(FORMATS))
ERR_JOBS    := $(if $(JOBS_OK),,JOBS=$(JOBS): give the number of tests to run at once$(comma) a whole number from 1 to $(MAX_JOBS))
ERR_SAN     := $(if $(filter none address undefined address$(comma)undefined undefined$(comma)address thread thread$(comma)undefined undefined$(comma)thread,$(SAN)),,SAN=$(SAN): valid are none$(comma) address$(comma) undefined$(comma) address$(comma)undefined and thread (ThreadSanitizer$(comma) with or without undefined))

# A variable given on the command line must be an option: `make grade
# LESON=02` would otherwise grade every lesson, silently. OPTIONS are those
# of `make help` and the README; ACCEPTED adds what the scripts pass make
# internally (QUIET, MAX_MB, ...) and the SOCKLAB_ variables of the
# environment (docs/instructor.md), which a command line exports as well.
OPTIONS      := LESSON IMPL FORMAT OUT JOBS SAN V NO_COLOR BIGENDIAN EXPECT HIDDEN \
                SUBMISSIONS TIMEOUT KEEP CONFIRM BUILD CC
ACCEPTED     := $(OPTIONS) QUIET MAX_MB QUICK CI SOCKLAB_%
UNKNOWN_VAR  := $(firstword $(filter-out $(ACCEPTED),\
                  $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(v)))))
# The option nearest to a typo (at most 2 edits apart), or nothing.
near_option   = $(shell echo '$(1) $(OPTIONS)' | awk '{ best = ""; bd = 3; \
                  for (i = 2; i <= NF; i++) { d = edits(toupper($$1), $$i); \
                    if (d < bd) { bd = d; best = $$i } } print best } \
                  function edits(a, b,   i, j, m, n, c, d, x) { m = length(a); n = length(b); \
                    for (i = 0; i <= m; i++) d[i, 0] = i; for (j = 0; j <= n; j++) d[0, j] = j; \
                    for (i = 1; i <= m; i++) for (j = 1; j <= n; j++) { \
                      c = substr(a, i, 1) != substr(b, j, 1); x = d[i-1, j-1] + c; \
                      if (d[i-1, j] + 1 < x) x = d[i-1, j] + 1; if (d[i, j-1] + 1 < x) x = d[i, j-1] + 1; \
                      d[i, j] = x } return d[m, n] }')
# Shown in a message between double quotes: no quote, backslash, $ or `.
sh_safe       = $(subst ",,$(subst \,,$(subst `,,$(subst $$,,$(1)))))
ERR_VAR     := $(if $(UNKNOWN_VAR),unknown option $(UNKNOWN_VAR)=$(call sh_safe,$(value $(UNKNOWN_VAR)))$(if \
                 $(call near_option,$(UNKNOWN_VAR)), (did you mean $(call near_option,$(UNKNOWN_VAR))?));\
                 options are $(OPTIONS))
OPTION_ERROR := $(or $(ERR_VAR),$(ERR_LESSON),$(ERR_IMPL),$(ERR_HANDOUT),$(ERR_FORMAT),$(ERR_JOBS),$(ERR_SAN))

# A recipe that meets a problem says it in one line and ends make with the
# failure, quietly: make dies of SIGPIPE, so it prints no "*** Error" line
# after ours, and shells print nothing for that signal. Scripts get make's
# pid to do the same when Ctrl-C or kill stops them (see grader/scripts).
quiet_fail   = { kill -PIPE $$PPID; exit 1; }
check_options = $(if $(OPTION_ERROR),echo "socklab: $(OPTION_ERROR)" >&2; $(quiet_fail);)
# Only the unknown variables, for targets that take no lesson or format.
check_vars    = $(if $(ERR_VAR),echo "socklab: $(ERR_VAR)" >&2; $(quiet_fail);)
SCRIPT_ENV   = SOCKLAB_MAKE_PID=$$PPID

# ---- the grader --------------------------------------------------------------
# One folder per link unit (see docs/grader.md):
#   common/  text, clock, JSON and results: shared by the others
#   engine/  sl-run, the driver (trusted: never loads student code)
#   report/  sl-report, the renderers (trusted)
#   test/    what every test binary links: the registry, the checks, main()
#   todo/    TODO(), linked into student code
COMMON_SRC   := $(wildcard grader/common/*.c)
ENGINE_SRC   := $(wildcard grader/engine/*.c)
REPORT_SRC   := $(wildcard grader/report/*.c)
REPORT_LIB_SRC := $(filter-out grader/report/report_main.c,$(REPORT_SRC))
TEST_SRC     := $(wildcard grader/test/*.c) grader/common/text.c grader/common/clock.c grader/todo/todo.c
HARNESS_SRC  := $(wildcard grader/harness/*.c)
SELFTEST_SRC := $(wildcard grader/selftest/test_*.c) grader/selftest/engine_run.c

trusted = $(patsubst %.c,$(BUILD)/trusted/%.o,$(1))
obj     = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

SL_RUN       := $(BUILD)/grader/sl-run
SL_REPORT    := $(BUILD)/grader/sl-report
TEST_LIB     := $(BUILD)/grader/libsltest.a
TODO_OBJ     := $(call obj,grader/todo/todo.c)
HARNESS_LIB  := $(BUILD)/grader/libslharness.a

# Every object of the lesson side depends on the flags it was built with:
# a grade with other sanitizer settings rebuilds, never mixes.
FLAGS_STAMP  := $(BUILD)/obj/.flags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(LESSON_CFLAGS)' | cmp -s - $@ || echo '$(CC) $(LESSON_CFLAGS)' >$@
.PHONY: FORCE
FORCE:
# The hidden tests a build was linked with: another HIDDEN relinks.
HIDDEN_STAMP := $(BUILD)/obj/.hidden
$(HIDDEN_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(HIDDEN) $(sort $(wildcard $(HIDDEN)/*/*.c))' | cmp -s - $@ || \
	  echo '$(HIDDEN) $(sort $(wildcard $(HIDDEN)/*/*.c))' >$@
# Objects made on the way to a program are kept, not removed as intermediates.
.SECONDARY:

# Every compile also leaves a compile-command fragment for compile_commands.json.
# $(1): flags, $(2): include folders.
define compile
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(1) $(2) -MMD -MP -c $< -o $@
	@printf '{"directory":"%s","file":"%s","command":"%s"},\n' \
	  "$(CURDIR)" "$<" "$(CC) $(1) $(2) -c $< -o $@" > $@.json
endef

# Links the object files and archives among the prerequisites; a folder
# among them makes a file added to it or removed from it relink.
# $(1): link flags.
define link
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(1) -o $@ $(filter %.o %.a,$^) $(LDLIBS)
endef

$(BUILD)/trusted/grader/%.o: grader/%.c
	$(call compile,$(TRUSTED_CFLAGS),-Igrader/common -I$(dir $<))

# The fault injectors: each grader/faults/sl-NAME.c is a program of its own
# (build/grader/bin/sl-NAME), fault.c their shared helpers, and
# libsl-shortio.c the LD_PRELOAD library that shortens socket I/O.
FAULT_SRC    := $(wildcard grader/faults/sl-*.c)
FAULT_BINS   := $(patsubst grader/faults/%.c,$(BUILD)/grader/bin/%,$(FAULT_SRC))
FAULT_LIB    := $(BUILD)/grader/bin/libsl-shortio.so
$(BUILD)/grader/bin/sl-%: $(BUILD)/trusted/grader/faults/sl-%.o $(BUILD)/trusted/grader/faults/fault.o \
                          $(call trusted,grader/common/clock.c)
	$(call link)
$(BUILD)/trusted/grader/faults/libsl-shortio.o: grader/faults/libsl-shortio.c
	$(call compile,$(TRUSTED_CFLAGS) -fPIC,-Igrader/common -I$(dir $<))
$(FAULT_LIB): $(BUILD)/trusted/grader/faults/libsl-shortio.o
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) -shared -o $@ $^ -ldl

$(SL_RUN): $(call trusted,$(ENGINE_SRC) $(COMMON_SRC)) grader/engine
	$(call link)
$(SL_REPORT): $(call trusted,$(REPORT_SRC) $(COMMON_SRC)) grader/report
	$(call link)

# The lesson side: the test API, TODO(), and the grader's own test binaries.
$(BUILD)/obj/grader/%.o: grader/%.c $(FLAGS_STAMP)
	$(call compile,$(LESSON_CFLAGS),-Igrader/include -Igrader/common -Igrader/report -Igrader/engine -Igrader/selftest)

$(TEST_LIB): $(call obj,$(TEST_SRC))
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
$(HARNESS_LIB): $(call obj,$(HARNESS_SRC))
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/grader/selftest: $(call obj,$(SELFTEST_SRC) $(REPORT_LIB_SRC) $(COMMON_SRC) grader/engine/sanitizer.c grader/engine/hints.c) \
                          $(HARNESS_LIB) $(TEST_LIB) grader/selftest
	$(call link,$(LESSON_LDFLAGS))
$(BUILD)/grader/fixtures: $(call obj,grader/selftest/fixtures.c grader/selftest/fixtures_net.c \
                            grader/selftest/alive.c) $(HARNESS_LIB) $(TEST_LIB)
	$(call link,$(LESSON_LDFLAGS))

# Pretend lessons of the self-tests, each as a lesson is built: its tests
# alone (the listing), and linked with its "student code". ctor/: one
# constructor each, run before main(); student/: sanitizer findings.
CTOR_CASES   := $(filter-out tests,$(basename $(notdir $(wildcard grader/selftest/ctor/*.c))))
CTOR_OBJ     := $(call obj,grader/selftest/ctor/tests.c grader/selftest/alive.c)
$(BUILD)/grader/ctor-meta: $(CTOR_OBJ) $(TEST_LIB)
	$(call link,$(LESSON_LDFLAGS))
$(BUILD)/grader/ctor-%: $(CTOR_OBJ) $(BUILD)/obj/grader/selftest/ctor/%.o $(TEST_LIB)
	$(call link,$(LESSON_LDFLAGS))
$(BUILD)/grader/student-meta: $(call obj,grader/selftest/student/tests.c) $(TEST_LIB)
	$(call link,$(LESSON_LDFLAGS) -no-pie -Wl$(comma)--unresolved-symbols=ignore-all)
$(BUILD)/grader/student-tests: $(call obj,grader/selftest/student/tests.c grader/selftest/student/student.c) $(TEST_LIB)
	$(call link,$(LESSON_LDFLAGS))

# Programs the self-tests of the harness and of the fault injectors drive,
# good and broken on purpose: grader/selftest/programs/NAME.c, one each.
FIXTURE_PROGS := $(patsubst grader/selftest/programs/%.c,$(BUILD)/grader/fixture-bin/%,\
                   $(wildcard grader/selftest/programs/*.c))
# What they share (listening, the command line, send-all) is in
# programs/common/, as UNP's serv0N.c share its lib/.
FIXTURE_LIB  := $(call obj,$(wildcard grader/selftest/programs/common/*.c))
$(BUILD)/grader/fixture-bin/%: $(BUILD)/obj/grader/selftest/programs/%.o $(FIXTURE_LIB) $(TODO_OBJ)
	$(call link,$(LESSON_LDFLAGS))

.PHONY: selftest
selftest: grader $(addprefix $(BUILD)/grader/,selftest fixtures ctor-meta student-meta student-tests) \
          $(addprefix $(BUILD)/grader/ctor-,$(CTOR_CASES)) $(FIXTURE_PROGS)

.PHONY: grader
grader: $(SL_RUN) $(SL_REPORT) $(TEST_LIB) $(HARNESS_LIB) $(TODO_OBJ) $(FAULT_BINS) \
        $(if $(wildcard grader/faults/libsl-shortio.c),$(FAULT_LIB))

# ---- lessons -----------------------------------------------------------------
# A lesson may list its programs in lessons/L/lesson.mk as L_PROGRAMS := a b;
# impl/L/a.c then holds a's main(), and every other .c file is shared code.
-include $(wildcard lessons/*/lesson.mk)

# lessons/L/tests/x.c: the lesson's header and the test API.
# skeletons/L/x.c, solutions/L/x.c: the header, TODO(), their own folder
# (a solution's also the skeleton's, for the headers it hands out whole).
$(BUILD)/obj/lessons/%.o: lessons/%.c $(FLAGS_STAMP)
	$(call compile,$(LESSON_CFLAGS),-Igrader/include -Ilessons/$(word 2,$(subst /, ,$<)))
$(BUILD)/obj/hidden/%.o: $(HIDDEN)/%.c $(FLAGS_STAMP)
	$(call compile,$(LESSON_CFLAGS) -DSL_HIDDEN_FILE=1,-Igrader/include -Ilessons/$(word 1,$(subst /, ,$*)) -Ilessons/$(word 1,$(subst /, ,$*))/tests)
$(BUILD)/obj/skeletons/%.o: skeletons/%.c $(FLAGS_STAMP)
	$(call compile,$(LESSON_CFLAGS),-Igrader/include -Ilessons/$(word 2,$(subst /, ,$<)) -I$(dir $<))
$(BUILD)/obj/solutions/%.o: solutions/%.c $(FLAGS_STAMP)
	$(call compile,$(LESSON_CFLAGS),-Igrader/include -Ilessons/$(word 2,$(subst /, ,$<)) -I$(dir $<) -Iskeletons/$(word 2,$(subst /, ,$<)))

# $(1) lesson: its tests with no student code, build/meta/L. It lists the
# tests, runs those that drive programs, and reports a lesson that did not
# build. It never calls the lesson's functions, so they may stay
# unresolved (no PIE: a PIE with unresolved calls does not load).
# A teacher's hidden tests, hidden/L/*.c (HIDDEN names another folder),
# are tests of L like the others, marked hidden; make dist leaves them out.
define lesson_rules
$(1)_TESTS := $$(call obj,$$(wildcard lessons/$(1)/tests/*.c)) \
              $$(patsubst $(HIDDEN)/%.c,$(BUILD)/obj/hidden/%.o,$$(wildcard $(HIDDEN)/$(1)/*.c))
$(BUILD)/meta/$(1): $$($(1)_TESTS) $(HARNESS_LIB) $(TEST_LIB) lessons/$(1)/tests $(wildcard $(HIDDEN)/$(1)) \
                    $(HIDDEN_STAMP)
	$$(call link,$$(LESSON_LDFLAGS) -no-pie -Wl$$(comma)--unresolved-symbols=ignore-all)
endef

# A lesson may also hand out a program whole: L_GIVEN := a, built from
# lessons/L/a.c (the C library only, none of the student's code) into each
# implementation's bin folder, where the lesson's text says to run it.
# $(1) lesson, $(2) impl: the lesson's tests linked with the impl's code,
# and its programs.
#
# A solution holds only what the student writes: a file of the skeleton's
# that it has no file of the same name for (code the lesson hands out
# whole: a server's frame, a given backend, a program's main()) is built
# from the skeleton for it, so the two never drift apart.
# $(1) lesson, $(2) impl: impl's sources; $(3) a file name: impl's copy.
impl_src = $(wildcard $(2)/$(1)/*.c) $(if $(filter solutions,$(2)),$(filter-out \
             $(addprefix skeletons/$(1)/,$(notdir $(wildcard solutions/$(1)/*.c))),$(wildcard skeletons/$(1)/*.c)))
impl_file = $(if $(filter solutions,$(2)),$(or $(wildcard solutions/$(1)/$(3)),skeletons/$(1)/$(3)),$(2)/$(1)/$(3))
define impl_rules
$(2)_$(1)_SRC  := $$(call impl_src,$(1),$(2))
$(2)_$(1)_MAIN := $$(foreach p,$$($(1)_PROGRAMS),$$(call impl_file,$(1),$(2),$$(p).c))
$(2)_$(1)_LIB  := $$(call obj,$$(filter-out $$($(2)_$(1)_MAIN),$$($(2)_$(1)_SRC)))
$(2)_$(1)_BINS := $$(addprefix $(BUILD)/$(2)/bin/,$$($(1)_PROGRAMS))
$(2)_$(1)_GIVEN := $$(addprefix $(BUILD)/$(2)/bin/,$$($(1)_GIVEN))
$(BUILD)/$(2)/tests/$(1): $$($(1)_TESTS) $$($(2)_$(1)_LIB) $(HARNESS_LIB) $(TEST_LIB) \
                          lessons/$(1)/tests $(wildcard $(HIDDEN)/$(1)) $(HIDDEN_STAMP) \
                          $(2)/$(1) $(if $(filter solutions,$(2)),skeletons/$(1)) | $(TODO_OBJ)
	$(Q)CC="$(CC)" HIDDEN="$(HIDDEN)" grader/scripts/check-impl.sh $(2) $(TEST_LIB) $(HARNESS_LIB) $(TODO_OBJ) -- $$($(2)_$(1)_LIB)
	$$(call link,$$(LESSON_LDFLAGS))
$$($(2)_$(1)_GIVEN): $(BUILD)/$(2)/bin/%: $(BUILD)/obj/lessons/$(1)/%.o
	$$(call link,$$(LESSON_LDFLAGS))
.PHONY: lesson-$(1)-$(2)
lesson-$(1)-$(2): $(BUILD)/meta/$(1) $(BUILD)/$(2)/tests/$(1) $$($(2)_$(1)_BINS) $$($(2)_$(1)_GIVEN)
endef

# $(1) lesson, $(2) impl, $(3) program: its main() file and the library.
define program_rule
$(BUILD)/$(2)/bin/$(3): $$(call obj,$$(call impl_file,$(1),$(2),$(3).c)) $$($(2)_$(1)_LIB) $(TODO_OBJ)
	$$(call link,$$(LESSON_LDFLAGS))
endef

$(foreach l,$(LESSONS),$(eval $(call lesson_rules,$(l))))
$(foreach i,$(IMPLS),$(foreach l,$(LESSONS),$(eval $(call impl_rules,$(l),$(i)))))
$(foreach i,$(IMPLS),$(foreach l,$(LESSONS),$(foreach p,$($(l)_PROGRAMS),$(eval $(call program_rule,$(l),$(i),$(p))))))

-include $(shell test -d $(BUILD) && find $(BUILD)/obj $(BUILD)/trusted -name '*.d' 2>/dev/null)

# ---- user targets ------------------------------------------------------------
GRADE_ENV = $(SCRIPT_ENV) BUILD=$(BUILD) IMPL=$(IMPL) FORMAT=$(FORMAT) OUT="$(OUT)" JOBS=$(JOBS) \
            BIGENDIAN=$(BIGENDIAN) \
            EXPECT=$(EXPECT) SAN=$(SAN) LESSONS="$(SELECTED)" ALL_LESSONS="$(if $(LESSON),,all)" \
            MAKE="$(MAKE)"

.PHONY: help
help: ## this list
	@$(check_vars) echo "socklab - BSD sockets in C, lesson by lesson. Targets:"
	@grep -hE '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 22
	@echo "Options: LESSON=01|addressing|01-addressing  IMPL=skeletons|solutions"
	@echo "         FORMAT=text|json|junit|tsv  OUT=file  JOBS=n  SAN=none|thread  V=1 (show commands)"
	@echo "         BIGENDIAN=1 (lesson 01 on s390x too, under qemu)"
	@echo "Lessons: $(LESSONS)"

.PHONY: grade
grade: ## build your work and show the score table with hints
	@$(check_options) grader/scripts/deps.sh ensure build || $(quiet_fail)
	@$(GRADE_ENV) grader/scripts/grade.sh || $(quiet_fail)

.PHONY: batch
batch: ## grade a folder of submissions (SUBMISSIONS=DIR): CSV and HTML in OUT
	@$(check_options) grader/scripts/deps.sh ensure build || $(quiet_fail)
	@$(SCRIPT_ENV) SUBMISSIONS="$(SUBMISSIONS)" OUT="$(OUT)" JOBS=$(JOBS) LESSONS="$(SELECTED)" SAN=$(SAN) \
	  HIDDEN="$(HIDDEN)" BUILD=$(BUILD) MAKE="$(MAKE)" grader/scripts/batch.sh || $(quiet_fail)

.PHONY: hint
hint: ## the hint for the first failing test
	@$(check_options) grader/scripts/deps.sh ensure build || $(quiet_fail)
	@$(GRADE_ENV) HINT=1 grader/scripts/grade.sh || $(quiet_fail)

.PHONY: watch
watch: ## regrade whenever you save a source file
	@$(check_options) grader/scripts/deps.sh ensure build || $(quiet_fail)
	@$(GRADE_ENV) grader/scripts/watch.sh || $(quiet_fail)

.PHONY: progress
progress: ## the course as a table: points per lesson, what to take next
	@$(check_vars) grader/scripts/deps.sh ensure build || $(quiet_fail)
	@$(SCRIPT_ENV) BUILD=$(BUILD) MAKE="$(MAKE)" LESSONS="$(LESSONS)" grader/scripts/progress.sh || $(quiet_fail)

.PHONY: reset
reset: ## put a lesson's skeleton back as handed out (yours kept as a backup)
	@$(check_options) $(if $(LESSON),,echo "socklab: make reset needs a lesson: make reset LESSON=NN" >&2; $(quiet_fail);) \
	  $(SCRIPT_ENV) LESSONS="$(SELECTED)" CONFIRM=$(CONFIRM) grader/scripts/reset.sh || $(quiet_fail)

.PHONY: check
check: ## lint a lesson: test names, points, hints, tasks, TODOs
	@$(check_options) grader/scripts/deps.sh ensure build || $(quiet_fail)
	@$(SCRIPT_ENV) BUILD=$(BUILD) MAKE="$(MAKE)" LESSONS="$(SELECTED)" grader/scripts/check.sh || $(quiet_fail)

.PHONY: test
test: ## the project's own tests (grader, solutions, skeletons, sanitizers)
	@$(check_vars) grader/scripts/deps.sh ensure test || $(quiet_fail)
	@$(SCRIPT_ENV) BUILD=$(BUILD) MAKE="$(MAKE)" LESSONS="$(LESSONS)" grader/scripts/test.sh || $(quiet_fail)

.PHONY: test-long
test-long: ## the long checks: the lessons' programs under valgrind
	@$(check_vars) grader/scripts/deps.sh ensure long || $(quiet_fail)
	@$(SCRIPT_ENV) BUILD=$(BUILD) MAKE="$(MAKE)" LESSONS="$(LESSONS)" grader/scripts/test-long.sh || $(quiet_fail)

.PHONY: docs
docs: ## Doxygen site in build/docs/html
	@$(check_vars) grader/scripts/deps.sh ensure docs || $(quiet_fail)
	@mkdir -p $(BUILD)/docs
	@echo "  DOXYGEN $(BUILD)/docs/html"
	$(Q)cd docs && ( cat Doxyfile; echo "OUTPUT_DIRECTORY = ../$(BUILD)/docs" ) | \
	  SOCKLAB_LESSONS="$(addprefix ../lessons/,$(LESSONS))" doxygen - >/dev/null || $(quiet_fail)

.PHONY: dist
dist: ## the student hand-out (no solutions) in build/socklab.tar.gz
	@$(check_vars) BUILD=$(BUILD) grader/scripts/dist.sh || $(quiet_fail)

.PHONY: autograder
autograder: ## a Gradescope autograder bundle (Ubuntu 22.04) in build/autograder.zip
	@$(check_options) BUILD=$(BUILD) MAKE="$(MAKE)" LESSONS="$(SELECTED)" ALL_LESSONS="$(if $(LESSON),,all)" \
	  HIDDEN="$(HIDDEN)" OUT="$(OUT)" CC="$(CC)" grader/scripts/autograder.sh || $(quiet_fail)

.PHONY: compdb
compdb: ## build/compile_commands.json for your editor (clangd)
	@$(check_vars) BUILD=$(BUILD) grader/scripts/compdb.sh || $(quiet_fail)

# ---- make bench: the server designs under load (grader/bench) ----------------
# The bench's own programs, built as a lesson without sanitizers is (they
# measure, or are measured against the lessons' servers): the load
# generator, the plain epoll echo loop, libuv's and libevent's echo servers
# (where their headers are), and the bulk sender, linked with lesson 03's
# tcp.c (its send() and recv() counted through --wrap). The designs are the
# solutions' servers, built by grader/bench/bench.sh with SAN=none in
# $(BUILD)/bench/build. The page it writes goes into make docs.
BENCH_BIN    := $(BUILD)/bench/bin
BENCH_CFLAGS := $(BASE_CFLAGS)
bench_obj     = $(patsubst %.c,$(BUILD)/bench/obj/%.o,$(1))
BENCH_TOOLS  := $(addprefix $(BENCH_BIN)/,sl-load sl-epoll-echo) \
                $(if $(wildcard /usr/include/uv.h),$(BENCH_BIN)/sl-uv-echo) \
                $(if $(wildcard /usr/include/event2/event.h),$(BENCH_BIN)/sl-event-echo) \
                $(if $(wildcard solutions/03-tcp/tcp.c),$(BENCH_BIN)/sl-bulk)
$(BUILD)/bench/obj/grader/bench/%.o: grader/bench/%.c
	$(call compile,$(BENCH_CFLAGS),-Igrader/bench)
$(BUILD)/bench/obj/solutions/03-tcp/%.o: solutions/03-tcp/%.c
	$(call compile,$(BENCH_CFLAGS),-Igrader/include -Ilessons/03-tcp -Isolutions/03-tcp)
$(BENCH_BIN)/sl-load: $(call bench_obj,$(addprefix grader/bench/,sl-load.c lg.c lg_hist.c))
	$(call link)
$(BENCH_BIN)/sl-%-echo: $(call bench_obj,grader/bench/sl-%-echo.c grader/bench/bench_srv.c)
	$(call link)
$(BENCH_BIN)/sl-uv-echo: LDLIBS += -luv
$(BENCH_BIN)/sl-event-echo: LDLIBS += -levent
$(BUILD)/bench/obj/grader/bench/sl-bulk.o: BENCH_CFLAGS += -Ilessons/03-tcp
$(BENCH_BIN)/sl-bulk: $(call bench_obj,grader/bench/sl-bulk.c solutions/03-tcp/tcp.c)
	$(call link,-Wl$(comma)--wrap=send -Wl$(comma)--wrap=recv)
-include $(wildcard $(BUILD)/bench/obj/*/*/*.d $(BUILD)/bench/obj/*/*/*/*.d)
# make docs takes the page of the last make bench, and its plots, where
# there is one (docs/Doxyfile: SOCKLAB_BENCH_PAGE, SOCKLAB_BENCH_IMAGES).
docs: export SOCKLAB_BENCH_PAGE := $(abspath $(wildcard $(BUILD)/bench/bench.md))
docs: export SOCKLAB_BENCH_IMAGES := $(if $(wildcard $(BUILD)/bench/bench.md),$(abspath $(BUILD)/bench))

.PHONY: bench bench-tools
bench: ## the server designs under load, bulk TCP, grading speed (QUICK=1: <1 min)
	@$(check_vars) grader/scripts/deps.sh ensure build || $(quiet_fail)
	@$(MAKE) --no-print-directory bench-tools || $(quiet_fail)
	@$(SCRIPT_ENV) BUILD=$(BUILD) MAKE="$(MAKE)" QUICK="$(QUICK)" grader/bench/bench.sh || $(quiet_fail)
bench-tools: $(BENCH_TOOLS)

.PHONY: deps
deps: ## install what the build needs (Debian packages)
	@$(check_vars) grader/scripts/deps.sh install || $(quiet_fail)

.PHONY: build
build: ## build the grader and the lessons of IMPL
	@$(check_options) $(MAKE) --no-print-directory build-targets || $(quiet_fail)

.PHONY: build-targets
build-targets: grader $(foreach l,$(SELECTED),lesson-$(l)-$(IMPL))

.PHONY: print-programs-% print-given-%
print-programs-%:
	@echo $($*_PROGRAMS)
print-given-%:
	@echo $($*_GIVEN)

.PHONY: print-san
print-san:
	@echo $(SAN)

.PHONY: clean
clean: ## remove build/
	@$(check_vars) rm -rf $(BUILD)
