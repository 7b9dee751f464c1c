#!/usr/bin/env bash
# deploy.sh: the deployment of doc/deploy.md cannot be walked around.
#
# Builds a throw-away installation: a group, two Unix users (an esis admin
# and an esis staff member), the binary installed setgid into a temporary
# prefix, the database in a 2770 directory of the group with 0660 files.
# Then shows that the users cannot read the database directly (cat, sqlite3,
# ls) while esis works for them, gives the group up (files they write are
# theirs, a file of the group cannot be restored from), refuses a Unix
# user who is not an esis user, and keeps -wal/-shm in the group.
#
# Needs root (useradd, groupadd, su); skips with a message otherwise, and
# when build/esis is not linked yet.  Everything is removed in a trap.
set -u
BIN=${ESIS_BIN:-$(pwd)/build/esis}
SRC=$(pwd)
# A skip exits 77: tests/run shows it as skipped, not passed.
if [ "$(id -u)" != 0 ]; then echo "deploy.sh: SKIP: needs root to create users and groups"; exit 77; fi
if [ ! -x "$BIN" ]; then echo "deploy.sh: SKIP: $BIN is not built yet"; exit 77; fi
for t in useradd userdel groupadd groupdel su sqlite3 stat; do
    command -v "$t" >/dev/null || { echo "deploy.sh: SKIP: $t is missing"; exit 77; }
done

T=$(mktemp -d /var/tmp/esis-deploy.XXXXXX)
chmod 0755 "$T"
if findmnt -no OPTIONS -T "$T" 2>/dev/null | grep -qw nosuid; then
    rmdir "$T"; echo "deploy.sh: SKIP: $T is on a nosuid file system"; exit 77
fi
G=esisg$$ U1=esisa$$ U2=esiss$$
cleanup() {
    userdel "$U1" 2>/dev/null; userdel "$U2" 2>/dev/null; groupdel "$G" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

fails=0
ok()   { echo "ok   $*"; }
bad()  { echo "FAIL $*"; fails=$((fails + 1)); }
# as USER CMD...: run a shell command as a Unix user, in a plain
# environment (tests/e2e/attack.sh tries the hostile ones).
as() { local u=$1; shift; su -s /bin/sh "$u" -c "env -i LANG=C.UTF-8 PATH=/usr/bin:/bin ASAN_OPTIONS=detect_leaks=0 $*"; }

groupadd "$G" && useradd -M -s /bin/sh "$U1" && useradd -M -s /bin/sh "$U2" || { bad "cannot create users"; exit 1; }

# The installation (deploy/install.sh does the same under /usr/local).
install -d -m 0755 "$T/bin" "$T/share/esis" "$T/out1" "$T/out2"
install -o root -g "$G" -m 2755 "$BIN" "$T/bin/esis"
cp -R "$SRC/conf" "$T/share/esis/"
[ -d "$SRC/screens" ] && cp -R "$SRC/screens" "$T/share/esis/"
chown "$U1" "$T/out1"; chown "$U2" "$T/out2"
install -d -o root -g "$G" -m 2770 "$T/data"
DB=$T/data/esis.db
# The installed settings name the installed database (an installed esis
# opens no other).
sed -i "s|^path *=.*|path            = $DB|" "$T/share/esis/conf/esis.ini"
E="$T/bin/esis --db $DB"

# Root creates the database and the users (root is the first administrator).
$E init >/dev/null || bad "esis init as root"
chmod 0660 "$DB"
$E user add "$U1" --role admin >/dev/null || bad "user add $U1"
$E user add "$U2" --role staff >/dev/null || bad "user add $U2"
[ "$(stat -c '%G %a' "$DB")" = "$G 660" ] && ok "database is $G 0660" || bad "database mode: $(stat -c '%G %a' "$DB")"
[ "$(stat -c '%G %a' "$T/data")" = "$G 2770" ] && ok "directory is $G 2770" || bad "directory mode"
[ "$(stat -c '%G %a' "$T/bin/esis")" = "$G 2755" ] && ok "binary is setgid $G" || bad "binary mode"

# Directly: refused.
as "$U1" "cat $DB" >/dev/null 2>&1 && bad "$U1 could cat the database" || ok "cat refused"
as "$U1" "sqlite3 $DB 'SELECT count(*) FROM users'" >/dev/null 2>&1 && bad "$U1 could read with sqlite3" || ok "sqlite3 refused"
as "$U1" "ls $T/data" >/dev/null 2>&1 && bad "$U1 could list the directory" || ok "ls refused"
as "$U1" "cp $DB $T/out1/copy.db" >/dev/null 2>&1 && bad "$U1 could copy the database" || ok "cp refused"

# Through esis: works, as the esis user of the Unix login.
out=$(as "$U1" "$E user list" 2>&1) && echo "$out" | grep -q "$U2" && ok "esis user list works for $U1" \
    || bad "esis user list for $U1: $out"
out=$(as "$U2" "$E audit --table users" 2>&1) && echo "$out" | grep -q "$U1" && ok "esis audit works for $U2" \
    || bad "esis audit for $U2: $out"
out=$(as "$U2" "$E user list" 2>&1); rc=$?
[ $rc = 1 ] && ok "staff may not manage users (exit 1)" || bad "staff user list: rc=$rc $out"
out=$(as nobody "$E user list" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q "not an esis user" && [ "$(echo "$out" | wc -l)" = 1 ] \
    && ok "unknown Unix user refused in one line" || bad "unknown user: rc=$rc $out"

# The group is given up after the database is open: what esis writes for
# the user is the user's, and a file of the group cannot be read through it.
out=$(as "$U1" "$E backup $T/out1/b.db" 2>&1) || bad "backup by $U1: $out"
[ -f "$T/out1/b.db" ] && [ "$(stat -c '%U %G %a' "$T/out1/b.db")" = "$U1 $U1 600" ] \
    && ok "backup file is $U1's own, 0600" || bad "backup file: $(stat -c '%U %G %a' "$T/out1/b.db" 2>&1)"
cp "$T/out1/b.db" "$T/data/other.db"; chgrp "$G" "$T/data/other.db"; chmod 0660 "$T/data/other.db"
out=$(as "$U1" "$E restore $T/data/other.db" 2>&1); rc=$?
[ $rc = 1 ] && ok "restore from a file of the group refused (privilege given up): $(echo "$out" | head -1)" \
    || bad "restore from the group's directory: rc=$rc $out"
out=$(as "$U1" "$E restore $T/out1/b.db --yes" 2>&1) && ok "restore from $U1's own backup works" || bad "restore: $out"
ls "$T/out1" | grep -q "before-restore" && ok "the safety copy is beside the restored file, $U1's own" || bad "no safety copy in $T/out1: $out"

# SQLite's side files stay in the group, rw for it only.
for f in "$DB-wal" "$DB-shm"; do
    [ -e "$f" ] || continue
    m=$(stat -c '%G %a' "$f")
    case "$m" in "$G 660") ok "$(basename "$f") is $m";; *) bad "$(basename "$f") is $m";; esac
done
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] && ok "integrity ok" || bad "integrity"

if [ $fails -gt 0 ]; then echo "deploy.sh: $fails failed"; exit 1; fi
echo "deploy.sh: all passed"
