#!/usr/bin/env bash
# e2e: long Thai values are never cut (issue 14), at 80x24.
#   a coordination record: the agency องค์การบริหารส่วนตำบลโคกล่าม... (longer
#   than its 24-column box, with tone marks, thanthakhat and sara am) and a
#   contact person are typed through the form; while typing, the box
#   scrolls and shows '…' where the value is cut; F2 saves; the database
#   (read with sqlite3) holds both byte for byte;
#   a network contact: a 12-digit school code stops at its 10 with the
#   message on the screen, the long name is kept whole.
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
q() { sqlite3 "$db" "$1"; }
school=$(q "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
agency="องค์การบริหารส่วนตำบลโคกล่าม อำเภอนางรอง จังหวัดบุรีรัมย์ (ศูนย์พัฒนาเด็กเล็กบ้านหนองกุ้ง)"
contact="นางสาวพิชญาภา ศรีบุรินทร์ ณ อยุธยา"
name="นางสาวพิชญาภา ศรีบุรินทร์ ผู้ประสานงานข้อมูลสารสนเทศของโรงเรียน"

e2e_start --db "$db"
wait_for "เมนูหลัก"
send_keys 9
wait_for "แบบฟอร์มของกลุ่มงาน"
send_keys 3
wait_for "แบบบันทึกการประสานความร่วมมือ"
send_keys 1
wait_for "แบบบันทึกการประสานความร่วมมือ"
send_keys C-n
wait_for "เพิ่มใหม่"
send_keys Tab                                # activity -> date
type_text "01062568"
send_keys Tab                                # -> agency
type_text "$agency"
wait_for "…"                                 # the box scrolled: its start is marked cut
assert_screen_lacks "รับได้ไม่เกิน"            # nothing refused
send_keys Tab                                # -> contact person
type_text "$contact"
send_keys Tab                                # -> subject
type_text "ขอความร่วมมือสำรวจเด็กในเขตบริการ"
send_keys F2
wait_for "บันทึกแล้ว"
[ "$(q "SELECT agency FROM coordination_records ORDER BY id DESC LIMIT 1")" = "$agency" ] \
    || e2e_fail "agency stored as '$(q "SELECT agency FROM coordination_records ORDER BY id DESC LIMIT 1")'"
[ "$(q "SELECT contact_person FROM coordination_records ORDER BY id DESC LIMIT 1")" = "$contact" ] \
    || e2e_fail "contact stored as '$(q "SELECT contact_person FROM coordination_records ORDER BY id DESC LIMIT 1")'"
send_keys Escape                             # back to the menu it came from
wait_for "แบบรายงานข้อมูลสารสนเทศ"
send_keys Escape                             # and up to the unit's menu
wait_gone "แบบรายงานข้อมูลสารสนเทศ"
wait_for "คำขอใช้บริการข้อมูล"

# a network contact: past the school code's 10 characters, a message
send_keys 6
wait_for "เครือข่ายผู้ประสานงานข้อมูล "
send_keys C-n
wait_for "เพิ่มใหม่"
type_text "${school}99"
wait_for "รับได้ไม่เกิน 10 ตัวอักษร"
send_keys Tab
type_text "$name"
send_keys F2
wait_for "บันทึกแล้ว"
[ "$(q "SELECT name FROM network_contacts WHERE school_code = '$school' ORDER BY id DESC LIMIT 1")" = "$name" ] \
    || e2e_fail "contact name stored as '$(q "SELECT name FROM network_contacts ORDER BY id DESC LIMIT 1")'"
send_keys F10
e2e_done
