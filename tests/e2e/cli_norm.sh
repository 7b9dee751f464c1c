#!/usr/bin/env bash
# e2e: the commands that write clean their values as the form and the
# importer do (issue 14, deliver 2: one normaliser per field type).  The same
# date or code in a form's spelling -- Thai digits, BE, spaces and dashes in
# a code -- is stored byte for byte as the plain spelling is; each check
# reads the row with sqlite3.  On the old code every Thai-digit spelling was
# refused ("not a date", year 0, no such school).
. "$(dirname "$0")/lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

db=$E2E_DIR/d.db
e2e_demo_db "$db" 2>"$E2E_DIR/init.err" || e2e_fail "demo district: $(cat "$E2E_DIR/init.err")"
E() { "$ESIS_BIN" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
# digits -> Thai digits, with a space after the fourth (a code as typed)
thai() { python3 -c 'import sys; s = sys.argv[1].translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")); print(s[:4] + " " + s[4:] if sys.argv[2] == "split" else s)' "$1" "${2:-}"; }

A=$(q "SELECT min(school_code) FROM schools")
B=$(q "SELECT max(school_code) FROM schools")
[ -n "$A" ] && [ "$A" != "$B" ] || e2e_fail "the demo has no two schools"

# submission reopen: --school in Thai digits with a space, --until in BE Thai digits
E submission reopen --school "$(thai "$A" split)" --until "$(thai 31/12/2569)" >"$E2E_DIR/out" 2>&1 \
    || e2e_fail "submission reopen with a Thai-digit school and date: $(cat "$E2E_DIR/out")"
E submission reopen --school "$B" --until 2026-12-31 >"$E2E_DIR/out" 2>&1 \
    || e2e_fail "submission reopen with an ISO date: $(cat "$E2E_DIR/out")"
ua=$(q "SELECT reopened_until FROM submissions WHERE school_code = '$A' AND reopened_until IS NOT NULL")
ub=$(q "SELECT reopened_until FROM submissions WHERE school_code = '$B' AND reopened_until IS NOT NULL")
[ "$ua" = 2026-12-31 ] && [ "$ua" = "$ub" ] || e2e_fail "reopened until: Thai spelling '$ua', ISO '$ub'"

# survey add --year in Thai digits
E survey add satisfaction --title "ก" --year "$(thai 2568)" >"$E2E_DIR/out" 2>&1 \
    || e2e_fail "survey add --year in Thai digits: $(cat "$E2E_DIR/out")"
E survey add satisfaction --title "ข" --year 2568 >/dev/null 2>&1 || e2e_fail "survey add --year 2568"
[ "$(q "SELECT count(*) FROM surveys WHERE academic_year = 2568 AND title IN ('ก', 'ข')")" = 2 ] \
    || e2e_fail "survey years: $(q "SELECT title, academic_year FROM surveys")"

# user add --expires in BE Thai digits
E user add normview1 --role viewer --expires "$(thai 31/12/2569)" >"$E2E_DIR/out" 2>&1 \
    || e2e_fail "user add --expires in Thai digits: $(cat "$E2E_DIR/out")"
E user add normview2 --role viewer --expires 2026-12-31 >/dev/null 2>&1 || e2e_fail "user add --expires ISO"
[ "$(q "SELECT count(DISTINCT expires) || expires FROM users WHERE login IN ('normview1', 'normview2')")" = 12026-12-31 ] \
    || e2e_fail "user expiries: $(q "SELECT login, expires FROM users WHERE login LIKE 'normview%'")"

# briefing: a date in Thai digits, schools spelled with Thai digits and dashes
E briefing add --date "$(thai 01/06/2568)" --title "ชี้แจง" >"$E2E_DIR/out" 2>&1 \
    || e2e_fail "briefing add --date in Thai digits: $(cat "$E2E_DIR/out")"
bid=$(q "SELECT max(id) FROM briefings")
[ "$(q "SELECT held_on FROM briefings WHERE id = $bid")" = 2025-06-01 ] || e2e_fail "briefing date: $(q "SELECT held_on FROM briefings WHERE id = $bid")"
dashed="${B:0:4}-${B:4}"
E briefing attend "$bid" "$(thai "$A" split)" "$dashed" >"$E2E_DIR/out" 2>&1 \
    || e2e_fail "briefing attend with codes in Thai digits and dashes: $(cat "$E2E_DIR/out")"
[ "$(q "SELECT group_concat(school_code, ' ') FROM (SELECT school_code FROM briefing_attendance WHERE briefing_id = $bid ORDER BY 1)")" = "$A $B" ] \
    || e2e_fail "attendance: $(q "SELECT school_code FROM briefing_attendance WHERE briefing_id = $bid")"
e2e_done
