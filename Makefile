# esis: build, test, install.
#
# Every source under src/<layer>/*.c is part of libesis.a except the CLI's
# main.c; every tests/test_*.c is one cmocka binary linked against it.  Adding
# a module or a test is adding a file: nothing here needs editing.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

PKGS     := ncursesw panelw sqlite3 libthai libcrypt libgcrypt libzip expat xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
# libcsv and iniparser ship no .pc file on Debian: linked plainly.
EXTRA_LIBS := -lcsv -liniparser -lm -pthread

OPT      ?= -O2 -g
SAN      ?=
CFLAGS_ALL = -std=c11 -pthread -Wall -Wextra -Werror $(OPT) $(SAN) -Iinclude $(PKG_CFLAGS) \
             -DESIS_VERSION=\"$(VERSION)\" $(CFLAGS)
LDFLAGS_ALL = $(SAN) $(LDFLAGS)
VERSION  := 0.1.0

LIB_SRC  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/cli/main.o
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
DEPS     := $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_BIN:=.d)

.DEFAULT_GOAL := all

# A fresh machine: the first make installs the Debian packages (through
# .ci/deps, with sudo when not root), then make restarts and finds them with
# pkg-config.  Later runs only check.
ifeq ($(filter clean deps,$(MAKECMDGOALS)),)
-include $(BUILD)/deps.mk
endif
$(BUILD)/deps.mk:
	@mkdir -p $(BUILD)
	@if pkg-config --exists $(PKGS) cmocka 2>/dev/null && [ -f /usr/include/csv.h ] && \
	    [ -f /usr/include/iniparser/iniparser.h ] && command -v tmux >/dev/null; then :; \
	 else echo "esis: installing build dependencies (.ci/deps)"; bash .ci/deps; fi
	@echo "# build dependencies present" > $@

.PHONY: all run check unit e2e sanitize install uninstall deps clean bench fuzz docs

all: $(BUILD)/esis esis

esis: $(BUILD)/esis
	@ln -sf $(BUILD)/esis esis

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/libesis.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/esis: $(MAIN_OBJ) $(BUILD)/libesis.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libesis.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -MMD -MP -MF $@.d -o $@ $< $(BUILD)/libesis.a \
	    $(LDFLAGS_ALL) $(shell pkg-config --libs cmocka) $(PKG_LIBS) $(EXTRA_LIBS)

# The demo database for `make run`, made once and kept.
DEMO_DB ?= $(BUILD)/demo.db
$(DEMO_DB): $(BUILD)/esis
	rm -f $@ $@-wal $@-shm
	ESIS_USER=$${ESIS_USER:-$$(id -un)} $(BUILD)/esis init --demo --db $@

run: $(BUILD)/esis $(DEMO_DB)
	$(BUILD)/esis --db $(DEMO_DB)

# All tests: unit tests (cmocka), then the end-to-end tests that drive the
# real binary in tmux.  tests/run prints one summary at the end.
check: $(BUILD)/esis $(TEST_BIN)
	@BUILD=$(BUILD) bash tests/run

unit: $(TEST_BIN)
	@BUILD=$(BUILD) E2E=0 bash tests/run

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer, in a
# build directory of their own.
sanitize:
	$(MAKE) BUILD=build-san OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" check

deps:
	bash .ci/deps

install: $(BUILD)/esis
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/esis \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BUILD)/esis $(DESTDIR)$(PREFIX)/bin/esis
	cp -R conf screens $(DESTDIR)$(PREFIX)/share/esis/
	install -m 0644 doc/esis.1 $(DESTDIR)$(PREFIX)/share/man/man1/esis.1

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/esis $(DESTDIR)$(PREFIX)/share/esis \
	    $(DESTDIR)$(PREFIX)/share/man/man1/esis.1

docs: $(BUILD)/esis
	rm -f $(BUILD)/docs.db* && $(BUILD)/esis init --db $(BUILD)/docs.db >/dev/null
	$(BUILD)/esis rules --doc --db $(BUILD)/docs.db > doc/rules.md

bench: $(BUILD)/esis
	bash bench/run

fuzz:
	bash tests/fuzz/build-and-run

clean:
	rm -rf build build-san esis

-include $(DEPS)
