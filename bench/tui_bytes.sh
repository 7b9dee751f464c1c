#!/usr/bin/env bash
# Bytes on the wire: what esis sends to the terminal for the first paint of
# the main menu at 80x24 and per keystroke typing Thai and Latin text into a
# form field, next to `dialog --form` typing the same keys in the same run.
# Every byte is captured with tmux pipe-pane (doc/probes.md section 7).
#
# Usage: bash bench/tui_bytes.sh [DB]   (ESIS_BIN, TERM_UNDER_TEST may be set;
# without DB a demo database is made with `esis init --demo`).
# Goal: median <= 8 bytes per typed character, first paint < 6 KB.
set -eu
cd "$(dirname "$0")/.."
ESIS_BIN=${ESIS_BIN:-$PWD/build/esis}
TERMX=${TERM_UNDER_TEST:-screen-256color}
W=$(mktemp -d /tmp/esis-bytes.XXXXXX)
SOCK=esis-bytes-$$
T() { tmux -u -L "$SOCK" -f /dev/null "$@"; }
trap 'T kill-server >/dev/null 2>&1; rm -rf "$W"' EXIT
DB=${1:-}
if [ -z "$DB" ]; then
    DB=$W/d.db
    ESIS_USER=${ESIS_USER:-$(id -un)} "$ESIS_BIN" init --demo --db "$DB" >/dev/null
fi
THAI="สมชายใจดี"
LATIN="Somchai"

size() { stat -c %s "$W/$1.raw"; }

# start NAME CMD: a session whose every output byte goes to NAME.raw; the
# command waits until the pipe is attached.
start() {
    : > "$W/$1.raw"
    T new-session -d -s "$1" -x 80 -y 24 \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=$TERMX ESIS_HOME=$PWD bash -c 'while [ ! -e $W/$1.go ]; do sleep 0.05; done; $2'"
    T set-option -t "$1" status off >/dev/null
    T pipe-pane -o -t "$1" "cat >> $W/$1.raw"
    sleep 0.2
    touch "$W/$1.go"
}
settle() { sleep "${1:-0.4}"; }
key() { T send-keys -t "$1" "$2"; settle 0.25; }

# type NAME TEXT OUT: one code point at a time; bytes per key into OUT.
type_each() {
    local name=$1 text=$2 out=$3 i ch before
    : > "$out"
    for ((i = 0; i < ${#text}; i++)); do
        ch=${text:i:1}
        before=$(size "$name")
        T send-keys -t "$name" -l "$ch"
        settle 0.2
        echo $(( $(size "$name") - before )) >> "$out"
    done
}
median() { sort -n "$1" | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
mean() { awk '{s+=$1} END {printf "%.1f", s/NR}' "$1"; }

# ---- esis: first paint, then a new student's first name field ----------
start esis "$ESIS_BIN --db $DB"
settle 1.0
first=$(size esis)
key esis 1; key esis 1; settle 0.6
key esis IC; settle 0.6
key esis Tab; key esis Tab; key esis Tab; settle 0.4    # the first-name field
type_each esis "$THAI" "$W/esis_thai"
key esis Tab; settle 0.3                                 # the last-name field
type_each esis "$LATIN" "$W/esis_latin"

# ---- dialog --form, the same keys ------------------------------------------
cat > "$W/dlg.sh" <<'DLG'
dialog --form "esis bytes" 20 70 10 "ชื่อ:" 1 1 "" 1 20 30 60 "Name:" 2 1 "" 2 20 30 60 2>/dev/null
DLG
start dlg "bash $W/dlg.sh"
settle 1.0
dfirst=$(size dlg)
type_each dlg "$THAI" "$W/dlg_thai"
key dlg Down; settle 0.3
type_each dlg "$LATIN" "$W/dlg_latin"

printf '%-40s %10s %10s\n' "TERM=$TERMX, 80x24" esis "dialog"
printf '%-40s %10s %10s\n' "first paint (bytes)" "$first" "$dfirst"
printf '%-40s %10s %10s\n' "Thai '$THAI' per key: median" "$(median "$W/esis_thai")" "$(median "$W/dlg_thai")"
printf '%-40s %10s %10s\n' "Thai per key: mean" "$(mean "$W/esis_thai")" "$(mean "$W/dlg_thai")"
printf '%-40s %10s %10s\n' "Latin '$LATIN' per key: median" "$(median "$W/esis_latin")" "$(median "$W/dlg_latin")"
printf '%-40s %10s %10s\n' "Latin per key: mean" "$(mean "$W/esis_latin")" "$(mean "$W/dlg_latin")"
echo "per key (esis Thai):  $(tr '\n' ' ' < "$W/esis_thai")"
echo "per key (dialog Thai): $(tr '\n' ' ' < "$W/dlg_thai")"
[ -n "${KEEP_RAW:-}" ] && cp "$W"/*.raw "$KEEP_RAW"/
exit 0
