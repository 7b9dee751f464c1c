#!/usr/bin/env bash
# e2e: EMIS and B-obec forms at 80x24 on a demo database.  Edit a building
# (its note) and a staff record (the phone), save each, and see the change
# in the database and in the audit trail, attributed to the TUI.
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
q() { sqlite3 "$db" "$1"; }
[ "$(q "SELECT count(*) FROM buildings")" -gt 0 ] || e2e_fail "the demo has no buildings"
[ "$(q "SELECT count(*) FROM staff")" -gt 0 ] || e2e_fail "the demo has no staff"

e2e_start --db "$db"
wait_for "อาคารสิ่งก่อสร้าง (B-obec)"

# buildings: menu item 3 opens the list; Enter the first row; the note is
# the last of 14 fields
send_keys 3
wait_for "แถว"
send_keys Enter
wait_for "หมายเหตุ"
for _ in $(seq 13); do send_keys Tab; done
type_text " ตรวจแล้ว"
send_keys F2
wait_for "บันทึกแล้ว"
wait_for "แถว"
send_keys Escape
wait_for "เมนูหลัก"                    # (Esc then a digit within 0.4 s is an F-key)
[ "$(q "SELECT count(*) FROM buildings WHERE note LIKE '%ตรวจแล้ว'")" = 1 ] \
    || e2e_fail "the building's note was not saved"
[ "$(q "SELECT count(*) FROM audit WHERE table_name = 'buildings' AND action = 'update'
        AND origin LIKE 'tui%' AND new_values LIKE '%ตรวจแล้ว%'")" = 1 ] \
    || e2e_fail "no audit row for the building"

# staff: EMIS menu (2), teachers and staff (2); the phone is field 15
send_keys 2
wait_for "ครูและบุคลากร"
send_keys 2
wait_for "แถว"
send_keys Enter
wait_for "โทรศัพท์"
for _ in $(seq 14); do send_keys Tab; done
send_keys End
for _ in $(seq 30); do send_keys BSpace; done
type_text "0812345678"
send_keys F2
wait_for "บันทึกแล้ว"
wait_for "แถว"
[ "$(q "SELECT count(*) FROM staff WHERE phone = '0812345678'")" = 1 ] \
    || e2e_fail "the phone was not saved"
[ "$(q "SELECT count(*) FROM audit WHERE table_name = 'staff' AND action = 'update'
        AND origin LIKE 'tui%'")" = 1 ] || e2e_fail "no audit row for the staff record"
send_keys Escape
wait_for "เมนูหลัก"
send_keys F10
[ "$(e2e_exit_code)" = 0 ] || e2e_fail "esis did not exit with 0"
e2e_done
