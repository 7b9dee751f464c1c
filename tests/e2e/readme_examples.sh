#!/usr/bin/env bash
# readme_examples.sh: every example of README.md runs, as written, on a
# copy of the demo database (issue 17: "Every README example runs on the
# demo database").
#
# The examples are read from the README itself: every line of every ```
# block, in order, in one working directory (so `esis backup X` then
# `esis restore X` work together).  Lines that start with `make` are the
# build's own targets (make check is what runs this test) and are not run.
# `esis` is found on PATH as the README says: a wrapper like the ./esis
# that make leaves, reading a --config that names the copy, so no example
# needs --db.  The demo's office accounts' password is given in
# ESIS_PASSWORD, as the README says a script does.
#
# A line passes when its exit status is 0, or N when its comment says
# "exit N" (esis check finds the demo's faulty records; an import keeps
# rejects), and every file it names with --out exists and is not empty.
# The bare `esis` line is the TUI: it runs in tmux and must show the main
# menu and end with status 0 on F10.  Some results are also read back with
# sqlite3: the director's approval, the account it made, the answers.
set -u
BIN=${ESIS_BIN:-$(pwd)/build/esis}
SRC=$(pwd)
export ESIS_HOME=${ESIS_HOME:-$SRC}
[ -x "$BIN" ] || { echo "readme_examples.sh: SKIP: $BIN is not built yet"; exit 77; }
command -v sqlite3 >/dev/null || { echo "readme_examples.sh: SKIP: sqlite3 is missing"; exit 77; }
. "$(dirname "$0")/lib.sh"
T=$E2E_DIR
fails=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# A copy of the demo (esis init --demo, as make run makes it, smaller).
mkdir -p "$T/bin" "$T/work"
DB=$T/demo.db
e2e_demo_db "$DB" 2>"$T/init.log" || { bad "the demo: $(tail -2 "$T/init.log")"; exit 1; }
printf '[database]\npath = %s\n' "$DB" > "$T/esis.ini"
printf '#!/bin/sh\nexec "%s" --config "%s" "$@"\n' "$BIN" "$T/esis.ini" > "$T/bin/esis"
chmod 0755 "$T/bin/esis"
q() { sqlite3 -batch -noheader "$DB" "$1"; }

# The examples: every line of every ``` block of README.md.
mapfile -t LINES < <(awk '/^```/ { inside = !inside; next } inside && NF' "$SRC/README.md")
[ ${#LINES[@]} -ge 20 ] || { bad "only ${#LINES[@]} example lines read from README.md"; exit 1; }

# The rounds the examples name must be rounds of the demo: it follows
# today's date (the academic year and the one before), so a README left
# behind by the calendar says so here first.
for r in $(printf '%s\n' "${LINES[@]}" | grep -o -- '--round [0-9]\{4\}-[0-9a-z]*' | cut -c9- | sort -u); do
    [ "$(q "SELECT count(*) FROM rounds WHERE round_code = '$r'")" = 1 ] \
        || bad "README names round $r, which a demo made today does not hold: update the README's years"
done

run_tui() {
    printf 'cd %q && PATH=%q:$PATH ESIS_HOME=%q exec %s\n' "$T/work" "$T/bin" "$ESIS_HOME" "$1" > "$T/tui.sh"
    E2E_CMD="bash $T/tui.sh" e2e_start
    wait_for "เมนูหลัก"
    send_keys F10
    local rc; rc=$(e2e_exit_code 10)
    [ "$rc" = 0 ] && ok "the TUI: main menu, F10, status 0" || bad "the TUI ended with status $rc"
}

n=0
for line in "${LINES[@]}"; do
    case "$line" in make\ *|make) continue;; esac
    n=$((n + 1))
    cmd=${line%%#*}; cmd=${cmd%"${cmd##*[! ]}"}
    if [ "$cmd" = esis ]; then run_tui "$cmd"; continue; fi
    want=0
    case "$line" in *"#"*exit\ [0-9]*) want=$(printf '%s\n' "${line#*#}" | grep -o 'exit [0-9]' | head -1 | cut -c6);; esac
    (cd "$T/work" && PATH=$T/bin:$PATH ESIS_PASSWORD=esis-demo bash -o pipefail -c "$line" </dev/null \
        >"$T/out" 2>"$T/err")
    rc=$?
    if [ "$rc" != "$want" ]; then
        bad "$cmd: status $rc, not $want: $(head -c 400 "$T/err")"
        continue
    fi
    missing=
    for f in $(printf '%s\n' "$cmd" | grep -o -- '--out [^ ]*' | cut -c7-); do
        [ -s "$T/work/$f" ] || missing="$missing $f"
    done
    [ -z "$missing" ] && ok "$cmd (status $rc)" || bad "$cmd: no$missing"
done
[ $n -ge 20 ] && ok "$n examples run" || bad "only $n examples run"

# What some of them did, read with sqlite3 rather than esis.
[ "$(q "SELECT state || ' ' || decided_by FROM access_requests WHERE id = 1")" = "approved director" ] \
    && ok "access request 1 approved by the director" || bad "access request 1: $(q "SELECT state, decided_by FROM access_requests WHERE id = 1")"
login=$(q "SELECT login FROM access_requests WHERE id = 1")
[ "$(q "SELECT count(*) FROM users WHERE login = '$login'")" = 1 ] && ok "its account '$login' made" \
    || bad "no account '$login'"
[ "$(q "SELECT count(*) FROM survey_answers WHERE survey_id = 1")" -ge 8 ] && ok "the survey's answers kept" \
    || bad "survey answers: $(q "SELECT count(*) FROM survey_answers WHERE survey_id = 1")"
[ "$(sqlite3 "$T/work/new.db" "SELECT count(*) FROM schools")" = 0 ] && ok "esis init made an empty database" \
    || bad "new.db"

[ $fails = 0 ] && echo "readme_examples.sh: all passed" || { echo "readme_examples.sh: $fails failed"; exit 1; }
