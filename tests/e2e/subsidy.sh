#!/usr/bin/env bash
# The subsidy as OBEC pays it (issue 19, deliverables 1 and 2), against a
# hand computation:
#   - a small district made here (4 schools with students at every grade
#     K1..M6, some poor, different in the 10 June and 10 November rounds;
#     one school with no students; one with 10 pupils at each level) is
#     imported with esis, and Python computes every school's subsidy per
#     term and component from conf/rates.ini read with configparser, with
#     OBEC's rules written out here (term 1 from round 1, term 2 from round
#     2, each at the rates of the fiscal year its as-of date falls in;
#     textbooks and uniforms in term 1, the rest half a term);
#   - `esis report subsidy --year 2568 --term 1`, `--term 2` and the whole
#     year must give those numbers, the year's total the sum of its terms,
#     and a second run the same;
#   - the issue's example: 10 pupils at each level give 117,720 baht of
#     per-head money in the year (109,000 at the older rates);
#   - the poor: the students flagged poor whose screening (household
#     members, income a month, criteria met) supports the flag by
#     conf/rates.ini [poor_screening], counted in the report and flagged by
#     the rules dmc.poor_*, both against a Python count;
#   - a fiscal year without rates (term 2 of 2569 is fiscal 2570) is refused
#     naming conf/rates.ini and [2570], and prints no table; --round is
#     refused (a term is paid from its own round, never from any other).
set -u
. "$(dirname "$0")/lib.sh"
T=${KEEP:-$(mktemp -d)}; [ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
E=$ESIS_BIN
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
R() { "$E" --db "$T/s.db" "$@"; }

"$E" init --db "$T/s.db" >/dev/null 2>&1 || { echo "init failed"; exit 1; }

# ---- the district, written by Python --------------------------------------
python3 - "$T" <<'EOF' || { echo "cannot write the district"; exit 1; }
import sys, csv, os
T = sys.argv[1]
GRADES = ['K1','K2','K3','P1','P2','P3','P4','P5','P6','M1','M2','M3','M4','M5','M6']
AGE = dict(zip(GRADES, range(3, 18)))
schools = [('1031000001', 'โรงเรียนบ้านหนึ่ง', 'เมือง'), ('1031000002', 'โรงเรียนวัดสอง', 'เมือง'),
           ('1031000003', 'โรงเรียนบ้านสาม', 'นางรอง'), ('1031000004', 'โรงเรียนบ้านว่าง', 'นางรอง'),
           ('1031000005', 'โรงเรียนสิบทุกระดับ', 'นางรอง')]
with open(os.path.join(T, 'schools.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['school_code', 'name', 'amphoe', 'status'])
    for s in schools: w.writerow(list(s) + ['open'])
def tid(n):
    d = '1%011d' % n
    return d + str((11 - sum(int(c) * (13 - i) for i, c in enumerate(d)) % 11) % 10)
serial = [100000]
# the screening of a poor student (form นร.01), by the serial: members,
# income a month, criteria met; some support the flag, some do not (no data,
# income over 3,000 a member, no criteria, a criterion that is not a code)
SCREEN = [(4, 8000, '1 4'), (None, None, ''), (3, 9500, '2'), (5, 12000, '1 3 7'), (2, 5000, ''),
          (6, 15000, '9'), (3, 9000, '4 8')]  # the last at the limit exactly
def student(school, grade, poor, year_be):
    serial[0] += 1
    born = 2568 - 543 - AGE[grade] - 1
    m, inc, crit = SCREEN[serial[0] % len(SCREEN)] if poor else (None, None, '')
    return [school, tid(serial[0]), 'เด็กชาย', 'ชื่อ%d' % serial[0], 'สกุล', '1',
            '15/01/%d' % (born + 543), grade, '1', 'TH', '1' if poor else '0', '1',
            '' if m is None else m, '' if inc is None else inc, crit]
head = ['school_code', 'citizen_id', 'prefix', 'first_name', 'last_name', 'gender', 'birth_date',
        'grade', 'room', 'nationality', 'poor', 'status', 'จำนวนสมาชิกในครัวเรือน', 'รายได้ครัวเรือน',
        'สถานะครัวเรือน']
# round 1 and round 2: counts per school and grade (n, poor) that differ
plan = {
    1: {'1031000001': lambda i, g: (2 + i % 3, i % 2), '1031000002': lambda i, g: (1 + i % 4, 1 if g[0] == 'M' else 0),
        '1031000003': lambda i, g: (3, 0 if i % 5 else 2), '1031000005': lambda i, g: (10 if g in ('K1', 'P1', 'M1', 'M4') else 0, 0)},
    2: {'1031000001': lambda i, g: (1 + i % 3, i % 3 == 0), '1031000002': lambda i, g: (2 + i % 2, 1 if g[0] == 'P' else 0),
        '1031000003': lambda i, g: (3, 1 if i % 4 == 0 else 0), '1031000005': lambda i, g: (10 if g in ('K1', 'P1', 'M1', 'M4') else 0, 0)},
}
for rnd in (1, 2):
    for year in (2568, 2569):
        serial[0] = 100000 * rnd + (year - 2568) * 50000
        with open(os.path.join(T, 'dmc_%d_%d.csv' % (year, rnd)), 'w', newline='') as f:
            w = csv.writer(f)
            w.writerow(head)
            for school, fn in plan[rnd].items():
                for i, g in enumerate(GRADES):
                    n, poor = fn(i, g)
                    for k in range(n): w.writerow(student(school, g, k < poor, year))
EOF

R import schools "$T/schools.csv" >"$T/imp.out" 2>&1 || { fail "import schools: $(tail -3 "$T/imp.out")"; }
for y in 2568 2569; do
    for r in 1 2; do
        R import dmc "$T/dmc_${y}_$r.csv" --round "$y-$r" >"$T/imp.out" 2>&1 \
            || fail "import dmc $y-$r: $(tail -3 "$T/imp.out")"
    done
done
n=$(sqlite3 "$T/s.db" "SELECT count(*) FROM students WHERE round_code IN ('2568-1','2568-2')")
want=$(($(wc -l < "$T/dmc_2568_1.csv") + $(wc -l < "$T/dmc_2568_2.csv") - 2))
[ "$n" = "$want" ] || fail "imported $n students of 2568, the files hold $want"

# ---- the hand computation -------------------------------------------------
# school|term|round|students|poor|per_head|textbooks|materials|uniforms|activities|poor_amount|total
# from the students table (sqlite3) and conf/rates.ini (configparser)
sqlite3 -separator '|' "$T/s.db" "SELECT school_code, round_code, grade, poor, count(*) FROM students
    WHERE status = '1' AND round_code IN ('2568-1','2568-2') GROUP BY 1, 2, 3, 4" > "$T/counts.txt"
sqlite3 -separator '|' "$T/s.db" "SELECT school_code, round_code, household_members, household_income,
    poor_criteria FROM students WHERE status = '1' AND poor = 1 AND round_code IN ('2568-1','2568-2')" > "$T/poor.txt"
python3 - "$ESIS_HOME/conf/rates.ini" "$T/counts.txt" "$T/poor.txt" > "$T/want.txt" <<'EOF' || fail "the hand computation failed"
import sys, configparser
cp = configparser.ConfigParser(inline_comment_prefixes=None, comment_prefixes=(';',))
cp.read(sys.argv[1], encoding='utf-8')
LEVEL = {}
for g in ('K1', 'K2', 'K3'): LEVEL[g] = 'kindergarten'
for g in ('P1', 'P2', 'P3', 'P4', 'P5', 'P6'): LEVEL[g] = 'primary'
for g in ('M1', 'M2', 'M3'): LEVEL[g] = 'lower_secondary'
for g in ('M4', 'M5', 'M6'): LEVEL[g] = 'upper_secondary'
# OBEC's rules, written out: term 1 from round 1 (as of 10 June 2568: fiscal
# 2568), term 2 from round 2 (10 November 2568: fiscal 2569, which starts on
# 1 October); textbooks and uniforms all in term 1, the rest half a term.
FISCAL = {1: '2568', 2: '2569'}
SHARE = {'per_head': (0.5, 0.5), 'textbooks': (1, 0), 'materials': (0.5, 0.5),
         'uniforms': (1, 0), 'activities': (0.5, 0.5), 'poor': (0.5, 0.5)}
def rate(fy, comp, grade):
    sec = cp[fy]
    k = '%s.%s' % (comp, grade.lower())
    return float(sec[k] if k in sec else sec['%s.%s' % (comp, LEVEL[grade])])
acc = {}
for line in open(sys.argv[2], encoding='utf-8'):
    school, rnd, grade, poor, n = line.strip().split('|')
    term, n, poor = int(rnd[-1]), int(n), int(poor)
    a = acc.setdefault((school, term), dict(students=0, npoor=0, **{c: 0.0 for c in SHARE}))
    a['students'] += n
    a['npoor'] += n * poor
    for c in SHARE:
        if c == 'poor' and not poor: continue
        a[c] += n * rate(FISCAL[term], c, grade) * SHARE[c][term - 1]
# the poor whose screening supports the flag: income a month at most the
# limit per member, at least criteria_min codes 1-8 ("1 4 7")
import re
lim = float(cp['poor_screening']['income_per_member_month'])
cmin = int(cp['poor_screening']['criteria_min'])
for line in open(sys.argv[3], encoding='utf-8'):
    school, rnd, m, inc, crit = line.rstrip('\n').split('|')
    ok = m != '' and inc != '' and int(m) >= 1 and int(inc) <= int(m) * lim \
         and re.fullmatch(r'[1-8]( [1-8])*', crit) is not None and len(crit.split()) >= cmin
    a = acc[(school, int(rnd[-1]))]
    a['supported'] = a.get('supported', 0) + ok
for (school, term), a in sorted(acc.items()):
    vals = [a[c] for c in SHARE]
    print('%s|%d|2568-%d|%d|%d|%d|%s|%.2f' % (school, term, term, a['students'], a['npoor'],
          a.get('supported', 0), '|'.join('%.2f' % v for v in vals), sum(vals)))
EOF
[ "$(wc -l < "$T/want.txt")" -ge 8 ] || fail "the hand computation has too few rows"
# the screening must both support and not support some poor students here
awk -F'|' '{p += $5; s += $6} END {exit !(s > 0 && s < p)}' "$T/want.txt" || fail "the district's screening does not test both ways"

# esis's CSV, keyed by school code (the CSV shows names: map them back)
got() {  # got FILE ARGS...: esis's rows as school_code|term|round|students|...|total
    local out=$1; shift
    R report subsidy --format csv "$@" > "$T/raw.csv" 2>"$T/err" || { fail "report subsidy $*: $(cat "$T/err")"; : > "$out"; return; }
    python3 - "$T/raw.csv" "$T/schools.csv" > "$out" <<'EOF'
import sys, csv
names = {r['name']: r['school_code'] for r in csv.DictReader(open(sys.argv[2], encoding='utf-8'))}
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')))
head = next(i for i, r in enumerate(rows) if r and r[0] in ('โรงเรียน', 'School'))
for r in rows[head + 1:]:
    if not r or r[0] not in names: continue
    if r[3] == '': continue          # no data: no students in the term's round
    # school, term, round, students, poor, screened, total, the six components
    print('|'.join([names[r[0]], r[1], r[2], r[3], r[4], r[5]] + ['%.2f' % float(x) for x in r[7:13] + [r[6]]]))
EOF
}
got "$T/t1.txt" --year 2568 --term 1
got "$T/t2.txt" --year 2568 --term 2
got "$T/y.txt" --year 2568
got "$T/y2.txt" --year 2568
awk -F'|' '$2 == 1' "$T/want.txt" | sort > "$T/want1.txt"; awk -F'|' '$2 == 2' "$T/want.txt" | sort > "$T/want2.txt"
cmp -s "$T/want1.txt" <(sort "$T/t1.txt") || { fail "term 1 differs from the hand computation"; diff "$T/want1.txt" <(sort "$T/t1.txt") | head -6; }
cmp -s "$T/want2.txt" <(sort "$T/t2.txt") || { fail "term 2 differs from the hand computation"; diff "$T/want2.txt" <(sort "$T/t2.txt") | head -6; }
cmp -s <(sort "$T/want.txt") <(sort "$T/y.txt") || { fail "the year differs from its two terms"; diff <(sort "$T/want.txt") <(sort "$T/y.txt") | head -6; }
cmp -s "$T/y.txt" "$T/y2.txt" || fail "a second run of the year gave other numbers"

# The totals rows: the year's total is the sum of the terms' totals, and the
# hand computation's sum.
# the totals row: the one headed รวม (the as-of line follows it)
total() { R report subsidy --format csv "$@" | python3 -c '
import sys, csv
rows = [r for r in csv.reader(sys.stdin) if r and r[0] == "รวม"]
print("%.2f" % float(rows[-1][int(sys.argv[1])]))' "${COL:-6}"; }
t1=$(total --year 2568 --term 1); t2=$(total --year 2568 --term 2); ty=$(total --year 2568)
hand=$(awk -F'|' '{s += $13} END {printf "%.2f", s}' "$T/want.txt")
[ "$(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.2f", a + b}')" = "$ty" ] || fail "year total $ty is not term 1 $t1 + term 2 $t2"
[ "$ty" = "$hand" ] || fail "year total $ty, by hand $hand"

# The school with no students in the rounds is "no data", not 0.
R report subsidy --year 2568 --term 1 --format csv | grep -q '^"โรงเรียนบ้านว่าง","1","2568-1","",.*"ไม่มีข้อมูล"' \
    || fail "the school with no students is not shown as no data"

# ---- the issue's example: 10 pupils at each level -----------------------
ph=$(COL=7 total --year 2568 --school 1031000005)
[ "$ph" = "117720.00" ] || fail "10 pupils at each level: per head $ph for the year, not 117,720"
py_ph=$(python3 -c '
import configparser, sys
cp = configparser.ConfigParser(); cp.read(sys.argv[1], encoding="utf-8")
print("%.2f" % sum(10 * float(cp[y]["per_head." + l]) * 0.5 for y in ("2568", "2569")
      for l in ("kindergarten", "primary", "lower_secondary", "upper_secondary")))' "$ESIS_HOME/conf/rates.ini")
[ "$py_ph" = "117720.00" ] || fail "conf/rates.ini does not hold the newer per-head rates for 2568/2569 ($py_ph)"

# ---- the poor flag checked against its screening (rules dmc.poor_*) -------
R check --round 2568-1 >/dev/null 2>&1
sqlite3 -separator '|' "$T/s.db" "SELECT rule_id, count(*) FROM flags WHERE round_code = '2568-1'
    AND rule_id LIKE 'dmc.poor%' GROUP BY 1 ORDER BY 1" > "$T/flags.txt"
grep '|2568-1|' "$T/poor.txt" | python3 -c '
import sys, re, configparser
cp = configparser.ConfigParser(); cp.read(sys.argv[1], encoding="utf-8")
lim = float(cp["poor_screening"]["income_per_member_month"]); cmin = int(cp["poor_screening"]["criteria_min"])
n = {"dmc.poor_criteria_met": 0, "dmc.poor_income_screened": 0, "dmc.poor_screening_present": 0}
for line in sys.stdin:
    school, rnd, m, inc, crit = line.rstrip("\n").split("|")
    if m == "" or inc == "" or int(m) < 1: n["dmc.poor_screening_present"] += 1
    if inc != "" and m != "" and int(m) >= 1 and int(inc) > int(m) * lim: n["dmc.poor_income_screened"] += 1
    if inc != "" and not (re.fullmatch(r"[1-8]( [1-8])*", crit) and len(crit.split()) >= cmin):
        n["dmc.poor_criteria_met"] += 1
for k in sorted(n):
    if n[k]: print("%s|%d" % (k, n[k]))' "$ESIS_HOME/conf/rates.ini" > "$T/flags.want"
[ "$(wc -l < "$T/flags.want")" = 3 ] || fail "the district does not exercise every poor rule: $(cat "$T/flags.want")"
cmp -s "$T/flags.want" "$T/flags.txt" || { fail "the poor rules' flags differ from the hand count"; diff "$T/flags.want" "$T/flags.txt"; }

# ---- refusals ---------------------------------------------------------------
if R report subsidy --year 2569 > "$T/out" 2> "$T/err"; then fail "year 2569 (fiscal 2570 has no rates) was not refused"; fi
grep -q 'conf/rates.ini \[2570\]' "$T/err" || fail "the refusal does not name conf/rates.ini [2570]: $(cat "$T/err")"
[ ! -s "$T/out" ] || fail "the refused year printed something"
if R --lang en report subsidy --year 2569 --term 2 > "$T/out" 2> "$T/err"; then fail "term 2 of 2569 was not refused"; fi
grep -q 'conf/rates.ini \[2570\]: no subsidy rates' "$T/err" || fail "the English refusal: $(cat "$T/err")"
R report subsidy --year 2569 --term 1 > /dev/null 2>&1 || fail "term 1 of 2569 (fiscal 2569) was refused"
if R report subsidy --year 2568 --round 2568-1 > /dev/null 2>&1; then fail "--round was accepted"; fi
if R report subsidy --year 2568 --term 3 > /dev/null 2>&1; then fail "--term 3 was accepted"; fi
if R report subsidy --year 2567 > /dev/null 2>"$T/err"; then fail "a year without rounds was accepted"; fi

[ $fails -eq 0 ] && echo ok || { echo "$fails failure(s)"; exit 1; }
