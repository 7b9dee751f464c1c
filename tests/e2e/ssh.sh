#!/usr/bin/env bash
# e2e: esis over a real sshd, as a school officer's login reaches it.
#
# As root with /usr/sbin/sshd (Debian openssh-server, in .ci/deps): an sshd
# on 127.0.0.1 and a free port with a temporary configuration (a generated
# host key, key-only login, no PAM so no /etc/default/locale either, the
# deployment's own Match block of deploy/sshd_esis.conf with ForceCommand
# running an installed-like copy of esis on a copy of the demo district), a
# test Unix user made with useradd and removed on exit.  The client runs
# `ssh -tt` inside tmux with no LANG and no ssh_config (nothing sent):
#
#   1. Thai on the first screen;
#   2. a Thai name typed into a new student, its editing keys and F-keys in
#      the sequences of PuTTY, the Linux console, rxvt, vt100 and xterm,
#      some split by 0.2 s, unknown ones among them; saved with F2 the way
#      PuTTY sends it (ESC[12~); the database holds exactly the name;
#   3. the ssh client killed in the middle of a new student: the draft is
#      kept, and offered at the next login;
#   4. the figures: the SSH login alone, the time to the first screen and a
#      key's echo, direct and through bench/delay_proxy.py (150 ms each way,
#      384 kbit/s), by bench/ssh_latency.py (doc/performance.md).
# Without root or sshd it says "ssh.sh: SKIP: why" (tests/run counts a skip).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/sshd.bash"
# the forced command: esis, or nothing for `ssh ... true` (the login alone)
cat > "$W/bin/login" <<EOS
#!/bin/sh
[ "\$SSH_ORIGINAL_COMMAND" = true ] && exit 0
exec $W/bin/esis --db $db
EOS
chmod 755 "$W/bin/login"
sshd_up
q() { sqlite3 "$db" "$1"; }
school=$(q "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")

# the client; ESCDELAY=1500 sent (AcceptEnv of the deployment): the test
# machine is shared and a split's second half can wait on a busy CPU
ESCDELAY_SENT=1500
connect() { E2E_CMD="$(ssh_cmd "$port" -tt)" e2e_start; }

# ---- 1. Thai on the first screen, with no LANG anywhere ------------------
connect
wait_for "นักเรียนรายบุคคล (DMC)" 15
assert_screen_has "เมนูหลัก"
pid=$(pgrep -u "$user" -x esis | head -1)
[ -n "$pid" ] || e2e_fail "no esis process of $user"
envs=$(tr '\0' '\n' < "/proc/$pid/environ")
case "$envs" in *LANG=*|*LC_ALL=*) e2e_fail "the session has a locale variable: $envs";; esac
case "$envs" in *ESCDELAY=1500*) ;; *) e2e_fail "AcceptEnv ESCDELAY did not pass: $envs";; esac

# ---- 2. a Thai name with every family's keys; F2 as PuTTY sends it -------
send_keys 1; wait_for "รายชื่อนักเรียน"
send_keys 1; wait_for "แถว" 10
send_bytes '\e[2~'                                    # Ins
wait_for "เพิ่มใหม่"
type_text "$school";         send_keys Tab
type_text "1101700000079";   send_keys Tab
type_text "เด็กหญิง";        send_keys Tab
type_text "มศรีจ"
send_bytes '\e[1~';   type_text "ส"                    # PuTTY Home
send_bytes '\e[15~'; send_bytes '\e[[E'; send_bytes '\e[17~'        # F5 (xterm/PuTTY, Linux), F6
send_bytes '\e[99~'; send_bytes '\e[<0;3;4M'; send_bytes '\e[1;5D'  # unknown, a mouse report, Ctrl+Left
send_bytes '\e[8~';   type_text "ดี"                   # rxvt End
send_bytes_split '\e[15~' 2; send_bytes_split '\e[7~' 1; send_bytes_split '\eOF' 2   # F5, rxvt Home, xterm End
send_bytes '\eOD'; send_bytes '\e[D'; type_text "ใ"          # Left (application, normal)
send_bytes '\e[H'; send_bytes '\e[3~'; type_text "ส"         # xterm Home, Delete the ส, again
wait_for "สมศรีใจดี"
send_keys Tab
type_text "ทางไกล";          send_keys Tab
type_text "2";               send_keys Tab
type_text "01/05/2561";      send_keys Tab
type_text "TH";              send_keys Tab Tab Tab
type_text "P1";              send_keys Tab
type_text "1";               send_keys Tab
send_bytes_split '\e[12~' 3                               # PuTTY's F2, split
wait_for "บันทึกแล้ว" 10
got=$(q "SELECT first_name || '|' || last_name FROM students WHERE citizen_id = '1101700000079'")
[ "$got" = "สมศรีใจดี|ทางไกล" ] || e2e_fail "over ssh the database holds '$got'"

# ---- 3. the client killed mid-entry: the draft is offered next time ------
send_bytes '\e[2~'
wait_for "เพิ่มใหม่"
type_text "$school";         send_keys Tab
type_text "1101700000087";   send_keys Tab
type_text "เด็กชาย";         send_keys Tab
type_text "สายขาด"
wait_for "สายขาด"
pane=$(_tmux display-message -p -t "$E2E_SESSION" '#{pane_pid}')
client=$(pgrep -P "$pane" -x ssh || pgrep -f -P "$pane" "ssh ")
[ -n "$client" ] || e2e_fail "no ssh client under the pane"
kill -KILL $client
for _ in $(seq 50); do
    [ "$(q "SELECT count(*) FROM drafts WHERE json_extract(fields, '$.first_name') = 'สายขาด'")" = 1 ] && break
    sleep 0.2
done
[ "$(q "SELECT count(*) FROM drafts WHERE json_extract(fields, '$.first_name') = 'สายขาด'")" = 1 ] \
    || e2e_fail "no draft after the client was killed: $(q "SELECT reason, fields FROM drafts")"
_tmux kill-session -t "$E2E_SESSION" 2>/dev/null; rm -f "$E2E_DIR/rc"
connect
wait_for "ตอนที่การเชื่อมต่อหลุด" 15
send_keys y
wait_for "สายขาด"
_tmux kill-session -t "$E2E_SESSION" 2>/dev/null
for _ in $(seq 30); do pgrep -u "$user" -x esis >/dev/null || break; sleep 0.2; done
q "DELETE FROM drafts"      # the figures below start at the menu

# ---- 4. the figures: direct, and through a slow link ---------------------
# (no ESCDELAY sent: the default, as a user would have it)
ESCDELAY_SENT=
python3 "$SRC/bench/delay_proxy.py" "$((port + 1))" "$port" 150 384 >"$W/proxy.out" 2>&1 &
proxy_pid=$!
for _ in $(seq 50); do grep -q ready "$W/proxy.out" && break; sleep 0.1; done
figures() {   # figures LABEL PORT: one row of the table
    local login tui
    login=$(python3 "$SRC/bench/ssh_latency.py" --login-only -- \
        ssh -p "$2" "${SSH_OPTS[@]}" "$user@127.0.0.1" true) || e2e_fail "$1: login"
    tui=$(eval "python3 $SRC/bench/ssh_latency.py --keys 5 -- $(ssh_cmd "$2" -tt)") \
        || e2e_fail "$1: $tui"
    val() { printf '%s\n' "$login" "$tui" | awk -v k="$1" '$1 == k { print $2 }'; }
    printf '%-30s %12s %14s %12s %10s\n' "$1" "$(val login_only_s) s" "$(val first_screen_s) s" \
        "$(val echo_median_s) s" "$(val echo_max_s) s"
}
printf '%-30s %12s %14s %12s %10s\n' "ssh -tt, TERM=xterm, no LANG" "login alone" "first screen" "key echo" "echo max"
figures "loopback" "$port"
figures "150 ms each way, 384 kbit/s" "$((port + 1))"
e2e_done
