#!/usr/bin/env bash
# Import benchmark: N DMC students (default 1,000,000) through io_import,
# against `sqlite3 .import` of the same file into a plain table.
# The goal: io_import within 1.5x of .import, memory flat in N.
#   bench/io_import.sh [N] [BUILD]        (run from the source tree, after make)
set -eu
N=${1:-1000000}
BUILD=${2:-build}
HOME_DIR=${ESIS_HOME:-$(pwd)}
W=$(mktemp -d /tmp/esis-bench-XXXXXX)
trap 'rm -rf "$W"' EXIT
python3 bench/io_gen.py "$N" "$W/dmc.csv"
echo "file: $(du -h "$W/dmc.csv" | cut -f1), $N rows"
cc -std=c11 -O2 -Iinclude $(pkg-config --cflags sqlite3) -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 \
   -o "$W/io_bench" bench/io_bench.c "$BUILD/libesis.a" \
   $(pkg-config --libs ncursesw panelw sqlite3 libthai libcrypt) -lcsv -liniparser -lm
t0=$(date +%s.%N)
sqlite3 "$W/plain.db" ".import --csv $W/dmc.csv plain"
t1=$(date +%s.%N)
plain=$(echo "$t1 - $t0" | bc)
echo "sqlite3 .import seconds=$plain"
/usr/bin/time -f "esis wall=%e maxrss_kb=%M" "$W/io_bench" "$HOME_DIR" "$W/esis.db" "$W/dmc.csv"
