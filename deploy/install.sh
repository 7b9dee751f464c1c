#!/bin/sh
# deploy/install.sh: install esis on the shared server so that the database
# can be reached only through esis (doc/deploy.md explains every step).
#
#   sudo deploy/install.sh [--prefix /usr/local] [--data /var/lib/esis] [--group esis]
#                          [--admin LOGIN]... [--bin build/esis] [--no-sshd] [--resume]
#                          [--sysconfdir /etc]
#
# --resume: the sshd snippet's ForceCommand runs `esis-session --resume`,
# esis inside a private tmux session per user, so that the next login after a
# dropped link finds the very same screen (doc/deploy.md, "Slow links").
#
# --no-sshd leaves /etc/ssh alone (tests/e2e/attack.sh installs into a
# temporary prefix on the machine that runs the tests).
#
# --sysconfdir: where the server's settings go (SYSCONFDIR/esis/esis.ini);
# it must be the directory the binary was built with (make SYSCONFDIR=...,
# /etc by default): the tests install a binary built for a temporary one.
#
# Idempotent: run it again after an upgrade; an existing database is kept
# (esis migrates it on first open) and its permissions are put right.
set -eu
PREFIX=/usr/local DATA=/var/lib/esis GROUP=esis BIN=build/esis ADMINS= SSHD=yes RESUME= SYSCONF=/etc
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=$2; shift 2;;
        --data)   DATA=$2; shift 2;;
        --group)  GROUP=$2; shift 2;;
        --bin)    BIN=$2; shift 2;;
        --admin)  ADMINS="$ADMINS $2"; shift 2;;
        --no-sshd) SSHD=no; shift;;
        --resume) RESUME=" --resume"; shift;;
        --sysconfdir) SYSCONF=$2; shift 2;;
        *) echo "install.sh: unknown option $1" >&2; exit 2;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
[ -x "$BIN" ] || { echo "install.sh: $BIN not built (make)" >&2; exit 1; }
SRC=$(cd "$(dirname "$0")/.." && pwd)

# 1. The group that alone may open the database.  Nobody is a member: a
#    person in it could read the file with any tool.
getent group "$GROUP" >/dev/null || groupadd --system "$GROUP"
if [ -n "$(getent group "$GROUP" | cut -d: -f4)" ]; then
    echo "install.sh: warning: group $GROUP has members ($(getent group "$GROUP" | cut -d: -f4));" \
         "they can read the database without esis" >&2
fi

# 2. The binary, setgid to the group; conf/ and screens/ readable by all.
install -d -m 0755 "$PREFIX/bin" "$PREFIX/share/esis"
install -o root -g "$GROUP" -m 2755 "$BIN" "$PREFIX/bin/esis"
cp -R "$SRC/conf" "$PREFIX/share/esis/"
[ -d "$SRC/screens" ] && cp -R "$SRC/screens" "$PREFIX/share/esis/"
# What sshd's ForceCommand runs: esis, or mosh-server then esis, or (with
# --resume) esis in tmux; and that tmux's settings.  Both name installed paths.
sed -e "s|^ESIS=.*|ESIS=$PREFIX/bin/esis|" -e "s|^TMUX_CONF=.*|TMUX_CONF=$PREFIX/share/esis/tmux.conf|" \
    "$SRC/deploy/esis-session" > "$PREFIX/bin/esis-session.new"
chmod 0755 "$PREFIX/bin/esis-session.new" && mv "$PREFIX/bin/esis-session.new" "$PREFIX/bin/esis-session"
install -m 0644 "$SRC/deploy/tmux.conf" "$PREFIX/share/esis/tmux.conf"
# The server's settings, SYSCONFDIR/esis/esis.ini, name the installed
# database by its full path: an installed esis opens no other
# (doc/security.md).  Written only when missing, so an upgrade keeps the
# site's settings; the packaged defaults under the prefix are replaced.
case "$DATA" in /*) ;; *) echo "install.sh: --data must be a full path" >&2; exit 2;; esac
install -d -o root -g root -m 0755 "$SYSCONF/esis"
if [ ! -e "$SYSCONF/esis/esis.ini" ]; then
    sed "s|^path *=.*|path = $DATA/esis.db|" "$SRC/deploy/esis.ini" > "$SYSCONF/esis/esis.ini.new"
    mv "$SYSCONF/esis/esis.ini.new" "$SYSCONF/esis/esis.ini"
else
    echo "install.sh: kept $SYSCONF/esis/esis.ini (the server's settings: not replaced)"
    grep -Eq "^[[:space:]]*path[[:space:]]*=[[:space:]]*$DATA/esis.db[[:space:]]*$" "$SYSCONF/esis/esis.ini" ||
        echo "install.sh: warning: $SYSCONF/esis/esis.ini does not name $DATA/esis.db as [database] path;" \
             "users reach the database it names" >&2
fi
# Settings, rules, reports and screens are root's: only an administrator
# changes what the setgid binary runs.
chown -R root:root "$PREFIX/share/esis" "$SYSCONF/esis"
chmod -R a+rX,go-w "$PREFIX/share/esis" "$SYSCONF/esis"

# 3. The data directory: group-owned, setgid (new -wal/-shm files inherit the
#    group), closed to everyone else.
install -d -o root -g "$GROUP" -m 2770 "$DATA"
if [ ! -e "$DATA/esis.db" ]; then
    "$PREFIX/bin/esis" --db "$DATA/esis.db" init
else
    # An upgrade: root migrates the database now (opening it does), so no
    # user's first session after the upgrade changes the schema.
    "$PREFIX/bin/esis" --db "$DATA/esis.db" rules >/dev/null
fi
for f in "$DATA"/esis.db "$DATA"/esis.db-wal "$DATA"/esis.db-shm; do
    [ -e "$f" ] && chgrp "$GROUP" "$f" && chmod 0660 "$f"
done

# 4. The office's administrators (root is the first one, made by init).
for a in $ADMINS; do
    "$PREFIX/bin/esis" --db "$DATA/esis.db" user add "$a" --role admin || true
done

# 5. sshd: school officers get esis and nothing else.
if [ "$SSHD" = yes ] && [ -d /etc/ssh/sshd_config.d ] && [ ! -e /etc/ssh/sshd_config.d/esis.conf ]; then
    sed "s|^\( *ForceCommand\) /usr/local/bin/esis-session.*|\1 $PREFIX/bin/esis-session$RESUME|" \
        "$SRC/deploy/sshd_esis.conf" > /etc/ssh/sshd_config.d/esis.conf
    getent group esis-schools >/dev/null || groupadd esis-schools
    echo "install.sh: wrote /etc/ssh/sshd_config.d/esis.conf; check it (sshd -t) and reload sshd"
fi
# 6. A UTF-8 locale to draw Thai with (esis switches to C.UTF-8 itself when
#    a login brings none; C.UTF-8 comes with Debian's libc-bin).
if ! locale -a 2>/dev/null | grep -qiE '\.utf-?8$'; then
    echo "install.sh: warning: no UTF-8 locale on this server; esis cannot draw Thai" \
         "(dpkg-reconfigure locales, or install libc-bin's C.UTF-8)" >&2
fi
# 7. mosh for slow links (optional): the server side is Debian's mosh
#    package; the firewall must let UDP 60000-61000 in, which this script
#    does not touch.
if command -v mosh-server >/dev/null 2>&1; then
    echo "install.sh: mosh-server found: open UDP 60000-61000 in the firewall for mosh clients"
else
    echo "install.sh: note: no mosh-server (apt-get install mosh) - officers on slow links can use only ssh"
fi
[ -n "$RESUME" ] && ! command -v tmux >/dev/null 2>&1 && \
    echo "install.sh: warning: --resume without tmux (apt-get install tmux): esis runs plainly" >&2
echo "install.sh: done.  Add users with: $PREFIX/bin/esis user add LOGIN --role ROLE [--school CODE]"
