#!/usr/bin/env bash
# config_installed.sh: where an installed (setgid) esis takes its settings
# from, on an installation made by deploy/install.sh (doc/deploy.md,
# "Settings"; doc/security.md, boundary 1):
#
#   - the server's file, SYSCONFDIR/esis/esis.ini, names the database: two
#     users starting in different directories reach the same one;
#   - a user's ~/.config/esis/esis.ini may set the language, never the
#     database (refused, and the file it named is never made or opened);
#   - --config is read only from SYSCONFDIR/esis (root's);
#   - install.sh run again (an upgrade) keeps the server's file and replaces
#     the packaged defaults.
#
# Root only, like attack.sh (SKIP and exit 77 otherwise).  The binary is
# built for a temporary SYSCONFDIR (make esis-etc), so /etc is never touched.
set -u
BIN=${ESIS_BIN:-$(pwd)/build/esis}
SRC=$(pwd)
skip() { echo "config_installed.sh: SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root to create Unix users and groups (CI runs it as root)"
[ -x "$BIN" ] || skip "$BIN is not built yet"
for t in useradd userdel groupadd groupdel runuser setsid sqlite3 make; do
    command -v "$t" >/dev/null || skip "$t is missing"
done
T=$(mktemp -d /var/tmp/esis-config.XXXXXX)
chmod 0755 "$T"
if findmnt -no OPTIONS -T "$T" 2>/dev/null | grep -qw nosuid; then
    rmdir "$T"; skip "$T is on a nosuid file system"
fi
G=esiscg$$ U1=esisc1$$ U2=esisc2$$
cleanup() {
    for u in "$U1" "$U2"; do userdel "$u" 2>/dev/null; done
    groupdel "$G" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
fails=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

groupadd "$G" || { bad "groupadd"; exit 1; }
for u in "$U1" "$U2"; do
    # the home the password database names: an installed esis takes HOME
    # from there, not from its caller
    useradd -M -d "$T/home_$u" -s /bin/sh "$u" || { bad "useradd $u"; exit 1; }
    install -d -o "$u" -m 0700 "$T/home_$u" "$T/home_$u/work"
done

PREFIX=$T/prefix DATA=$T/data ETC=$T/etc
DB=$DATA/esis.db E=$PREFIX/bin/esis
make -s -C "$SRC" esis-etc BUILD="$(dirname "$BIN")" ETC="$ETC" OUT="$T/esis" >"$T/make.log" 2>&1 \
    || { bad "make esis-etc: $(tail -3 "$T/make.log")"; exit 1; }
install -d -o root -g "$G" -m 2770 "$DATA"
ESIS_USER=root "$BIN" init --demo --schools 3 --students 60 --db "$DB" >/dev/null || { bad "demo"; exit 1; }
bash "$SRC/deploy/install.sh" --prefix "$PREFIX" --data "$DATA" --group "$G" --bin "$T/esis" --no-sshd \
    --sysconfdir "$ETC" --admin "$U1" >"$T/install.log" 2>&1 || { bad "install.sh: $(tail -3 "$T/install.log")"; exit 1; }
R() { env -u ESIS_HOME -u ESIS_DB -u ESIS_SYSCONFDIR "$E" --lang en "$@"; }
R user add "$U2" --role staff >/dev/null || { bad "user add $U2"; exit 1; }
grep -q "^path = $DB\$" "$ETC/esis/esis.ini" && ok "install.sh wrote $ETC/esis/esis.ini naming $DB" \
    || bad "system file: $(cat "$ETC/esis/esis.ini")"
[ "$(stat -c '%U %a' "$ETC/esis/esis.ini")" = "root 644" ] && ok "the system file is root's, 0644" \
    || bad "system file mode: $(stat -c '%U %a' "$ETC/esis/esis.ini")"

# as USER DIR CMD...: CMD as the Unix user, started in DIR, plain environment.
as() {
    local u=$1 d=$2; shift 2
    (cd "$d" && runuser -u "$u" -- setsid -w env -i LANG=C.UTF-8 PATH=/usr/bin:/bin \
        HOME="$T/home_$u" ASAN_OPTIONS=detect_leaks=0 "$@")
}
# The schools esis exports against the database's own count, by sqlite3.
N=$(sqlite3 "$DB" "SELECT count(*) FROM schools")
rows() { tail -n +2 | grep -c .; }

# 1. Two users, two directories, one database.
n1=$(as "$U1" "$T/home_$U1/work" "$E" export schools 2>/dev/null | rows)
n2=$(as "$U2" / "$E" export schools 2>/dev/null | rows)
[ "$n1" = "$N" ] && [ "$n2" = "$N" ] && ok "two users from two directories reach $DB ($N schools)" \
    || bad "reached $n1 and $n2 schools, the database has $N"

# 2. The per-user file: the language yes, the database never.
cfg=$T/home_$U2/.config/esis
install -d -o "$U2" "$T/home_$U2/.config" "$cfg"
printf '[display]\nlang = en\n' > "$cfg/esis.ini" && chown "$U2" "$cfg/esis.ini"
out=$(as "$U2" / "$E" --help 2>&1 | head -1)
case "$out" in usage:*) ok "per-user [display] lang is read";; *) bad "per-user lang: $out";; esac
own=$T/home_$U2/own.db
printf '[database]\npath = %s\n' "$own" > "$cfg/esis.ini" && chown "$U2" "$cfg/esis.ini"
out=$(as "$U2" / "$E" export schools 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "\[database\]" && [ ! -e "$own" ] \
    && ok "per-user [database] path refused, nothing made" || bad "per-user db path: rc=$rc $out"
printf '[database]\npath = own.db\n' > "$cfg/esis.ini" && chown "$U2" "$cfg/esis.ini"
out=$(as "$U2" "$T/home_$U2" "$E" --db "$own" init 2>&1); rc=$?
[ $rc != 0 ] && [ ! -e "$own" ] && [ ! -e "$cfg/own.db" ] && ok "nor with --db and init" || bad "init: rc=$rc $out"
rm -r "$T/home_$U2/.config"

# 3. --config: only from the system directory.
printf '[database]\npath = %s\n' "$own" > "$T/home_$U1/mine.ini" && chown "$U1" "$T/home_$U1/mine.ini"
out=$(as "$U1" "$T/home_$U1" "$E" --lang en --config mine.ini export schools 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "only from $ETC/esis/" && [ ! -e "$own" ] \
    && ok "--config outside $ETC/esis refused" || bad "--config outside: rc=$rc $out"
ln -s "$T/home_$U1/mine.ini" "$ETC/esis/link.ini"
out=$(as "$U1" / "$E" --lang en --config "$ETC/esis/link.ini" export schools 2>&1); rc=$?
[ $rc = 2 ] && ok "--config through a link in $ETC/esis to a user's file refused" || bad "link: rc=$rc $out"
printf '[display]\nlang = en\n' > "$ETC/esis/english.ini"
out=$(as "$U1" / "$E" --config "$ETC/esis/english.ini" --help 2>&1 | head -1)
case "$out" in usage:*) ok "--config in $ETC/esis is read";; *) bad "--config in $ETC/esis: $out";; esac

# 4. An upgrade keeps the server's file.
sed -i 's/^;name_en = .*/name_en = Kept Office/' "$ETC/esis/esis.ini"
bash "$SRC/deploy/install.sh" --prefix "$PREFIX" --data "$DATA" --group "$G" --bin "$T/esis" --no-sshd \
    --sysconfdir "$ETC" >"$T/install2.log" 2>&1 || bad "install.sh again: $(tail -3 "$T/install2.log")"
grep -q "Kept Office" "$ETC/esis/esis.ini" && grep -q "^path = $DB\$" "$ETC/esis/esis.ini" \
    && ok "install.sh again kept the server's settings" || bad "upgrade: $(cat "$ETC/esis/esis.ini")"
cmp -s "$SRC/conf/esis.ini" "$PREFIX/share/esis/conf/esis.ini" && ok "the packaged defaults are the package's" \
    || bad "packaged esis.ini differs from conf/esis.ini"
n1=$(as "$U1" "$T/home_$U1" "$E" export schools 2>/dev/null | rows)
[ "$n1" = "$N" ] && ok "after the upgrade: the same database" || bad "after the upgrade: $n1 schools"

[ $fails = 0 ] && echo "config_installed.sh: all passed" || { echo "config_installed.sh: $fails failed"; exit 1; }
