/*
 * migrations: the data model, as an ordered list of SQL steps.
 *
 * PRAGMA user_version holds the number of the last step applied; opening a
 * database applies the missing steps in one transaction each.  A step is
 * never edited once released: a change is a new step at the end.
 *
 * Conventions every table follows (the data layer and the audit rely on them):
 *   - `id INTEGER PRIMARY KEY` for editable tables;
 *   - `school_code` on every row that belongs to a school: the auth gate
 *     scopes by it;
 *   - `row_version`, `updated_at`, `updated_by` on every editable table:
 *     optimistic locking (UPDATE ... WHERE row_version = ?) and the
 *     last-change columns the dashboards show;
 *   - dates are ISO text in the Common Era; the UI shows Buddhist Era;
 *   - no COLLATE thai in column definitions or indexes: the collation exists
 *     only inside esis, and a schema that names it would make the sqlite3
 *     tool unable to read the file (integrity_check included).  Queries ask
 *     for it (ORDER BY last_name COLLATE thai).
 *
 * The esis_tables catalogue says, per table, its natural key, whether it is
 * audited and whether it holds personal data; the audit triggers are made
 * from it by db_migrate (see db.c), so a new table is audited by adding one
 * row here.
 */
#include "db_internal.h"

#define EDIT_COLS \
    "row_version INTEGER NOT NULL DEFAULT 1, " \
    "created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now')), " \
    "updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now')), " \
    "updated_by TEXT NOT NULL DEFAULT ''"

static const char MIGRATION_1[] =
    /* ---- catalogue ------------------------------------------------ */
    "CREATE TABLE esis_tables ("
    " name TEXT PRIMARY KEY, key_cols TEXT NOT NULL, audited INTEGER NOT NULL,"
    " personal_cols TEXT NOT NULL DEFAULT '', collection TEXT NOT NULL DEFAULT '');"

    /* ---- reference data ------------------------------------------- */
    "CREATE TABLE admin_areas ("
    " province_code TEXT, province TEXT NOT NULL, amphoe_code TEXT, amphoe TEXT NOT NULL,"
    " tambon_code TEXT, tambon TEXT NOT NULL, postcode TEXT);"
    "CREATE INDEX admin_areas_names ON admin_areas(province, amphoe, tambon);"

    /* ---- schools (EMIS profile) ----------------------------------- */
    "CREATE TABLE schools ("
    " id INTEGER PRIMARY KEY,"
    " school_code TEXT NOT NULL UNIQUE,"     /* OBEC 10-digit code */
    " school_code8 TEXT,"                    /* the older 8-digit code */
    " name_th TEXT NOT NULL, name_en TEXT,"
    " school_type TEXT,"                     /* code list school_type */
    " levels TEXT,"                          /* lowest-highest grade: K1-P6, K1-M3 */
    " house_no TEXT, village_no TEXT, road TEXT,"
    " tambon TEXT, amphoe TEXT NOT NULL, province TEXT, postcode TEXT,"
    " phone TEXT, email TEXT, website TEXT,"
    " principal_name TEXT, principal_phone TEXT,"
    " latitude REAL, longitude REAL,"
    " distance_office_km REAL,"
    " network TEXT,"                         /* school cluster (กลุ่มเครือข่าย) */
    " status TEXT NOT NULL DEFAULT 'open',"  /* open, merged, closed */
    " " EDIT_COLS ");"
    "CREATE INDEX schools_amphoe ON schools(amphoe);"

    /* ---- rounds and submissions ----------------------------------- */
    "CREATE TABLE rounds ("
    " round_code TEXT PRIMARY KEY,"          /* 2567-1, 2567-2, 2567-3, 2567-emis, 2567-bobec */
    " collection TEXT NOT NULL,"             /* dmc, emis, bobec */
    " academic_year INTEGER NOT NULL, round_no INTEGER NOT NULL,"
    " as_of TEXT NOT NULL, opens TEXT NOT NULL, closes TEXT NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'planned'," /* planned, open, closed, locked */
    " previous_round TEXT,"
    " " EDIT_COLS ");"

    "CREATE TABLE submissions ("
    " id INTEGER PRIMARY KEY,"
    " round_code TEXT NOT NULL REFERENCES rounds(round_code),"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " state TEXT NOT NULL DEFAULT 'not_started'," /* not_started, in_progress, submitted, returned, confirmed */
    " reason TEXT,"                          /* the office's reason when returned */
    " reopened_until TEXT,"                  /* the office reopened the school until this date */
    " submitted_at TEXT, submitted_by TEXT, confirmed_at TEXT, confirmed_by TEXT,"
    " errors INTEGER NOT NULL DEFAULT 0, warnings INTEGER NOT NULL DEFAULT 0,"
    " checked_at TEXT,"
    " " EDIT_COLS ","
    " UNIQUE(round_code, school_code));"

    /* ---- DMC students --------------------------------------------- */
    "CREATE TABLE students ("
    " id INTEGER PRIMARY KEY,"
    " round_code TEXT NOT NULL REFERENCES rounds(round_code),"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " citizen_id TEXT NOT NULL,"             /* 13 digits, or G + 12 digits */
    " prefix TEXT, first_name TEXT, last_name TEXT,"
    " first_name_en TEXT, last_name_en TEXT,"
    " gender TEXT,"                          /* 1 male, 2 female */
    " birth_date TEXT,"
    " nationality TEXT, ethnicity TEXT, religion TEXT,"
    " grade TEXT,"                           /* K1..K3, P1..P6, M1..M6 */
    " room INTEGER,"
    " enrol_date TEXT,"
    " house_no TEXT, village_no TEXT, road TEXT, tambon TEXT, amphoe TEXT, province TEXT, postcode TEXT,"
    " father_name TEXT, father_id TEXT, father_occupation TEXT, father_income INTEGER,"
    " mother_name TEXT, mother_id TEXT, mother_occupation TEXT, mother_income INTEGER,"
    " guardian_name TEXT, guardian_id TEXT, guardian_relation TEXT, guardian_occupation TEXT, guardian_income INTEGER,"
    " poor INTEGER NOT NULL DEFAULT 0,"      /* 1 = poor (basic-needs subsidy) */
    " disadvantage TEXT,"                    /* code list disadvantage */
    " disability TEXT,"                      /* code list disability */
    " weight_kg REAL, height_cm REAL, distance_km REAL, travel TEXT,"
    " status TEXT NOT NULL DEFAULT '1',"     /* 1 studying, 2 moved out, 3 graduated, 4 dropped out */
    " status_date TEXT, moved_to TEXT, status_note TEXT,"
    " " EDIT_COLS ","
    " UNIQUE(round_code, school_code, citizen_id));"
    "CREATE INDEX students_round_id ON students(round_code, citizen_id);"
    "CREATE INDEX students_school ON students(school_code, round_code, grade);"
    "CREATE INDEX students_name ON students(round_code, first_name, last_name);"

    /* Moves between schools: a student who left school A and appears in
     * school B is a transfer, not a duplicate. */
    "CREATE TABLE student_moves ("
    " id INTEGER PRIMARY KEY,"
    " citizen_id TEXT NOT NULL,"
    " round_code TEXT NOT NULL,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code)," /* the school moved out of */
    " to_school TEXT,"                       /* destination school code, when known */
    " destination TEXT,"                     /* free text when outside the office */
    " move_date TEXT NOT NULL,"
    " reason TEXT,"
    " " EDIT_COLS ");"
    "CREATE INDEX student_moves_id ON student_moves(citizen_id);"

    /* ---- EMIS: classes, staff, ICT, equipment, service areas ------- */
    "CREATE TABLE classes ("
    " id INTEGER PRIMARY KEY,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " academic_year INTEGER NOT NULL, grade TEXT NOT NULL,"
    " rooms INTEGER NOT NULL DEFAULT 0, students INTEGER,"
    " " EDIT_COLS ","
    " UNIQUE(school_code, academic_year, grade));"

    "CREATE TABLE staff ("
    " id INTEGER PRIMARY KEY,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " citizen_id TEXT NOT NULL,"
    " prefix TEXT, first_name TEXT NOT NULL, last_name TEXT NOT NULL, gender TEXT, birth_date TEXT,"
    " position TEXT,"                        /* code list position */
    " academic_standing TEXT,"               /* code list academic_standing */
    " subject_group TEXT, qualification TEXT, major TEXT,"
    " employment_type TEXT,"                 /* code list employment_type */
    " start_date TEXT, phone TEXT,"
    " status TEXT NOT NULL DEFAULT 'active',"
    " " EDIT_COLS ","
    " UNIQUE(school_code, citizen_id));"

    "CREATE TABLE ict_devices ("
    " id INTEGER PRIMARY KEY,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " academic_year INTEGER NOT NULL,"
    " device_type TEXT NOT NULL,"            /* code list device_type */
    " purpose TEXT,"                         /* teaching, administration */
    " owned INTEGER NOT NULL DEFAULT 0, in_use INTEGER NOT NULL DEFAULT 0,"
    " condition TEXT,"
    " budget_source TEXT,"
    " " EDIT_COLS ","
    " UNIQUE(school_code, academic_year, device_type, purpose));"

    "CREATE TABLE internet ("
    " id INTEGER PRIMARY KEY,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " academic_year INTEGER NOT NULL,"
    " connection_type TEXT, provider TEXT, speed_mbps REAL, wifi_points INTEGER,"
    " " EDIT_COLS ","
    " UNIQUE(school_code, academic_year));"

    "CREATE TABLE equipment ("
    " id INTEGER PRIMARY KEY,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " asset_code TEXT NOT NULL,"
    " category TEXT, name TEXT NOT NULL,"
    " acquired_year INTEGER, value REAL, quantity INTEGER NOT NULL DEFAULT 1, condition TEXT,"
    " " EDIT_COLS ","
    " UNIQUE(school_code, asset_code));"

    "CREATE TABLE service_areas ("
    " id INTEGER PRIMARY KEY,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " academic_year INTEGER NOT NULL,"
    " village_no TEXT NOT NULL, village TEXT NOT NULL, tambon TEXT, amphoe TEXT, province TEXT,"
    " children_3_5 INTEGER NOT NULL DEFAULT 0, children_6_11 INTEGER NOT NULL DEFAULT 0,"
    " children_12_14 INTEGER NOT NULL DEFAULT 0,"
    " enrolled_here INTEGER NOT NULL DEFAULT 0, enrolled_elsewhere INTEGER NOT NULL DEFAULT 0,"
    " not_enrolled INTEGER NOT NULL DEFAULT 0,"
    " " EDIT_COLS ","
    " UNIQUE(school_code, academic_year, village_no, village));"

    /* ---- B-obec buildings ----------------------------------------- */
    "CREATE TABLE buildings ("
    " id INTEGER PRIMARY KEY,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " building_no TEXT NOT NULL,"            /* the school's own number for it */
    " building_type TEXT NOT NULL,"          /* code list building_type */
    " design_code TEXT,"                     /* standard design (แบบ สปช.105/29, ...) */
    " year_built INTEGER,"                   /* BE */
    " budget_source TEXT, budget_amount REAL,"
    " floors INTEGER, rooms INTEGER, classrooms INTEGER, area_sqm REAL,"
    " condition TEXT,"                       /* code list condition: 1 good .. 4 unusable */
    " need TEXT,"                            /* none, repair, replace, demolish */
    " note TEXT,"
    " " EDIT_COLS ","
    " UNIQUE(school_code, building_no));"

    /* ---- people and the audit trail ------------------------------- */
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY,"
    " login TEXT NOT NULL UNIQUE,"
    " display_name TEXT,"
    " role TEXT NOT NULL CHECK (role IN ('admin','staff','director','school','viewer')),"
    " password_hash TEXT,"                   /* yescrypt, for shared Unix accounts */
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " expires TEXT,"                         /* the account stops working after this date */
    " lang TEXT,"
    " " EDIT_COLS ");"
    "CREATE TABLE user_schools ("
    " id INTEGER PRIMARY KEY,"
    " login TEXT NOT NULL REFERENCES users(login) ON UPDATE CASCADE ON DELETE CASCADE,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " " EDIT_COLS ","
    " UNIQUE(login, school_code));"

    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f','now')),"
    " actor TEXT NOT NULL, origin TEXT NOT NULL,"
    " table_name TEXT NOT NULL, row_id INTEGER, row_key TEXT,"
    " school_code TEXT, round_code TEXT,"
    " action TEXT NOT NULL,"                 /* insert, update, delete */
    " old_values TEXT, new_values TEXT);"    /* JSON objects of the changed fields */
    "CREATE INDEX audit_row ON audit(table_name, row_id);"
    "CREATE INDEX audit_school ON audit(school_code, round_code, at);"

    /* The form being typed, kept when the connection drops. */
    "CREATE TABLE drafts ("
    " id INTEGER PRIMARY KEY,"
    " login TEXT NOT NULL, screen TEXT NOT NULL, table_name TEXT NOT NULL,"
    " row_id INTEGER, row_version INTEGER,"
    " fields TEXT NOT NULL,"                 /* JSON object: column -> text as typed */
    " focus TEXT,"
    " saved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now')),"
    " reason TEXT);"                         /* hangup, terminate, interrupt */

    /* ---- checks, imports, quarantine ------------------------------ */
    "CREATE TABLE flags ("
    " id INTEGER PRIMARY KEY,"
    " round_code TEXT, table_name TEXT NOT NULL, row_id INTEGER, row_key TEXT,"
    " school_code TEXT, rule_id TEXT NOT NULL, severity TEXT NOT NULL,"
    " field TEXT, message_th TEXT, message_en TEXT,"
    " checked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now')));"
    "CREATE INDEX flags_row ON flags(table_name, row_id);"
    "CREATE INDEX flags_school ON flags(round_code, school_code, severity);"

    "CREATE TABLE imports ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL, file TEXT NOT NULL, round_code TEXT,"
    " started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now')),"
    " by_login TEXT NOT NULL,"
    " rows_read INTEGER, rows_imported INTEGER, rows_rejected INTEGER, rows_warned INTEGER);"
    "CREATE TABLE quarantine ("
    " id INTEGER PRIMARY KEY,"
    " import_id INTEGER REFERENCES imports(id),"
    " kind TEXT NOT NULL, round_code TEXT, school_code TEXT,"
    " row_no INTEGER NOT NULL,"
    " fields TEXT NOT NULL,"                 /* JSON object of the row as read */
    " reasons TEXT NOT NULL,"
    " resolved INTEGER NOT NULL DEFAULT 0,"
    " " EDIT_COLS ");"
    "CREATE INDEX quarantine_school ON quarantine(kind, round_code, school_code);"

    /* ---- the unit's own work -------------------------------------- */
    "CREATE TABLE activities ("               /* a running process (workflow) */
    " id INTEGER PRIMARY KEY,"
    " workflow TEXT NOT NULL,"                /* name of conf/workflows/<name>.ini */
    " title TEXT NOT NULL, round_code TEXT, academic_year INTEGER,"
    " step INTEGER NOT NULL DEFAULT 1,"
    " state TEXT NOT NULL DEFAULT 'running',"  /* running, waiting_decision, done */
    " holder TEXT, since TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now')),"
    " " EDIT_COLS ");"
    "CREATE TABLE activity_steps ("
    " id INTEGER PRIMARY KEY,"
    " activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,"
    " step INTEGER NOT NULL, action TEXT NOT NULL," /* start, done, approve, return */
    " by_login TEXT NOT NULL, at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now')),"
    " note TEXT);"

    "CREATE TABLE network_contacts ("         /* each school's data officer */
    " id INTEGER PRIMARY KEY,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " name TEXT NOT NULL, position TEXT, phone TEXT, email TEXT, line_id TEXT,"
    " duty TEXT,"                             /* dmc, emis, bobec, all */
    " " EDIT_COLS ");"
    "CREATE TABLE briefings ("
    " id INTEGER PRIMARY KEY,"
    " held_on TEXT NOT NULL, title TEXT NOT NULL, kind TEXT,"  /* meeting, letter, online */
    " round_code TEXT, place TEXT, note TEXT,"
    " " EDIT_COLS ");"
    "CREATE TABLE briefing_attendance ("
    " id INTEGER PRIMARY KEY,"
    " briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,"
    " school_code TEXT NOT NULL REFERENCES schools(school_code),"
    " attendee TEXT,"
    " " EDIT_COLS ","
    " UNIQUE(briefing_id, school_code));"

    "CREATE TABLE coordination_records ("      /* แบบบันทึกการประสานความร่วมมือ */
    " id INTEGER PRIMARY KEY, activity_id INTEGER REFERENCES activities(id),"
    " recorded_on TEXT NOT NULL, agency TEXT NOT NULL, contact_person TEXT,"
    " subject TEXT NOT NULL, agreed TEXT, follow_up TEXT, recorded_by TEXT,"
    " " EDIT_COLS ");"
    "CREATE TABLE info_reports ("              /* แบบรายงานข้อมูลสารสนเทศ */
    " id INTEGER PRIMARY KEY, activity_id INTEGER REFERENCES activities(id),"
    " reported_on TEXT NOT NULL, title TEXT NOT NULL, data_source TEXT,"
    " summary TEXT, recipients TEXT, reported_by TEXT,"
    " " EDIT_COLS ");"
    "CREATE TABLE analysis_records ("          /* แบบบันทึกการศึกษาวิเคราะห์ */
    " id INTEGER PRIMARY KEY, activity_id INTEGER REFERENCES activities(id),"
    " recorded_on TEXT NOT NULL, topic TEXT NOT NULL, data_used TEXT,"
    " method TEXT, findings TEXT, recommendations TEXT, analyst TEXT,"
    " " EDIT_COLS ");"
    "CREATE TABLE analysis_reports ("          /* แบบรายงานผลการศึกษาวิเคราะห์ */
    " id INTEGER PRIMARY KEY, activity_id INTEGER REFERENCES activities(id),"
    " reported_on TEXT NOT NULL, title TEXT NOT NULL, objective TEXT,"
    " results TEXT, conclusions TEXT, proposals TEXT, reported_by TEXT,"
    " " EDIT_COLS ");"
    "CREATE TABLE access_requests ("           /* แบบคำร้องขอเข้าถึงระบบข้อมูลสารสนเทศ */
    " id INTEGER PRIMARY KEY,"
    " requested_on TEXT NOT NULL, requester TEXT NOT NULL, login TEXT NOT NULL,"
    " position TEXT, school_code TEXT REFERENCES schools(school_code), unit TEXT,"
    " role TEXT NOT NULL DEFAULT 'viewer', schools TEXT," /* space-separated school codes */
    " data_wanted TEXT NOT NULL, purpose TEXT NOT NULL, months INTEGER NOT NULL DEFAULT 12,"
    " state TEXT NOT NULL DEFAULT 'pending'," /* pending, approved, refused */
    " decided_by TEXT, decided_on TEXT, decision_note TEXT, expires TEXT,"
    " user_created INTEGER NOT NULL DEFAULT 0,"
    " " EDIT_COLS ");"
    "CREATE TABLE evaluations ("                /* tracking forms and evaluation summaries */
    " id INTEGER PRIMARY KEY, activity_id INTEGER REFERENCES activities(id),"
    " kind TEXT NOT NULL,"                     /* tracking, summary */
    " academic_year INTEGER NOT NULL, collection TEXT,"
    " recorded_on TEXT NOT NULL, objective TEXT, target TEXT, result TEXT,"
    " problems TEXT, improvements TEXT, evaluator TEXT,"
    " " EDIT_COLS ");"
    "CREATE TABLE surveys ("
    " id INTEGER PRIMARY KEY,"
    " questionnaire TEXT NOT NULL,"            /* name of conf/surveys/<name>.ini */
    " title TEXT NOT NULL, academic_year INTEGER NOT NULL, evaluation_id INTEGER REFERENCES evaluations(id),"
    " " EDIT_COLS ");"
    "CREATE TABLE survey_answers ("
    " id INTEGER PRIMARY KEY,"
    " survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,"
    " respondent INTEGER NOT NULL,"
    " answers TEXT NOT NULL,"                  /* one digit 1-5 per item, in item order */
    " respondent_group TEXT,"
    " " EDIT_COLS ","
    " UNIQUE(survey_id, respondent));"
    "CREATE TABLE service_requests ("           /* step 6: serving information */
    " id INTEGER PRIMARY KEY,"
    " asked_on TEXT NOT NULL, requester TEXT NOT NULL, organisation TEXT,"
    " contact TEXT, data_wanted TEXT NOT NULL, purpose TEXT NOT NULL,"
    " legal_basis TEXT,"                       /* Official Information Act 2540, PDPA ... */
    " round_code TEXT, state TEXT NOT NULL DEFAULT 'received'," /* received, approved, refused, delivered */
    " unmask_personal INTEGER NOT NULL DEFAULT 0,"
    " approved_by TEXT, approved_on TEXT, delivered_on TEXT, served_by TEXT, note TEXT,"
    " " EDIT_COLS ");"
    "CREATE TABLE service_exports ("
    " id INTEGER PRIMARY KEY,"
    " request_id INTEGER NOT NULL REFERENCES service_requests(id),"
    " at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now')),"
    " by_login TEXT NOT NULL, kind TEXT NOT NULL, file TEXT NOT NULL,"
    " rows INTEGER NOT NULL, masked INTEGER NOT NULL);"

    /* ---- the catalogue's rows ------------------------------------- */
    "INSERT INTO esis_tables(name, key_cols, audited, personal_cols, collection) VALUES"
    " ('schools','school_code',1,'','emis'),"
    " ('rounds','round_code',1,'',''),"
    " ('submissions','round_code school_code',1,'',''),"
    " ('students','round_code school_code citizen_id',1,'citizen_id birth_date house_no village_no road postcode father_id mother_id guardian_id father_income mother_income guardian_income','dmc'),"
    " ('student_moves','citizen_id move_date',1,'citizen_id','dmc'),"
    " ('classes','school_code academic_year grade',1,'','emis'),"
    " ('staff','school_code citizen_id',1,'citizen_id birth_date phone','emis'),"
    " ('ict_devices','school_code academic_year device_type purpose',1,'','emis'),"
    " ('internet','school_code academic_year',1,'','emis'),"
    " ('equipment','school_code asset_code',1,'','emis'),"
    " ('service_areas','school_code academic_year village_no village',1,'','emis'),"
    " ('buildings','school_code building_no',1,'','bobec'),"
    " ('users','login',1,'',''),"
    " ('user_schools','login school_code',1,'',''),"
    " ('quarantine','id',1,'fields',''),"
    " ('activities','id',1,'',''),"
    " ('network_contacts','id',1,'phone email line_id',''),"
    " ('briefings','id',1,'',''),"
    " ('briefing_attendance','briefing_id school_code',1,'',''),"
    " ('coordination_records','id',1,'',''),"
    " ('info_reports','id',1,'',''),"
    " ('analysis_records','id',1,'',''),"
    " ('analysis_reports','id',1,'',''),"
    " ('access_requests','id',1,'',''),"
    " ('evaluations','id',1,'',''),"
    " ('surveys','id',1,'',''),"
    " ('survey_answers','survey_id respondent',1,'',''),"
    " ('service_requests','id',1,'contact',''),"
    " ('admin_areas','tambon_code',0,'',''),"
    " ('audit','id',0,'',''),"
    " ('drafts','id',0,'fields',''),"
    " ('flags','id',0,'',''),"
    " ('imports','id',0,'',''),"
    " ('activity_steps','id',0,'',''),"
    " ('service_exports','id',0,'','');";

/* Name search: a trigram FTS5 index over student names (Thai has no spaces
 * between words, so the default tokenizer would miss names; trigram finds
 * any 3-character substring).  External content: the index holds no copy
 * of the rows. */
static const char MIGRATION_2[] =
    "CREATE VIRTUAL TABLE students_fts USING fts5("
    " citizen_id, first_name, last_name, content='students', content_rowid='id',"
    " tokenize='trigram');"
    "CREATE TRIGGER students_fts_ai AFTER INSERT ON students BEGIN"
    " INSERT INTO students_fts(rowid, citizen_id, first_name, last_name)"
    " VALUES (new.id, new.citizen_id, new.first_name, new.last_name); END;"
    "CREATE TRIGGER students_fts_ad AFTER DELETE ON students BEGIN"
    " INSERT INTO students_fts(students_fts, rowid, citizen_id, first_name, last_name)"
    " VALUES ('delete', old.id, old.citizen_id, old.first_name, old.last_name); END;"
    "CREATE TRIGGER students_fts_au AFTER UPDATE OF citizen_id, first_name, last_name ON students BEGIN"
    " INSERT INTO students_fts(students_fts, rowid, citizen_id, first_name, last_name)"
    " VALUES ('delete', old.id, old.citizen_id, old.first_name, old.last_name);"
    " INSERT INTO students_fts(rowid, citizen_id, first_name, last_name)"
    " VALUES (new.id, new.citizen_id, new.first_name, new.last_name); END;";

/* Views the dashboards read: one row per school and round with its state,
 * counts and last change (the office's daily screen during a round).  The
 * students' count is the argument: migration 12 reads it from counts. */
#define SUBMISSION_OVERVIEW(STUDENTS) \
    "CREATE VIEW submission_overview AS" \
    " SELECT r.round_code AS round_code, s.school_code AS school_code, s.name_th AS name_th," \
    " s.amphoe AS amphoe," \
    " coalesce(b.state, 'not_started') AS state," \
    STUDENTS " AS students," \
    " coalesce(b.errors, 0) AS errors, coalesce(b.warnings, 0) AS warnings," \
    " max(coalesce(b.updated_at, ''), coalesce((SELECT max(x.updated_at) FROM students x" \
    "   WHERE x.round_code = r.round_code AND x.school_code = s.school_code), '')) AS last_change," \
    " b.reason AS reason, b.reopened_until AS reopened_until" \
    " FROM rounds r CROSS JOIN schools s" \
    " LEFT JOIN submissions b ON b.round_code = r.round_code AND b.school_code = s.school_code" \
    " WHERE r.collection = 'dmc';"
static const char MIGRATION_3[] =
    SUBMISSION_OVERVIEW(" (SELECT count(*) FROM students x WHERE x.round_code = r.round_code"
                        " AND x.school_code = s.school_code)")
    "INSERT INTO esis_tables(name, key_cols, audited, personal_cols, collection)"
    " VALUES ('submission_overview', 'round_code school_code', 0, '', 'dmc');";

/* Sorted lists that stay fast at a million rows.
 *
 * A list pages by keyset (WHERE (sort, id) > (anchor) ORDER BY sort, id
 * LIMIT n), which is a plain index range scan only when an index holds the
 * sort order.  Thai names must sort in Thai order (COLLATE thai), and that
 * collation cannot appear in an index: the sqlite3 tool, and db_check_file's
 * integrity_check on a raw connection, would fail with "no such collation
 * sequence".  An index on an expression thai_key(last_name) has the same
 * flaw (no such function on integrity_check).  A column in the table itself
 * would reach records, forms, exports and the audit's JSON as a stray blob.
 *
 * So the order lives beside the rows: sort_keys holds, per (table, column,
 * row), a BLOB key whose byte order is Thai order (thai_key(): libthai
 * th_strxfrm + the text as tie-break, see text_thai_sortkey), grouped by the
 * round for tables that have one; its primary key is the index the cursor
 * scans (db_cursor.c), joining each of the page's rows by id.  Triggers keep
 * it current on every write path (forms, imports, a round carried over by
 * INSERT ... SELECT).  They call thai_key(), which only esis registers: the
 * sqlite3 tool could not write these tables anyway (the audit triggers call
 * esis_actor()), and it can still read everything and run integrity_check,
 * because triggers are not run by a read.
 *
 * sort_key_cols says which columns have keys (the default sorts of the
 * screens holding names); adding one is a new step that inserts a row,
 * creates the three triggers and fills the keys.  Plus an index for each
 * remaining default sort on a big table (students by round and school). */
#define SORT_KEY_TRIGGERS(T, C, G, GC) \
    "CREATE TRIGGER sort_keys_" T "_" C "_ai AFTER INSERT ON " T " BEGIN" \
    " INSERT OR REPLACE INTO sort_keys(tbl, col, grp, key, row_id)" \
    " VALUES ('" T "', '" C "', " G ", thai_key(new." C "), new.id); END;" \
    "CREATE TRIGGER sort_keys_" T "_" C "_au AFTER UPDATE OF " C ", id" \
    " ON " T " BEGIN" \
    " DELETE FROM sort_keys WHERE tbl = '" T "' AND col = '" C "' AND row_id = old.id;" \
    " INSERT INTO sort_keys(tbl, col, grp, key, row_id)" \
    " VALUES ('" T "', '" C "', " G ", thai_key(new." C "), new.id); END;" \
    "CREATE TRIGGER sort_keys_" T "_" C "_ad AFTER DELETE ON " T " BEGIN" \
    " DELETE FROM sort_keys WHERE tbl = '" T "' AND col = '" C "' AND row_id = old.id; END;" \
    "INSERT INTO sort_key_cols(tbl, col, grp_col) VALUES ('" T "', '" C "', '" GC "');" \
    "INSERT INTO sort_keys(tbl, col, grp, key, row_id)" \
    " SELECT '" T "', '" C "', " G ", thai_key(" C "), id FROM " T " AS new;"

static const char MIGRATION_4[] =
    "CREATE TABLE sort_key_cols (tbl TEXT NOT NULL, col TEXT NOT NULL,"
    " grp_col TEXT NOT NULL DEFAULT '', PRIMARY KEY (tbl, col));"
    "CREATE TABLE sort_keys (tbl TEXT NOT NULL, col TEXT NOT NULL,"
    " grp TEXT NOT NULL DEFAULT '', key BLOB NOT NULL, row_id INTEGER NOT NULL,"
    " PRIMARY KEY (tbl, col, grp, key, row_id)) WITHOUT ROWID;"
    "CREATE UNIQUE INDEX sort_keys_row ON sort_keys(tbl, col, row_id);"
    /* a round change moves the student's key to the new group too */
    SORT_KEY_TRIGGERS("students", "last_name", "new.round_code", "round_code")
    "CREATE TRIGGER sort_keys_students_last_name_ar AFTER UPDATE OF round_code ON students BEGIN"
    " UPDATE sort_keys SET grp = new.round_code WHERE tbl = 'students' AND row_id = new.id; END;"
    SORT_KEY_TRIGGERS("students", "first_name", "new.round_code", "round_code")
    SORT_KEY_TRIGGERS("staff", "last_name", "''", "")
    SORT_KEY_TRIGGERS("schools", "name_th", "''", "")
    "CREATE INDEX students_round_school ON students(round_code, school_code);";

/* The insert audit triggers learn to skip rows of a bulk load (db_bulk_begin);
 * db_migrate regenerates every audit trigger after each step, so the step
 * itself only has to exist. */
static const char MIGRATION_5[] = "SELECT 1;";

/* The index triggers learn to leave alone the rows of a bulk load, which
 * db_index_flush indexes at its end in one statement per index (see
 * db_index.c): each gets WHEN NOT esis_index_deferred(table, rowid), which
 * is false outside a load, so every other write keeps its per-row upkeep.
 * The triggers are otherwise those of migrations 2 and 4. */
#define DEFERRED(T, R) " WHEN NOT esis_index_deferred('" T "', " R ".id)"
#define SORT_KEY_TRIGGERS_DEFERRED(T, C, G) \
    "DROP TRIGGER sort_keys_" T "_" C "_ai;" \
    "CREATE TRIGGER sort_keys_" T "_" C "_ai AFTER INSERT ON " T DEFERRED(T, "new") " BEGIN" \
    " INSERT OR REPLACE INTO sort_keys(tbl, col, grp, key, row_id)" \
    " VALUES ('" T "', '" C "', " G ", thai_key(new." C "), new.id); END;" \
    "DROP TRIGGER sort_keys_" T "_" C "_au;" \
    "CREATE TRIGGER sort_keys_" T "_" C "_au AFTER UPDATE OF " C ", id" \
    " ON " T DEFERRED(T, "old") " BEGIN" \
    " DELETE FROM sort_keys WHERE tbl = '" T "' AND col = '" C "' AND row_id = old.id;" \
    " INSERT INTO sort_keys(tbl, col, grp, key, row_id)" \
    " VALUES ('" T "', '" C "', " G ", thai_key(new." C "), new.id); END;" \
    "DROP TRIGGER sort_keys_" T "_" C "_ad;" \
    "CREATE TRIGGER sort_keys_" T "_" C "_ad AFTER DELETE ON " T DEFERRED(T, "old") " BEGIN" \
    " DELETE FROM sort_keys WHERE tbl = '" T "' AND col = '" C "' AND row_id = old.id; END;"

static const char MIGRATION_6[] =
    "DROP TRIGGER students_fts_ai;"
    "CREATE TRIGGER students_fts_ai AFTER INSERT ON students" DEFERRED("students", "new") " BEGIN"
    " INSERT INTO students_fts(rowid, citizen_id, first_name, last_name)"
    " VALUES (new.id, new.citizen_id, new.first_name, new.last_name); END;"
    "DROP TRIGGER students_fts_ad;"
    "CREATE TRIGGER students_fts_ad AFTER DELETE ON students" DEFERRED("students", "old") " BEGIN"
    " INSERT INTO students_fts(students_fts, rowid, citizen_id, first_name, last_name)"
    " VALUES ('delete', old.id, old.citizen_id, old.first_name, old.last_name); END;"
    "DROP TRIGGER students_fts_au;"
    "CREATE TRIGGER students_fts_au AFTER UPDATE OF citizen_id, first_name, last_name ON students"
    DEFERRED("students", "old") " BEGIN"
    " INSERT INTO students_fts(students_fts, rowid, citizen_id, first_name, last_name)"
    " VALUES ('delete', old.id, old.citizen_id, old.first_name, old.last_name);"
    " INSERT INTO students_fts(rowid, citizen_id, first_name, last_name)"
    " VALUES (new.id, new.citizen_id, new.first_name, new.last_name); END;"
    SORT_KEY_TRIGGERS_DEFERRED("students", "last_name", "new.round_code")
    "DROP TRIGGER sort_keys_students_last_name_ar;"
    "CREATE TRIGGER sort_keys_students_last_name_ar AFTER UPDATE OF round_code ON students"
    DEFERRED("students", "new") " BEGIN"
    " UPDATE sort_keys SET grp = new.round_code WHERE tbl = 'students' AND row_id = new.id; END;"
    SORT_KEY_TRIGGERS_DEFERRED("students", "first_name", "new.round_code")
    SORT_KEY_TRIGGERS_DEFERRED("staff", "last_name", "''")
    SORT_KEY_TRIGGERS_DEFERRED("schools", "name_th", "''");

/* The unit's own work (workflow engine, src/unit): each activity keeps the
 * title of its current step as it was when it got there (step titles live
 * in conf/workflows/, which the TUI does not read), so the screens can list
 * running activities and the decisions waiting for the director from two
 * views. */
static const char MIGRATION_UNIT_WORK[] =
    "ALTER TABLE activities ADD COLUMN step_title TEXT;"
    "ALTER TABLE activities ADD COLUMN steps INTEGER;"           /* steps of its workflow */
    "ALTER TABLE service_requests ADD COLUMN refusal_reason TEXT;"
    "CREATE INDEX activity_steps_activity ON activity_steps(activity_id, id);"
    "CREATE INDEX briefing_attendance_school ON briefing_attendance(school_code);"
    "CREATE VIEW activity_list AS"
    " SELECT a.id AS id, a.workflow AS workflow, a.title AS title, a.round_code AS round_code,"
    " a.academic_year AS academic_year, a.step AS step, a.steps AS steps, a.step_title AS step_title,"
    " a.state AS state, a.holder AS holder, a.since AS since,"
    " (SELECT x.note FROM activity_steps x WHERE x.activity_id = a.id ORDER BY x.id DESC LIMIT 1) AS last_note"
    " FROM activities a WHERE a.state <> 'done';"
    "CREATE VIEW decisions_pending AS"
    " SELECT a.id AS id, a.workflow AS workflow, a.title AS title, a.round_code AS round_code,"
    " a.academic_year AS academic_year, a.step AS step, a.step_title AS step_title, a.holder AS holder,"
    " a.since AS since,"
    " (SELECT x.note FROM activity_steps x WHERE x.activity_id = a.id ORDER BY x.id DESC LIMIT 1) AS last_note"
    " FROM activities a WHERE a.state = 'waiting_decision';"
    "INSERT INTO esis_tables(name, key_cols, audited, personal_cols, collection) VALUES"
    " ('activity_list', 'id', 0, '', ''), ('decisions_pending', 'id', 0, '', '');";

/* The students' indexes, cut to what the checks, reports and imports read
 * (measured at a million students, doc/performance.md):
 *  - students_counts (round, school, grade, gender, status): every count
 *    by school, grade and gender, in reports and query rules, is read from
 *    the index alone, not from the rows (a round's counts by school read
 *    1 M rows from the table otherwise);
 *  - students_same (round, school, first name, last name, birth date, ID):
 *    the "same child entered twice" rule groups by these and compares the
 *    IDs on the index alone, without sorting;
 *  - (round, school) and (school, round, grade) go: the first is a prefix
 *    of the natural key's unique index, the second is students_counts in
 *    another order; (round, first name, last name) goes: no query reads
 *    it (the name search has its FTS index, the lists their sort keys).
 * One index fewer, and both new ones grow in the order imports come in
 * (school by school) instead of at random places. */
static const char MIGRATION_8[] =
    "DROP INDEX students_round_school;"
    "DROP INDEX students_school;"
    "DROP INDEX students_name;"
    "CREATE INDEX students_counts ON students(round_code, school_code, grade, gender, status);"
    "CREATE INDEX students_same ON students(round_code, school_code, first_name, last_name, birth_date,"
    " citizen_id);";

/* students_counts gains the poor flag: the two reports that count poor
 * students (by grade and gender, and the subsidy) read it, and without it
 * in the index each of a round's rows was fetched from the table for that
 * one column (3.4 s at a million students, a covering scan instead). */
static const char MIGRATION_9[] =
    "DROP INDEX students_counts;"
    "CREATE INDEX students_counts ON students(round_code, school_code, grade, gender, status, poor);";

/* A round's counts of students by school, grade, gender, status and the
 * poor flag, kept beside the rows: the district's and the country's
 * reports read these (a few rows a school) instead of every student, so
 * they take the same time at 7 million students as at 50,000.
 *
 * Triggers keep it on every write path, except for the rows of a bulk load
 * (the WHEN of migration 6): those are counted once at the load's end by
 * the step in index_upkeep, which db_index_flush runs with ?1 = the rowid
 * above which the load's rows are.  NULL grade and gender count as ''. */
#define COUNT_KEY(R) R ".round_code, " R ".school_code, coalesce(" R ".grade, ''), coalesce(" R ".gender, ''), " \
    R ".status, " R ".poor"
#define COUNT_WHERE(R) " WHERE round_code = " R ".round_code AND school_code = " R ".school_code" \
    " AND grade = coalesce(" R ".grade, '') AND gender = coalesce(" R ".gender, '')" \
    " AND status = " R ".status AND poor = " R ".poor"
#define COUNT_ADD(R) \
    " INSERT INTO student_counts(round_code, school_code, grade, gender, status, poor, n)" \
    " VALUES (" COUNT_KEY(R) ", 1) ON CONFLICT DO UPDATE SET n = n + 1;"
#define COUNT_TAKE(R) \
    " UPDATE student_counts SET n = n - 1" COUNT_WHERE(R) ";" \
    " DELETE FROM student_counts" COUNT_WHERE(R) " AND n <= 0;"
static const char MIGRATION_10[] =
    "CREATE TABLE student_counts (round_code TEXT NOT NULL, school_code TEXT NOT NULL,"
    " grade TEXT NOT NULL, gender TEXT NOT NULL, status TEXT NOT NULL, poor INTEGER NOT NULL,"
    " n INTEGER NOT NULL, PRIMARY KEY (round_code, school_code, grade, gender, status, poor))"
    " WITHOUT ROWID;"
    "CREATE TABLE index_upkeep (tbl TEXT NOT NULL, name TEXT NOT NULL, step TEXT NOT NULL,"
    " PRIMARY KEY (tbl, name));"
    /* The load's rows counted in the order of the counts index, round by
     * round of those it touched: a GROUP BY over the new rows by rowid
     * would sort them all (in memory, during an import: 40 MB a million),
     * this one streams.  NULL and '' are two groups of the index but one
     * row here: the upsert adds them up. */
    "INSERT INTO index_upkeep(tbl, name, step) VALUES ('students', 'student_counts',"
    " 'INSERT INTO student_counts(round_code, school_code, grade, gender, status, poor, n)"
    " SELECT round_code, school_code, coalesce(grade, ''''), coalesce(gender, ''''), status, poor, count(*)"
    " FROM students INDEXED BY students_counts"
    " WHERE round_code IN (SELECT DISTINCT round_code FROM students NOT INDEXED WHERE id > ?1) AND id > ?1"
    " GROUP BY round_code, school_code, grade, gender, status, poor"
    " ON CONFLICT DO UPDATE SET n = n + excluded.n');"
    "INSERT INTO student_counts(round_code, school_code, grade, gender, status, poor, n)"
    " SELECT " COUNT_KEY("students") ", count(*) FROM students GROUP BY 1, 2, 3, 4, 5, 6;"
    "CREATE TRIGGER student_counts_ai AFTER INSERT ON students" DEFERRED("students", "new") " BEGIN"
    COUNT_ADD("new") " END;"
    "CREATE TRIGGER student_counts_ad AFTER DELETE ON students" DEFERRED("students", "old") " BEGIN"
    COUNT_TAKE("old") " END;"
    "CREATE TRIGGER student_counts_au AFTER UPDATE OF round_code, school_code, grade, gender, status, poor"
    " ON students" DEFERRED("students", "old") " BEGIN"
    COUNT_TAKE("old") COUNT_ADD("new") " END;";

/* Per round and school, how many of its studying students (status 1)
 * studied at the same school in the round before (the same citizen ID):
 * the report of change between rounds finds who joined (now - stays) and
 * who is gone (before - stays) from these and student_counts, a row a
 * school, instead of looking up every student of both rounds (1.5 s at a
 * million students, growing with the country).
 *
 * A pair is a row x and the row y of the same school and ID in the round
 * before x's (esis_round_prev); triggers keep the pairs of every write
 * path, each change looking both ways (the round before and the round
 * after).  During a bulk load a pair with a load's row is left to
 * index_upkeep: the triggers pass over deferred partners, and the flush
 * counts each pair with a new row once (the new row and its round before;
 * the new row and an old row of its round after). */
#define STAY_PARTNER(X, DIR) " y.round_code = esis_round_" DIR "(" X ".round_code) AND y.school_code = " X ".school_code" \
    " AND y.citizen_id = " X ".citizen_id AND y.status = '1' AND y.id <> " X ".id" \
    " AND NOT esis_index_deferred('students', y.id)"
#define STAY_ADD(X) \
    " INSERT INTO student_stays(round_code, school_code, n) SELECT " X ".round_code, " X ".school_code, 1" \
    " FROM students y WHERE " X ".status = '1' AND" STAY_PARTNER(X, "prev") \
    " ON CONFLICT DO UPDATE SET n = n + 1;" \
    " INSERT INTO student_stays(round_code, school_code, n) SELECT y.round_code, y.school_code, 1" \
    " FROM students y WHERE " X ".status = '1' AND" STAY_PARTNER(X, "next") \
    " ON CONFLICT DO UPDATE SET n = n + 1;"
#define STAY_TAKE(X) \
    " UPDATE student_stays SET n = n - 1 WHERE round_code = " X ".round_code AND school_code = " X ".school_code" \
    " AND " X ".status = '1' AND EXISTS (SELECT 1 FROM students y WHERE" STAY_PARTNER(X, "prev") ");" \
    " UPDATE student_stays SET n = n - 1 WHERE round_code = esis_round_next(" X ".round_code)" \
    " AND school_code = " X ".school_code" \
    " AND " X ".status = '1' AND EXISTS (SELECT 1 FROM students y WHERE" STAY_PARTNER(X, "next") ");" \
    " DELETE FROM student_stays WHERE school_code = " X ".school_code" \
    " AND round_code IN (" X ".round_code, esis_round_next(" X ".round_code)) AND n <= 0;"
/* The rows NEW picks (a load's: "x.id > ?1 AND") with their round before,
 * whichever it is; and with an old row of their round after.  x is read by
 * rowid, y found through the natural key; each pair adds one (no GROUP BY:
 * its sort of a million rows would be held in memory during an import).
 * Q is the quote: doubled inside the index_upkeep literal.  With NEW empty
 * it counts every pair: the table's first fill. */
#define STAY_PAIRS_PREV(Q, NEW) \
    "INSERT INTO student_stays(round_code, school_code, n) SELECT x.round_code, x.school_code, 1" \
    " FROM students x CROSS JOIN students y WHERE " NEW " x.status = " Q "1" Q \
    " AND y.round_code = esis_round_prev(x.round_code) AND y.school_code = x.school_code" \
    " AND y.citizen_id = x.citizen_id AND y.status = " Q "1" Q " ON CONFLICT DO UPDATE SET n = n + 1"
#define STAY_FLUSH_PREV STAY_PAIRS_PREV("''", "x.id > ?1 AND")
#define STAY_FLUSH_NEXT \
    "INSERT INTO student_stays(round_code, school_code, n) SELECT y.round_code, y.school_code, 1" \
    " FROM students x CROSS JOIN students y WHERE x.id > ?1 AND x.status = ''1''" \
    " AND y.round_code = esis_round_next(x.round_code) AND y.school_code = x.school_code" \
    " AND y.citizen_id = x.citizen_id AND y.status = ''1'' AND y.id <= ?1 ON CONFLICT DO UPDATE SET n = n + 1"
static const char MIGRATION_11[] =
    "CREATE TABLE student_stays (round_code TEXT NOT NULL, school_code TEXT NOT NULL,"
    " n INTEGER NOT NULL, PRIMARY KEY (round_code, school_code)) WITHOUT ROWID;"
    "INSERT INTO index_upkeep(tbl, name, step) VALUES ('students', 'student_stays', '" STAY_FLUSH_PREV "'),"
    " ('students', 'student_stays_next', '" STAY_FLUSH_NEXT "');"
    STAY_PAIRS_PREV("'", "") ";"
    "CREATE TRIGGER student_stays_ai AFTER INSERT ON students" DEFERRED("students", "new") " BEGIN"
    STAY_ADD("new") " END;"
    "CREATE TRIGGER student_stays_ad AFTER DELETE ON students" DEFERRED("students", "old") " BEGIN"
    STAY_TAKE("old") " END;"
    "CREATE TRIGGER student_stays_au AFTER UPDATE OF round_code, school_code, citizen_id, status"
    " ON students" DEFERRED("students", "old") " BEGIN"
    STAY_TAKE("old") STAY_ADD("new") " END;";

/* The office's dashboard (submission_overview) at the size of the
 * country: sorted by anything but the school code, every school's row is
 * made before the sort, and each counted its students and looked for their
 * latest change row by row (21,000 schools and 7 million students: seconds
 * for one page).  The students now come from student_counts and the latest
 * change from an index that ends in updated_at (a seek per school): the
 * whole view is a few reads a school. */
static const char MIGRATION_12[] =
    "CREATE INDEX students_changed ON students(round_code, school_code, updated_at);"
    "DROP VIEW submission_overview;"
    SUBMISSION_OVERVIEW(" (SELECT coalesce(sum(x.n), 0) FROM student_counts x WHERE x.round_code = r.round_code"
                        " AND x.school_code = s.school_code)");

/* Teachers counted per school (the teacher ratio report, the rules on a
 * school's principal and on teachers against its students) read a
 * school's active staff by position: from this index alone, where each
 * staff row was looked up in the table (425,000 staff of 21,000 schools:
 * a second of the country's teacher ratio report). */
static const char MIGRATION_13[] =
    "CREATE INDEX staff_positions ON staff(school_code, status, position);";

/* A finding's key and messages quote the values it is about (a student's
 * ID, a birth date): they are personal, so a session that may not see
 * personal data gets them masked on every screen and in every export, by
 * the one rule (text_mask_id: in text, the IDs, dates and long numbers). */
static const char MIGRATION_14[] =
    "UPDATE esis_tables SET personal_cols = 'row_key message_th message_en' WHERE name = 'flags';";

/* Decisions by those who hold them, and personal data only by approval
 * (issue 15):
 *  - users gain the group head (ผอ.กลุ่ม) and the deputy director (รอง
 *    ผอ.สพท.) as roles, and a position for printed forms (the name is
 *    display_name).  The role list is a CHECK of the table; SQLite changes
 *    a CHECK in place through writable_schema (the file format does not
 *    change), where rebuilding the table would cascade-delete user_schools
 *    under foreign_keys, which a migration's transaction cannot turn off;
 *  - delegations: the director hands their decisions to a deputy for a
 *    period (audited);
 *  - activities: which role the waiting step waits for (awaiting), and the
 *    views show it; an acknowledgement is state waiting_ack;
 *  - service_approvals: the director's approval of student-level data,
 *    naming purpose, legal basis, fields and expiry, written only by
 *    service_approve (no screen edits it);
 *  - service_exports becomes the release log: purpose, basis, approver,
 *    fields and the file's SHA-256;
 *  - submissions: confirming with open errors needs a written override. */
static const char MIGRATION_15[] =
    "PRAGMA writable_schema = ON;"
    "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (role IN (''admin'',''staff'',''director'',''school'',''viewer''))',"
    " 'CHECK (role IN (''admin'',''staff'',''group_head'',''deputy'',''director'',''school'',''viewer''))')"
    " WHERE type = 'table' AND name = 'users';"
    "PRAGMA writable_schema = RESET;"
    "ALTER TABLE users ADD COLUMN position TEXT;"
    "CREATE TABLE delegations ("
    " id INTEGER PRIMARY KEY,"
    " from_login TEXT NOT NULL, to_login TEXT NOT NULL,"
    " starts TEXT NOT NULL, ends TEXT NOT NULL, note TEXT,"
    " " EDIT_COLS ");"
    "CREATE INDEX delegations_to ON delegations(to_login, ends);"
    "ALTER TABLE activities ADD COLUMN awaiting TEXT;"
    "DROP VIEW decisions_pending;"
    "CREATE VIEW decisions_pending AS"
    " SELECT a.id AS id, a.workflow AS workflow, a.title AS title, a.round_code AS round_code,"
    " a.academic_year AS academic_year, a.step AS step, a.step_title AS step_title, a.holder AS holder,"
    " a.since AS since, a.awaiting AS awaiting, a.state AS state,"
    " (SELECT x.note FROM activity_steps x WHERE x.activity_id = a.id ORDER BY x.id DESC LIMIT 1) AS last_note"
    " FROM activities a WHERE a.state IN ('waiting_decision', 'waiting_ack');"
    "CREATE TABLE service_approvals ("
    " id INTEGER PRIMARY KEY,"
    " request_id INTEGER NOT NULL REFERENCES service_requests(id),"
    " kind TEXT NOT NULL,"                    /* the export kind the records are of: dmc, staff */
    " approved_by TEXT NOT NULL, approver_role TEXT NOT NULL,"
    " approved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now')),"
    " purpose TEXT NOT NULL, legal_basis TEXT NOT NULL, fields TEXT NOT NULL, expires TEXT NOT NULL,"
    " note TEXT);"
    "CREATE INDEX service_approvals_request ON service_approvals(request_id, id);"
    "ALTER TABLE service_exports ADD COLUMN purpose TEXT;"
    "ALTER TABLE service_exports ADD COLUMN legal_basis TEXT;"
    "ALTER TABLE service_exports ADD COLUMN approved_by TEXT;"
    "ALTER TABLE service_exports ADD COLUMN fields TEXT;"
    "ALTER TABLE service_exports ADD COLUMN level TEXT;"     /* aggregate, student */
    "ALTER TABLE service_exports ADD COLUMN sha256 TEXT;"
    "ALTER TABLE submissions ADD COLUMN override_reason TEXT;"
    "ALTER TABLE submissions ADD COLUMN override_errors INTEGER;"
    "INSERT INTO esis_tables(name, key_cols, audited, personal_cols, collection) VALUES"
    " ('delegations', 'id', 1, '', ''), ('service_approvals', 'id', 1, '', '');";
/* When each round's flags were last checked as a whole (esis check, the
 * TUI's check of the round): reports, the booklet and the submission list
 * say "as of" it, so a count from an old check is never shown as if it
 * were current.  Not audited: like flags, it is derived, written by every
 * check run. */
static const char MIGRATION_16[] =
    "CREATE TABLE round_checks ("
    " round_code TEXT PRIMARY KEY REFERENCES rounds(round_code),"
    " checked_at TEXT NOT NULL, checked_by TEXT NOT NULL);"
    "INSERT INTO esis_tables(name, key_cols, audited, personal_cols, collection)"
    " VALUES ('round_checks', 'round_code', 0, '', '');"
    /* A round checked before this step: the oldest of its schools' last
     * checks, so what is shown is never newer than the truth. */
    "INSERT INTO round_checks(round_code, checked_at, checked_by)"
    " SELECT round_code, min(checked_at), 'esis' FROM submissions WHERE checked_at IS NOT NULL"
    " GROUP BY round_code;"
    /* The dashboard's errors and warnings are the school's open flags,
     * counted when the list is read (the submissions' copies were only
     * written for schools that had a row when the check ran: a school
     * showed 0 errors while submit refused it for 11), and `checked` says
     * when they were found: the school's own last check or the round's,
     * empty when never (its counts are then NULL, not 0). */
    "DROP VIEW submission_overview;"
    "CREATE VIEW submission_overview AS"
    " SELECT round_code, school_code, name_th, amphoe, state, students,"
    " CASE WHEN checked <> '' THEN errors END AS errors,"
    " CASE WHEN checked <> '' THEN warnings END AS warnings,"
    " last_change, nullif(checked, '') AS checked,"
    " CASE WHEN checked <> '' THEN date(checked, 'localtime') END AS checked_on,"
    " reason, reopened_until FROM ("
    " SELECT r.round_code AS round_code, s.school_code AS school_code, s.name_th AS name_th,"
    " s.amphoe AS amphoe, coalesce(b.state, 'not_started') AS state,"
    " (SELECT coalesce(sum(x.n), 0) FROM student_counts x WHERE x.round_code = r.round_code"
    "   AND x.school_code = s.school_code) AS students,"
    " (SELECT count(*) FROM flags f WHERE f.round_code = r.round_code AND f.school_code = s.school_code"
    "   AND f.severity = 'error') AS errors,"
    " (SELECT count(*) FROM flags f WHERE f.round_code = r.round_code AND f.school_code = s.school_code"
    "   AND f.severity = 'warning') AS warnings,"
    " max(coalesce(b.updated_at, ''), coalesce((SELECT max(x.updated_at) FROM students x"
    "   WHERE x.round_code = r.round_code AND x.school_code = s.school_code), '')) AS last_change,"
    " max(coalesce(b.checked_at, ''), coalesce((SELECT c.checked_at FROM round_checks c"
    "   WHERE c.round_code = r.round_code), '')) AS checked,"
    " b.reason AS reason, b.reopened_until AS reopened_until"
    " FROM rounds r CROSS JOIN schools s"
    " LEFT JOIN submissions b ON b.round_code = r.round_code AND b.school_code = s.school_code"
    " WHERE r.collection = 'dmc');";
/* Failed passwords of shared accounts (src/auth/auth_lockout.c): kept in
 * the database, not in the process, so that a guesser who starts many
 * processes meets the same growing delay and the same lock; audited, so
 * the administrator sees who tried (tried_by, the Unix login) and when,
 * and `esis user list` shows the lock until `esis user unlock`. */
static const char MIGRATION_17[] =
    "CREATE TABLE login_failures ("
    " id INTEGER PRIMARY KEY,"
    " login TEXT NOT NULL UNIQUE REFERENCES users(login) ON UPDATE CASCADE ON DELETE CASCADE,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " last_failure TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f','now')),"
    " locked INTEGER NOT NULL DEFAULT 0,"
    " tried_by TEXT NOT NULL DEFAULT '');"
    "INSERT INTO esis_tables(name, key_cols, audited, personal_cols, collection) VALUES"
    " ('login_failures','login',1,'','');";
/* Imports audited row by row, compactly.  A bulk import writes one summary
 * audit row; each row it inserted is now traceable too: import_rows holds
 * the runs of ids an import inserted (one row a run: a fresh file is one
 * run, whatever its size), so "which import made row N, who and when" is
 * one look-up, at no cost per row.  Updates were already audited row by
 * row with their old values (the triggers); their origin now names the
 * import.  The counts of an import say what it did: new rows, updates of
 * existing records, rows that changed nothing, blank lines skipped. */
static const char MIGRATION_18[] =
    "ALTER TABLE imports ADD COLUMN rows_new INTEGER;"
    "ALTER TABLE imports ADD COLUMN rows_updated INTEGER;"
    "ALTER TABLE imports ADD COLUMN rows_unchanged INTEGER;"
    "ALTER TABLE imports ADD COLUMN rows_blank INTEGER;"
    "CREATE TABLE import_rows ("
    " import_id INTEGER NOT NULL REFERENCES imports(id),"
    " table_name TEXT NOT NULL,"
    " first_id INTEGER NOT NULL, last_id INTEGER NOT NULL,"
    " PRIMARY KEY (import_id, first_id)) WITHOUT ROWID;"
    "CREATE INDEX import_rows_ids ON import_rows(table_name, first_id);"
    "CREATE TRIGGER import_rows_no_update BEFORE UPDATE ON import_rows"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;"
    "CREATE TRIGGER import_rows_no_delete BEFORE DELETE ON import_rows"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;";

/* Thai names before Latin ones, as ICU's Thai collation orders them
 * (text/collate.c): thai_key() gives new keys, so every stored key is
 * made again from its row.  The keyed columns are those of migration 4;
 * each is emptied and refilled in key order (one pass down the B-tree, not
 * a million random updates of a primary key), and the index by row is
 * dropped meanwhile and built again at the end. */
#define SORT_KEYS_REMAKE(T, C, G) \
    "DELETE FROM sort_keys WHERE tbl = '" T "' AND col = '" C "';" \
    "INSERT INTO sort_keys(tbl, col, grp, key, row_id)" \
    " SELECT '" T "', '" C "', " G ", thai_key(" C ") AS k, id FROM " T " ORDER BY 3, k, id;"
static const char MIGRATION_19[] =
    "DROP INDEX sort_keys_row;"       /* built again once at the end: one sort, not a random insert a key */
    SORT_KEYS_REMAKE("students", "last_name", "round_code")
    SORT_KEYS_REMAKE("students", "first_name", "round_code")
    SORT_KEYS_REMAKE("staff", "last_name", "''")
    SORT_KEYS_REMAKE("schools", "name_th", "''")
    "CREATE UNIQUE INDEX sort_keys_row ON sort_keys(tbl, col, row_id);";
/* The poor-student screening behind the poor flag (issue 19): the flag
 * was a yes/no that schools typed, with nothing to check it against.  The
 * household of form นร.01: its members, its income a month (all members,
 * baht), the household-status criteria it meets (codes of conf/codes.ini
 * [poor_criterion], space-separated) and when it was screened.  The rules
 * dmc.poor_* check the flag against conf/rates.ini [poor_screening]; the
 * income is personal data, masked like the parents' incomes. */
static const char MIGRATION_20[] =
    "ALTER TABLE students ADD COLUMN household_members INTEGER;"
    "ALTER TABLE students ADD COLUMN household_income INTEGER;"
    "ALTER TABLE students ADD COLUMN poor_criteria TEXT;"
    "ALTER TABLE students ADD COLUMN poor_screened_on TEXT;"
    "UPDATE esis_tables SET personal_cols = personal_cols || ' household_income' WHERE name = 'students';"
    /* the subsidy report counts, per school and term, the poor whose
     * screening supports the flag: a partial index of the poor students
     * alone, holding what the judgement reads, so that count reads no
     * other student and no table row */
    "CREATE INDEX students_poor_screening ON students(round_code, school_code, status,"
    " household_members, household_income, poor_criteria) WHERE poor = 1;";

const db_migration DB_MIGRATIONS[] = {
    { 1, "data model", MIGRATION_1 },
    { 2, "student name search (FTS5 trigram)", MIGRATION_2 },
    { 3, "submission overview", MIGRATION_3 },
    { 4, "Thai sort keys and list indexes", MIGRATION_4 },
    { 5, "bulk loads audited as one row", MIGRATION_5 },
    { 6, "bulk loads indexed at their end", MIGRATION_6 },
    { 7, "the unit's work: activity list, decisions", MIGRATION_UNIT_WORK },
    { 8, "students' indexes for counts and twins", MIGRATION_8 },
    { 9, "the poor flag in the students' counts index", MIGRATION_9 },
    { 10, "students counted by school, grade and gender", MIGRATION_10 },
    { 11, "students who stayed at their school from the round before", MIGRATION_11 },
    { 12, "the submission dashboard read from counts and an index", MIGRATION_12 },
    { 13, "staff by school, status and position", MIGRATION_13 },
    { 14, "findings masked as personal data", MIGRATION_14 },
    { 15, "roles of the group head and deputy, delegations, approvals of personal data, the release log", MIGRATION_15 },
    { 16, "when each round's flags were last checked", MIGRATION_16 },
    { 17, "failed passwords of shared accounts, and their lock", MIGRATION_17 },
    { 18, "imports audited row by row: import_rows, the counts of an import", MIGRATION_18 },
    { 19, "Thai sort keys remade: Thai before Latin, as ICU orders them", MIGRATION_19 },
    { 20, "the poor-student screening: household members, income, criteria", MIGRATION_20 },
};
const int DB_NMIGRATIONS = (int)(sizeof DB_MIGRATIONS / sizeof DB_MIGRATIONS[0]);
