#!/usr/bin/env bash
# e2e: a dropped connection never loses a record being typed.
#
#   1. SIGHUP: a new student typed in Thai, not saved; `kill -HUP` esis.  It
#      exits (129), the terminal is sane again, a draft row exists.  The next
#      start offers it; accepting shows every typed value and the focus where
#      it was; F2 saves it through the normal save; the draft is gone.
#   2. SIGTERM: an existing student's surname changed, `kill -TERM`; exits
#      143; the restored form saves over the version being edited.
#   3. Ctrl-C (a key in raw mode, and SIGINT by kill): a draft is kept and
#      esis asks; "no" goes on typing with nothing lost, and the save
#      deletes the draft; "yes" leaves with the draft kept.
#   4. A second session of the same user lists the same draft.
#   5. The line lost with no signal (esis under setsid, the pane killed):
#      the failing reads are noticed, the draft is kept.
# On the way: F11 in the form shows the record's history (old → new).
# The figures (disconnects tried / survived) go to doc/reliability.md.
. "$(dirname "$0")/lib.sh"

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
q() { sqlite3 "$db" "$1"; }
school=$(q "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
tried=0 survived=0

# the esis process in the pane (the pane runs bash -c 'esis ...; ...')
esis_pid() {
    local pane; pane=$(_tmux display-message -p -t "$E2E_SESSION" '#{pane_pid}')
    pgrep -P "$pane" -x esis || pgrep -P "$pane" | head -1
}
restart() {
    _tmux kill-session -t "$E2E_SESSION" 2>/dev/null
    rm -f "$E2E_DIR/rc"
    e2e_start --db "$db"
}
# after esis ended: the terminal is back in cooked mode with echo, and the
# shell in the pane still runs
assert_terminal_sane() {
    local tty; tty=$(_tmux display-message -p -t "$E2E_SESSION" '#{pane_tty}')
    local modes; modes=$(stty -F "$tty" -a 2>&1) || e2e_fail "stty on $tty: $modes"
    case "$modes" in *" -icanon"*|*" -echo "*) e2e_fail "terminal left raw: $modes";; esac
    _tmux list-panes -t "$E2E_SESSION" >/dev/null || e2e_fail "the tmux pane is gone"
}
open_students() {
    wait_for "นักเรียนรายบุคคล (DMC)"
    send_keys 1
    wait_for "รายชื่อนักเรียน"
    send_keys 1
    wait_for "แถว"
}

# the student saved by part 1, found by name and opened in the form
open_saved_student() {
    open_students
    send_keys /
    type_text "สายหลุด"
    wait_for "1234567890121"
    send_keys Enter Enter
    wait_for "รหัสโรงเรียน"
}

# ---- 1. SIGHUP on a new record ------------------------------------------
e2e_start --db "$db"
open_students
send_keys IC
wait_for "เพิ่มใหม่"
type_text "$school";          send_keys Tab
type_text "1234567890121";    send_keys Tab
type_text "เด็กหญิง";         send_keys Tab
type_text "สายหลุด";          send_keys Tab
type_text "ต่อใหม่ได้";        send_keys Tab
type_text "2";                send_keys Tab
type_text "01/05/2561";       send_keys Tab
type_text "TH";               send_keys Tab Tab Tab
type_text "P1";               send_keys Tab
type_text "3"
wait_for "ต่อใหม่ได้"
pid=$(esis_pid); [ -n "$pid" ] || e2e_fail "no esis process"
tried=$((tried + 1))
kill -HUP "$pid"
rc=$(e2e_exit_code 10)
[ "$rc" = 129 ] || e2e_fail "after SIGHUP esis exited with $rc, expected 129"
assert_terminal_sane
[ "$(q "SELECT count(*) FROM drafts WHERE reason = 'hangup' AND coalesce(row_id, 0) = 0
        AND json_extract(fields, '$.first_name') = 'สายหลุด'
        AND json_extract(fields, '$.last_name') = 'ต่อใหม่ได้'
        AND json_extract(fields, '$.birth_date') = '01/05/2561'
        AND focus = 'room'")" = 1 ] || e2e_fail "no hangup draft: $(q "SELECT * FROM drafts")"

# 4. a second session sees the draft (offered at start), and declines
restart
wait_for "ตอนที่การเชื่อมต่อหลุด"
send_keys n
wait_for "เมนูหลัก"
send_keys F10
[ "$(e2e_exit_code)" = 0 ] || e2e_fail "esis did not exit with 0"
[ "$(q "SELECT count(*) FROM drafts")" = 1 ] || e2e_fail "declining the offer lost the draft"

# the next start offers it; yes restores the form as typed
restart
wait_for "ตอนที่การเชื่อมต่อหลุด"
send_keys y
wait_for "สายหลุด"
assert_screen_has "ต่อใหม่ได้"
assert_screen_has "เด็กหญิง"
assert_screen_has "01/05/2561"
assert_screen_has "1234567890121"
screen | grep -q "^>ห้อง" || e2e_fail "the focus is not back on the room field"
survived=$((survived + 1))
send_keys F2
wait_for "บันทึกแล้ว"
[ "$(q "SELECT count(*) FROM students WHERE citizen_id = '1234567890121'
        AND first_name = 'สายหลุด' AND last_name = 'ต่อใหม่ได้' AND room = '3'
        AND birth_date = '2018-05-01'")" = 1 ] || e2e_fail "the restored student was not saved"
[ "$(q "SELECT count(*) FROM drafts")" = 0 ] || e2e_fail "the draft stayed after the save"
send_keys F10
e2e_exit_code >/dev/null

# ---- 2. SIGTERM on an existing record -----------------------------------
id=$(q "SELECT id FROM students WHERE citizen_id = '1234567890121'")
restart
open_saved_student
send_keys Tab Tab Tab Tab End
type_text "ทดสอบ"
wait_for "ต่อใหม่ได้ทดสอบ"
tried=$((tried + 1))
kill -TERM "$(esis_pid)"
rc=$(e2e_exit_code 10)
[ "$rc" = 143 ] || e2e_fail "after SIGTERM esis exited with $rc, expected 143"
assert_terminal_sane
[ "$(q "SELECT count(*) FROM drafts WHERE reason = 'terminate' AND row_id = $id
        AND json_extract(fields, '$.last_name') = 'ต่อใหม่ได้ทดสอบ'")" = 1 ] \
    || e2e_fail "no terminate draft: $(q "SELECT * FROM drafts")"
restart
wait_for "ตอนที่การเชื่อมต่อหลุด"
send_keys y
wait_for "ต่อใหม่ได้ทดสอบ"
survived=$((survived + 1))
send_keys F2
wait_for "บันทึกแล้ว"
[ "$(q "SELECT last_name || ' v' || row_version FROM students WHERE id = $id")" = "ต่อใหม่ได้ทดสอบ v2" ] \
    || e2e_fail "the restored change was not saved over version 1"
[ "$(q "SELECT count(*) FROM drafts")" = 0 ] || e2e_fail "the draft stayed after the save"
send_keys F10
e2e_exit_code >/dev/null

# ---- 3. Ctrl-C: kept and asked ------------------------------------------
restart
open_saved_student
send_keys Tab Tab Tab End
type_text "ก"
tried=$((tried + 1))
send_keys C-c
wait_for "เก็บสิ่งที่พิมพ์ไว้เป็นแบบร่างแล้ว"
[ "$(q "SELECT count(*) FROM drafts WHERE reason = 'interrupt'
        AND json_extract(fields, '$.first_name') = 'สายหลุดก'")" = 1 ] || e2e_fail "no interrupt draft"
send_keys n                                   # go on typing: nothing lost
wait_gone "เก็บสิ่งที่พิมพ์ไว้เป็นแบบร่างแล้ว"
type_text "ข"
wait_for "สายหลุดกข"
# SIGINT by kill behaves the same
tried=$((tried + 1))
kill -INT "$(esis_pid)"
wait_for "เก็บสิ่งที่พิมพ์ไว้เป็นแบบร่างแล้ว"
[ "$(q "SELECT count(*) FROM drafts WHERE json_extract(fields, '$.first_name') = 'สายหลุดกข'")" = 1 ] \
    || e2e_fail "SIGINT kept no draft: $(q "SELECT reason, fields FROM drafts")"
send_keys n
wait_gone "เก็บสิ่งที่พิมพ์ไว้เป็นแบบร่างแล้ว"
survived=$((survived + 2))
send_keys F2
wait_for "บันทึกแล้ว"
[ "$(q "SELECT first_name FROM students WHERE id = $id")" = "สายหลุดกข" ] || e2e_fail "typing lost after Ctrl-C"
[ "$(q "SELECT count(*) FROM drafts")" = 0 ] || e2e_fail "the draft stayed after the save"
# the record's history (F11): each save, old → new
send_keys Enter
wait_for "รหัสโรงเรียน"
send_keys F11
wait_for "last_name: ต่อใหม่ได้ → ต่อใหม่ได้ทดสอบ"
assert_screen_has "first_name: สายหลุด → สายหลุดกข"
send_keys Escape
wait_for "รหัสโรงเรียน"
# Ctrl-C then yes: esis leaves, the draft stays
send_keys Tab Tab Tab End
type_text "ค"
tried=$((tried + 1))
send_keys C-c
wait_for "เก็บสิ่งที่พิมพ์ไว้เป็นแบบร่างแล้ว"
send_keys y
[ "$(e2e_exit_code 10)" = 0 ] || e2e_fail "leaving after Ctrl-C: not exit 0"
assert_terminal_sane
[ "$(q "SELECT count(*) FROM drafts WHERE json_extract(fields, '$.first_name') = 'สายหลุดกขค'")" = 1 ] \
    || e2e_fail "leaving after Ctrl-C lost the draft"
survived=$((survived + 1))
# ---- 5. the line lost without a signal ----------------------------------
# esis in a session of its own (setsid) gets no SIGHUP when the pane goes:
# only its reads fail (EIO, hang-up on poll).  The Ctrl-C draft is offered,
# opened, typed into, and the pane killed.
_tmux kill-session -t "$E2E_SESSION" 2>/dev/null
rm -f "$E2E_DIR/rc"
E2E_CMD="setsid -w $(printf '%q' "$ESIS_BIN") --db $(printf '%q' "$db")" e2e_start
wait_for "ตอนที่การเชื่อมต่อหลุด"
send_keys y
wait_for "สายหลุดกขค"
type_text "ง"
wait_for "สายหลุดกขคง"
pid=$(pgrep -f "^$ESIS_BIN --db $db\$")
tried=$((tried + 1))
_tmux kill-session -t "$E2E_SESSION"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && e2e_fail "esis still runs after its terminal went away"
[ "$(q "SELECT count(*) FROM drafts WHERE reason = 'hangup'
        AND json_extract(fields, '$.first_name') = 'สายหลุดกขคง'")" = 1 ] \
    || e2e_fail "the lost line kept no draft: $(q "SELECT reason, fields FROM drafts")"
survived=$((survived + 1))

[ "$(q "PRAGMA integrity_check")" = ok ] || e2e_fail "integrity check"
echo "disconnects tried $tried, survived $survived"
[ "$tried" = "$survived" ] || e2e_fail "some stop lost typing"
e2e_done
