#!/usr/bin/env bash
# decisions.sh: decisions by those who hold them, and personal data only by
# approval (issue 15), through the CLI on a demo district, as the office's
# people would: one esis user per role (shared-account passwords), the Unix
# login being the administrator.
#
#   - the approval chain: only the group head, then only the director (or
#     the deputy while delegated) moves an activity on; the administrator
#     never; the last step waits for the director's acknowledgement;
#   - serve: without an approval the file is the aggregate (read with
#     python3's csv: no 13-digit ID, no student's surname or parent's name, no count
#     from 1 to 4); with the director's approval of records only the named
#     fields; an expired approval refuses; every release in the log with
#     the file's SHA-256 as sha256sum computes it; the log only for the
#     director, a deputy and the administrator;
#   - confirming a school with open errors needs --override, kept;
#   - a printed form names the account's full name and position.
# Rows esis has no command for (a service request, a cooperation record)
# are written with python3's sqlite3 and the audit's functions.
set -u
BIN=${ESIS_BIN:-$(pwd)/build/esis}
export ESIS_HOME=${ESIS_HOME:-$(pwd)}
[ -x "$BIN" ] || { echo "decisions.sh: SKIP: $BIN is not built yet"; exit 0; }
command -v sqlite3 >/dev/null && command -v python3 >/dev/null || { echo "decisions.sh: SKIP: sqlite3 or python3 missing"; exit 0; }
T=$(mktemp -d /tmp/esis-decisions.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB=$T/esis.db
ME=$(id -un)
if [ -n "${ESIS_E2E_DEMO:-}" ] && [ -f "$ESIS_E2E_DEMO" ]; then cp "$ESIS_E2E_DEMO" "$DB"
elif ! ESIS_USER=$ME "$BIN" --db "$DB" init --demo --schools 40 --students 8000 >"$T/init.log" 2>&1; then
    echo "decisions.sh: SKIP: esis init --demo failed: $(tail -1 "$T/init.log")"; exit 0
fi
q() { sqlite3 -batch -noheader "$DB" "$1"; }
# A write with the audit's functions, as esis would record it.
w() {
    python3 - "$DB" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.create_function("esis_actor", 0, lambda: "e2e")
db.create_function("esis_origin", 0, lambda: "e2e")
db.create_function("esis_audit_row", 0, lambda: 1)
db.executescript(sys.argv[2])
db.commit()
PY
}
fails=0
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
export ESIS_NEW_PASSWORD=dec-pass-1 ESIS_PASSWORD=dec-pass-1
E0="$BIN --db $DB"
as() { local u=$1; shift; if [ "$u" = admin ]; then $E0 "$@"; else $E0 --user "d_$u" "$@"; fi; }
for role in staff group_head deputy director viewer; do
    $E0 user add "d_$role" --role "$role" --password --name "ชื่อ $role" --position "ตำแหน่ง $role" >/dev/null \
        || bad "user add d_$role"
done
$E0 user add d_deputy2 --role deputy --password >/dev/null || bad "user add d_deputy2"
A=$(q "SELECT school_code FROM students GROUP BY school_code ORDER BY count(*) DESC, school_code LIMIT 1")
$E0 user add d_school --role school --school "$A" --password >/dev/null || bad "user add d_school"
ROLES="admin staff group_head deputy deputy2 director viewer school"

# Only `holders` succeed at `cmd` (ID appended); the others exit 1 and change nothing.
only() {
    local holders=" $1 " what=$2; shift 2
    for r in $ROLES; do
        case "$holders" in *" $r "*) continue;; esac
        local before; before=$(q "SELECT total(row_version) FROM activities")
        if as "$r" "$@" >"$T/out" 2>&1; then bad "$what as $r succeeded"; fi
        [ "$(q "SELECT total(row_version) FROM activities")" = "$before" ] || bad "$what as $r changed an activity"
    done
    local h=${holders# }; h=${h%% *}
    as "$h" "$@" >"$T/out" 2>&1 || bad "$what as $h: $(cat "$T/out")"
}

# ---- the chain: group head, then director (or a delegated deputy) ----------
id=$(as staff activity start network --title "เครือข่าย e2e" --year 2568 | grep -o '[0-9]\+' | head -1)
for i in 1 2 3; do as staff activity done "$id" >/dev/null || bad "done $i"; done
[ "$(q "SELECT state || ' ' || awaiting FROM activities WHERE id = $id")" = "waiting_decision group_head" ] \
    || bad "not waiting for the group head: $(q "SELECT state, awaiting FROM activities WHERE id = $id")"
only "group_head" "approve (group head's step)" activity approve "$id"
[ "$(q "SELECT awaiting FROM activities WHERE id = $id")" = director ] || bad "the chain did not reach the director"
# no delegation yet: the deputy is refused like the others; the director delegates
as deputy activity approve "$id" >/dev/null 2>&1 && bad "an undelegated deputy approved"
as admin activity delegate d_deputy --until 31/12/2599 >/dev/null 2>&1 && bad "the administrator delegated"
as director activity delegate d_deputy --until 31/12/2599 >/dev/null || bad "the director could not delegate"
only "deputy director" "approve (director's step)" activity approve "$id"
[ "$(q "SELECT step || ' ' || state FROM activities WHERE id = $id")" = "4 running" ] || bad "not at step 4 after the approvals"
for i in 4 5 6; do as staff activity done "$id" >/dev/null || bad "done $i"; done
[ "$(q "SELECT state FROM activities WHERE id = $id")" = waiting_ack ] || bad "the last step did not wait for the director"
as staff activity done "$id" >/dev/null 2>&1 && bad "staff finished the director's step"
only "director deputy" "acknowledge" activity acknowledge "$id"
[ "$(q "SELECT state FROM activities WHERE id = $id")" = done ] || bad "not done after the acknowledgement"
[ "$(q "SELECT count(*) FROM activity_steps WHERE by_login = '$ME' AND action IN ('approve','return','acknowledge')")" = 0 ] \
    || bad "the administrator's decision is in the trail"

# ---- serve: the aggregate without an approval ----------------------------------
R=$(q "SELECT round_code FROM students GROUP BY round_code ORDER BY count(*) DESC LIMIT 1")
w "INSERT INTO service_requests(asked_on, requester, data_wanted, purpose, legal_basis, round_code) VALUES
   ('2025-07-01', 'นายวิจัย', 'นักเรียนรายบุคคล', 'วิจัย', 'PDPA ม.24(5)', '$R'),
   ('2025-07-02', 'ศาล', 'นักเรียนรายบุคคล', 'คดี', 'ป.วิ.อ. ม.132', '$R');" || bad "cannot add requests"
# their ids (the demo holds requests of its own)
R1=$(q "SELECT max(id) - 1 FROM service_requests") R2=$(q "SELECT max(id) FROM service_requests")
# Checks a served file independently; prints what must not be there.
inspect() {
    python3 - "$1" "$DB" "${2:-}" <<'PY'
import csv, re, sqlite3, sys
named = sys.argv[3].split()
names = set()
for row in sqlite3.connect(sys.argv[2]).execute(
        "SELECT last_name, father_name, mother_name, guardian_name FROM students"):
    for v in row:
        if v and len(v) >= 3: names.add(v)
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
for r in rows[1:]:
    for h, v in zip(rows[0], r):
        if re.search(r"(?<!\d)\d{13}(?!\d)", v): print("ID", h, v)
        if v in names and h not in named: print("NAME", h, v)
        if re.fullmatch(r"[1-4]", v): print("SMALL", h, v)
    # one hidden cell in a row comes back from the row's totals
    if sum(v.startswith("<") for v in r) == 1: print("LONE", r)
# nor one hidden cell in a column, from the totals row (the last, "รวม")
data = [r for r in rows[1:] if r and r[0] not in ("รวม", "Total")]
totals = [r for r in rows[1:] if r and r[0] in ("รวม", "Total")]
for i, h in enumerate(rows[0]):
    if sum(len(r) > i and r[i].startswith("<") for r in data) == 1 and not (totals and totals[0][i].startswith("<")):
        print("LONE column", h)
print("ROWS", len(rows) - 1)
PY
}
as staff serve $R1 dmc --out "$T/agg.csv" >"$T/out" 2>&1 || bad "serve without approval: $(cat "$T/out")"
inspect "$T/agg.csv" > "$T/agg.seen"
grep -q '^ID\|^NAME\|^SMALL\|^LONE' "$T/agg.seen" && bad "the aggregate singles people out: $(grep -m3 '^ID\|^NAME\|^SMALL\|^LONE' "$T/agg.seen")"
grep -q '<5' "$T/agg.csv" || bad "no small cell was suppressed"
sum=$(sha256sum "$T/agg.csv" | cut -d' ' -f1)
[ "$(q "SELECT sha256 || ' ' || level || ' ' || by_login FROM service_exports WHERE request_id = $R1")" = "$sum aggregate d_staff" ] \
    || bad "the release log has not the file's checksum: $(q "SELECT sha256, level, by_login FROM service_exports")"
as staff serve log >/dev/null 2>&1 && bad "staff read the release log"
as director serve log $R1 | grep -q "$sum" || bad "the director's log lacks the checksum"
as admin serve log | grep -q "$sum" || bad "the administrator's log lacks the checksum"

# ---- serve: records by the director's approval, and its expiry ------------------
for r in admin staff group_head deputy2 viewer school; do
    as "$r" serve approve $R2 --records --kind dmc --fields "first_name grade" --until 31/12/2599 >/dev/null 2>&1 \
        && bad "serve approve as $r succeeded"
done
as director serve approve $R2 --records --kind dmc --until 31/12/2599 >/dev/null 2>&1 && bad "an approval without fields"
as director serve approve $R2 --records --kind dmc --fields "first_name grade" >/dev/null 2>&1 && bad "an approval without expiry"
as director serve approve $R2 --records --fields "first_name grade" --until 31/12/2599 >/dev/null 2>&1 && bad "an approval without kind"
as director serve approve $R2 --records --kind dmc --fields "first_name grade" --until 31/12/2599 >/dev/null || bad "the director's approval"
as staff serve $R2 dmc --out "$T/rec.csv" >"$T/out" 2>&1 || bad "serve with approval: $(cat "$T/out")"
inspect "$T/rec.csv" "first_name" > "$T/rec.seen"
grep -q '^ID\|^NAME' "$T/rec.seen" && bad "the records carry IDs or surnames: $(grep -m3 '^ID\|^NAME' "$T/rec.seen")"
[ "$(grep '^ROWS' "$T/rec.seen" | cut -d' ' -f2)" = "$(q "SELECT count(*) FROM students WHERE round_code = '$R'")" ] \
    || bad "the records are not the round's students"
head -1 "$T/rec.csv" | grep -q first_name || bad "the named field is missing"
head -1 "$T/rec.csv" | grep -q 'citizen_id\|last_name\|religion\|weight_kg\|tambon' && bad "an unnamed field went out"
[ "$(q "SELECT sha256 FROM service_exports WHERE request_id = $R2 AND level = 'records' AND approved_by = 'd_director'")" \
  = "$(sha256sum "$T/rec.csv" | cut -d' ' -f1)" ] || bad "the records' release is not logged with its checksum"
w "UPDATE service_approvals SET expires = date('now', '-1 day');"
as staff serve $R2 dmc --out "$T/late.csv" >/dev/null 2>&1 && bad "served on an expired approval"
[ -e "$T/late.csv" ] && bad "a file was left by the refused serve"

# ---- confirming with open errors -------------------------------------------------
CR=$R
$E0 check --round "$CR" >/dev/null 2>&1
S=$(q "SELECT school_code FROM flags WHERE round_code = '$CR' AND severity = 'error' GROUP BY school_code LIMIT 1")
if [ -n "$S" ]; then
    w "INSERT INTO submissions(round_code, school_code, state) VALUES ('$CR', '$S', 'submitted')
       ON CONFLICT(round_code, school_code) DO UPDATE SET state = 'submitted';"
    as staff submission confirm --school "$S" --round "$CR" >"$T/out" 2>&1 && bad "confirmed with open errors, no override"
    grep -q override "$T/out" || bad "the refusal does not say an override is needed: $(cat "$T/out")"
    as staff submission confirm --school "$S" --round "$CR" --override "ผอ.สั่งรับรองก่อน" >"$T/out" 2>&1 \
        || bad "confirm with override: $(cat "$T/out")"
    grep -q "ผอ.สั่งรับรองก่อน" "$T/out" || bad "the override is not shown"
    [ "$(q "SELECT state || ' ' || override_reason FROM submissions WHERE round_code = '$CR' AND school_code = '$S'")" \
      = "confirmed ผอ.สั่งรับรองก่อน" ] || bad "the override is not kept"
else
    bad "no school with error flags in $CR"
fi

# ---- printed forms sign with names and positions --------------------------------
w "INSERT INTO coordination_records(recorded_on, agency, subject, recorded_by) VALUES ('2025-06-20', 'อบต.', 'ประสาน', 'd_staff');"
as staff print coordination_record "$(q "SELECT max(id) FROM coordination_records")" >"$T/form.txt" 2>&1 || bad "print: $(cat "$T/form.txt")"
# the group head's line: the first enabled group head's account (the demo has one of its own)
GH=$(q "SELECT display_name FROM users WHERE role = 'group_head' AND disabled = 0 ORDER BY id LIMIT 1")
grep -q "ชื่อ staff" "$T/form.txt" && grep -q "ตำแหน่ง staff" "$T/form.txt" && grep -q "$GH" "$T/form.txt" \
    || bad "the form does not name the people: $(tail -8 "$T/form.txt")"
grep -q "d_staff\|$ME" "$T/form.txt" && bad "the form shows a login"

[ "$fails" = 0 ] || { echo "decisions.sh: $fails failure(s)"; exit 1; }
echo ok
