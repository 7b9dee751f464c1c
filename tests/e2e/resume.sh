#!/usr/bin/env bash
# e2e: `esis-session --resume` and mosh, over a real sshd (tests/e2e/sshd.bash).
#
#   1. ForceCommand runs deploy/esis-session --resume (an installed-like
#      copy): esis inside the user's private tmux, Thai on the first screen;
#   2. a new student's Thai name half typed, the ssh client killed with
#      SIGKILL, a new login: the very same esis process and screen, with the
#      half-typed name (capture-pane), finished and saved; sqlite3 checks;
#   3. mosh, when Debian's mosh is installed (.ci/deps): `mosh --ssh=...`
#      through the same ForceCommand (esis-session lets `mosh-server new`
#      through and only that), Thai on the first screen, a name saved;
#   4. esis-session refuses a mosh-server command with anything after `--`.
# Without root or sshd it says "resume.sh: SKIP: why" (tests/run counts a skip).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.bash"
command -v tmux >/dev/null || { echo "resume.sh: SKIP: needs tmux"; exit 0; }

# the installed-like esis-session and tmux.conf, as deploy/install.sh writes them
cat > "$W/bin/esisdb" <<EOS
#!/bin/sh
exec $W/bin/esis --db $db
EOS
sed -e "s|^ESIS=.*|ESIS=$W/bin/esisdb|" -e "s|^TMUX_CONF=.*|TMUX_CONF=$W/share/esis/tmux.conf|" \
    "$SRC/deploy/esis-session" > "$W/bin/esis-session"
cp "$SRC/deploy/tmux.conf" "$W/share/esis/tmux.conf"
cat > "$W/bin/login" <<EOS
#!/bin/sh
[ "\$SSH_ORIGINAL_COMMAND" = true ] && exit 0
exec $W/bin/esis-session --resume
EOS
chmod 755 "$W/bin/esisdb" "$W/bin/esis-session" "$W/bin/login"
sshd_up
q() { sqlite3 "$db" "$1"; }
school=$(q "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
connect() { E2E_CMD="$(ssh_cmd "$port" -tt)" e2e_start; }
esis_pid() { pgrep -u "$user" -x esis | head -1; }
kill_client() {
    local pane client
    pane=$(_tmux display-message -p -t "$E2E_SESSION" '#{pane_pid}')
    client=$(pgrep -P "$pane" -x "$1" || pgrep -f -P "$pane" "$1")
    [ -n "$client" ] || e2e_fail "no $1 client under the pane"
    kill -KILL $client
    _tmux kill-session -t "$E2E_SESSION" 2>/dev/null; rm -f "$E2E_DIR/rc"
}
end_esis() {   # the session's esis ends; its tmux with it
    local p; p=$(esis_pid); [ -n "$p" ] && kill "$p"
    for _ in $(seq 30); do pgrep -u "$user" >/dev/null || break; sleep 0.2; done
    pgrep -u "$user" >/dev/null && e2e_fail "processes of $user remain: $(pgrep -a -u "$user")"
    _tmux kill-session -t "$E2E_SESSION" 2>/dev/null; rm -f "$E2E_DIR/rc"
}
new_student() {   # new_student CID PREFIX NAME: a form with the name half typed
    send_keys 1; wait_for "รายชื่อนักเรียน"
    send_keys 1; wait_for "แถว" 10
    send_bytes '\e[2~'; wait_for "เพิ่มใหม่"
    type_text "$school"; send_keys Tab
    type_text "$1";      send_keys Tab
    type_text "$2";      send_keys Tab
    type_text "$3";      wait_for "$3"
}
finish_student() {   # finish_student LAST: the rest of the form, F2
    send_keys Tab
    type_text "$1";         send_keys Tab
    type_text "2";          send_keys Tab
    type_text "01/05/2561"; send_keys Tab
    type_text "TH";         send_keys Tab Tab Tab
    type_text "P1";         send_keys Tab
    type_text "1";          send_keys Tab
    send_bytes '\e[12~'
    wait_for "บันทึกแล้ว" 10
}

# ---- 1. esis in the user's tmux ------------------------------------------
connect
wait_for "นักเรียนรายบุคคล (DMC)" 15
pid=$(esis_pid); [ -n "$pid" ] || e2e_fail "no esis process of $user"
a=$pid chain=
for _ in 1 2 3 4; do [ "${a:-0}" -gt 1 ] || break; a=$(ps -o ppid= -p "$a" | tr -d ' '); chain="$chain $(ps -o comm= -p "$a")"; done
case "$chain" in *tmux*) ;; *) e2e_fail "esis runs under$chain, not tmux";; esac
# Thai drawn through tmux as directly: the menu box's right border in one column
borders=$(screen | python3 -c '
import sys, unicodedata
w = lambda s: sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in s)
print(*sorted({w(l[:l.rindex("\u2502")]) for l in sys.stdin if l.count("\u2502") == 2}))')
case "$borders" in *" "*|"") e2e_fail "the menu's right border in columns $borders through tmux";; esac

# ---- 2. the link dropped mid-entry; the same screen at the next login ----
new_student 1101700000109 "เด็กหญิง" "ต่อสาย"
kill_client ssh
sleep 1
[ "$(esis_pid)" = "$pid" ] || e2e_fail "esis did not survive the dropped link"
connect
wait_for "ต่อสาย" 15
assert_screen_has "เพิ่มใหม่"
assert_screen_lacks "ตอนที่การเชื่อมต่อหลุด"
[ "$(esis_pid)" = "$pid" ] || e2e_fail "a new esis, not the same screen"
type_text "ได้"
wait_for "ต่อสายได้"
finish_student "คืนจอ"
got=$(q "SELECT first_name || '|' || last_name FROM students WHERE citizen_id = '1101700000109'")
[ "$got" = "ต่อสายได้|คืนจอ" ] || e2e_fail "after resuming the database holds '$got'"
[ "$(q "SELECT count(*) FROM drafts")" = 0 ] || e2e_fail "a draft was left: $(q "SELECT fields FROM drafts")"
end_esis

# ---- 3. mosh through the same ForceCommand -------------------------------
if command -v mosh >/dev/null && command -v mosh-server >/dev/null; then
    ssh_line="ssh -F /dev/null -i $W/userkey -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -p $port"
    E2E_CMD="$(printf '%q ' env LANG=C.UTF-8 TERM=xterm mosh --ssh="$ssh_line" "$user@127.0.0.1")" e2e_start
    for _ in $(seq 100); do screen | grep -q "นักเรียนรายบุคคล (DMC)" && break; sleep 0.2; done
    screen | grep -q "นักเรียนรายบุคคล (DMC)" || e2e_fail "no first screen over mosh: $(tail -5 "$W/sshd.log"; pgrep -a -u "$user")"
    pgrep -u "$user" -x mosh-server >/dev/null || e2e_fail "no mosh-server of $user"
    new_student 1101700000117 "เด็กหญิง" "โมช"
    finish_student "ทางไกล"
    got=$(q "SELECT first_name || '|' || last_name FROM students WHERE citizen_id = '1101700000117'")
    [ "$got" = "โมช|ทางไกล" ] || e2e_fail "over mosh the database holds '$got'"
    end_esis
    echo "resume.sh: mosh: Thai first screen and a save over mosh-server $(mosh-server --version 2>&1 | head -1 | awk '{print $3}' | tr -d ')')"
else
    echo "resume.sh: note: mosh not installed (.ci/deps): the mosh login not tried"
fi

# ---- 4. only `mosh-server new` and its options get through ---------------
for cmd in "mosh-server new -- /bin/sh" "mosh-server 'new' '--' 'sh'" "mosh-server 'new' '-l' 'LANG='\\''\$(id)'" "mosh-server new -s -c 8 -l LANG=C.UTF-8 -e" \
           "mosh-server new -l PATH=/tmp" "mosh-server new -l LANG=\$(id)"; do
    out=$(ssh -p "$port" "${SSH_OPTS[@]}" "$user@127.0.0.1" "$cmd" 2>&1 </dev/null); rc=$?
    [ $rc -ne 0 ] || e2e_fail "esis-session let '$cmd' through: $out"
    case "$out" in *"MOSH CONNECT"*) e2e_fail "'$cmd' started a mosh-server";; esac
    case "$out" in *"esis-session: refused"*) ;; *) e2e_fail "'$cmd' failed, but not refused: $out";; esac
done
e2e_done
