#!/usr/bin/env bash
# Builds and runs bench/rules_bench.c: the rules over N generated students
# (default 1,000,000).  Usage: bash bench/rules_bench.sh [N] [DBFILE]
set -eu
cd "$(dirname "$0")/.."
make -s build/libesis.a
mkdir -p build/bench
cc -std=c11 -Wall -Wextra -Werror -O2 -g -Iinclude $(pkg-config --cflags ncursesw) \
   -o build/bench/rules_bench bench/rules_bench.c build/libesis.a \
   $(pkg-config --libs sqlite3 libthai libcrypt) -lcsv -liniparser -lm
export ESIS_HOME=${ESIS_HOME:-$(pwd)}
N=${1:-1000000}
DB=${2:-/tmp/esis-rules-bench-$N.db}
build/bench/rules_bench "$N" "$DB"
