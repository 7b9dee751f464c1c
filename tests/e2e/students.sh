#!/usr/bin/env bash
# e2e: the student list and form at 80x24 on a demo database.  Open the
# menu and the list, search a Thai name (typed as Thai), add a student with
# a citizen ID whose check digit is wrong: the flag appears beside the field
# and the save is refused with the reason; fix the digit, save, find the new
# student in the list; the Thai columns line up.
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
school=$(sqlite3 "$db" "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
[ -n "$school" ] || e2e_fail "the demo database has no school"

e2e_start --db "$db"
wait_for "นักเรียนรายบุคคล (DMC)"
send_keys 1
wait_for "รายชื่อนักเรียน"
send_keys 1
wait_for "เลขประจำตัว"               # the list's heading
wait_for "แถว"                       # the row count under it

# search: typing Thai narrows the list to matching names
send_keys /
type_text "สมชาย"
wait_for "สมชาย"
assert_columns_aligned "ชื่อ" "สมชาย"
send_keys Enter Escape               # keep, then end the search

# add a student with a wrong check digit (the right one is 1)
send_keys IC
wait_for "เพิ่มใหม่"
type_text "$school";          send_keys Tab
type_text "1234567890129";    send_keys Tab
wait_for "1234567890129  !"          # the flag beside the ID
type_text "เด็กชาย";          send_keys Tab
type_text "ทดสอบระบบ";        send_keys Tab
type_text "ใจงาม";            send_keys Tab
type_text "1";                send_keys Tab
type_text "01/05/2561";       send_keys Tab
type_text "TH";               send_keys Tab Tab Tab
type_text "P1";               send_keys Tab
type_text "1";                send_keys Tab
send_keys F2
wait_for "บันทึกไม่ได้"              # refused, with the reason
assert_screen_has "เลขประจำตัวประชาชน"
assert_screen_lacks "บันทึกแล้ว"

# fix the ID: the flag list (F3) takes us to the field
send_keys F3
wait_for "ข้อผิดพลาดและคำเตือน"
send_keys Enter BSpace
type_text "1"
send_keys Tab F2
wait_for "บันทึกแล้ว"
wait_for "เลขประจำตัว"               # back in the list

# the new student is in the list
send_keys /
type_text "ทดสอบระบบ"
wait_for "1234567890121"
assert_columns_aligned "ชื่อ" "ทดสอบระบบ"
assert_columns_aligned "นามสกุล" "ใจงาม"
[ "$(sqlite3 "$db" "SELECT count(*) FROM students WHERE citizen_id = '1234567890121'")" = 1 ] \
    || e2e_fail "the student is not in the database"
send_keys Escape Escape      # the search, the list
wait_for "เมนูหลัก"
send_keys F10
[ "$(e2e_exit_code)" = 0 ] || e2e_fail "esis did not exit with 0"
e2e_done
