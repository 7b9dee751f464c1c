#!/usr/bin/env bash
# tests/e2e/lib.sh: the tmux harness every end-to-end test sources.
#
# It starts $ESIS_BIN in a detached tmux session of 80x24 (LANG=C.UTF-8) on a
# private tmux server (its own socket, so a developer's tmux is never
# touched), types into it, waits for text on the screen and checks it,
# including that Thai columns line up: combining marks (Unicode category Mn)
# take no column, so counting characters would be wrong.
#
#   . "$(dirname "$0")/lib.sh"
#   e2e_start --db "$E2E_DIR/t.db"      # arguments go to $ESIS_BIN
#   wait_for "นักเรียน"
#   send_keys F2                         # tmux key names: Enter Escape Tab BTab F1 C-s Up ...
#   type_text "สมชาย"                    # literal text, Thai included (send-keys -l)
#   send_bytes '\e[12~'                  # raw bytes: PuTTY's F2, whatever TERM says
#   assert_screen_has "บันทึกแล้ว"
#   assert_columns_aligned "สมชาย" "ผู้อำนวยการ"   # start at the same column
#   e2e_done                             # prints "ok", exit 0
#
# Any failed check prints what was expected and the screen, then exits 1.
# Cleanup (the tmux server, the temp dir) runs from an EXIT trap.
#
# Executed directly (tests/run runs every tests/e2e/*.sh), the file tests
# the harness itself against a small shell program instead of esis.

E2E_COLS=${E2E_COLS:-80}
E2E_ROWS=${E2E_ROWS:-24}
E2E_TERM=${E2E_TERM:-screen-256color}
E2E_TIMEOUT=${E2E_TIMEOUT:-5}
E2E_SOCKET="esis-e2e-$$-${RANDOM}"
E2E_SESSION="e2e"
E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/esis-e2e.XXXXXX")
export LANG=C.UTF-8 LC_ALL=C.UTF-8

_tmux() { tmux -u -L "$E2E_SOCKET" "$@"; }

e2e_cleanup() {
    _tmux kill-server >/dev/null 2>&1
    rm -rf "$E2E_DIR"
}
trap e2e_cleanup EXIT

e2e_fail() {
    echo "FAIL: $*" >&2
    echo "---- screen ($E2E_COLS x $E2E_ROWS) ----" >&2
    screen >&2 2>/dev/null
    echo "----------------------------------------" >&2
    exit 1
}

# e2e_start ARGS...: run "$ESIS_BIN ARGS" (or E2E_CMD, a shell command line,
# when set) in the session; its exit status goes to $E2E_DIR/rc.
e2e_start() {
    local cmd
    if [ -n "${E2E_CMD:-}" ]; then
        cmd=$E2E_CMD
    else
        [ -x "${ESIS_BIN:-}" ] || e2e_fail "ESIS_BIN='${ESIS_BIN:-}' is not an executable"
        cmd=$(printf '%q ' "$ESIS_BIN" "$@")
    fi
    printf '%s\n' "$cmd" > "$E2E_DIR/cmd"
    _tmux -f /dev/null new-session -d -s "$E2E_SESSION" -x "$E2E_COLS" -y "$E2E_ROWS" \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=$E2E_TERM ${NO_COLOR:+NO_COLOR=$NO_COLOR} \
         ESIS_HOME='${ESIS_HOME:-$PWD}' bash -c '$cmd; echo \$? > $E2E_DIR/rc; sleep 3600'" \
        || e2e_fail "tmux could not start"
    _tmux set-option -t "$E2E_SESSION" status off >/dev/null
}

# send_keys KEY...: tmux key names (Enter, Escape, Tab, BTab, F2, C-s, Up,
# NPage, ...) or plain ASCII words.  A short pause follows so the program
# reads them as separate keys (Esc then 2 is F2 only within its wait).
send_keys() {
    local k
    for k in "$@"; do
        _tmux send-keys -t "$E2E_SESSION" "$k" || e2e_fail "send-keys $k"
        sleep "${E2E_KEY_DELAY:-0.05}"
    done
}

# type_text TEXT: literal text, Thai included, one code point at a time as a
# keyboard would send it.
type_text() {
    _tmux send-keys -t "$E2E_SESSION" -l "$1" || e2e_fail "send-keys -l $1"
    sleep "${E2E_KEY_DELAY:-0.05}"
}

# send_bytes BYTES: exactly those bytes (printf %b escapes: '\e[11~' is
# PuTTY's F1), whatever TERM says: a terminal's own key sequences.
send_bytes() {
    # shellcheck disable=SC2046
    _tmux send-keys -t "$E2E_SESSION" -H $(printf '%b' "$1" | od -An -tx1 -v) \
        || e2e_fail "send-keys -H $1"
    sleep "${E2E_KEY_DELAY:-0.05}"
}

# send_bytes_split BYTES N: the first N bytes, 0.2 s (a slow link), the rest.
send_bytes_split() {
    local all; all=$(printf '%b' "$1" | od -An -tx1 -v | tr -s ' ' '\n' | sed '/^$/d')
    # shellcheck disable=SC2046
    _tmux send-keys -t "$E2E_SESSION" -H $(echo "$all" | head -n "$2") || e2e_fail "send-keys -H"
    sleep 0.2
    # shellcheck disable=SC2046
    _tmux send-keys -t "$E2E_SESSION" -H $(echo "$all" | tail -n +"$(( $2 + 1 ))") || e2e_fail "send-keys -H"
    sleep "${E2E_KEY_DELAY:-0.05}"
}

# screen: the visible screen as text, one line per row.
screen() { _tmux capture-pane -p -t "$E2E_SESSION"; }

# cursor: "x y" of the terminal cursor.
cursor() { _tmux display-message -p -t "$E2E_SESSION" '#{cursor_x} #{cursor_y}'; }

# wait_for TEXT [SECONDS]: until TEXT is on the screen.
wait_for() {
    local text=$1 limit=${2:-$E2E_TIMEOUT} i=0
    local tries=$(( limit * 10 ))
    while [ $i -lt $tries ]; do
        screen 2>/dev/null | grep -qF -- "$text" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    e2e_fail "wait_for '$text': not on the screen after ${limit}s"
}

# wait_gone TEXT [SECONDS]: until TEXT has left the screen.
wait_gone() {
    local text=$1 limit=${2:-$E2E_TIMEOUT} i=0
    while [ $i -lt $(( limit * 10 )) ]; do
        screen 2>/dev/null | grep -qF -- "$text" || return 0
        sleep 0.1
        i=$((i + 1))
    done
    e2e_fail "wait_gone '$text': still on the screen after ${limit}s"
}

assert_screen_has() {
    screen | grep -qF -- "$1" || e2e_fail "expected on the screen: '$1'"
}

assert_screen_lacks() {
    screen | grep -qF -- "$1" && e2e_fail "not expected on the screen: '$1'"
    return 0
}

# assert_cursor X Y
assert_cursor() {
    local at; at=$(cursor)
    [ "$at" = "$1 $2" ] || e2e_fail "cursor at ($at), expected ($1 $2)"
}

# display_cols TEXT...: for each TEXT, the display column where it starts
# on the first row that holds it, or -1; one number per line.  Mn/Me/Cf
# characters are 0 wide and East Asian wide ones 2.  (One python3 run for
# all texts: starting python is the slow part.)
display_cols() {
    screen | python3 -c '
import sys, unicodedata
def width(s):
    w = 0
    for ch in s:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
lines = sys.stdin.read().split("\n")
for needle in sys.argv[1:]:
    col = -1
    for line in lines:
        i = line.find(needle)
        if i >= 0:
            col = width(line[:i])
            break
    print(col)
' "$@"
}

# assert_columns_aligned TEXT...: every TEXT is on the screen and all start
# at the same display column (a Thai column of a table or form lines up).
assert_columns_aligned() {
    local cols first="" c t i=0
    mapfile -t cols < <(display_cols "$@")
    for t in "$@"; do
        c=${cols[$i]}
        i=$((i + 1))
        [ "$c" = -1 ] && e2e_fail "assert_columns_aligned: '$t' not on the screen"
        if [ -z "$first" ]; then
            first=$c
        elif [ "$c" != "$first" ]; then
            e2e_fail "assert_columns_aligned: '$t' starts at column $c, '$1' at $first"
        fi
    done
    return 0
}

# e2e_exit_code [SECONDS]: wait until the program ends; prints its status.
e2e_exit_code() {
    local limit=${1:-$E2E_TIMEOUT} i=0
    while [ ! -s "$E2E_DIR/rc" ] && [ $i -lt $(( limit * 10 )) ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -s "$E2E_DIR/rc" ] || e2e_fail "the program did not exit within ${limit}s"
    cat "$E2E_DIR/rc"
}

e2e_done() { echo ok; exit 0; }

# ---- self-test, when run rather than sourced ----------------------------
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    command -v tmux >/dev/null || { echo "tmux missing"; exit 1; }
    # A stand-in program: prints a Thai table aligned by display width,
    # then echoes one typed line and exits with status 3.
    cat > "$E2E_DIR/fake.sh" <<'EOF'
printf '%s\n' 'ID  NAME         TOWN'
printf '%s\n' '1   สมชาย        Bangkok'
printf '%s\n' '2   ผู้อำนวยการ    Chiang Mai'
printf '%s\n' '3   ที่อยู่          Khon Kaen'
printf 'type> '
IFS= read -r line
printf 'got [%s]\n' "$line"
exit 3
EOF
    E2E_CMD="bash $E2E_DIR/fake.sh" e2e_start
    wait_for "type>"
    assert_columns_aligned "NAME" "สมชาย" "ผู้อำนวยการ" "ที่อยู่"
    assert_columns_aligned "TOWN" "Bangkok" "Chiang Mai" "Khon Kaen"
    # a misaligned pair must be caught (in a subshell: e2e_fail exits)
    if ( assert_columns_aligned "NAME" "Bangkok" ) 2>/dev/null; then
        echo "FAIL: misalignment not detected"; exit 1
    fi
    type_text "สุ่ม ที่อยู่"
    send_keys Enter
    wait_for "got [สุ่ม ที่อยู่]"
    [ "$(e2e_exit_code)" = 3 ] || e2e_fail "exit status"
    assert_screen_lacks "no such text"
    e2e_done
fi

# e2e_demo_db PATH: a demo district at PATH (a copy of the one tests/run made,
# or a new one when run alone).
e2e_demo_db() {
    if [ -n "${ESIS_E2E_DEMO:-}" ] && [ -f "$ESIS_E2E_DEMO" ]; then
        cp "$ESIS_E2E_DEMO" "$1"
    else
        ESIS_USER=${ESIS_USER:-$(id -un)} "$ESIS_BIN" init --demo --schools 40 --students 8000 --db "$1" >/dev/null
    fi
}
