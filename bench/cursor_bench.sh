#!/usr/bin/env bash
# Builds and runs bench/cursor_bench.c: list paging at N students (default
# 1,000,000).  The database is generated on the first run and kept.
# Usage: bash bench/cursor_bench.sh [N] [DBFILE]
set -eu
cd "$(dirname "$0")/.."
make -s build/libesis.a
mkdir -p build/bench
cc -std=c11 -Wall -Wextra -Werror -O2 -g -Iinclude $(pkg-config --cflags ncursesw) \
   -o build/bench/cursor_bench bench/cursor_bench.c build/libesis.a \
   $(pkg-config --libs sqlite3 libthai libcrypt) -lcsv -liniparser -lm
N=${1:-1000000}
DB=${2:-/tmp/esis-cursor-bench-$N.db}
build/bench/cursor_bench "$N" "$DB"
