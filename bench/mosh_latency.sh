#!/usr/bin/env bash
# bench/mosh_latency.sh: a key's echo while typing into a field, over ssh and
# over mosh, direct and with 150 ms each way (bench/delay_proxy.py for ssh,
# bench/udp_delay_proxy.py for mosh's UDP).  As root, with sshd and mosh; it
# borrows tests/e2e's sshd harness (run it the way tests/run runs a test:
#   LANG=C.UTF-8 ESIS_HOME=$PWD ESIS_BIN=$PWD/build/esis \
#   ESIS_E2E_DEMO=build/e2e/demo.db bash bench/mosh_latency.sh
SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/sshd.bash"
command -v mosh-client >/dev/null || { echo "mosh_latency.sh: SKIP: needs mosh"; exit 0; }
sed -e "s|^ESIS=.*|ESIS=$W/bin/esisdb|" "$SRC/deploy/esis-session" > "$W/bin/esis-session"
printf '#!/bin/sh\nexec %s --db %s\n' "$W/bin/esis" "$db" > "$W/bin/esisdb"
printf '#!/bin/sh\n[ "$SSH_ORIGINAL_COMMAND" = true ] && exit 0\nexec %s\n' "$W/bin/esis-session" > "$W/bin/login"
chmod 755 "$W/bin/login" "$W/bin/esisdb" "$W/bin/esis-session"
sshd_up
udp_pid=
trap 'kill $proxy_pid $udp_pid 2>/dev/null; ssh_cleanup' EXIT
python3 "$SRC/bench/delay_proxy.py" "$((port + 1))" "$port" 150 384 >"$W/proxy.out" 2>&1 &
proxy_pid=$!
for _ in $(seq 50); do grep -q ready "$W/proxy.out" && break; sleep 0.1; done
row() { printf '%-34s %12s %12s\n' "$@"; }
val() { awk -v k="$1" '$1 == k { print $2 " s" }' "$W/out"; }
row "typing into a field" "echo median" "echo max"
fresh() {   # the last run's esis gone and its draft dropped: the next login starts at the menu
    local p; p=$(pgrep -u "$user" -x esis); [ -n "$p" ] && kill $p
    for _ in $(seq 30); do pgrep -u "$user" -x esis >/dev/null || break; sleep 0.2; done
    sqlite3 "$db" "DELETE FROM drafts"
}
for p in "$port" "$((port + 1))"; do
    fresh
    eval "python3 $SRC/bench/ssh_latency.py --type --keys 5 -- $(ssh_cmd "$p" -tt)" >"$W/out" || e2e_fail "ssh: $(cat "$W/out")"
    if [ "$p" = "$port" ]; then link=direct; else link="150 ms each way, 384 kbit/s"; fi
    row "ssh -tt, $link" "$(val echo_median_s)" "$(val echo_max_s)"
done
for delay in 0 150; do
    fresh
    # mosh by hand: mosh-server through the ForceCommand, its client on
    # the delayed UDP port, predictions always shown
    conn=$(ssh -p "$port" "${SSH_OPTS[@]}" -tt "$user@127.0.0.1" "mosh-server 'new' '-s' '-l' 'LANG=C.UTF-8'" </dev/null \
           | tr -d '\r' | awk '/^MOSH CONNECT/ { print $3, $4 }')
    [ -n "$conn" ] || e2e_fail "no MOSH CONNECT"
    set -- $conn
    up=$(($1 + 2000))
    python3 "$SRC/bench/udp_delay_proxy.py" "$up" "$1" "$delay" >"$W/udp.out" 2>&1 &
    udp_pid=$!
    for _ in $(seq 50); do grep -q ready "$W/udp.out" && break; sleep 0.1; done
    MOSH_KEY=$2 MOSH_PREDICTION_DISPLAY=always LANG=C.UTF-8 \
        python3 "$SRC/bench/ssh_latency.py" --type --keys 5 -- mosh-client 127.0.0.1 "$up" >"$W/out" \
        || e2e_fail "mosh: $(cat "$W/out")"
    row "mosh, ${delay} ms each way" "$(val echo_median_s)" "$(val echo_max_s)"
    kill $udp_pid; udp_pid=
done
e2e_done
