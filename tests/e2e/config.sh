#!/usr/bin/env bash
# config.sh: where the settings come from (include/esis/conf_where.h), as a
# developer's (trusted) esis reads them, with the system directory moved to
# a temporary SYSCONFDIR by $ESIS_SYSCONFDIR:
#
#   packaged defaults < SYSCONFDIR/esis/esis.ini < ~/.config/esis/esis.ini
#   (display only) < --config FILE < ESIS_DB < --db
#
# Which database a run reached is told by what esis exports from it,
# checked against each file read with sqlite3.  Two users starting in
# different directories must reach the same one.  The installed
# (setgid) case, where a caller may choose even less, is config_installed.sh.
set -u
BIN=${ESIS_BIN:-$(pwd)/build/esis}
export ESIS_HOME=${ESIS_HOME:-$(pwd)}
[ -x "$BIN" ] || { echo "config.sh: SKIP: $BIN is not built yet"; exit 77; }
command -v sqlite3 >/dev/null || { echo "config.sh: SKIP: sqlite3 is missing"; exit 77; }
. "$(dirname "$0")/lib.sh"
T=$E2E_DIR
fails=0
ok()  { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
unset ESIS_DB XDG_CONFIG_HOME
export ESIS_SYSCONFDIR=$T/etc ESIS_USER=$(id -un)

# Three databases of 3, 4 and 5 schools: which one a run reached is told
# by the number of schools esis exports, each file's own count read by
# sqlite3.
mkdir -p "$T/etc/esis" "$T/data" "$T/other" "$T/u1" "$T/u2" "$T/home1" "$T/home2"
for f in data/esis.db:3 other/esis.db:4 data/third.db:5; do
    "$BIN" init --demo --schools "${f#*:}" --students 60 --db "$T/${f%:*}" >/dev/null 2>&1 || bad "init ${f%:*}"
done
declare -A NAME
for f in data/esis.db:SYSTEM other/esis.db:CONFIG data/third.db:THIRD; do
    NAME[$(sqlite3 "$T/${f%:*}" "SELECT count(*) FROM schools")]=${f#*:}
done
[ ${#NAME[@]} = 3 ] || bad "the three databases do not differ"
# which [ARGS...]: the database esis reached (SYSTEM, CONFIG, THIRD or "").
which() {
    local n
    n=$("$BIN" "$@" export schools 2>/dev/null | tail -n +2 | wc -l)
    echo "${NAME[$n]:-}"
}

# 1. The system file names the database relatively: beside the file, not
#    beside the caller.  Two users, two directories, one database.
printf '[database]\npath = ../../data/esis.db\n' > "$T/etc/esis/esis.ini"
a=$(cd "$T/u1" && HOME=$T/home1 which)
b=$(cd "$T/u2" && HOME=$T/home2 which)
[ "$a" = SYSTEM ] && [ "$b" = SYSTEM ] \
    && ok "two users in two directories reach the system file's database" || bad "reached '$a' and '$b'"
printf '[database]\npath = %s\n' "$T/data/esis.db" > "$T/etc/esis/esis.ini"
a=$(cd / && HOME=$T/home1 which)
[ "$a" = SYSTEM ] && ok "a full path: the same from /" || bad "from /: '$a'"
[ ! -e "$T/u1/esis.db" ] && [ ! -e "$T/u2/esis.db" ] && ok "no esis.db made where the users started" \
    || bad "a database appeared in a user's directory"

# 2. The per-user file: display preferences only.
mkdir -p "$T/home1/.config/esis"
printf '[display]\nlang = en\n' > "$T/home1/.config/esis/esis.ini"
out=$(cd "$T/u1" && HOME=$T/home1 "$BIN" --help 2>&1 | head -1)
case "$out" in usage:*) ok "per-user [display] lang = en is used";; *) bad "per-user lang: $out";; esac
out=$(cd "$T/u2" && HOME=$T/home2 "$BIN" --help 2>&1 | head -1)
case "$out" in usage:*) bad "the other user got English too: $out";; *) ok "another user keeps the default language";; esac
printf '[display]\nlang = en\n[database]\npath = %s\n' "$T/data/third.db" > "$T/home1/.config/esis/esis.ini"
out=$(cd "$T/u1" && HOME=$T/home1 "$BIN" export schools 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "home1/.config/esis/esis.ini \[database\]" \
    && ok "per-user [database] path refused, naming the file" || bad "per-user db path: rc=$rc $out"
printf '[thresholds]\nsize_small = 1\n' > "$T/home1/.config/esis/esis.ini"
out=$(cd "$T/u1" && HOME=$T/home1 "$BIN" export schools 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && ok "per-user thresholds refused" || bad "per-user thresholds: rc=$rc $out"
XDG_CONFIG_HOME=$T/home1/.config HOME=$T/home2 "$BIN" export schools >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "XDG_CONFIG_HOME/esis/esis.ini is the per-user file" || bad "XDG_CONFIG_HOME: rc=$rc"
rm -r "$T/home1/.config"

# 3. --config over the system file; a relative path there is beside it.
printf '[database]\npath = esis.db\n' > "$T/other/site.ini"
a=$(cd "$T/u1" && HOME=$T/home1 which --config "$T/other/site.ini")
[ "$a" = CONFIG ] && ok "--config wins over the system file" || bad "--config: '$a'"
a=$(cd "$T/other" && HOME=$T/home1 which --config site.ini)
[ "$a" = CONFIG ] && ok "--config with a relative file name" || bad "--config site.ini: '$a'"
out=$("$BIN" --config "$T/nonexistent.ini" export schools 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q nonexistent.ini && ok "a missing --config file is an error" \
    || bad "missing --config: rc=$rc $out"

# 4. The command line and ESIS_DB over every file.
a=$(HOME=$T/home1 ESIS_DB=$T/data/third.db which --config "$T/other/site.ini")
[ "$a" = THIRD ] && ok "ESIS_DB wins over --config" || bad "ESIS_DB: '$a'"
a=$(HOME=$T/home1 ESIS_DB=$T/other/esis.db which --db "$T/data/third.db")
[ "$a" = THIRD ] && ok "--db wins over ESIS_DB" || bad "--db: '$a'"

# 5. A bad value or an unknown key names the file that holds it.
printf '[database]\npath = %s\n[thresholds]\nsize_small = many\n' "$T/data/esis.db" > "$T/etc/esis/esis.ini"
out=$("$BIN" export schools 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "$T/etc/esis/esis.ini \[thresholds\] size_small" \
    && ok "a bad value names the system file" || bad "bad value: rc=$rc $out"
printf '[database]\npath = %s\npaht = x\n' "$T/data/esis.db" > "$T/etc/esis/esis.ini"
out=$("$BIN" export schools 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "\[database\] paht" && ok "a misspelt key is refused" \
    || bad "unknown key: rc=$rc $out"

# 6. No system file at all: the packaged defaults, which name no file in
#    the current directory either.
rm "$T/etc/esis/esis.ini"
out=$(cd "$T/u1" && HOME=$T/home1 "$BIN" --lang en export schools 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "/var/lib/esis/esis.db" && [ ! -e "$T/u1/esis.db" ] \
    && ok "without a system file: the packaged /var/lib/esis/esis.db" || bad "no system file: rc=$rc $out"

[ $fails = 0 ] && echo "config.sh: all passed" || { echo "config.sh: $fails failed"; exit 1; }
