#!/usr/bin/env bash
# e2e (issue 16, 6): finding one's way.
#  - Esc from a report goes back to the menu the report was chosen in (the
#    reports sub-menu), not to the main menu; so does Esc from a list.
#  - The unit's menu (12 items at 80x24 for admin) shows every item: it moves
#    up rather than hide 3 of them below the screen's edge.
#  - At 40x10 the "too small" message is alone on the screen (the menu used
#    to be drawn over it); back at 80x24 the menu comes back.
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
e2e_start --db "$db"
wait_for "เมนูหลัก"

# a report from the reports menu, then Esc: the reports menu again
send_keys 6
wait_for "คุณภาพข้อมูลรายโรงเรียน"
send_keys 2
sleep 1
send_keys Escape
wait_for "คุณภาพข้อมูลรายโรงเรียน"       # the reports menu is open again
assert_screen_has "เมนูหลัก"
send_keys Escape                          # and Esc there: the main menu alone
wait_gone "คุณภาพข้อมูลรายโรงเรียน"

# a list from the DMC menu, then Esc: the DMC menu
send_keys 1
wait_for "รายชื่อนักเรียน"
send_keys 1
wait_for "แถว"
send_keys Escape
wait_for "รายชื่อนักเรียน"
assert_screen_lacks "เลขประจำตัว"
send_keys Escape
wait_gone "รายชื่อนักเรียน"

# the unit's menu: every item the role may see is on the screen
send_keys 9
wait_for "งานของกลุ่มงานข้อมูลสารสนเทศ"
sleep 0.3
missing=0
while IFS= read -r label; do
    screen | grep -qF -- "$label" || { echo "hidden: $label" >&2; missing=$((missing + 1)); }
done < <(awk '/^\[menu.unit\]/{m=1} m && /^items/{sub(/^items *= */,""); print; exit}' "$ESIS_HOME/screens/menu.ini" \
         | tr ' ' '\n' | while read -r it; do
               awk -v s="[item.$it]" '$0==s{f=1;next} f && /^label_th/{sub(/^label_th *= */,""); print; exit}' "$ESIS_HOME/screens/menu.ini"
           done)
[ "$missing" = 0 ] || e2e_fail "$missing items of the unit's menu are not on the screen"
send_keys Escape
wait_gone "กิจกรรมที่กำลังดำเนินการ"

# too small: the message alone, then the menu again
_tmux resize-window -t "$E2E_SESSION" -x 40 -y 10 2>/dev/null || _tmux resize-pane -t "$E2E_SESSION" -x 40 -y 10
sleep 0.5
wait_for "เล็กเกินไป"
assert_screen_lacks "เมนูหลัก"
assert_screen_lacks "DMC"
_tmux resize-window -t "$E2E_SESSION" -x 80 -y 24 2>/dev/null || _tmux resize-pane -t "$E2E_SESSION" -x 80 -y 24
wait_for "เมนูหลัก"
assert_screen_lacks "เล็กเกินไป"
e2e_done
