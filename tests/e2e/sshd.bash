# tests/e2e/sshd.bash: sourced by ssh.sh and resume.sh (not a test itself):
# a real sshd on 127.0.0.1 with the deployment's Match block of
# deploy/sshd_esis.conf, whose ForceCommand runs $W/bin/login (the test
# writes it, then calls sshd_up), an installed-like esis in $W/bin on a copy
# of the demo district ($db), and a test Unix user ($user) removed on exit.
# Skips (status 0 and a SKIP line) without root or OpenSSH.
SSHD=/usr/sbin/sshd
# (tests/run: a line "NAME: SKIP: why" and status 0 is a skip, not a pass)
if [ "$(id -u)" != 0 ]; then echo "$(basename "$0"): SKIP: needs root (a test user and sshd)"; exit 0; fi
if [ ! -x "$SSHD" ] || ! command -v ssh >/dev/null || ! command -v ssh-keygen >/dev/null; then
    echo "$(basename "$0"): SKIP: needs openssh-server and openssh-client (.ci/deps)"; exit 0
fi
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}

# ---- the server side: an installed-like esis, a user, sshd ----------------
W=$(mktemp -d /tmp/esis-ssh.XXXXXX)
user="esisssh$((RANDOM % 90000 + 10000))"
sshd_pid= proxy_pid=
ssh_cleanup() {
    [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null
    [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
    # the user's esis processes end with their sessions; then the user goes
    for _ in 1 2 3 4 5 6 7 8 9 10; do pgrep -u "$user" >/dev/null 2>&1 || break; sleep 0.3; done
    # what a failed test left (a tmux of esis-session --resume lives on by
    # design): every process of this test's own user, by its id
    local left; left=$(pgrep -u "$user" 2>/dev/null)
    [ -n "$left" ] && kill $left 2>/dev/null && sleep 0.5
    getent passwd "$user" >/dev/null && userdel "$user" 2>/dev/null
    rm -rf "$W"
    e2e_cleanup
}
trap ssh_cleanup EXIT
useradd -M -d "$W/home" -s /bin/sh -p '*' "$user" || e2e_fail "useradd $user"
mkdir -p "$W/bin" "$W/share/esis" "$W/data" "$W/home" "$W/keys"
cp "$ESIS_BIN" "$W/bin/esis"
cp -R "$SRC/conf" "$SRC/screens" "$W/share/esis/"
db=$W/data/t.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
"$W/bin/esis" --db "$db" user add "$user" --role admin >/dev/null || e2e_fail "esis user add $user"
chown -R "$user" "$W/data" "$W/home"
chmod 755 "$W" "$W/bin" "$W/share" "$W/keys"
sshd_up() {   # after the test wrote $W/bin/login, its ForceCommand
ssh-keygen -q -t ed25519 -N '' -f "$W/hostkey" || e2e_fail "host key"
ssh-keygen -q -t ed25519 -N '' -f "$W/userkey" || e2e_fail "user key"
cp "$W/userkey.pub" "$W/keys/$user"; chmod 644 "$W/keys/$user"
port=
for _ in 1 2 3 4 5 6 7 8 9 10; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { port=$p; break; }
done
[ -n "$port" ] || e2e_fail "no free port"
{
    echo "Port $port"
    echo "ListenAddress 127.0.0.1"
    echo "HostKey $W/hostkey"
    echo "PidFile $W/sshd.pid"
    echo "AuthorizedKeysFile $W/keys/%u"
    echo "PubkeyAuthentication yes"
    echo "PasswordAuthentication no"
    echo "KbdInteractiveAuthentication no"
    echo "UsePAM no"
    echo "StrictModes no"
    echo "PermitRootLogin no"
    echo "AllowUsers $user"
    # the deployment's block, for this user and this esis
    sed -e "s|^Match Group esis-schools|Match User $user|" \
        -e "s|^\( *ForceCommand\) /usr/local/bin/esis-session.*|\1 $W/bin/login|" "$SRC/deploy/sshd_esis.conf"
} > "$W/sshd_config"
grep -q "ForceCommand $W/bin/login" "$W/sshd_config" || e2e_fail "deploy/sshd_esis.conf has no ForceCommand line"
mkdir -p /run/sshd
"$SSHD" -t -f "$W/sshd_config" 2>"$W/sshd.err" || e2e_fail "sshd -t: $(cat "$W/sshd.err")"
"$SSHD" -D -e -f "$W/sshd_config" 2>"$W/sshd.log" &
sshd_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# ssh PORT [ARGS]: the client as PuTTY would be: no LANG, no ssh_config
SSH_OPTS=(-F /dev/null -i "$W/userkey" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
          -o LogLevel=ERROR -o BatchMode=yes)
ssh_cmd() {
    local p=$1; shift
    printf '%q ' env -u LANG -u LC_ALL -u LC_CTYPE -u LC_MESSAGES -u LANGUAGE TERM=xterm \
        ESCDELAY="${ESCDELAY_SENT:-}" ssh "${SSH_OPTS[@]}" ${ESCDELAY_SENT:+-o SendEnv=ESCDELAY} \
        -p "$p" "$@" "$user@127.0.0.1"
}
ssh -p "$port" "${SSH_OPTS[@]}" "$user@127.0.0.1" true 2>"$W/ssh.err" \
    || e2e_fail "ssh login: $(cat "$W/ssh.err") $(tail -5 "$W/sshd.log")"
}
