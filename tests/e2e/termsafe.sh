#!/usr/bin/env bash
# termsafe.sh: no command prints a control character from the data.
#
# A copy of the demo district gets escape sequences (a window title, clear
# screen, OSC 52 to the clipboard), a C1 CSI (U+009B) and a bidi override
# in every TEXT column of every table with rows (tests/e2e/plant_hostile.py
# reads the columns from the schema), and in what commands are given
# (titles, reasons, a CSV to import).  Then every command of esis's command
# table (read from src/cli/main.c, so a new command without a line here
# fails the test) runs, and its stdout and stderr are read by Python
# (tests/e2e/term_unsafe.py): no ESC, no C0 but newline and tab, no C1, no
# bidi override, nothing that is not UTF-8.  The planted text must also
# show, in its visible form, in the commands that print it.
set -u
BIN=${ESIS_BIN:-$(pwd)/build/esis}
SRC=$(pwd)
DEMO=${ESIS_E2E_DEMO:-build/e2e/demo.db}
skip() { echo "termsafe.sh: SKIP: $*"; exit 77; }
[ -x "$BIN" ] || skip "$BIN is not built yet"
[ -f "$DEMO" ] || skip "no demo database ($DEMO)"
command -v python3 >/dev/null || skip "python3 is missing"
command -v sqlite3 >/dev/null || skip "sqlite3 is missing"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
T=$(mktemp -d "${TMPDIR:-/tmp}/esis-termsafe.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

P=$'\e]0;pwned\a\e[2J\e]52;c;cm0gLXJmIH4K\a\u009b31m\u202eevil'
DB=$T/t.db
sqlite3 "$DEMO" ".backup '$DB'" || { bad "copy of the demo"; exit 1; }
planted=$(python3 "$SRC/tests/e2e/plant_hostile.py" "$DB" "$P") || { bad "plant: $planted"; exit 1; }
ok "$planted"
ROUND=$(sqlite3 "$DB" "SELECT round_code FROM rounds ORDER BY as_of DESC LIMIT 1")
YEAR=${ROUND%-*}
SCHOOL=$(sqlite3 "$DB" "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
# A CSV with the payload in a header and in the fields.
printf '"school_code","name","amphoe","%s"\n"%s","%s","%s","x"\n' "$P" "$SCHOOL" "$P" "$P" >"$T/evil.csv"

# ---- every command, each with the invocations that make it print -------
declare -A RUNS
RUNS[init]="init --db $T/new.db"
RUNS[user]="user list|user add evil1 --role viewer --name $P|user role nobody$P viewer"
RUNS[check]="check --round $ROUND|check --round $ROUND --format csv|check --school $SCHOOL"
RUNS[rules]="rules|rules --doc"
RUNS[import]="import schools $T/evil.csv --rejects $T/rej.csv|import dmc $T/evil.csv --round $ROUND"
RUNS[export]="export schools|export dmc --round $ROUND --school $SCHOOL|export staff"
RUNS[demo-csv]="demo-csv $T/csv --students 40 --schools 2"
RUNS[round]="round list"
RUNS[submission]="submission list --round $ROUND|submission return --school $SCHOOL --round $ROUND --reason $P"
RUNS[report]="report --list"
for r in $(ESIS_HOME=$SRC "$BIN" --db "$DB" report --list 2>/dev/null); do
    RUNS[report]+="|report $r --round $ROUND --year $YEAR"
done
RUNS[audit]="audit|audit --table schools|audit --format csv|audit --user $P"
RUNS[backup]="backup $T/b.db"
RUNS[restore]="restore $T/nothing.db"
RUNS[activity]="activity start network --title $P --year $YEAR|activity list|activity pending|activity show 1|activity done 1 --note $P|activity return 1 --reason $P"
RUNS[print]=""
for f in "$SRC"/conf/documents/*.ini; do
    RUNS[print]+="print $(basename "$f" .ini) 1|"
done
RUNS[access]="access approve 1 --note $P|access refuse 1 --reason $P|access create-user 1"
RUNS[serve]="serve 1 schools --out $T/served.csv|serve approve 1 --note $P|serve refuse 1 --reason $P"
RUNS[briefing]="briefing add --date 20/05/$YEAR --title $P --round $ROUND --place $P|briefing attend 1 $SCHOOL"
RUNS[survey]="survey add satisfaction --title $P --year $YEAR|survey summary 1|survey answers 1"

commands=$(sed -n 's/^ *&cmd_\([a-z_]*\),$/\1/p' "$SRC/src/cli/main.c")
[ -n "$commands" ] || { bad "no command table read from src/cli/main.c"; exit 1; }
n=0 shown=0 unsafe=0
for c in $commands; do
    name=$(grep -h -A2 "^const esis_cmd cmd_$c = {" "$SRC"/src/cli/cmd_*.c | grep -o '"[a-z-]*"' | head -1 | tr -d '"')
    [ -n "$name" ] || { bad "cmd_$c: its name not found"; continue; }
    [ -n "${RUNS[$name]:-}" ] || { bad "esis $name: no invocation in termsafe.sh (a new command?)"; continue; }
    IFS='|' read -r -a runs <<<"${RUNS[$name]}"
    for run in "${runs[@]}"; do
        [ -n "$run" ] || continue
        # The payload stays one argument: split on spaces, then put it back.
        read -r -a words <<<"${run//$P/@@P@@}"
        for i in "${!words[@]}"; do words[$i]=${words[$i]//@@P@@/$P}; done
        (cd "$T" && ESIS_HOME=$SRC "$BIN" --db "$DB" --lang en "${words[@]}" </dev/null >"$T/out" 2>&1)
        n=$((n + 1))
        found=$(python3 "$SRC/tests/e2e/term_unsafe.py" "$T/out") \
            || { bad "esis ${run//$P/PAYLOAD}: $found"; unsafe=$((unsafe + 1)); continue; }
        grep -q '\^\[\]52;c;' "$T/out" && shown=$((shown + 1))
    done
done
[ $unsafe = 0 ] && ok "$n invocations of $(echo "$commands" | wc -w) commands, none printed a control character" \
    || bad "$unsafe of $n invocations printed a control character"
# The test can fail only if the planted text is printed at all.
[ "$shown" -ge 10 ] && ok "$shown of them showed the planted text, made visible (^[]52;c;...)" \
    || bad "only $shown invocations showed the planted text: the test reaches too little"
for c in "audit --table schools" "round list" "submission list --round $ROUND"; do
    ESIS_HOME=$SRC "$BIN" --db "$DB" --lang en $c 2>&1 | grep -q '\^\[\]0;pwned\^G' \
        && ok "esis $c shows it" || bad "esis $c does not show the planted text"
done
if [ $fails -gt 0 ]; then echo "termsafe.sh: $fails failed"; exit 1; fi
echo "termsafe.sh: all passed"
