#!/usr/bin/env bash
# e2e: nothing typed, imported or restored is lost or silently changed
# (issue 14, delivers 4-6; issue 15, 9).  Each check compares with plain SQL
# (sqlite3), not with what esis says, and each fails on the code before it:
#
#   - a survey batch with one bad line saves nothing, names the line, exits
#     non-zero; the corrected batch is stored once (the count from SQL);
#   - a briefing attendance list with an unknown school marks none;
#   - a backup that fails half way (a file size limit, as a full disk)
#     leaves no file;
#   - restore without a terminal and without --yes changes nothing; on a
#     terminal it asks and "no" changes nothing; with --yes it keeps a
#     safety copy (its content equal to the database before) and the audit
#     rows written after the backup;
#   - a report, export or booklet for a round or year the database does not
#     hold is refused, and so is a DMC report on a B-obec round;
#   - reports say "as of" the round, its date and the last check;
#   - `round plan` on an open round holding students needs --force.
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
E() { "$ESIS_BIN" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# ---- 4: a batch is all or nothing ------------------------------------------
E survey add satisfaction --title "ความพึงพอใจ" --year 2568 >/dev/null || e2e_fail "survey add"
sid=$(q "SELECT max(id) FROM surveys")
printf '55555\n44444\n4444x\n33333\n' | E --lang en survey answers "$sid" >"$E2E_DIR/out" 2>"$E2E_DIR/err"
rc=$?
[ $rc -ne 0 ] || e2e_fail "a batch with a bad line exited 0"
[ "$(q "SELECT count(*) FROM survey_answers WHERE survey_id = $sid")" = 0 ] \
    || e2e_fail "a batch with a bad line saved $(q "SELECT count(*) FROM survey_answers") answers"
grep -q "line 3" "$E2E_DIR/err" || e2e_fail "the bad line is not named: $(cat "$E2E_DIR/err")"
grep -q "nothing was saved" "$E2E_DIR/err" || e2e_fail "no 'nothing was saved': $(cat "$E2E_DIR/err")"
printf '55555\n44444\n44445\n33333\n' | E survey answers "$sid" >/dev/null 2>&1 || e2e_fail "the corrected batch"
[ "$(q "SELECT count(*) FROM survey_answers WHERE survey_id = $sid")" = 4 ] || e2e_fail "the corrected batch is not 4 answers"

E briefing add --date 01/06/2568 --title "ชี้แจง" >/dev/null || e2e_fail "briefing add"
bid=$(q "SELECT max(id) FROM briefings")
s1=$(q "SELECT school_code FROM schools ORDER BY 1 LIMIT 1")
E briefing attend "$bid" "$s1" 9999999999 >/dev/null 2>"$E2E_DIR/err" && e2e_fail "attend with an unknown school exited 0"
[ "$(q "SELECT count(*) FROM briefing_attendance WHERE briefing_id = $bid")" = 0 ] || e2e_fail "attend marked part of a bad list"
grep -q 9999999999 "$E2E_DIR/err" || e2e_fail "the unknown school is not named"

# ---- 15.9: a failed backup leaves no file ----------------------------------
# A file size limit makes the copy fail half way, as a full disk would
# (SIGXFSZ ignored, so the write returns EFBIG instead of killing esis).
( trap '' XFSZ; ulimit -f 512; E backup "$E2E_DIR/full.db" ) >/dev/null 2>"$E2E_DIR/err" \
    && e2e_fail "a backup over the size limit exited 0"
leftover=$(ls "$E2E_DIR" | grep '^full\.db' || true)
[ -z "$leftover" ] || e2e_fail "a failed backup left: $leftover"

# ---- 6: restore protects the user -------------------------------------------
E backup "$E2E_DIR/b.db" >/dev/null || e2e_fail "backup"
bak_audit=$(sqlite3 "$E2E_DIR/b.db" "SELECT max(id) FROM audit")
# changes after the backup: their audit rows must survive the restore
E survey add satisfaction --title "after the backup" --year 2568 >/dev/null || e2e_fail "survey add after the backup"
after=$(q "SELECT count(*) FROM audit WHERE id > $bak_audit")
[ "$after" -gt 0 ] || e2e_fail "no audit row after the backup"
q "SELECT actor, table_name, action, coalesce(new_values, '') FROM audit WHERE id > $bak_audit ORDER BY id" > "$E2E_DIR/after.txt"
before_sum=$(q "SELECT count(*) || ':' || total(id) FROM surveys")
# no terminal, no --yes: refused, nothing changed
E restore "$E2E_DIR/b.db" </dev/null >/dev/null 2>"$E2E_DIR/err" && e2e_fail "restore without --yes and no terminal exited 0"
[ "$(q "SELECT count(*) || ':' || total(id) FROM surveys")" = "$before_sum" ] || e2e_fail "a refused restore changed the data"
ls "$E2E_DIR" | grep -q before-restore && e2e_fail "a refused restore left a safety copy"
# a file that is not an esis database is refused before anything else
head -c 4096 /dev/urandom > "$E2E_DIR/junk.db"
E restore "$E2E_DIR/junk.db" --yes >/dev/null 2>&1 && e2e_fail "restore of a junk file exited 0"
sqlite3 "$E2E_DIR/other.db" "CREATE TABLE t(x); PRAGMA user_version = 3;"
E restore "$E2E_DIR/other.db" --yes >/dev/null 2>&1 && e2e_fail "restore of a non-esis database exited 0"
# on a terminal it asks; "no" changes nothing
E2E_CMD="$(printf '%q ' "$ESIS_BIN" --db "$db" --lang en restore "$E2E_DIR/b.db")" e2e_start
wait_for "Type yes"
type_text "no"; send_keys Enter
for _ in $(seq 50); do [ -s "$E2E_DIR/rc" ] && break; sleep 0.1; done
[ "$(cat "$E2E_DIR/rc")" != 0 ] || e2e_fail "restore answered 'no' exited 0"
[ "$(q "SELECT count(*) || ':' || total(id) FROM surveys")" = "$before_sum" ] || e2e_fail "restore answered 'no' changed the data"
_tmux kill-server >/dev/null 2>&1; rm -f "$E2E_DIR/rc"
# --yes: restored, a safety copy equal to the database before, audit kept
q "SELECT count(*) || ':' || total(id) FROM students" > "$E2E_DIR/live_students.txt"
E restore "$E2E_DIR/b.db" --yes >"$E2E_DIR/out" 2>"$E2E_DIR/err" || e2e_fail "restore --yes: $(cat "$E2E_DIR/err")"
safety=$(ls "$E2E_DIR" | grep '^d\.db\.before-restore-' | head -1)
[ -n "$safety" ] || e2e_fail "no safety copy beside the database"
grep -qF "$safety" "$E2E_DIR/out" || e2e_fail "restore does not say where the safety copy is"
[ "$(sqlite3 "$E2E_DIR/$safety" "SELECT count(*) || ':' || total(id) FROM surveys")" = "$before_sum" ] \
    || e2e_fail "the safety copy is not the database as it was"
[ "$(sqlite3 "$E2E_DIR/$safety" "PRAGMA integrity_check")" = ok ] || e2e_fail "the safety copy is damaged"
[ "$(q "SELECT count(*) FROM surveys WHERE title = 'after the backup'")" = 0 ] || e2e_fail "the data after the backup is still there"
q "SELECT actor, table_name, action, coalesce(new_values, '') FROM audit WHERE id > $bak_audit AND action <> 'restore' ORDER BY id" > "$E2E_DIR/kept.txt"
cmp -s "$E2E_DIR/after.txt" "$E2E_DIR/kept.txt" || e2e_fail "the audit rows after the backup were not kept: $(diff "$E2E_DIR/after.txt" "$E2E_DIR/kept.txt" | head -5)"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'restore'")" = 1 ] || e2e_fail "the restore is not audited"

# ---- 6: a round's state is not thrown away without a question ---------------
# (after the restore: the database is the backup's again)
open_round=$(q "SELECT r.round_code FROM rounds r WHERE r.state = 'open' AND EXISTS (SELECT 1 FROM students s
                WHERE s.round_code = r.round_code) ORDER BY 1 LIMIT 1")
[ -n "$open_round" ] || e2e_fail "no open round holding students in the demo"
E round plan "$open_round" >/dev/null 2>"$E2E_DIR/err" && e2e_fail "round plan of an open round holding students exited 0"
[ "$(q "SELECT state FROM rounds WHERE round_code = '$open_round'")" = open ] || e2e_fail "round plan without --force changed the state"
grep -q -- "--force" "$E2E_DIR/err" || e2e_fail "the refusal does not name --force"
grep -q "$(q "SELECT count(*) FROM students WHERE round_code = '$open_round'")" "$E2E_DIR/err" \
    || e2e_fail "the refusal does not say how many students the round holds"
# the TUI asks: "n" keeps the state, "y" changes it
row=$(q "SELECT count(*) FROM rounds WHERE round_code < '$open_round'")
e2e_start --db "$db" --lang en
wait_for "Main menu"
send_keys 4 1
wait_for "$open_round"
for _ in $(seq "$row"); do send_keys Down; done
send_keys F12
wait_for "Back to planned"
send_keys Down Down Down Enter
wait_for "Change its state anyway"
send_keys n
sleep 0.3
[ "$(q "SELECT state FROM rounds WHERE round_code = '$open_round'")" = open ] || e2e_fail "the TUI changed the state after 'no'"
send_keys F12
wait_for "Back to planned"
send_keys Down Down Down Enter
wait_for "Change its state anyway"
send_keys y
wait_for "Done: Back to planned"
[ "$(q "SELECT state FROM rounds WHERE round_code = '$open_round'")" = planned ] || e2e_fail "the TUI did not change the state after 'yes'"
send_keys Escape
_tmux kill-server >/dev/null 2>&1
E round open "$open_round" >/dev/null || e2e_fail "round open (forward needs no --force)"
E round plan "$open_round" --force >/dev/null || e2e_fail "round plan --force"
[ "$(q "SELECT state FROM rounds WHERE round_code = '$open_round'")" = planned ] || e2e_fail "round plan --force did not change the state"
E round open "$open_round" >/dev/null || e2e_fail "round open again"

# ---- 5: no number without data behind it ------------------------------------
missing_year=2560
[ "$(q "SELECT count(*) FROM rounds WHERE academic_year = $missing_year")" = 0 ] || e2e_fail "the demo holds $missing_year"
E --lang en report booklet --year $missing_year >"$E2E_DIR/out" 2>"$E2E_DIR/err" && e2e_fail "the booklet of a year with no data exited 0"
[ -s "$E2E_DIR/out" ] && e2e_fail "the booklet of a year with no data printed: $(head -3 "$E2E_DIR/out")"
grep -q "$missing_year" "$E2E_DIR/err" || e2e_fail "the refusal does not name the year"
E --lang en report booklet --year $missing_year --out "$E2E_DIR/booklet.html" --format html >/dev/null 2>&1 \
    && e2e_fail "the booklet file of a year with no data exited 0"
[ -e "$E2E_DIR/booklet.html" ] && e2e_fail "the booklet of a year with no data left a file"
E --lang en report year_change --year $missing_year >/dev/null 2>"$E2E_DIR/err" && e2e_fail "year_change of a year with no data exited 0"
E --lang en report school_sizes --round 2599-1 >"$E2E_DIR/out" 2>"$E2E_DIR/err" && e2e_fail "a report of a round not in the database exited 0"
grep -q "2599-1" "$E2E_DIR/err" || e2e_fail "the refusal does not name the round"
E --lang en export dmc --round 2599-1 --out "$E2E_DIR/x.csv" >/dev/null 2>"$E2E_DIR/err" && e2e_fail "export of a round not in the database exited 0"
[ -e "$E2E_DIR/x.csv" ] && e2e_fail "export of a round not in the database left a file"
E --lang en export dmc --round 2599-1 >"$E2E_DIR/out" 2>/dev/null && e2e_fail "export to stdout of a round not in the database exited 0"
bobec=$(q "SELECT round_code FROM rounds WHERE collection = 'bobec' ORDER BY 1 DESC LIMIT 1")
emis=$(q "SELECT round_code FROM rounds WHERE collection = 'emis' ORDER BY 1 DESC LIMIT 1")
for r in "$bobec" "$emis"; do
    E --lang en report students_by_grade --round "$r" >"$E2E_DIR/out" 2>"$E2E_DIR/err" && e2e_fail "a DMC report on round $r exited 0"
    grep -q "$r" "$E2E_DIR/err" || e2e_fail "the refusal does not name round $r"
done
empty=$(q "SELECT r.round_code FROM rounds r WHERE r.collection = 'dmc' AND NOT EXISTS (SELECT 1 FROM students s
           WHERE s.round_code = r.round_code) ORDER BY 1 LIMIT 1")
if [ -n "$empty" ]; then
    E --lang en report students_by_grade --round "$empty" >/dev/null 2>&1 && e2e_fail "a DMC report on round $empty with no students exited 0"
fi
# a report of every definition that takes a round, on every round of another
# collection than it reads (from the definitions, not a hand-picked pair)
for f in conf/reports/*.ini; do
    name=$(basename "$f" .ini)
    grep -Eq '^params *=.*round' "$f" || continue
    reads=$(sed -n 's/^rounds *= *\([a-z ]*\).*/\1/p' "$f"); [ -n "$reads" ] || reads=$(sed -n 's/^collection *= *\([a-z]*\).*/\1/p' "$f")
    [ "$reads" = unit ] && continue
    for coll in dmc emis bobec; do
        case " $reads " in *" $coll "*) continue;; esac
        r=$(q "SELECT round_code FROM rounds WHERE collection = '$coll' ORDER BY 1 DESC LIMIT 1")
        E report "$name" --round "$r" >/dev/null 2>&1 && e2e_fail "report $name (reads $reads) ran on $coll round $r"
    done
done

# ---- 5: as of what ----------------------------------------------------------
dmc=$(q "SELECT r.round_code FROM rounds r WHERE r.collection = 'dmc' AND EXISTS (SELECT 1 FROM students s
         WHERE s.round_code = r.round_code) ORDER BY 1 DESC LIMIT 1")
as_of=$(q "SELECT substr(as_of, 9, 2) || '/' || substr(as_of, 6, 2) || '/' || (substr(as_of, 1, 4) + 543) FROM rounds WHERE round_code = '$dmc'")
E check --round "$dmc" >/dev/null 2>&1
checked=$(q "SELECT strftime('%d/%m/', checked_at, 'localtime') || (strftime('%Y', checked_at, 'localtime') + 543) || strftime(' %H:%M', checked_at, 'localtime') FROM round_checks WHERE round_code = '$dmc'")
[ -n "$checked" ] || e2e_fail "esis check did not record when round $dmc was checked"
for fmt in text csv html; do
    E --lang en report school_sizes --round "$dmc" --format $fmt > "$E2E_DIR/r.$fmt" || e2e_fail "report school_sizes --format $fmt"
    grep -q "Round $dmc as of $as_of" "$E2E_DIR/r.$fmt" || e2e_fail "the $fmt report does not say 'Round $dmc as of $as_of'"
    grep -q "flags last checked $checked" "$E2E_DIR/r.$fmt" || e2e_fail "the $fmt report does not say 'flags last checked $checked'"
done
head -c 3 "$E2E_DIR/r.csv" | od -An -tx1 | grep -q "ef bb bf" || e2e_fail "the CSV report lost its BOM"
E --lang en report booklet --year "$(q "SELECT academic_year FROM rounds WHERE round_code = '$dmc'")" > "$E2E_DIR/booklet.txt" \
    || e2e_fail "the booklet of a year with data"
grep -Eq "flags last checked|flags have never been checked" "$E2E_DIR/booklet.txt" \
    || e2e_fail "the booklet does not say when the flags were checked"

# the TUI's report viewer says it too, above the numbers
e2e_start --db "$db" --lang en
wait_for "Main menu"
send_keys 6
wait_for "School sizes"
send_keys 2
wait_for " as of "
screen | grep -Eq "flags last checked|flags have never been checked" || e2e_fail "the TUI report does not say when the flags were checked"
send_keys Escape
_tmux kill-server >/dev/null 2>&1

# ---- 5: the submission list's counts are current or stamped -----------------
E --lang en submission list --round "$dmc" > "$E2E_DIR/list.txt" || e2e_fail "submission list"
grep -q "flags last checked $checked" "$E2E_DIR/list.txt" || e2e_fail "the list does not say when the round was checked"
python3 - "$E2E_DIR/list.txt" "$db" "$dmc" <<'PY' || e2e_fail "the submission list's error counts are not the open flags"
import sqlite3, sys
db = sqlite3.connect(sys.argv[2])
want = dict(db.execute("SELECT s.school_code, (SELECT count(*) FROM flags f WHERE f.round_code = ?"
                       " AND f.school_code = s.school_code AND f.severity = 'error') FROM schools s", (sys.argv[3],)))
seen = 0
for line in open(sys.argv[1], encoding="utf-8"):
    w = line.split()
    if not w or w[0] not in want: continue
    # the columns after the name: state students errors warn ...
    i = next(k for k, x in enumerate(w) if x in ("not_started", "in_progress", "submitted", "returned", "confirmed"))
    if int(w[i + 2]) != want[w[0]]:
        sys.exit("%s: list %s, flags %d" % (w[0], w[i + 2], want[w[0]]))
    seen += 1
if seen != len(want): sys.exit("%d of %d schools listed" % (seen, len(want)))
PY
# the dashboard in the TUI: the same counts, with the date of their check
if [ "$(q "SELECT state FROM rounds WHERE round_code = '$dmc'")" = open ]; then
    e2e_start --db "$db" --lang en
    wait_for "Main menu"
    send_keys 4 2
    wait_for "Checked"
    wait_for "${checked%% *}"
    send_keys Escape
    _tmux kill-server >/dev/null 2>&1
fi
# a school with errors: submit is refused and the list shows that count
bad=$(q "SELECT school_code FROM flags WHERE round_code = '$dmc' AND severity = 'error' GROUP BY 1 ORDER BY 1 LIMIT 1")
if [ -n "$bad" ]; then
    E submission reopen --school "$bad" --round "$dmc" >/dev/null 2>&1
    q "DELETE FROM flags WHERE school_code = '$bad' AND round_code = '$dmc'"   # as if the check were stale
    E --lang en submission submit --school "$bad" --round "$dmc" >/dev/null 2>"$E2E_DIR/err" && e2e_fail "school $bad with errors submitted"
    n=$(q "SELECT count(*) FROM flags WHERE school_code = '$bad' AND round_code = '$dmc' AND severity = 'error'")
    [ "$n" -gt 0 ] || e2e_fail "submit did not store the check it refused on"
    grep -q "$n" "$E2E_DIR/err" || e2e_fail "the refusal does not give the count $n: $(cat "$E2E_DIR/err")"
    E --lang en submission list --round "$dmc" --school "$bad" | grep "^$bad" | grep -qw "$n" || e2e_fail "the list does not show $n errors for $bad"
fi

e2e_done
