#!/usr/bin/env bash
# attack.sh: an attacker with a shell on the shared server, against a real
# installation made by deploy/install.sh (doc/security.md names each
# boundary and the attack here that tries it).
#
# Root only (CI runs the tests as root; anywhere else it says SKIP and exits
# 77, which tests/run shows as skipped, not passed).  It makes a group and
# four Unix users, removed again by an EXIT trap with everything else:
#   A  an esis administrator       V  a viewer
#   S  a school officer of one school
#   N  a Unix user with no esis account
# and an esis account "shared" with a password, as a shared Unix account
# would use.  Every attack runs as one of them (runuser, in a session with
# no terminal) and must fail; the users, their roles, the audit of users
# and the failed passwords are read with sqlite3 before and after, so a
# write that should not happen is seen even when esis says nothing.
set -u
BIN=${ESIS_BIN:-$(pwd)/build/esis}
SRC=$(pwd)
DEMO=${ESIS_E2E_DEMO:-}
skip() { echo "attack.sh: SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root to create Unix users and groups (CI runs it as root)"
[ -x "$BIN" ] || skip "$BIN is not built yet"
for t in useradd userdel groupadd groupdel runuser setsid sqlite3 stat python3; do
    command -v "$t" >/dev/null || skip "$t is missing"
done
T=$(mktemp -d /var/tmp/esis-attack.XXXXXX)
chmod 0755 "$T"
if findmnt -no OPTIONS -T "$T" 2>/dev/null | grep -qw nosuid; then
    rmdir "$T"; skip "$T is on a nosuid file system"
fi
G=esisg$$ A=esisa$$ V=esisv$$ S=esiso$$ N=esisn$$
cleanup() {
    for u in "$A" "$V" "$S" "$N"; do userdel "$u" 2>/dev/null; done
    groupdel "$G" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

fails=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

groupadd "$G" || { bad "groupadd"; exit 1; }
for u in "$A" "$V" "$S" "$N"; do
    useradd -M -s /bin/sh "$u" || { bad "useradd $u"; exit 1; }
    install -d -o "$u" -m 0700 "$T/home_$u"
done

# ---- the installation ----------------------------------------------------
PREFIX=$T/prefix DATA=$T/data
DB=$DATA/esis.db E=$PREFIX/bin/esis
install -d -o root -g "$G" -m 2770 "$DATA"
if [ -n "$DEMO" ] && [ -f "$DEMO" ]; then
    sqlite3 "$DEMO" ".backup '$DB'" || { bad "copy of the demo"; exit 1; }
else
    ESIS_USER=root "$BIN" init --demo --schools 4 --students 400 --db "$DB" >/dev/null || { bad "demo"; exit 1; }
fi
# The binary built to read its system settings from $T/etc, not /etc
# (make esis-etc): the installation leaves this machine's /etc alone.
make -s -C "$SRC" esis-etc BUILD="$(dirname "$BIN")" ETC="$T/etc" OUT="$T/esis" >"$T/make.log" 2>&1 \
    || { bad "make esis-etc: $(tail -3 "$T/make.log")"; exit 1; }
bash "$SRC/deploy/install.sh" --prefix "$PREFIX" --data "$DATA" --group "$G" --bin "$T/esis" --no-sshd \
    --sysconfdir "$T/etc" --admin "$A" >"$T/install.log" 2>&1 || { bad "install.sh: $(tail -3 "$T/install.log")"; exit 1; }
ok "installed by deploy/install.sh into $PREFIX"

# root (trusted) as the office would: the installed settings, no test variables.
R() { env -u ESIS_HOME -u ESIS_DB -u ESIS_BIN -u ESIS_E2E_DEMO "$E" --lang en "$@"; }
SCHOOL=$(sqlite3 "$DB" "SELECT school_code FROM schools ORDER BY school_code LIMIT 1")
R user add "$V" --role viewer >/dev/null && R user add "$S" --role school --school "$SCHOOL" >/dev/null \
    && ESIS_NEW_PASSWORD=shared-pass-1 R user add shared --role staff --password >/dev/null \
    || { bad "esis user add"; exit 1; }

# as USER CMD...: CMD as the Unix user, in its own directory, with a plain
# environment (attacks add theirs with env VAR=...) and no terminal.
# (LeakSanitizer cannot stop the threads of a setgid process, which may not
# be traced: under make sanitize its leak check is off here, on elsewhere.)
as() {
    local u=$1; shift
    (cd "$T/home_$u" && runuser -u "$u" -- setsid -w env -i LANG=C.UTF-8 PATH=/usr/bin:/bin \
        HOME="$T/home_$u" ASAN_OPTIONS=detect_leaks=0 "$@")
}
# What no attack may change: the users and their roles, the audit of the
# users, the failed passwords, and the files in the data directory.
state() {
    sqlite3 "$DB" "SELECT group_concat(login || ':' || role || ':' || disabled, ',')
                   FROM (SELECT * FROM users ORDER BY login)" || echo "users unreadable"
    sqlite3 "$DB" "SELECT count(*) FROM audit WHERE table_name IN ('users', 'user_schools')" \
        || echo "audit unreadable"
    sqlite3 "$DB" "SELECT count(*) FROM login_failures" 2>/dev/null || echo "no login_failures"
    ls -A "$DATA" | grep -v -x -e 'esis.db' -e 'esis.db-wal' -e 'esis.db-shm'
}
# Each attacker's own copy of the database, for --db and ESIS_DB.
for u in "$V" "$S" "$N"; do
    sqlite3 "$DB" ".backup '$T/home_$u/own.db'" && chown "$u" "$T/home_$u/own.db"
done
BEFORE=$(state)
unchanged() {
    local now; now=$(state)
    [ "$now" = "$BEFORE" ] && ok "$1: nothing changed" || bad "$1: changed: $BEFORE -> $now"
}

# ---- 1. a hostile ESIS_HOME: a rule that makes its runner administrator --
for u in "$V" "$S" "$N"; do
    evil=$T/home_$u/evil
    mkdir -p "$evil" && cp -R "$PREFIX/share/esis/conf" "$evil/"
    cat >"$evil/conf/rules/zz.ini" <<EOF
[zz.evil]
table      = schools
severity   = error
fields     = school_code
query      = UPDATE users SET role = 'admin' WHERE login = '$u' \\
             RETURNING id AS row_id, '$SCHOOL' AS school_code, login AS key, role AS value
message_th = {key} {value}
message_en = {key} {value}
EOF
    chown -R "$u" "$evil"
    out=$(as "$u" env ESIS_HOME="$evil" "$E" --lang en check --rule 'zz.*' 2>&1)
    echo "$out" | grep -q "ignores these variables.*ESIS_HOME" \
        && ok "$u: ESIS_HOME named as ignored" || bad "$u: no notice of ESIS_HOME: $out"
    unchanged "$u: esis check --rule 'zz.*' with a hostile ESIS_HOME"
    out=$(as "$u" env ESIS_DB="$T/home_$u/own.db" ESIS_CHECK_THREADS=64 "$E" --lang en rules 2>&1)
    echo "$out" | grep -q "ignores these variables.*ESIS_DB" \
        && ok "$u: ESIS_DB and the like named as ignored" || bad "$u: no notice of ESIS_DB: $out"
    unchanged "$u: ESIS_DB"
done
[ "$(sqlite3 "$DB" "SELECT count(*) FROM users WHERE role = 'admin' AND login IN ('$V', '$S', '$N')")" = 0 ] \
    && ok "no attacker became administrator" || bad "an attacker became administrator"

# ---- 2. --db and --config pointing elsewhere ----------------------------
for u in "$V" "$S" "$N"; do
    out=$(as "$u" "$E" --lang en --db "$T/home_$u/own.db" rules 2>&1); rc=$?
    [ $rc = 2 ] && echo "$out" | grep -q "only its installed database" \
        && ok "$u: --db elsewhere refused" || bad "$u: --db elsewhere: rc=$rc $out"
    for f in esis.db-wal esis.db-shm planted.db; do
        out=$(as "$u" "$E" --lang en --db "$DATA/$f" rules 2>&1); rc=$?
        [ $rc != 0 ] && ok "$u: --db $f in the data directory refused" || bad "$u: --db $DATA/$f: rc=$rc $out"
    done
    out=$(as "$u" "$E" --lang en --db "$DATA/planted.db" init 2>&1); rc=$?
    [ $rc != 0 ] && ok "$u: init in the data directory refused" || bad "$u: init: rc=$rc $out"
    out=$(as "$u" "$E" --config "$T/home_$u/evil/conf/esis.ini" rules 2>&1); rc=$?
    [ $rc = 2 ] && ok "$u: --config refused" || bad "$u: --config: rc=$rc $out"
    unchanged "$u: --db and --config"
done

# ---- 3. no esis account: nothing opened for work -------------------------
# Every file of the data directory with its size and time: the user with no
# account may not add, grow or touch one (not even -wal or -shm).
files() { (cd "$DATA" && stat -c '%n %s %Y %U' $(ls -A)); }
files_before=$(files)
for c in rules "user list" "audit" "check" "report --list" "export schools"; do
    out=$(as "$N" "$E" --lang en $c 2>&1); rc=$?
    [ $rc != 0 ] && echo "$out" | grep -q "is not an esis user" \
        && ok "no account: esis $c refused" || bad "no account: esis $c: rc=$rc $out"
done
[ "$(files)" = "$files_before" ] && ok "no account: no file of the data directory made or touched ($(ls -A "$DATA" | tr '\n' ' '))" \
    || bad "no account: the data directory changed: $files_before -> $(files)"
unchanged "no account"
# Nor does a user with an account change the schema: that is root's, by
# install.sh.  (The database is made to look one migration behind.)
v=$(sqlite3 "$DB" "PRAGMA user_version")
sqlite3 "$DB" "PRAGMA user_version = $((v - 1))"
out=$(as "$V" "$E" --lang en rules 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "root runs deploy/install.sh" \
    && [ "$(sqlite3 "$DB" "PRAGMA user_version")" = $((v - 1)) ] \
    && ok "a viewer does not migrate the database: $out" || bad "schema behind: rc=$rc $out"
sqlite3 "$DB" "PRAGMA user_version = $v"

# ---- 4. guessing the shared account's password ---------------------------
out=$(as "$N" env ESIS_PASSWORD=shared-pass-1 "$E" --lang en --user shared audit --limit 1 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q "ESIS_PASSWORD" \
    && ok "ESIS_PASSWORD, even the right one, is not read by the installed esis" || bad "ESIS_PASSWORD: rc=$rc $out"
unchanged "ESIS_PASSWORD (no password read, no failure counted)"
out=$(as "$N" "$E" --lang en --user shared --password-fd 3 audit --limit 1 3<<<"shared-pass-1" 2>&1) \
    && ok "the right password from --password-fd works" || bad "--password-fd: $out"
# Six guessers at once: the count is in the database, so together they get
# AUTH_MAX_FAILURES (5) tries, then the account is locked for everyone.
for i in 1 2 3 4 5 6; do
    as "$N" "$E" --lang en --user shared --password-fd 3 audit --limit 1 3<<<"guess-$i" >"$T/guess$i" 2>&1 &
done
wait
f=$(sqlite3 "$DB" "SELECT failures || ' ' || locked FROM login_failures WHERE login = 'shared'")
case "$f" in "5 1"|"6 1") ok "six guessers: $f (failures, locked)";; *) bad "six guessers: '$f'";; esac
out=$(as "$N" "$E" --lang en --user shared --password-fd 3 audit --limit 1 3<<<"shared-pass-1" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q "locked" && ok "locked: the right password is refused too" \
    || bad "after the lock: rc=$rc $out"
R user list | grep -E "^shared +" | grep -q locked && ok "esis user list shows the lock" \
    || bad "user list: $(R user list)"
R audit --table login_failures | grep -q "$N" && ok "the audit names who guessed ($N)" \
    || bad "audit of login_failures: $(R audit --table login_failures | head -5)"
R user unlock shared >/dev/null && as "$N" "$E" --user shared --password-fd 3 audit --limit 1 3<<<"shared-pass-1" \
    >/dev/null 2>&1 && ok "unlocked by the administrator: the right password works again" || bad "unlock"
BEFORE=$(state)

# ---- 5. escape sequences in data, typed by a school officer ---------------
as "$S" "$E" export schools --out s.csv >/dev/null 2>&1 || bad "school officer's export"
python3 - "$T/home_$S/s.csv" "$T/home_$S/evil.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))
evil = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;cm0gLXJmIH4K\x07\u009b31m\x9b"
for r in rows[1:]:
    for col in ('name', 'principal_name', 'road'):
        r[rows[0].index(col)] += evil
with open(sys.argv[2], 'w', encoding='utf-8', errors='surrogateescape') as f:
    csv.writer(f, quoting=csv.QUOTE_ALL).writerows(rows)
EOF
chown "$S" "$T/home_$S/evil.csv"
as "$S" "$E" import schools evil.csv >"$T/import.out" 2>&1
[ "$(sqlite3 "$DB" "SELECT count(*) FROM schools WHERE instr(name_th, char(27)) > 0")" -ge 1 ] \
    && ok "the school officer's name with ESC is stored (as typed)" \
    || bad "the ESC name was not stored: $(tr -d '\000-\010\013-\037' <"$T/import.out" | head -c 600)"
reader_cmds=("audit --table schools" "submission list" "export schools" "report school_sizes_by_school"
             "report data_quality" "check --school $SCHOOL" "user list")
for u in "$V" "$S" "$A"; do
    for c in "${reader_cmds[@]}"; do
        as "$u" "$E" --lang en $c >"$T/out" 2>&1
        found=$(python3 "$SRC/tests/e2e/term_unsafe.py" "$T/out") && ok "$u: esis $c: no control character" \
            || bad "$u: esis $c sent $found"
    done
done
as "$V" "$E" --lang en audit --table schools 2>&1 | grep -q 'pwned^G^\[\[2J' \
    && ok "the planted name reaches the viewer's audit, shown (^[, ^G)" || bad "the planted name not seen in the audit"
unchanged "reading hostile data"

if [ $fails -gt 0 ]; then echo "attack.sh: $fails failed"; exit 1; fi
echo "attack.sh: all passed"
