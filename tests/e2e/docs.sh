#!/usr/bin/env bash
# doc/rules.md is generated from conf/rules: it must match what esis makes now.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$ESIS_BIN" init --db "$T/d.db" >/dev/null || { echo "esis init failed"; exit 1; }
"$ESIS_BIN" rules --doc --db "$T/d.db" > "$T/rules.md" || { echo "esis rules --doc failed"; exit 1; }
if ! diff -u doc/rules.md "$T/rules.md" > "$T/diff"; then
    echo "doc/rules.md is out of date: run make docs"; head -20 "$T/diff"; exit 1
fi
