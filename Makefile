# esis: build, test, install.
#
# Every source under src/<layer>/*.c is part of libesis.a except the CLI's
# main.c; every tests/test_*.c is one cmocka binary linked against it.  Adding
# a module or a test is adding a file: nothing here needs editing.

PREFIX  ?= /usr/local
DESTDIR ?=
# The system settings are SYSCONFDIR/esis/esis.ini (include/esis/conf_where.h).
SYSCONFDIR ?= /etc
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

.PHONY: all run check unit e2e sanitize install uninstall deps clean bench fuzz docs esis-etc

all: $(BUILD)/esis esis

# ./esis, where the README's examples run it: the built binary on the demo
# database of `make run` (build/esis.ini names it, read as --config), from
# whatever directory it is started in.  Rewritten every time: cheap, and
# it follows BUILD.
.PHONY: esis
esis: $(BUILD)/esis
	@printf '[database]\n; made by make: the demo database of make run\npath = %s\n' "$(abspath $(DEMO_DB))" > $(BUILD)/esis.ini
	@printf '#!/bin/sh\n# made by make: %s on the demo database (README.md, "Using it")\nexec "%s" --config "%s" "$$@"\n' \
	    "$(BUILD)/esis" "$(abspath $(BUILD))/esis" "$(abspath $(BUILD))/esis.ini" > esis.new
	@chmod 0755 esis.new && rm -f esis && mv esis.new esis

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/libesis.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/esis: $(MAIN_OBJ) $(BUILD)/libesis.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) $(EXTRA_LIBS)

$(BUILD)/src/conf/conf_where.o: CFLAGS_ALL += -DESIS_SYSCONFDIR=\"$(SYSCONFDIR)\"

# The same esis reading its system settings from ETC instead of SYSCONFDIR:
# the deployment tests install into a temporary directory and leave /etc
# alone.  Only conf_where.c is compiled again; its object, given first,
# keeps the library's copy out of the link.
#   make esis-etc ETC=/tmp/x/etc OUT=/tmp/x/esis
esis-etc: $(MAIN_OBJ) $(BUILD)/libesis.a
	@test -n "$(ETC)" && test -n "$(OUT)" || { echo "usage: make esis-etc ETC=DIR OUT=FILE" >&2; exit 2; }
	$(CC) $(CFLAGS_ALL) -DESIS_SYSCONFDIR=\"$(ETC)\" -c src/conf/conf_where.c -o $(OUT).o
	$(CC) $(LDFLAGS_ALL) -o $(OUT) $(OUT).o $(MAIN_OBJ) $(BUILD)/libesis.a $(PKG_LIBS) $(EXTRA_LIBS)
	@rm -f $(OUT).o

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libesis.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -MMD -MP -MF $@.d -o $@ $< $(BUILD)/libesis.a \
	    $(LDFLAGS_ALL) $(shell pkg-config --libs cmocka) $(PKG_LIBS) $(EXTRA_LIBS)

# The demo database for `make run`, made once and kept.
DEMO_DB ?= $(BUILD)/demo.db
$(DEMO_DB): $(BUILD)/esis
	rm -f $@ $@-wal $@-shm
	ESIS_USER=$${ESIS_USER:-$$(id -un)} $(BUILD)/esis init --demo --db $@

run: esis $(DEMO_DB)
	./esis

# All tests: unit tests (cmocka), then the end-to-end tests that drive the
# real binary in tmux.  tests/run prints one summary at the end.
check: $(BUILD)/esis esis $(TEST_BIN)
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

# The packaged defaults go under the prefix, replaced on every upgrade; the
# server's own settings, SYSCONFDIR/esis/esis.ini, are written only when
# absent and never replaced (doc/deploy.md, "Settings").
install: $(BUILD)/esis
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/esis \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(SYSCONFDIR)/esis
	install -m 0755 $(BUILD)/esis $(DESTDIR)$(PREFIX)/bin/esis
	cp -R conf screens $(DESTDIR)$(PREFIX)/share/esis/
	install -m 0644 doc/esis.1 $(DESTDIR)$(PREFIX)/share/man/man1/esis.1
	test -e $(DESTDIR)$(SYSCONFDIR)/esis/esis.ini || \
	    install -m 0644 deploy/esis.ini $(DESTDIR)$(SYSCONFDIR)/esis/esis.ini

# SYSCONFDIR/esis stays: it is the server's, not the package's.
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
