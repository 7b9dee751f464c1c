#!/usr/bin/env bash
# e2e: the menu's built-in actions and the quarantine's fix, at 80x24.
#   import:dmc  a file with one bad row (a wrong check digit): the summary
#               line, then the quarantine screen; F12 opens the row in the
#               student form, the digit is fixed, F2 saves it, the row is
#               marked resolved;
#   report:NAME the viewer; `o` writes an HTML file;
#   export:dmc  a CSV file with the round's students;
#   check       stored like esis check, then the flags screen.
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
q() { sqlite3 "$db" "$1"; }
school=$(q "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
printf 'school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,nationality\n%s,1234567890129,เด็กชาย,แก้ไข,ภายหลัง,1,01/05/2561,P1,1,TH\n' \
    "$school" > "$E2E_DIR/in.csv"

e2e_start --db "$db"
wait_for "เมนูหลัก"
send_keys 7
wait_for "นำเข้านักเรียน (CSV)"
send_keys 1
wait_for "ไฟล์ที่จะนำเข้า"
type_text "$E2E_DIR/in.csv"
send_keys Enter
wait_for "ปฏิเสธ 1 แถว"
send_keys y
wait_for "แถวที่นำเข้าไม่ผ่าน"
wait_for "1234567890129"
send_keys F12
wait_for "เพิ่มใหม่"
assert_screen_has "ภายหลัง"                    # the row's values, as imported
send_keys Tab End BSpace
type_text "1"
send_keys F2
wait_for "ทำเครื่องหมายแถวที่นำเข้าไม่ผ่านว่าแก้ไขแล้ว"
[ "$(q "SELECT count(*) FROM students WHERE citizen_id = '1234567890121' AND last_name = 'ภายหลัง'")" = 1 ] \
    || e2e_fail "the fixed row is not in students"
[ "$(q "SELECT resolved FROM quarantine")" = 1 ] || e2e_fail "the quarantine row is not resolved"
send_keys Escape
wait_for "นำเข้านักเรียน (CSV)"          # back in the menu it came from
send_keys Escape                          # up to the main menu
wait_gone "นำเข้านักเรียน (CSV)"

# a report, written to a file
send_keys 6
wait_for "ขนาดโรงเรียน"
send_keys 2
wait_for "บันทึกเป็นไฟล์"
send_keys o
wait_for "ชื่อไฟล์"
type_text "$E2E_DIR/sizes.html"
send_keys Enter
wait_for "เขียนรายงานแล้ว"
grep -q "<table" "$E2E_DIR/sizes.html" || e2e_fail "the report file is not HTML"
send_keys Escape
wait_for "ขนาดโรงเรียน"                  # the reports menu again
send_keys Escape
wait_gone "ขนาดโรงเรียน"

# an export
send_keys 7
wait_for "ส่งออกนักเรียน (CSV)"
send_keys 2
wait_for "ชื่อไฟล์ที่จะส่งออก"
type_text "$E2E_DIR/out.csv"
send_keys Enter
wait_for "ส่งออกแล้ว"
grep -q "1234567890121" "$E2E_DIR/out.csv" || e2e_fail "the export lacks the fixed student"
send_keys Enter
# the same as a workbook: a name ending .xlsx, from the menu open again
wait_for "ส่งออกนักเรียน (CSV)"
send_keys 2
wait_for "ชื่อไฟล์ที่จะส่งออก"
type_text "$E2E_DIR/out.xlsx"
send_keys Enter
wait_for "ส่งออกแล้ว"
[ "$(head -c 2 "$E2E_DIR/out.xlsx")" = PK ] || e2e_fail "the .xlsx export is not a workbook"
send_keys Enter
wait_for "ส่งออกนักเรียน (CSV)"
send_keys Escape
wait_gone "ส่งออกนักเรียน (CSV)"

# the check, stored, then its findings
send_keys 5
wait_for "ตรวจสอบข้อมูลทั้งรอบ"
send_keys 1
wait_for "ตรวจสอบเสร็จ" 30
[ "$(q "SELECT count(*) FROM flags")" -gt 0 ] || e2e_fail "the check stored no flags"
send_keys Enter
wait_for "รายการที่ต้องแก้ไข"
send_keys Escape
wait_for "เมนูหลัก"
send_keys F10
[ "$(e2e_exit_code)" = 0 ] || e2e_fail "esis did not exit with 0"
e2e_done
