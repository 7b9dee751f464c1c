#!/usr/bin/env bash
# e2e: import from a list screen through the file chooser (issue 18).
#   The staff screen (a table conf/import/staff.ini maps) offers import on
#   its actions key; the chooser lists the working directory, folders first,
#   only .csv/.xlsx/.txt files, a Thai name's size column aligned with a
#   Latin one's; "staff_n" + Tab completes the name; the import's summary
#   names the rejects file and the rejected row with its reason; the rows
#   are checked with sqlite3.  A file lacking a required column: the reason
#   is shown and no "importing..." status stays.  Esc cancels; Backspace on
#   an empty path goes up a folder.
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
q() { sqlite3 "$db" "$1"; }
school=$(q "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
cid() { python3 -c "d='$1'; s=sum(int(d[i])*(13-i) for i in range(12)); print(d+str((11-s%11)%10))"; }
good=$(cid 110170012345)
bad=$(cid 110170012399)

imp=$E2E_DIR/imp
mkdir -p "$imp/ครูใหม่" "$imp/zdir"
{
    printf 'school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,position,employment_type,status\n'
    printf '%s,%s,นาง,ทดลอง,นำเข้าครู,2,01/05/2520,TEA,CIV,active\n' "$school" "$good"
    printf '%s,%s,นาย,ผิดรหัส,ตำแหน่ง,1,01/05/2520,XYZ,CIV,active\n' "$school" "$bad"
} > "$imp/staff_new_2568.csv"
printf 'school_code,prefix,first_name\n%s,นาย,ไม่มีเลขบัตร\n' "$school" > "$imp/bad_header.csv"
head -c 1111 /dev/zero | tr '\0' 'x' > "$imp/ครูอัตราจ้าง.txt"
head -c 2222 /dev/zero | tr '\0' 'x' > "$imp/aaa.txt"
echo x > "$imp/other.pdf"
echo x > "$imp/"$'evil\e]0;pwned\a.csv'      # a title-setting escape in a name
before=$(q "SELECT count(*) FROM staff")

E2E_CMD="cd $(printf '%q' "$imp") && $(printf '%q' "$ESIS_BIN") --db $(printf '%q' "$db")"
e2e_start
wait_for "เมนูหลัก"
send_keys 2
wait_for "ครูและบุคลากร"
send_keys 2
wait_for "ครูและบุคลากร"
sleep 0.3
send_keys F12
wait_for "ไฟล์ที่จะนำเข้า"
wait_for "staff_new_2568.csv"
assert_screen_has "bad_header.csv"
assert_screen_lacks "other.pdf"
assert_screen_has "ครูใหม่/"
assert_screen_has "evil^[]0;pwned^G.csv"       # shown, not obeyed
# the sizes are right-aligned in one column whatever the names' scripts
assert_columns_aligned "1111" "2222"
# folders first: the Thai folder's row is above every file's
rows=$(screen | grep -n "ครูใหม่/\|zdir/\|aaa.txt" | cut -d: -f1 | tr '\n' ' ')
set -- $rows
[ "$#" = 3 ] && [ "$1" -lt "$3" ] && [ "$2" -lt "$3" ] || e2e_fail "folders are not listed first: rows $rows"

# Tab completes "staff_n" to the one file starting so; Enter imports it
type_text "staff_n"
send_keys Tab
sleep 0.3
send_keys Enter
wait_for "ปฏิเสธ 1 แถว"
assert_screen_has "staff_new_2568.csv.rejects.csv"
assert_screen_has "position"                    # the rejected row's reason
assert_screen_has "แถว 3"                        # and its line in the file
[ "$(q "SELECT count(*) FROM staff WHERE citizen_id = '$good' AND last_name = 'นำเข้าครู' AND school_code = '$school'")" = 1 ] \
    || e2e_fail "the good row is not in staff"
[ "$(q "SELECT count(*) FROM staff WHERE citizen_id = '$bad'")" = 0 ] || e2e_fail "the rejected row is in staff"
[ "$(q "SELECT count(*) FROM staff")" = $((before + 1)) ] || e2e_fail "staff grew by other than one row"
send_keys n
wait_gone "ปฏิเสธ 1 แถว"

# a file without a required column: the reason, and no stuck status
send_keys F12
wait_for "ไฟล์ที่จะนำเข้า"
type_text "bad_h"
send_keys Tab Enter
wait_for "นำเข้าไม่สำเร็จ"
assert_screen_has "citizen"
send_keys Enter
sleep 0.5
assert_screen_lacks "กำลังนำเข้า"
assert_screen_has "นำเข้าไม่สำเร็จ"             # the status line says what happened
[ "$(q "SELECT count(*) FROM staff")" = $((before + 1)) ] || e2e_fail "the refused file changed staff"

# Esc cancels; Backspace on an empty path goes up to the folder above
send_keys F12
wait_for "ไฟล์ที่จะนำเข้า"
send_keys BSpace
wait_for "imp/"
send_keys Escape
wait_gone "ไฟล์ที่จะนำเข้า"
# the import menu's "other data": every kind of conf/import, by its screen's title
EMIS_MENU="ครูและบุคลากร"   # an item of EMIS's sub-menu, and the staff list's title
# Esc goes back one step: the list, then EMIS's sub-menu (drawn over the
# main menu, whose title stays on screen), then the main menu alone
for _ in 1 2 3 4; do
    screen | grep -q "─ เมนูหลัก" && ! screen | grep -q "$EMIS_MENU" && break
    send_keys Escape
    sleep 0.7
done
wait_for "─ เมนูหลัก"
wait_gone "$EMIS_MENU"
sleep 0.5                                       # Escape then 7 at once would read as Alt-7
send_keys 7
wait_for "นำเข้าข้อมูลชนิดอื่น"
send_keys 5
for k in $(ls "$ESIS_HOME/conf/import" | sed 's/\.ini$//'); do
    wait_for "($k)"
done
assert_screen_has "ครูและบุคลากร (staff)"
send_keys Escape
wait_gone "ครูและบุคลากร (staff)"
send_keys F10
[ "$(e2e_exit_code)" = 0 ] || e2e_fail "esis did not exit with 0"
e2e_done
