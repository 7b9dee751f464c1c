#!/usr/bin/env bash
# bad_input.sh: bad files on purpose, through the real binary
# ($ESIS_BIN import dmc FILE --round R --db DB) on a copy of the demo
# district, and bad conf files through ESIS_HOME.
#
# Each case: the exit status of the contract (0 all imported, 3 some
# rejected, 2 the file refused), a message or a rejects row naming the file
# and the line (and the column where there is one), and, where nothing in
# the file was valid, the database as it was: a checksum of the students
# table and the count of audit rows the same before and after.
# Conf files (a 2000-byte line, a duplicate section, binary junk), read by
# `esis rules`: exit 2 with the file and the section or line, never
# a crash.  (Screen files are fuzzed by tests/fuzz/fuzz_ini.)
set -u
BIN=${ESIS_BIN:-$(pwd)/build/esis}
export ESIS_HOME=${ESIS_HOME:-$(pwd)}
[ -x "$BIN" ] || { echo "bad_input.sh: SKIP: $BIN is not built yet"; exit 0; }
command -v sqlite3 >/dev/null || { echo "bad_input.sh: SKIP: sqlite3 is missing"; exit 0; }
. "$(dirname "$0")/lib.sh"
T=$E2E_DIR
DB=$T/esis.db
e2e_demo_db "$DB"
export ESIS_USER=$(id -un)
q() { sqlite3 -batch -noheader "$DB" "$1"; }
S=$(q "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
R=$(q "SELECT round_code FROM rounds WHERE collection = 'dmc' AND state = 'open' ORDER BY round_code DESC LIMIT 1")
[ -n "$R" ] || R=$(q "SELECT round_code FROM students GROUP BY round_code ORDER BY count(*) DESC LIMIT 1")
fails=0
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

state() { echo "$(q "SELECT count(*), coalesce(sum(length(citizen_id) + length(first_name) + row_version), 0), group_concat(citizen_id) IS NOT NULL FROM students") $(q "SELECT count(*) FROM audit")"; }
# A valid citizen ID (check digit) from a 12-digit prefix.
tid() { local p=$1 s=0 i; for i in $(seq 0 11); do s=$((s + ${p:$i:1} * (13 - i))); done; echo "$p$(( (11 - s % 11) % 10 ))"; }
HDR="school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,nationality"
row() { echo "$S,$(tid "$1"),ด.ช.,สมชาย$2,ใจดี,M,15/01/2559,P3,1,TH"; }

# run NAME WANT_RC [unchanged] [grep-in-output...]: import $T/NAME.csv.
run() {
    local name=$1 want=$2 same=$3; shift 3
    local f=$T/$name.csv before after out rc
    before=$(state)
    out=$(timeout 120 "$BIN" import dmc "$f" --round "$R" --db "$DB" --rejects "$T/$name.rej" 2>&1); rc=$?
    after=$(state)
    [ "$rc" = "$want" ] || bad "$name: exit $rc, want $want: $out"
    [ "$same" = same ] && [ "$before" != "$after" ] && bad "$name: the database changed ($before -> $after)"
    local text="$out"; [ -f "$T/$name.rej" ] && text="$out $(cat "$T/$name.rej")"
    local pat
    for pat in "$@"; do
        printf '%s' "$text" | grep -qF -- "$pat" || bad "$name: '$pat' not in: $(printf '%s' "$text" | head -c 600)"
    done
    [ "$rc" -le 3 ] || bad "$name: crashed ($rc)"
    printf '%-16s exit %s\n' "$name" "$rc"
}

# invalid UTF-8 in one field of line 3: that row rejected, naming line and column
{ echo "$HDR"; row 110370200001 A; printf '%s,%s,x,\xff\xfe\xfd,y,M,15/01/2559,P3,1,TH\n' "$S" "$(tid 110370200002)"; } > "$T/utf8.csv"
run utf8 3 "" '"3"' "4"
# a whole file in TIS-620 (Windows Thai): converted, imported
{ echo "$HDR"; row 110370200003 B; } | iconv -f UTF-8 -t TIS-620 > "$T/tis.csv"
run tis 0 ""
# a 10 MB field: that row rejected (field too long), memory bounded
{ echo "$HDR"; printf '%s,%s,x,' "$S" "$(tid 110370200004)"; head -c 10485760 /dev/zero | tr '\0' 'a'; printf ',y,M,15/01/2559,P3,1,TH\n'; row 110370200005 C; } > "$T/big.csv"
run big 3 "" '"2"' "4"
# NUL bytes in a field: rejected, nothing else from that row
{ echo "$HDR"; printf '%s,%s,x,ab\0cd,y,M,15/01/2559,P3,1,TH\n' "$S" "$(tid 110370200006)"; } > "$T/nul.csv"
run nul 3 same '"2"' "4"
# 10,000 columns in the header: refused, naming the header line
{ printf 'c%d,' $(seq 1 10000); echo; } > "$T/wide_header.csv"
run wide_header 2 same "wide_header.csv" "1"
# 10,000 columns in a data row: that row rejected
{ echo "$HDR"; printf 'x,%.0s' $(seq 1 10000); echo; } > "$T/wide_row.csv"
run wide_row 3 same '"2"'
# an empty file; a header only
: > "$T/empty.csv"
run empty 2 same "empty.csv"
echo "$HDR" > "$T/header.csv"
run header 0 same
# SQL in every field: rejected as values, the tables still there
{ echo "$HDR"; printf "'); DROP TABLE students;--,%.0s" 1 2 3 4 5 6 7 8; echo "'); DROP TABLE students;--"; } > "$T/sql.csv"
run sql 3 same '"2"'
[ "$(q "SELECT count(*) FROM sqlite_master WHERE name = 'students'")" = 1 ] || bad "sql: students table gone"
# CRLF and LF lines mixed: every row imported
{ printf '%s\r\n' "$HDR"; printf '%s\n' "$(row 110370200007 D)"; printf '%s\r\n' "$(row 110370200008 E)"; printf '%s\n' "$(row 110370200009 F)"; } > "$T/crlf.csv"
run crlf 0 ""
[ "$(q "SELECT count(*) FROM students WHERE citizen_id IN ('$(tid 110370200007)','$(tid 110370200008)','$(tid 110370200009)')")" = 3 ] || bad "crlf: not every row imported"
# a BOM in the middle (two files pasted together): that line rejected
{ printf '\xef\xbb\xbf%s\n' "$HDR"; row 110370200010 G; printf '\xef\xbb\xbf%s\n' "$HDR"; row 110370200011 H; } > "$T/bom.csv"
run bom 3 "" '"3"'
# an unterminated quote at the end of the file: that record rejected, from its line
{ echo "$HDR"; row 110370200012 I; printf '%s,%s,x,"never closed,y,M\n' "$S" "$(tid 110370200013)"; } > "$T/quote.csv"
run quote 3 "" '"3"'
# the same child twice in one file: both rows rejected, each naming the
# other's row (the rejects file read with Python's csv module); a line of
# separators only skipped and counted, not rejected
{ echo "$HDR"; row 110370200015 K; echo ",,,,,,,,,"; row 110370200016 L; row 110370200015 M; } > "$T/twice.csv"
run twice 3 "" "ข้ามบรรทัดว่าง 1 บรรทัด"
python3 - "$T/twice.rej" <<'PY' || bad "twice: the rejects file"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
assert rows[0][:3] == ["row", "reasons", "raw"] and rows[0][3] == "school_code", rows[0]
body = {r[0]: r for r in rows[1:]}
assert set(body) == {"2", "5"}, body.keys()
assert "5" in body["2"][1] and "2" in body["5"][1], (body["2"][1], body["5"][1])
PY
[ "$(q "SELECT count(*) FROM students WHERE citizen_id = '$(tid 110370200015)'")" = 0 ] || bad "twice: a repeated key imported"
[ "$(q "SELECT count(*) FROM students WHERE citizen_id = '$(tid 110370200016)'")" = 1 ] || bad "twice: the good row not imported"
# the same file again: the earlier rejects file kept, this run's under a new
# name, and a notice says so
before=$(md5sum < "$T/twice.rej")
out=$("$BIN" import dmc "$T/twice.csv" --round "$R" --db "$DB" --rejects "$T/twice.rej" 2>&1)
[ "$(md5sum < "$T/twice.rej")" = "$before" ] || bad "twice: the earlier rejects file was overwritten"
newrej=$(ls "$T"/twice-*.rej 2>/dev/null | head -1)
[ -n "$newrej" ] && printf '%s' "$out" | grep -qF "$newrej" || bad "twice: no notice of the new rejects file: $out"
# a directory; a file that is not there; an unreadable file (not as root)
mkdir -p "$T/dir.csv"
run dir 2 same "dir.csv"
run missing 2 same "missing.csv"
if [ "$(id -u)" != 0 ]; then
    row 110370200014 J > "$T/locked.csv"; chmod 000 "$T/locked.csv"
    run locked 2 same "locked.csv"
fi

# ---- conf files ----------------------------------------------------------
H=$T/home
mkdir -p "$H"; cp -R "$ESIS_HOME/conf" "$ESIS_HOME/screens" "$H/"
conf_case() {   # NAME FILE WANT-GREP...: FILE already broken in $H
    local name=$1 file=$2; shift 2
    local out rc
    out=$(ESIS_HOME=$H timeout 60 "$BIN" --db "$DB" rules 2>&1 </dev/null); rc=$?
    [ "$rc" = 2 ] || bad "$name: exit $rc, want 2: $(printf '%s' "$out" | head -c 300)"
    local pat
    for pat in "$file" "$@"; do
        printf '%s' "$out" | grep -qF -- "$pat" || bad "$name: '$pat' not in: $(printf '%s' "$out" | head -c 300)"
    done
    rm -rf "$H/conf" "$H/screens"; cp -R "$ESIS_HOME/conf" "$ESIS_HOME/screens" "$H/"
    printf '%-16s exit %s\n' "$name" "$rc"
}
{ cat "$ESIS_HOME/conf/esis.ini"; printf 'office_name_th = %s\n' "$(head -c 2000 /dev/zero | tr '\0' 'x')"; } > "$H/conf/esis.ini.new"
mv "$H/conf/esis.ini.new" "$H/conf/esis.ini"
conf_case long_line esis.ini
{ cat "$ESIS_HOME/conf/rates.ini"; grep -m1 '^\[' "$ESIS_HOME/conf/rates.ini"; echo "primary_per_head = 1"; } > "$H/conf/rates.ini.new"
dup=$(grep -m1 '^\[' "$ESIS_HOME/conf/rates.ini" | tr -d '[]')
mv "$H/conf/rates.ini.new" "$H/conf/rates.ini"
conf_case dup_section rates.ini "$dup"
head -c 3000 /dev/urandom > "$H/conf/rounds.ini"
conf_case junk rounds.ini
{ cat "$ESIS_HOME/conf/rules/dmc.ini"; sed -n '/^\[/{p;q}' "$ESIS_HOME/conf/rules/dmc.ini"; echo "severity = error"; } > "$H/conf/rules/dmc.ini.new"
mv "$H/conf/rules/dmc.ini.new" "$H/conf/rules/dmc.ini"
conf_case dup_rule dmc.ini

[ "$fails" = 0 ] || { echo "bad_input.sh: $fails failure(s)"; exit 1; }
echo ok
