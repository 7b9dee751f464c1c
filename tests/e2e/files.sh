#!/usr/bin/env bash
# Files the way offices have them (issue 18).  The corpus is made here, at
# test time, by outside tools (iconv, Python's codecs, openpyxl), from rows
# the demo district exports:
#   - the same 40 students as clean UTF-8 CSV (Thai headers), with a BOM
#     and CRLF, in Windows-874 (iconv -t CP874, with – “ ” … in a field),
#     as UTF-16 tab-separated "Unicode text" (Python encoding='utf-16'),
#     semicolon-separated, with title lines above the header, and as a
#     workbook written by openpyxl (title row, Thai headers, IDs as text
#     and as numbers, dates as dates, grades and prefixes written out in
#     full, with spaces, Thai digits, ด.ช): each imports the same records as
#     the clean twin (the students table compared with sqlite3);
#   - every kind exported as a workbook, imported back and exported as CSV
#     gives the bytes of the CSV export; the workbook read by openpyxl holds
#     the values sqlite3 reads from the database;
#   - the formula guard: a school named =HYPERLINK(...) is exported with an
#     apostrophe in CSV and in the workbook (a string, not a formula), and
#     imports back as it was;
#   - the messages: a missing column named as the file's header names it,
#     with the accepted spellings; no raw {placeholders}; a workbook number
#     where an ID belongs refused with how to fix it; rejects as a workbook.
set -u
. "$(dirname "$0")/lib.sh"
T=${KEEP:-$(mktemp -d)}; [ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
PY=python3
$PY -c 'import openpyxl' 2>/dev/null || PY=/usr/bin/python3
$PY -c 'import openpyxl' 2>/dev/null || { echo "python3-openpyxl is missing (.ci/deps)"; exit 1; }
E=$ESIS_BIN
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

e2e_demo_db "$T/d.db" || { echo "no demo district"; exit 1; }
R=$("$E" --db "$T/d.db" round list | awk '$2 == "dmc" && $6 == "open" {print $1}' | tail -1)
[ -n "$R" ] || { echo "no open DMC round in the demo"; exit 1; }

# ---- 1. workbooks out and back, every kind --------------------------------
"$E" init --db "$T/x.db" >/dev/null && "$E" init --db "$T/c.db" >/dev/null || { echo "init failed"; exit 1; }
for k in schools staff buildings equipment ict service-area dmc; do
    "$E" --db "$T/d.db" export "$k" --round "$R" --out "$T/$k.csv" >/dev/null 2>&1 || { fail "export $k csv"; continue; }
    "$E" --db "$T/d.db" export "$k" --round "$R" --format xlsx --out "$T/$k.xlsx" >/dev/null 2>&1 \
        || { fail "export $k xlsx"; continue; }
    "$E" --db "$T/x.db" import "$k" "$T/$k.xlsx" --round "$R" --rejects "$T/$k.x.rej" >/dev/null 2>&1
    "$E" --db "$T/c.db" import "$k" "$T/$k.csv" --round "$R" --rejects "$T/$k.c.rej" >/dev/null 2>&1
    "$E" --db "$T/x.db" export "$k" --round "$R" --out "$T/$k.x.csv" >/dev/null 2>&1
    "$E" --db "$T/c.db" export "$k" --round "$R" --out "$T/$k.c.csv" >/dev/null 2>&1
    # through a workbook or through CSV: the same bytes (DMC's faulty rows
    # are refused by both ways alike)
    cmp -s "$T/$k.x.csv" "$T/$k.c.csv" || fail "$k: xlsx -> import -> csv differs from csv -> import -> csv"
    if [ "$k" != dmc ]; then
        cmp -s "$T/$k.csv" "$T/$k.x.csv" || fail "$k: export xlsx -> import -> export csv is not the csv export"
    fi
    [ "$(wc -l < "$T/$k.x.csv")" -gt 1 ] || fail "$k: nothing came back from the workbook"
done

# The workbook as openpyxl reads it against the database as sqlite3 does
# (the machine codes: by default grades are written as ป.1, issue 18).
"$E" --db "$T/d.db" export dmc --round "$R" --format xlsx --codes machine --out "$T/dmc.m.xlsx" >/dev/null 2>&1 \
    || fail "export dmc xlsx --codes machine"
sqlite3 -separator '|' "$T/d.db" "SELECT citizen_id, birth_date, room, grade FROM students
    WHERE round_code = '$R' ORDER BY school_code, citizen_id" > "$T/dmc.sql.txt"
$PY - "$T/dmc.m.xlsx" > "$T/dmc.py.txt" <<'EOF' || fail "openpyxl cannot read the DMC workbook"
import sys, openpyxl, datetime
ws = openpyxl.load_workbook(sys.argv[1], read_only=False).active
head = [c.value for c in ws[1]]
assert ws.freeze_panes == 'A2', ws.freeze_panes
assert ws['A1'].font.b, 'header not bold'
ci, bd, rm, gr = (head.index(n) for n in ('citizen_id', 'birth_date', 'room', 'grade'))
for row in ws.iter_rows(min_row=2, values_only=True):
    assert isinstance(row[ci], str), ('citizen_id not text', row[ci])
    assert isinstance(row[bd], datetime.datetime), ('birth_date not a date', row[bd])
    assert isinstance(row[rm], int), ('room not a number', row[rm])
    print('%s|%s|%d|%s' % (row[ci], row[bd].date().isoformat(), row[rm], row[gr]))
EOF
cmp -s "$T/dmc.sql.txt" "$T/dmc.py.txt" || { fail "DMC workbook values differ from the database"; diff "$T/dmc.sql.txt" "$T/dmc.py.txt" | head -3; }
[ "$(wc -l < "$T/dmc.sql.txt")" -gt 100 ] || fail "DMC: too few rows to compare"

# A report as a workbook: the title with the round, numbers as numbers, the
# same values as its CSV.
# (the subsidy is paid per term: term 1 of R's year, from that year's round 1)
"$E" --db "$T/d.db" report subsidy --year "${R%-*}" --term 1 --format xlsx --out "$T/sub.xlsx" >/dev/null 2>&1 || fail "report xlsx"
"$E" --db "$T/d.db" report subsidy --year "${R%-*}" --term 1 --format csv --out "$T/sub.csv" >/dev/null 2>&1 || fail "report csv"
$PY - "$T/sub.xlsx" "$T/sub.csv" "${R%-*}-1" <<'EOF' || fail "report workbook differs from its CSV"
import sys, csv, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = [r for r in ws.iter_rows(values_only=True)]
assert sys.argv[3] in rows[0][0], ('no round in the title', rows[0][0])
assert ws.freeze_panes == 'A4', ws.freeze_panes
want = list(csv.reader(open(sys.argv[2], encoding='utf-8-sig')))
# the CSV ends with what its numbers are as of (one cell), which the
# workbook says in its title row instead
assert len(want[-1]) == 1 and sys.argv[3] in want[-1][0], ('no as-of line', want[-1])
want = want[:-1]
got = rows[2:]
assert len(got) == len(want), (len(got), len(want))
for g, w in zip(got, want):
    for a, b in zip(g, w):
        if isinstance(a, (int, float)):
            assert abs(a - float(b)) < 0.005, (a, b)
        else:
            assert (a or '') == b, (a, b)
assert ws.cell(4, 2).number_format == '#,##0', ws.cell(4, 2).number_format
EOF

# ---- 2. the same students in every encoding and shape ----------------------
"$E" init --db "$T/base.db" >/dev/null
"$E" --db "$T/base.db" import schools "$T/schools.csv" >/dev/null 2>&1 || fail "schools into base"
# 40 students that import cleanly: those the CSV round trip kept, with
# their machine codes (the corpus writes grades in the offices' spellings)
"$E" --db "$T/c.db" export dmc --round "$R" --codes machine --out "$T/dmc.cm.csv" >/dev/null 2>&1 \
    || fail "export dmc --codes machine"
$PY - "$T/dmc.cm.csv" "$T" <<'EOF' || fail "corpus generation"
import sys, csv, os, datetime, subprocess
src, d = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(src, encoding='utf-8-sig')))
head, data = rows[0], rows[1:41]
thai = {'school_code': 'รหัสโรงเรียน', 'citizen_id': 'เลขประจำตัวประชาชน', 'prefix': 'คำนำหน้า',
        'first_name': 'ชื่อ', 'last_name': 'นามสกุล', 'gender': 'เพศ', 'birth_date': 'วันเกิด',
        'grade': 'ชั้น', 'room': 'ห้อง', 'road': 'ถนน'}
keep = list(range(len(head)))
th_head = [thai.get(n, n) for n in head]
road = head.index('road')
for r in data:
    r[road] = 'ถ.สุขุมวิท – “ซอย 5” …'          # Windows-874 punctuation
table = [[r[i] for i in keep] for r in data]
def write(name, delim=',', enc='utf-8', title=False, nl='\n'):
    with open(os.path.join(d, name), 'w', encoding=enc, newline='') as f:
        if title:
            f.write('รายชื่อนักเรียน ข้อมูล ณ วันที่ 10 มิ.ย. 2568' + nl + nl)
        w = csv.writer(f, delimiter=delim, lineterminator=nl)
        w.writerow(th_head)
        w.writerows(table)
write('clean.csv')
write('bom.csv', enc='utf-8-sig', nl='\r\n')
write('semicolon.csv', delim=';')
write('title.csv', title=True)
write('utf16.txt', delim='\t', enc='utf-16', nl='\r\n')
write('utf16be.txt', delim='\t', enc='utf-16', nl='\r\n')
raw = open(os.path.join(d, 'utf16be.txt'), 'rb').read().decode('utf-16').encode('utf-16-be')
open(os.path.join(d, 'utf16be.txt'), 'wb').write(b'\xfe\xff' + raw)
subprocess.run(['iconv', '-f', 'UTF-8', '-t', 'CP874', '-o', os.path.join(d, 'cp874.csv'),
                os.path.join(d, 'clean.csv')], check=True)
assert b'\x96' in open(os.path.join(d, 'cp874.csv'), 'rb').read()     # the en dash, as CP874 has it
# the workbook as Excel users make it: a title row, Thai headers, IDs as
# text and (every other row) as numbers, dates as dates, rooms as numbers
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = 'นักเรียน'
ws.append(['รายชื่อนักเรียน ข้อมูล ณ วันที่ 10 มิ.ย. 2568'])
ws.append([])
ws.append(th_head)
ci, bd, rm = th_head.index('เลขประจำตัวประชาชน'), th_head.index('วันเกิด'), th_head.index('ห้อง')
gr, pf = th_head.index('ชั้น'), th_head.index('คำนำหน้า')
thai_digit = str.maketrans('0123456789', '๐๑๒๓๔๕๖๗๘๙')
full = {'K': 'อนุบาลปีที่ ', 'P': 'ประถมศึกษาปีที่ ', 'M': 'มัธยมศึกษาปีที่ '}
short = {'K': 'อ. ', 'P': 'ป. ', 'M': 'ม. '}
for n, r in enumerate(table):
    r = list(r)
    # grades and prefixes as offices write them (issue 18, part 3)
    g = r[gr]
    r[gr] = full[g[0]] + g[1:].translate(thai_digit) if n % 3 == 0 else short[g[0]] + g[1:] if n % 3 == 1 else g
    r[pf] = {'เด็กชาย': 'ด.ช', 'เด็กหญิง': 'ด.ญ'}.get(r[pf], r[pf]) if n % 2 else r[pf]
    dd, mm, yy = (int(x) for x in r[bd].split('/'))
    r[bd] = datetime.datetime(yy - 543, mm, dd)
    r[rm] = int(r[rm])
    if n % 2:
        r[ci] = int(r[ci])
    ws.append(r)
    if n % 2:
        ws.cell(ws.max_row, ci + 1).number_format = '0'
    ws.cell(ws.max_row, bd + 1).number_format = 'dd/mm/yyyy'
bad = list(table[0])
bad[ci] = 1.1037e12 + 0.5        # an ID Excel turned into a real number
bad[bd] = datetime.datetime(2015, 1, 1)
bad[rm] = 1
ws.append(bad)
wb.save(os.path.join(d, 'openpyxl.xlsx'))
print(len(table))
EOF
dump() { sqlite3 -separator '|' "$1" "SELECT school_code, citizen_id, prefix, first_name, last_name, gender,
    birth_date, grade, room, road FROM students WHERE round_code = '$R' ORDER BY citizen_id"; }
for f in clean.csv bom.csv semicolon.csv title.csv utf16.txt utf16be.txt cp874.csv openpyxl.xlsx; do
    cp "$T/base.db" "$T/$f.db"
    "$E" --db "$T/$f.db" import dmc "$T/$f" --round "$R" --rejects "$T/$f.rej" >"$T/$f.out" 2>"$T/$f.err"
    rc=$?
    want=0; [ "$f" = openpyxl.xlsx ] && want=3
    [ $rc = $want ] || { fail "$f: exit $rc (want $want)"; cat "$T/$f.out" "$T/$f.err"; }
    dump "$T/$f.db" > "$T/$f.dump"
done
[ "$(wc -l < "$T/clean.csv.dump")" = 40 ] || fail "clean twin: $(wc -l < "$T/clean.csv.dump") students, not 40"
grep -q '– “ซอย 5” …' "$T/clean.csv.dump" || fail "clean twin lost the punctuation"
for f in bom.csv semicolon.csv title.csv utf16.txt utf16be.txt cp874.csv openpyxl.xlsx; do
    cmp -s "$T/clean.csv.dump" "$T/$f.dump" || { fail "$f imports other records than its UTF-8 twin"; diff "$T/clean.csv.dump" "$T/$f.dump" | head -4; }
done
grep -q 'รายชื่อนักเรียน' "$T/title.csv.err" || fail "title lines skipped without saying so: $(cat "$T/title.csv.err")"
grep -q 'Text' "$T/openpyxl.xlsx.rej" || fail "a real-number ID is not refused with how to fix it: $(cat "$T/openpyxl.xlsx.rej" 2>/dev/null | tail -1)"
# --delimiter given
cp "$T/base.db" "$T/delim.db"
"$E" --db "$T/delim.db" import dmc "$T/semicolon.csv" --delimiter ';' --round "$R" >/dev/null 2>&1 || fail "--delimiter ';'"
[ "$(dump "$T/delim.db")" = "$(cat "$T/clean.csv.dump")" ] || fail "--delimiter ';' imports other records"
# --sheet by name, and a sheet that is not there named with those that are
cp "$T/base.db" "$T/sheet.db"
"$E" --db "$T/sheet.db" import dmc "$T/openpyxl.xlsx" --sheet 'นักเรียน' --round "$R" >/dev/null 2>&1
[ $? = 3 ] || fail "--sheet by name"
"$E" --db "$T/sheet.db" import dmc "$T/openpyxl.xlsx" --sheet nope --round "$R" >/dev/null 2>"$T/sheet.err"
grep -q 'นักเรียน' "$T/sheet.err" || fail "no sheet: the sheets are not named: $(cat "$T/sheet.err")"

# ---- 3. messages ---------------------------------------------------------
# a Thai header without เพศ: named in Thai, with what is accepted
$PY - "$T/clean.csv" "$T/nogender.csv" <<'EOF'
import sys, csv
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
g = rows[0].index('เพศ')
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline='')).writerows([r[:g] + r[g + 1:] for r in rows])
EOF
cp "$T/base.db" "$T/m.db"
"$E" --db "$T/m.db" import dmc "$T/nogender.csv" --round "$R" >/dev/null 2>"$T/m.err"
grep -q 'เพศ' "$T/m.err" && grep -q 'sex' "$T/m.err" || fail "missing column not named in Thai with its spellings: $(cat "$T/m.err")"
grep -q 'ไม่มีคอลัมน์ที่จำเป็น gender' "$T/m.err" && fail "missing column named by its internal name"
# UTF-16 without a BOM cannot be read: the message has no raw placeholders
$PY -c "import sys; open(sys.argv[1],'wb').write(open(sys.argv[2],'rb').read()[2:])" "$T/nobom16.txt" "$T/utf16.txt"
"$E" --db "$T/m.db" import dmc "$T/nobom16.txt" --round "$R" >/dev/null 2>"$T/nb.err"
grep -q '{' "$T/nb.err" && fail "raw placeholders: $(cat "$T/nb.err")"
grep -q 'บรรทัด 1' "$T/nb.err" || fail "the unreadable header's line is not named: $(cat "$T/nb.err")"
# bytes that are no encoding at all: the row's line and column named
$PY - "$T/clean.csv" "$T/junk.csv" <<'EOF'
import sys
lines = open(sys.argv[1], 'rb').read().split(b'\n')
lines[2] = lines[2].replace('ถ.สุขุมวิท'.encode(), b'\xff\xfe\xfd', 1)
open(sys.argv[2], 'wb').write(b'\n'.join(lines))
EOF
cp "$T/base.db" "$T/j.db"
"$E" --db "$T/j.db" import dmc "$T/junk.csv" --round "$R" --rejects "$T/junk-rejects.csv" --rejects-format xlsx >/dev/null 2>&1
[ $? = 3 ] || fail "junk bytes: not one row rejected"
[ -f "$T/junk-rejects.csv" ] && fail "rejects: the CSV is left beside the workbook"
$PY - "$T/junk-rejects.xlsx" "$T/clean.csv" <<'EOF' || fail "rejects workbook"
import sys, csv, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = list(ws.iter_rows(values_only=True))
col = next(csv.reader(open(sys.argv[2], encoding='utf-8'))).index('ถนน') + 1
# row, reasons and the raw line first, then the file's own header
assert rows[0][:3] == ('row', 'reasons', 'raw'), rows[0]
assert len(rows) == 2, len(rows)
assert 'บรรทัด 3' in rows[1][1] and 'คอลัมน์ที่ %d ' % col in rows[1][1], rows[1][1]
EOF

# a CSV saved from Excel with an ID in scientific notation: that row refused
# with how to fix it, the others imported
sed '3s/,[0-9]\{13\},/,1.31042E+12,/' "$T/clean.csv" > "$T/sci.csv"
cp "$T/base.db" "$T/sci.db"
"$E" --db "$T/sci.db" import dmc "$T/sci.csv" --round "$R" --rejects "$T/sci.rej" >/dev/null 2>&1
[ $? = 3 ] || fail "scientific ID: exit not 3"
[ "$(dump "$T/sci.db" | wc -l)" = 39 ] || fail "scientific ID: not 39 of 40 imported"
grep -q '(Text).*1.31042E+12' "$T/sci.rej" || fail "scientific ID: no Excel hint: $(tail -1 "$T/sci.rej")"

# ---- 4. the formula guard --------------------------------------------------
# the name set through an import (the database's triggers need esis)
"$E" init --db "$T/g.db" >/dev/null
S=$($PY - "$T/schools.csv" "$T/g0.csv" <<'EOF'
import sys, csv
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))
rows[1][rows[0].index('name')] = '=HYPERLINK("http://x","click")'
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline='')).writerows(rows)
print(rows[1][0])
EOF
)
"$E" --db "$T/g.db" import schools "$T/g0.csv" >/dev/null 2>&1 || fail "guard: the first import"
"$E" --db "$T/g.db" export schools --out "$T/g.csv" >/dev/null 2>&1 || fail "guard: export"
grep -qF "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"" "$T/g.csv" || fail "guard: CSV not guarded: $(grep -F HYPERLINK "$T/g.csv" | cut -c1-80)"
"$E" --db "$T/g.db" export schools --format xlsx --out "$T/g.xlsx" >/dev/null 2>&1 || fail "guard: export xlsx"
$PY - "$T/g.xlsx" <<'EOF' || fail "guard: the workbook holds a formula"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and 'HYPERLINK' in c.value]
assert len(cells) == 1 and cells[0].data_type == 's' and cells[0].value.startswith("'="), [(c.value, c.data_type) for c in cells]
EOF
for f in g.csv g.xlsx; do
    "$E" init --db "$T/g2.db" >/dev/null
    "$E" --db "$T/g2.db" import schools "$T/$f" >/dev/null 2>&1 || fail "guard: import $f"
    [ "$(sqlite3 "$T/g2.db" "SELECT name_th FROM schools WHERE school_code = '$S'")" = '=HYPERLINK("http://x","click")' ] \
        || fail "guard: $f did not import the name back as it was"
    rm -f "$T/g2.db"*
done

exit $((fails > 0))
