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
SAN         ?=
V           ?= 0

LESSONS     := $(sort $(notdir $(wildcard lessons/[0-9][0-9]-*)))
IMPLS       := skeletons solutions
FORMATS     := text json junit

CC          ?= cc
WARNINGS    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS      := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 $(WARNINGS) \
               $(if $(SAN),-fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all)
LDFLAGS     := $(if $(SAN),-fsanitize=$(SAN))
LDLIBS      := -lcunit -ljansson
Q           := $(if $(filter 1,$(V)),,@)

# ---- which lessons: LESSON takes 03, 3, tcp or 03-tcp ------------------------
lesson_num   = $(firstword $(subst -, ,$(1)))
lesson_topic = $(patsubst $(call lesson_num,$(1))-%,%,$(1))
lesson_keys  = $(1) $(call lesson_num,$(1)) $(patsubst 0%,%,$(call lesson_num,$(1))) $(call lesson_topic,$(1))
lesson_find  = $(strip $(foreach l,$(LESSONS),$(if $(filter $(1),$(call lesson_keys,$(l))),$(l))))
# Each word of LESSON must name exactly one lesson ('%' is make's wildcard).
LESSON_BAD  := $(strip $(foreach w,$(LESSON),$(if $(or $(findstring %,$(w)),$(filter-out 1,$(words $(call lesson_find,$(w))))),$(w))))
SELECTED    := $(sort $(if $(LESSON),$(foreach w,$(LESSON),$(call lesson_find,$(w))),$(LESSONS)))

USER_GOALS  := grade hint watch
ifneq ($(filter $(USER_GOALS) autograder,$(MAKECMDGOALS)),)
  ifneq ($(LESSON_BAD)$(if $(SELECTED),,none),)
    $(error unknown lesson '$(or $(firstword $(LESSON_BAD)),$(LESSON))': valid lessons are $(LESSONS) (or the number, or the topic alone))
  endif
  ifneq ($(JOBS),)
    ifneq ($(shell echo '$(JOBS)' | grep -Ex '[1-9][0-9]{0,3}'),$(JOBS))
      $(error JOBS=$(JOBS): give a number of tests to run at once, 1 or more)
    endif
  endif
  ifeq ($(filter $(IMPL),$(IMPLS)),)
    $(error unknown IMPL '$(IMPL)': valid are $(IMPLS))
  endif
  ifeq ($(filter $(FORMAT),$(FORMATS)),)
    $(error unknown FORMAT '$(FORMAT)': valid are $(FORMATS))
  endif
  ifeq ($(IMPL),solutions)
    ifeq ($(wildcard solutions),)
      $(error IMPL=solutions: this hand-out has no solutions (valid here: skeletons))
    endif
  endif
endif

# ---- the grader --------------------------------------------------------------
GRADER_LIB_SRC := grader/sl_test.c grader/todo.c grader/sandbox.c \
                  grader/supervise.c grader/results.c grader/text.c
REPORT_LIB_SRC := $(filter-out grader/report.c,$(wildcard grader/report*.c))
GRADER_LIB     := $(BUILD)/grader/libsl.a
RUNNER_OBJ     := $(BUILD)/obj/grader/runner.o
SL_REPORT      := $(BUILD)/grader/sl-report
SELFTEST_SRC   := $(wildcard grader/selftest/test_*.c)
FIXTURE_SRC    := grader/selftest/fixtures.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
comma := ,

# Every compile also leaves a compile-command fragment for compile_commands.json.
define compile
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(1) -MMD -MP -c $< -o $@
	@printf '{"directory":"%s","file":"%s","command":"%s"},\n' \
	  "$(CURDIR)" "$<" "$(CC) $(CFLAGS) $(1) -c $< -o $@" > $@.json
endef

# Links the object files and archives among the prerequisites; a folder
# among them makes a file added to it or removed from it relink.
define link
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $(1) -o $@ $(filter %.o %.a,$^) $(LDLIBS)
endef

$(BUILD)/obj/grader/%.o: grader/%.c
	$(call compile,-Igrader)

# lessons/L/tests/x.c, skeletons/L/x.c, solutions/L/x.c: L's header, the grader's.
$(BUILD)/obj/%.o: %.c
	$(call compile,-Igrader -Ilessons/$(word 2,$(subst /, ,$<)) -I$(dir $<))

$(GRADER_LIB): $(call obj,$(GRADER_LIB_SRC))
	@mkdir -p $(dir $@)
	$(Q)$(AR) rcs $@ $^

$(SL_REPORT): $(call obj,grader/report.c $(REPORT_LIB_SRC)) $(GRADER_LIB)
	$(call link)

# The grader's own tests, and the fixture lesson they grade.
$(BUILD)/grader/selftest: $(call obj,$(SELFTEST_SRC) $(REPORT_LIB_SRC)) $(RUNNER_OBJ) $(GRADER_LIB)
	$(call link)
$(BUILD)/grader/fixtures: $(call obj,$(FIXTURE_SRC)) $(RUNNER_OBJ) $(GRADER_LIB)
	$(call link)

.PHONY: grader
grader: $(GRADER_LIB) $(RUNNER_OBJ) $(SL_REPORT)

# ---- lessons -----------------------------------------------------------------
# A lesson may list its programs in lessons/L/lesson.mk as L_PROGRAMS := a b;
# impl/L/a.c then holds a's main(), and every other .c file is shared code.
-include $(wildcard lessons/*/lesson.mk)

# $(1) lesson: its tests, and a test list that needs no implementation
# (used to report every test of a lesson that did not build). It never
# calls the lesson's functions, so they may stay unresolved (no PIE: a PIE
# with unresolved calls does not load).
define lesson_rules
$(1)_TESTS := $$(call obj,$$(wildcard lessons/$(1)/tests/*.c))
$(BUILD)/meta/$(1): $$($(1)_TESTS) $(RUNNER_OBJ) $(GRADER_LIB) lessons/$(1)/tests
	$$(call link,-no-pie -Wl$$(comma)--unresolved-symbols=ignore-all)
endef

# $(1) lesson, $(2) impl: the lesson's test binary and its programs.
define impl_rules
$(2)_$(1)_SRC  := $$(wildcard $(2)/$(1)/*.c)
$(2)_$(1)_MAIN := $$(addprefix $(2)/$(1)/,$$(addsuffix .c,$$($(1)_PROGRAMS)))
$(2)_$(1)_LIB  := $$(call obj,$$(filter-out $$($(2)_$(1)_MAIN),$$($(2)_$(1)_SRC)))
$(2)_$(1)_BINS := $$(addprefix $(BUILD)/$(2)/bin/,$$($(1)_PROGRAMS))
$(BUILD)/$(2)/tests/$(1): $$($(1)_TESTS) $$($(2)_$(1)_LIB) $(RUNNER_OBJ) $(GRADER_LIB) \
                          lessons/$(1)/tests $(2)/$(1)
	$(Q)CC="$(CC)" grader/scripts/check-impl.sh $(2) $(RUNNER_OBJ) $(GRADER_LIB) -- $$($(2)_$(1)_LIB)
	$$(call link)
$$($(2)_$(1)_BINS): $(BUILD)/$(2)/bin/%: $(BUILD)/obj/$(2)/$(1)/%.o $$($(2)_$(1)_LIB) $(BUILD)/obj/grader/todo.o
	$$(call link)
.PHONY: lesson-$(1)-$(2)
lesson-$(1)-$(2): $(BUILD)/$(2)/tests/$(1) $$($(2)_$(1)_BINS)
endef

$(foreach l,$(LESSONS),$(eval $(call lesson_rules,$(l))))
$(foreach i,$(IMPLS),$(foreach l,$(LESSONS),$(eval $(call impl_rules,$(l),$(i)))))

-include $(shell test -d $(BUILD)/obj && find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- user targets ------------------------------------------------------------
GRADE_ENV = BUILD=$(BUILD) IMPL=$(IMPL) FORMAT=$(FORMAT) OUT=$(OUT) JOBS=$(JOBS) EXPECT=$(EXPECT) \
            LESSONS="$(SELECTED)" MAKE="$(MAKE)"

.PHONY: help
help: ## this list
	@echo "socklab - BSD sockets in C, lesson by lesson. Targets:"
	@grep -hE '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 22
	@echo "Options: LESSON=01|addressing|01-addressing  IMPL=skeletons|solutions"
	@echo "         FORMAT=text|json|junit  OUT=file  JOBS=n  V=1 (show commands)"
	@echo "Lessons: $(LESSONS)"

.PHONY: grade
grade: ## build your work and show the score table with hints
	@grader/scripts/deps.sh ensure build
	@$(GRADE_ENV) grader/scripts/grade.sh

.PHONY: hint
hint: ## the hint for the first failing test
	@grader/scripts/deps.sh ensure build
	@$(GRADE_ENV) HINT=1 grader/scripts/grade.sh

.PHONY: watch
watch: ## regrade whenever you save a source file
	@grader/scripts/deps.sh ensure build
	@$(GRADE_ENV) grader/scripts/watch.sh

.PHONY: test
test: ## the project's own tests (grader, solutions, skeletons, sanitizers)
	@grader/scripts/deps.sh ensure test
	@BUILD=$(BUILD) MAKE="$(MAKE)" LESSONS="$(LESSONS)" grader/scripts/test.sh

.PHONY: docs
docs: ## Doxygen site in build/docs/html
	@grader/scripts/deps.sh ensure docs
	@mkdir -p $(BUILD)/docs
	@echo "  DOXYGEN $(BUILD)/docs/html"
	$(Q)cd docs && ( cat Doxyfile; echo "OUTPUT_DIRECTORY = ../$(BUILD)/docs" ) | \
	  SOCKLAB_LESSONS="$(addprefix ../lessons/,$(LESSONS))" doxygen - >/dev/null

.PHONY: dist
dist: ## the student hand-out (no solutions) in build/socklab.tar.gz
	@BUILD=$(BUILD) grader/scripts/dist.sh

.PHONY: compdb
compdb: ## build/compile_commands.json for your editor (clangd)
	@BUILD=$(BUILD) grader/scripts/compdb.sh

.PHONY: deps
deps: ## install what the build needs (Debian packages)
	@grader/scripts/deps.sh install

.PHONY: build
build: grader $(foreach l,$(SELECTED),lesson-$(l)-$(IMPL)) ## build the grader and the lessons of IMPL

.PHONY: clean
clean: ## remove build/
	rm -rf $(BUILD)
