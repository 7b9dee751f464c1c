#!/usr/bin/env bash
# roles.sh: every CLI command as every role, and no role reaches another
# school's rows.
#
# On a demo district: one esis user per role (admin, staff, director,
# viewer, school officer of school A), each with a password (esis user add
# ... --password, ESIS_NEW_PASSWORD), used through --user NAME with
# ESIS_PASSWORD, the way a shared Unix account would.  Each runs every
# command, and asks for school B where a command takes --school, imports a
# file of school B's rows, exports --school B.  Expected:
#   - user, backup, restore: administrators only (exit 1 for the others);
#   - the school officer: every --school B refused (exit 1, naming B), the import of
#     B's rows rejected, and no output of any of its commands holds B's
#     school code or any of B's citizen IDs;
#   - the viewer changes nothing (the database is unchanged by its import),
#     and no output of any of its commands holds an unmasked citizen ID
#     (check findings included);
#   - nobody's import adds a row the gate should have stopped.
# Prints the role x command matrix of exit statuses.  Skips when build/esis
# is not linked or cannot make a demo district.
set -u
BIN=${ESIS_BIN:-$(pwd)/build/esis}
export ESIS_HOME=${ESIS_HOME:-$(pwd)}
[ -x "$BIN" ] || { echo "roles.sh: SKIP: $BIN is not built yet"; exit 0; }
command -v sqlite3 >/dev/null || { echo "roles.sh: SKIP: sqlite3 is missing"; exit 0; }
T=$(mktemp -d /tmp/esis-roles.XXXXXX)
trap 'rm -rf "$T"' EXIT
DB=$T/esis.db
ME=$(id -un)
if [ -n "${ESIS_E2E_DEMO:-}" ] && [ -f "$ESIS_E2E_DEMO" ]; then cp "$ESIS_E2E_DEMO" "$DB"
elif ! ESIS_USER=$ME "$BIN" --db "$DB" init --demo --schools 40 --students 8000 >"$T/init.log" 2>&1; then
    echo "roles.sh: SKIP: esis init --demo failed: $(tail -1 "$T/init.log")"; exit 0
fi
q() { sqlite3 -batch -noheader "$DB" "$1"; }
A=$(q "SELECT school_code FROM students GROUP BY school_code ORDER BY count(*) DESC, school_code LIMIT 1")
B=$(q "SELECT school_code FROM students WHERE school_code <> '$A' GROUP BY school_code ORDER BY count(*) DESC, school_code LIMIT 1")
R=$(q "SELECT round_code FROM students WHERE school_code = '$B' GROUP BY round_code ORDER BY count(*) DESC LIMIT 1")
[ -n "$A" ] && [ -n "$B" ] && [ -n "$R" ] || { echo "roles.sh: FAIL: the demo has no two schools with students"; exit 1; }
# What of B must never reach the school officer of A: up to 50 of B's
# citizen IDs and B's name (the code itself is checked separately: a command
# may repeat the code it was asked for in a heading).
q "SELECT citizen_id FROM students WHERE school_code = '$B' LIMIT 50" > "$T/b_ids"
q "SELECT name_th FROM schools WHERE school_code = '$B' AND length(name_th) >= 6" >> "$T/b_ids"

fails=0
notes=()
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
export ESIS_NEW_PASSWORD=roles-pass-1 ESIS_PASSWORD=roles-pass-1
E0="$BIN --db $DB"
for role in admin staff director viewer; do
    $E0 user add "r_$role" --role "$role" --password >/dev/null || bad "user add r_$role"
done
$E0 user add r_school --role school --school "$A" --password >/dev/null || bad "user add r_school"

# A file of B's rows (the admin's export): imported by each role.
$E0 export dmc --round "$R" --school "$B" --out "$T/b.csv" >/dev/null 2>&1 || bad "admin export of $B"
before=$(q "SELECT count(*) FROM students WHERE school_code = '$B'")

COMMANDS=(
    "user list"
    "audit"
    "audit --school $B"
    "audit --table students --format csv"
    "check --round $R"
    "check --round $R --school $B"
    "check --round $R --rule dmc.duplicate_across_schools --rule dmc.grade_known"
    "export dmc --round $R"
    "export dmc --round $R --school $B"
    "export schools"
    "report students_by_grade --round $R"
    "report students_by_grade --round $R --school $B"
    "round list"
    "submission list --round $R"
    "submission list --round $R --school $B"
    "rules"
    "import dmc $T/b.csv --round $R --rejects $T/rejects.csv"
    "backup $T/copy.db"
    "restore $T/none.db"
)
# Every report and every export kind, from their definitions (conf/reports,
# conf/import), so a new one is tried as every role without editing this.
for f in "$ESIS_HOME"/conf/reports/*.ini; do
    n=$(basename "$f" .ini); p=$(sed -n 's/^params *= *//p' "$f" | head -1); a=""
    case " $p " in *" round "*) a="$a --round $R";; esac
    case " $p " in *" year "*) a="$a --year ${R%%-*}";; esac
    COMMANDS+=("report $n$a --format csv")
done
for f in "$ESIS_HOME"/conf/import/*.ini; do
    COMMANDS+=("export $(basename "$f" .ini) --round $R")
done
COMMANDS+=("activity list" "activity pending" "check --round $R --format csv")
admin_only=" user backup restore "

printf '%-52s' "command \\ role"
for role in admin staff director viewer school; do printf ' %-8s' "$role"; done; echo
for cmd in "${COMMANDS[@]}"; do
    printf '%-52s' "${cmd//$T\//}"
    for role in admin staff director viewer school; do
        rm -f "$T/copy.db"
        # shellcheck disable=SC2086
        $BIN --db "$DB" --user "r_$role" $cmd >"$T/out" 2>"$T/err"; rc=$?
        printf ' %-8s' "$rc"
        word=${cmd%% *}
        if [[ $admin_only == *" $word "* ]] && [ "$role" != admin ] && [ $rc != 1 ]; then
            bad "$role: '$cmd' should be refused with exit 1 (got $rc)"
        fi
        # A viewer sees personal data masked, everywhere: no citizen ID
        # (13 digits, also written with dashes) in any output
        if [ "$role" = viewer ] && grep -q -E '(^|[^0-9])([0-9]{13}|[0-9]-[0-9]{4}-[0-9]{5}-[0-9]{2}-[0-9])([^0-9]|$)' "$T/out" "$T/err"; then
            bad "viewer: '${cmd//$T\//}' printed an unmasked ID: $(grep -o -m1 -E '[0-9]{13}' "$T/out" "$T/err" | head -1)"
        fi
        if [ "$role" = school ]; then
            if grep -q -F -f "$T/b_ids" "$T/out" "$T/err"; then bad "school officer: '$cmd' printed data of $B"; fi
            case "$cmd" in
                *"--school $B"*)
                    # Asked for B: refused (exit 1), saying why
                    [ $rc = 1 ] || bad "school officer: '${cmd//$T\//}' should be refused with exit 1 (got $rc)"
                    grep -q -- "$B" "$T/err" || bad "school officer: '${cmd//$T\//}': the refusal does not name $B";;
                *)  if grep -q -- "$B" "$T/out"; then bad "school officer: '$cmd' printed school $B"; fi;;
            esac
        fi
    done
    echo
done
after=$(q "SELECT count(*) FROM students WHERE school_code = '$B'")
[ "$before" = "$after" ] || bad "school $B had $before students, now $after"
n=$(q "SELECT count(*) FROM audit WHERE actor IN ('r_school','r_viewer') AND (school_code = '$B' OR school_code IS NULL)")
[ "$n" = 0 ] || bad "$n audit rows by the school officer or the viewer outside their scope"
n=$(q "SELECT count(*) FROM audit WHERE actor = 'r_viewer'")
[ "$n" = 0 ] || bad "the viewer changed $n rows"

for n in "${notes[@]}"; do echo "note $n"; done
if [ $fails -gt 0 ]; then echo "roles.sh: $fails failed"; exit 1; fi
echo "roles.sh: matrix held: no refusal missing, nothing of school $B reached by the school officer"
