/*
 * tables.c: the tables the demo writes, as column lists, and the row
 * builder the generator fills.
 *
 * One list per table serves both sinks: the database sink builds its INSERT
 * from the `db` names, the CSV sink writes the `csv` names as the header
 * (skipping COL_DBONLY columns: the round, which the CSV import takes as an
 * option, and the bookkeeping columns) and turns COL_DATE values into BE.
 * The order is the canonical CSV order; the indices in demo_internal.h
 * follow it.
 */
#include "demo_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BOOKKEEPING \
    { "created_at", "created_at", COL_DBONLY }, \
    { "updated_at", "updated_at", COL_DBONLY }, \
    { "updated_by", "updated_by", COL_DBONLY }
#define TABLE(var, name, arr) \
    const demo_table var = { name, arr, (int)(sizeof arr / sizeof arr[0]) }

static const demo_col SCHOOL_COLS[] = {
    { "school_code", "school_code", 0 }, { "name_th", "name", 0 },
    { "amphoe", "amphoe", 0 }, { "school_code8", "school_code8", 0 },
    { "name_en", "name_en", 0 }, { "school_type", "school_type", 0 },
    { "levels", "levels", 0 }, { "house_no", "house_no", 0 },
    { "village_no", "village_no", 0 }, { "road", "road", 0 },
    { "tambon", "tambon", 0 }, { "province", "province", 0 },
    { "postcode", "postcode", 0 }, { "phone", "phone", 0 },
    { "email", "email", 0 }, { "website", "website", 0 },
    { "principal_name", "principal_name", 0 },
    { "principal_phone", "principal_phone", 0 },
    { "latitude", "latitude", 0 }, { "longitude", "longitude", 0 },
    { "distance_office_km", "distance_office_km", 0 },
    { "network", "network", 0 }, { "status", "status", 0 }, BOOKKEEPING,
};
TABLE(DEMO_T_SCHOOLS, "schools", SCHOOL_COLS);

static const demo_col STUDENT_COLS[] = {
    { "school_code", "school_code", 0 }, { "citizen_id", "citizen_id", 0 },
    { "prefix", "prefix", 0 }, { "first_name", "first_name", 0 },
    { "last_name", "last_name", 0 }, { "gender", "gender", 0 },
    { "birth_date", "birth_date", COL_DATE }, { "grade", "grade", 0 },
    { "room", "room", 0 }, { "first_name_en", "first_name_en", 0 },
    { "last_name_en", "last_name_en", 0 }, { "nationality", "nationality", 0 },
    { "ethnicity", "ethnicity", 0 }, { "religion", "religion", 0 },
    { "enrol_date", "enrol_date", COL_DATE }, { "house_no", "house_no", 0 },
    { "village_no", "village_no", 0 }, { "road", "road", 0 },
    { "tambon", "tambon", 0 }, { "amphoe", "amphoe", 0 },
    { "province", "province", 0 }, { "postcode", "postcode", 0 },
    { "father_name", "father_name", 0 }, { "father_id", "father_id", 0 },
    { "father_occupation", "father_occupation", 0 },
    { "father_income", "father_income", 0 },
    { "mother_name", "mother_name", 0 }, { "mother_id", "mother_id", 0 },
    { "mother_occupation", "mother_occupation", 0 },
    { "mother_income", "mother_income", 0 },
    { "guardian_name", "guardian_name", 0 }, { "guardian_id", "guardian_id", 0 },
    { "guardian_relation", "guardian_relation", 0 },
    { "guardian_occupation", "guardian_occupation", 0 },
    { "guardian_income", "guardian_income", 0 }, { "poor", "poor", 0 },
    { "household_members", "household_members", 0 },
    { "household_income", "household_income", 0 },
    { "poor_criteria", "poor_criteria", 0 },
    { "poor_screened_on", "poor_screened_on", COL_DATE },
    { "disadvantage", "disadvantage", 0 }, { "disability", "disability", 0 },
    { "weight_kg", "weight_kg", 0 }, { "height_cm", "height_cm", 0 },
    { "distance_km", "distance_km", 0 }, { "travel", "travel", 0 },
    { "status", "status", 0 }, { "status_date", "status_date", COL_DATE },
    { "moved_to", "moved_to", 0 }, { "status_note", "status_note", 0 },
    { "round_code", "round_code", COL_DBONLY }, BOOKKEEPING,
};
TABLE(DEMO_T_STUDENTS, "students", STUDENT_COLS);

static const demo_col STAFF_COLS[] = {
    { "school_code", "school_code", 0 }, { "citizen_id", "citizen_id", 0 },
    { "prefix", "prefix", 0 }, { "first_name", "first_name", 0 },
    { "last_name", "last_name", 0 }, { "gender", "gender", 0 },
    { "birth_date", "birth_date", COL_DATE }, { "position", "position", 0 },
    { "academic_standing", "academic_standing", 0 },
    { "subject_group", "subject_group", 0 },
    { "qualification", "qualification", 0 }, { "major", "major", 0 },
    { "employment_type", "employment_type", 0 },
    { "start_date", "start_date", COL_DATE }, { "phone", "phone", 0 },
    { "status", "status", 0 }, BOOKKEEPING,
};
TABLE(DEMO_T_STAFF, "staff", STAFF_COLS);

static const demo_col BUILDING_COLS[] = {
    { "school_code", "school_code", 0 }, { "building_no", "building_no", 0 },
    { "building_type", "building_type", 0 }, { "design_code", "design_code", 0 },
    { "year_built", "year_built", 0 }, { "budget_source", "budget_source", 0 },
    { "budget_amount", "budget_amount", 0 }, { "floors", "floors", 0 },
    { "rooms", "rooms", 0 }, { "classrooms", "classrooms", 0 },
    { "area_sqm", "area_sqm", 0 }, { "condition", "condition", 0 },
    { "need", "need", 0 }, { "note", "note", 0 }, BOOKKEEPING,
};
TABLE(DEMO_T_BUILDINGS, "buildings", BUILDING_COLS);

static const demo_col ROUND_COLS[] = {
    { "round_code", "round_code", 0 }, { "collection", "collection", 0 },
    { "academic_year", "academic_year", 0 }, { "round_no", "round_no", 0 },
    { "as_of", "as_of", COL_DATE }, { "opens", "opens", COL_DATE },
    { "closes", "closes", COL_DATE }, { "state", "state", 0 },
    { "previous_round", "previous_round", 0 }, BOOKKEEPING,
};
TABLE(DEMO_T_ROUNDS, "rounds", ROUND_COLS);

static const demo_col SUBMISSION_COLS[] = {
    { "round_code", "round_code", 0 }, { "school_code", "school_code", 0 },
    { "state", "state", 0 }, { "reason", "reason", 0 },
    { "reopened_until", "reopened_until", COL_DATE },
    { "submitted_at", "submitted_at", 0 }, { "submitted_by", "submitted_by", 0 },
    { "confirmed_at", "confirmed_at", 0 }, { "confirmed_by", "confirmed_by", 0 },
    BOOKKEEPING,
};
TABLE(DEMO_T_SUBMISSIONS, "submissions", SUBMISSION_COLS);

static const demo_col MOVE_COLS[] = {
    { "citizen_id", "citizen_id", 0 }, { "round_code", "round_code", 0 },
    { "school_code", "school_code", 0 }, { "to_school", "to_school", 0 },
    { "destination", "destination", 0 }, { "move_date", "move_date", COL_DATE },
    { "reason", "reason", 0 }, BOOKKEEPING,
};
TABLE(DEMO_T_MOVES, "student_moves", MOVE_COLS);

static const demo_col CLASS_COLS[] = {
    { "school_code", "school_code", 0 }, { "academic_year", "academic_year", 0 },
    { "grade", "grade", 0 }, { "rooms", "rooms", 0 },
    { "students", "students", 0 }, BOOKKEEPING,
};
TABLE(DEMO_T_CLASSES, "classes", CLASS_COLS);

static const demo_col ICT_COLS[] = {
    { "school_code", "school_code", 0 }, { "academic_year", "academic_year", 0 },
    { "device_type", "device_type", 0 }, { "purpose", "purpose", 0 },
    { "owned", "owned", 0 }, { "in_use", "in_use", 0 },
    { "condition", "condition", 0 }, { "budget_source", "budget_source", 0 },
    BOOKKEEPING,
};
TABLE(DEMO_T_ICT, "ict_devices", ICT_COLS);

static const demo_col INTERNET_COLS[] = {
    { "school_code", "school_code", 0 }, { "academic_year", "academic_year", 0 },
    { "connection_type", "connection_type", 0 }, { "provider", "provider", 0 },
    { "speed_mbps", "speed_mbps", 0 }, { "wifi_points", "wifi_points", 0 },
    BOOKKEEPING,
};
TABLE(DEMO_T_INTERNET, "internet", INTERNET_COLS);

static const demo_col EQUIPMENT_COLS[] = {
    { "school_code", "school_code", 0 }, { "asset_code", "asset_code", 0 },
    { "category", "category", 0 }, { "name", "name", 0 },
    { "acquired_year", "acquired_year", 0 }, { "value", "value", 0 },
    { "quantity", "quantity", 0 }, { "condition", "condition", 0 }, BOOKKEEPING,
};
TABLE(DEMO_T_EQUIPMENT, "equipment", EQUIPMENT_COLS);

static const demo_col AREA_COLS[] = {
    { "school_code", "school_code", 0 }, { "academic_year", "academic_year", 0 },
    { "village_no", "village_no", 0 }, { "village", "village", 0 },
    { "tambon", "tambon", 0 }, { "amphoe", "amphoe", 0 },
    { "province", "province", 0 }, { "children_3_5", "children_3_5", 0 },
    { "children_6_11", "children_6_11", 0 },
    { "children_12_14", "children_12_14", 0 },
    { "enrolled_here", "enrolled_here", 0 },
    { "enrolled_elsewhere", "enrolled_elsewhere", 0 },
    { "not_enrolled", "not_enrolled", 0 }, BOOKKEEPING,
};
TABLE(DEMO_T_AREAS, "service_areas", AREA_COLS);

/* ---- rows ------------------------------------------------------------- */

void demo_row_reset(demo_row *r)
{
    memset(r->v, 0, sizeof r->v);
    r->used = 0;
}

void demo_row_str(demo_row *r, int col, const char *s)
{
    size_t n = strlen(s) + 1;
    if (r->used + n > sizeof r->buf) { r->v[col] = NULL; return; } /* never with demo data */
    memcpy(r->buf + r->used, s, n);
    r->v[col] = r->buf + r->used;
    r->used += n;
}

void demo_row_const(demo_row *r, int col, const char *s) { r->v[col] = s; }

void demo_row_fmt(demo_row *r, int col, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    demo_row_str(r, col, tmp);
}

void demo_row_long(demo_row *r, int col, long v) { demo_row_fmt(r, col, "%ld", v); }

void demo_row_date(demo_row *r, int col, text_date d)
{
    char tmp[16];
    text_date_iso(d, tmp);
    demo_row_str(r, col, tmp);
}
