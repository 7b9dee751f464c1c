#!/usr/bin/env bash
# e2e (issue 16, 5 and 6): a TUI that explains itself, at 80x24 on a demo
# database.
#  - Leaving a field with a wrong value puts the reason on the message line
#    at once (not only '!' beside the field): a citizen ID with a wrong check
#    digit, a date that does not exist with the format expected.
#  - Passing through an empty required field does not flag it; a save does.
#  - F1 on a field explains it: meaning, format with an example, its flags.
#  - The list's row count is exact, and exact again after a save: checked
#    against plain SQL, written with thousands grouped, never "~".
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
school=$(sqlite3 "$db" "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
round=$(sqlite3 "$db" "SELECT round_code FROM rounds WHERE collection = 'dmc' AND state = 'open'")
n_students() { sqlite3 "$db" "SELECT count(*) FROM students WHERE round_code = '$round'"; }
grouped() { printf '%s' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

e2e_start --db "$db"
wait_for "นักเรียนรายบุคคล (DMC)"
send_keys 1
wait_for "รายชื่อนักเรียน"
send_keys 1
before=$(n_students)
wait_for "$(grouped "$before") แถว"
assert_screen_lacks "~"

send_keys IC
wait_for "เพิ่มใหม่"
send_keys Tab                        # the empty school: passed through
sleep 0.3
screen | grep -q "^!" && e2e_fail "an untouched required field was flagged"
assert_screen_lacks "ต้องกรอกช่องนี้"
type_text "1234567890129";    send_keys Tab
# the reason, on the message line, the moment the field is left
wait_for "1234567890129 ผิด"
screen | tail -2 | grep -q "เลขประจำตัวประชาชน" || e2e_fail "the reason is not on the message line"
send_keys BTab BSpace
type_text "1";                send_keys Tab
type_text "เด็กชาย";          send_keys Tab
type_text "อธิบายตัว";        send_keys Tab
type_text "ใจงาม";            send_keys Tab
type_text "1";                send_keys Tab
type_text "31/02/2561";       send_keys Tab
wait_for "31/02/2561"
screen | tail -2 | grep -q "วว/ดด/ปปปป" || e2e_fail "a bad date's reason and format are not on the message line"
send_keys BTab
# F1 on the date: what it is, how it is written with an example, its flag
send_keys F1
wait_for "15/03/2560"
assert_screen_has "ผลการตรวจช่องนี้ตอนนี้"
send_keys Escape
wait_gone "15/03/2560"
for _ in 1 2 3 4 5 6 7 8 9 10; do send_keys BSpace; done
type_text "01/05/2561";       send_keys Tab
type_text "TH";               send_keys Tab Tab Tab
type_text "P1";               send_keys Tab
type_text "1";                send_keys Tab
send_keys F2
# the school left empty is flagged now, at the save
wait_for "บันทึกไม่ได้"
wait_for "ต้องกรอกช่องนี้"
send_keys F3
wait_for "ข้อผิดพลาดและคำเตือน"
send_keys Enter
type_text "$school"
send_keys Tab F2
wait_for "บันทึกแล้ว"
after=$(n_students)
[ "$after" = $((before + 1)) ] || e2e_fail "the save did not add one student ($before -> $after)"
wait_for "$(grouped "$after") แถว"
assert_screen_lacks "~"
e2e_done
