#!/usr/bin/env bash
# e2e: a school's submission through a round, in the TUI (the submission
# dashboard's actions key, F12 or ^K).
#
#   - school officer s1 of school A (no error-level flag) submits;
#   - school officer s2 of school B (with errors) is refused, with the count;
#   - the office (the Unix login, admin) returns A with a reason, typed in
#     Thai; s1 sees the reason in A's form, resubmits; the office confirms.
# Each state is checked with `esis submission list`.
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
E() { "$ESIS_BIN" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
state_of() { E submission list | awk -v s="$1" '$1 == s { for (i = 3; i <= NF; i++) if ($i ~ /^(not_started|in_progress|submitted|returned|confirmed)$/) { print $i; exit } }'; }

# A: a school with students and no error; B: one with errors
E check --format csv > "$E2E_DIR/check.csv"
read -r A B < <(python3 - "$E2E_DIR/check.csv" "$db" <<'PY'
import csv, sqlite3, sys
errors = {}
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if r["severity"] == "error":
        errors[r["school_code"]] = errors.get(r["school_code"], 0) + 1
db = sqlite3.connect(sys.argv[2])
codes = [c for (c,) in db.execute(
    "SELECT s.school_code FROM schools s WHERE EXISTS (SELECT 1 FROM students x"
    " WHERE x.school_code = s.school_code) ORDER BY 1")]
a = next((c for c in codes if errors.get(c, 0) == 0), "")
b = next((c for c in codes if errors.get(c, 0) > 0), "")
print(a, b)
PY
)
[ -n "$A" ] && [ -n "$B" ] || e2e_fail "no school without errors ($A) or with errors ($B)"
# the office opens the window for A again if it was closed or done
E submission reopen --school "$A" >/dev/null || e2e_fail "reopen $A"
case "$(state_of "$A")" in submitted|confirmed) e2e_fail "A is still $(state_of "$A")";; esac

export ESIS_NEW_PASSWORD=sub-pass-1 ESIS_PASSWORD=sub-pass-1
E user add s1 --role school --school "$A" --password >/dev/null || e2e_fail "user add s1"
E user add s2 --role school --school "$B" --password >/dev/null || e2e_fail "user add s2"

restart() {
    _tmux kill-session -t "$E2E_SESSION" 2>/dev/null
    rm -f "$E2E_DIR/rc"
    e2e_start --db "$db" "$@"
}
# the dashboard: menu 4 (rounds), then its submission item
dashboard() {
    wait_for "เมนูหลัก"
    send_keys 4
    wait_for "ติดตามการส่งข้อมูลของโรงเรียน"
    send_keys 2
    wait_for "แถว"
}
# on the dashboard: put the cursor on school $1, open the actions, choose
# the line holding $2
act() {
    send_keys /
    type_text "$1"
    send_keys Enter
    wait_for "$1"
    send_keys F12
    wait_for "ดำเนินการกับรายการที่เลือก"
    # the items stand one a line under the dialog's title
    local top n
    top=$(screen | grep -n "ดำเนินการกับรายการที่เลือก" | head -1 | cut -d: -f1)
    n=$(screen | tail -n +$((top + 1)) | grep -n -- "$2" | head -1 | cut -d: -f1)
    [ -n "$n" ] || e2e_fail "no action '$2' in the dialog"
    for _ in $(seq $((n - 1))); do send_keys Down; done
    send_keys Enter
}
leave() { send_keys Escape Escape; wait_for "เมนูหลัก"; send_keys F10; e2e_exit_code >/dev/null; }

# ---- s2: B has errors: refused, with the count -------------------------------
restart --user s2
dashboard
act "$B" "ส่งข้อมูลของโรงเรียน"
wait_for "ยังมีข้อผิดพลาด"
nb=$(awk -F, -v s="\"$B\"" '$3 == s && $5 == "\"error\""' "$E2E_DIR/check.csv" | wc -l)
assert_screen_has "ยังมีข้อผิดพลาด $nb รายการ"
case "$(state_of "$B")" in submitted|confirmed) e2e_fail "B was submitted with errors";; esac
leave

# ---- s1 submits A -------------------------------------------------------------
restart --user s1
dashboard
assert_screen_lacks "$B"                       # a school officer sees only A
act "$A" "ส่งข้อมูลของโรงเรียน"
wait_for "เรียบร้อย"
[ "$(state_of "$A")" = submitted ] || e2e_fail "A is $(state_of "$A") after s1 submitted"
leave

# ---- the office returns it with a reason ---------------------------------------
restart
dashboard
act "$A" "ตีกลับให้โรงเรียนแก้ไข"
wait_for "เหตุผลที่ตีกลับ"
type_text "น้ำหนักนักเรียนชั้น ป.1 ไม่ครบ"
send_keys Enter
wait_for "เรียบร้อย"
[ "$(state_of "$A")" = returned ] || e2e_fail "A is $(state_of "$A") after the return"
[ "$(q "SELECT reason FROM submissions WHERE school_code = '$A' AND state = 'returned'")" = \
  "น้ำหนักนักเรียนชั้น ป.1 ไม่ครบ" ] || e2e_fail "the reason was not stored"
# the office may not confirm returned data: refused with why
act "$A" "รับรองข้อมูล"
wait_for "ทำไม่ได้"
leave

# ---- s1 sees the reason and resubmits ----------------------------------------
restart --user s1
dashboard
assert_screen_has "ตีกลับแก้ไข"
send_keys Enter
wait_for "น้ำหนักนักเรียนชั้น ป.1 ไม่ครบ"
send_keys Escape
wait_for "แถว"
act "$A" "ส่งข้อมูลของโรงเรียน"
wait_for "เรียบร้อย"
[ "$(state_of "$A")" = submitted ] || e2e_fail "A is $(state_of "$A") after the resubmission"
# a school officer may not confirm its own data
act "$A" "รับรองข้อมูล"
wait_for "ทำไม่ได้"
leave

# ---- the office confirms ------------------------------------------------------
restart
dashboard
act "$A" "รับรองข้อมูล"
wait_for "เรียบร้อย"
wait_for "ยืนยันแล้ว"
[ "$(state_of "$A")" = confirmed ] || e2e_fail "A is $(state_of "$A") after the confirmation"
leave
[ "$(q "SELECT count(*) FROM audit WHERE table_name = 'submissions' AND origin LIKE 'tui%'
        AND row_key LIKE '%$A%'")" -ge 4 ] || e2e_fail "the TUI's steps are not in the audit"
e2e_done
