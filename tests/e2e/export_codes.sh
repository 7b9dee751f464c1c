#!/usr/bin/env bash
# Exports write codes as a Thai user reads them (issue 18): `esis export`
# writes every coded field (grade, prefix, gender, nationality, ... every
# column whose conf/import mapping says code:LIST) by its label in
# conf/codes.ini in the session's language (ป.1, ชาย; P1, male in English),
# and `--codes machine` writes the codes as stored.  For every importable
# kind and both languages:
#   - the labels file is the machine file with each coded cell replaced by
#     its label, read from conf/codes.ini and conf/import/KIND.ini here in
#     Python (an independent reading of the lists), every other cell equal;
#   - the labels file imported into a fresh database and exported again with
#     --codes machine gives the machine export's bytes (DMC: its rows minus
#     those refused by the checks, as tests/e2e/roundtrip.sh compares them);
# and no report prints a grade by its machine code to a Thai user.
set -u
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
SRC=$(cd "$(dirname "$0")/../.." && pwd)
e2e_demo_db "$T/d.db" || { echo "no demo district"; exit 1; }
R=$("$ESIS_BIN" --db "$T/d.db" round list | awk '$2 == "dmc" && $6 == "open" {print $1}' | tail -1)
[ -n "$R" ] || { echo "no open DMC round in the demo"; exit 1; }
fails=0
bad() { echo "export_codes: $*"; fails=$((fails + 1)); }
for lang in th en; do
    "$ESIS_BIN" init --db "$T/f_$lang.db" >/dev/null || { echo "init failed"; exit 1; }
    for k in schools staff buildings equipment ict service-area dmc; do
        m="$T/$k.machine.csv" l="$T/$k.$lang.csv" back="$T/$k.$lang.back.csv"
        "$ESIS_BIN" --db "$T/d.db" export "$k" --round "$R" --codes machine --out "$m" >/dev/null 2>&1 \
            || { bad "export $k --codes machine failed"; continue; }
        "$ESIS_BIN" --lang "$lang" --db "$T/d.db" export "$k" --round "$R" --out "$l" >/dev/null 2>&1 \
            || { bad "export $k ($lang) failed"; continue; }
        out=$(python3 - "$SRC" "$k" "$lang" "$m" "$l" <<'EOF'
import configparser, csv, sys
src, kind, lang, machine, labels = sys.argv[1:]
def ini(path):
    p = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=None, strict=False)
    p.optionxform = str
    p.read(path, encoding="utf-8")
    return p
codes = ini(f"{src}/conf/codes.ini")
label = {}                      # (list, code) -> label in lang
for sec in codes.sections():
    for _, entry in codes.items(sec):
        f = [x.strip() for x in entry.split("|")]
        if len(f) >= 3:
            label[(sec, f[0])] = f[2 if lang == "en" else 1] or f[0]
mapping = ini(f"{src}/conf/import/{kind}.ini")
coded = {s: mapping[s]["normalise"][5:] for s in mapping.sections()
         if mapping[s].get("normalise", "").startswith("code:")}
rm = list(csv.reader(open(machine, encoding="utf-8-sig", newline="")))
rl = list(csv.reader(open(labels, encoding="utf-8-sig", newline="")))
if rm[0] != rl[0] or len(rm) != len(rl):
    sys.exit(f"{kind}: headers or row counts differ")
changed = 0
for row_m, row_l in zip(rm[1:], rl[1:]):
    for name, vm, vl in zip(rm[0], row_m, row_l):
        want = label.get((coded[name], vm), vm) if name in coded and vm else vm
        if vl != want:
            sys.exit(f"{kind} {lang}: column {name}: code {vm!r} written {vl!r}, conf/codes.ini says {want!r}")
        changed += vl != vm
print(f"{len(rm) - 1} rows, {len(coded)} coded columns, {changed} cells by label")
EOF
        ) || { bad "$out"; continue; }
        echo "export_codes: $k ($lang): $out"
        "$ESIS_BIN" --db "$T/f_$lang.db" import "$k" "$l" --round "$R" --rejects "$T/$k.$lang.rej" >/dev/null 2>&1
        rc=$?
        if [ "$k" != dmc ] && [ $rc != 0 ]; then bad "import $k ($lang): exit $rc"; fi
        "$ESIS_BIN" --db "$T/f_$lang.db" export "$k" --round "$R" --codes machine --out "$back" >/dev/null 2>&1 \
            || { bad "export $k --codes machine from the imported labels failed"; continue; }
        if [ "$k" = dmc ]; then
            n1=$(($(wc -l < "$m") - 1)); n2=$(($(wc -l < "$back") - 1))
            nr=$(python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding='utf-8-sig'))) - 1)" "$T/$k.$lang.rej")
            [ $((n2 + nr)) = "$n1" ] || bad "dmc ($lang): $n1 exported, $n2 back, $nr rejected"
            [ "$n2" -gt 0 ] || bad "dmc ($lang): nothing came back"
            grep -vxF -f "$m" "$back" | grep -q . && bad "dmc ($lang): rows changed on the way"
        elif ! cmp -s "$m" "$back"; then
            bad "$k ($lang): labels -> import -> export --codes machine differs"; diff "$m" "$back" | head -4
        fi
    done
done
# Reports, in Thai, print no grade by its machine code: every cell that is
# a grade code of conf/codes.ini (K1, P1, M1, ...) is a fault.
grades=$(python3 -c '
import configparser
p = configparser.ConfigParser(interpolation=None, strict=False); p.optionxform = str
p.read("'"$SRC"'/conf/codes.ini", encoding="utf-8")
print(" ".join(v.split("|")[0].strip() for _, v in p.items("grade")))')
[ -n "$grades" ] || bad "no grade codes read from conf/codes.ini"
nrep=0
for f in "$SRC"/conf/reports/*.ini; do
    r=$(basename "$f" .ini)
    "$ESIS_BIN" --lang th --db "$T/d.db" report "$r" --round "$R" --format csv --out "$T/r.csv" >/dev/null 2>&1 || continue
    nrep=$((nrep + 1))
    hit=$(python3 -c '
import csv, sys
codes = set(sys.argv[2:])
for row in csv.reader(open(sys.argv[1], encoding="utf-8-sig")):
    for cell in row:
        if cell.strip() in codes:
            print(cell); sys.exit(0)' "$T/r.csv" $grades)
    [ -z "$hit" ] || bad "report $r prints the grade code $hit to a Thai user"
done
[ "$nrep" -ge 5 ] || bad "only $nrep reports ran"
"$ESIS_BIN" --lang th --db "$T/d.db" report students_by_grade_gender --round "$R" --format csv --out "$T/g.csv" >/dev/null 2>&1
grep -q "ป.1" "$T/g.csv" || bad "students_by_grade_gender has no ป.1 row"

"$ESIS_BIN" --db "$T/d.db" export dmc --codes nonsense >/dev/null 2>&1
[ $? = 2 ] || bad "--codes nonsense is not a usage error"
[ $fails = 0 ] && echo "export_codes: ok ($nrep reports read in Thai, no grade code in them)"
exit $((fails > 0))
