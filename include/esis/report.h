/*
 * report: report definitions as data, run against the database and rendered
 * as an aligned text table, CSV or a print-ready HTML page.
 *
 * A report is a file conf/reports/NAME.ini:
 *
 *   [report]
 *   title_th / title_en / description_th / description_en
 *   collection = dmc | emis | bobec | unit
 *   rounds     = dmc emis bobec          ; the collections whose rounds its
 *                                        ; :round may be (default: its own
 *                                        ; collection; unit: any).  A round
 *                                        ; of another collection is refused
 *                                        ; (a DMC report on a B-obec round
 *                                        ; would print a table of zeros)
 *   params     = round year term school ; which of them it takes (any, or none;
 *                                        ; term needs year)
 *   rates      = yes                     ; it prices counts with conf/rates.ini:
 *                                        ; a period whose fiscal year has no
 *                                        ; rates there is refused, naming the
 *                                        ; file and section
 *   query      = SELECT ...              ; or, when longer than one iniparser
 *                                        ; line (1024 bytes, continuations
 *                                        ; included), a [query] section
 *   [query]                              ; lines 1 = ..., 2 = ..., joined in
 *   1 = SELECT ...                       ; number order with newlines
 *   [col.1] .. [col.N]                   ; one section per shown column
 *   field = name of a result column;  heading_th / heading_en
 *   align = l | r | c;  width = display columns (1..200) in the text table
 *   format = int | money | percent | decimal | decimal:N | text | date |
 *            code:LIST                   ; LIST a code list of conf/codes.ini
 *   total = sum | none                   ; the totals row
 *   [chart]  label = FIELD, value = FIELD [FIELD...], kind = bar
 *
 * The query's named parameters are :round, :prev_round, :as_of (from
 * params = round), :year (round or year), :term (term: 1 or 2, NULL when
 * not given, meaning both terms of the year) and :school (school; NULL when
 * not given, so a query writes `(:school IS NULL OR s.school_code = :school)`).
 *
 * Terms: OBEC pays per term from the count of the DMC round that term uses
 * (conf/rates.ini [allocation]), at the rates of the fiscal year the
 * round's as-of date falls in.  A report with params = year term lists the
 * terms itself (`FROM (SELECT 1 AS term UNION ALL SELECT 2) t WHERE :term IS
 * NULL OR t.term = :term`) and reads each term's round with
 * conf_term_round(:year, t.term); the period check refuses a term whose
 * round is not in the database or holds no students, so a year's amount is
 * the sum of its terms and never counted from any other round.
 * A query that uses a parameter its `params` does not declare is refused.
 *
 * No number without data behind it: a round the database does not hold, a
 * DMC round with no students, a round of a collection the report does not
 * read, or an academic year with no round in the database is refused
 * (report_check_params), and every output says what it is "as of": the
 * round, its as-of date and when the round's flags were last checked.
 *
 * Scope: the queries run on the data layer's gate (esis/db_gate.h), a
 * read-only connection on which "students", "schools", "staff" and every
 * other table of school rows are views filtered to the session's schools
 * (and masking personal columns for a session that may not see them).
 * The same query shows a school officer their school and the office the
 * district; a query that reads a school table around its view, reads
 * users or the audit trail, writes, attaches, runs a PRAGMA or a
 * recursive CTE is refused at load, with the reason.
 *
 * Numbers that policy decides stay in conf/: the engine registers SQL
 * functions on the connection (once; they stay until it closes):
 *   conf_size_class(n)                 'small' | 'medium' | 'large' | 'extra_large'
 *   conf_rate(fiscal_year, component, grade_or_level)   the yearly rate in baht
 *                                      (NULL: the grade is not paid; an error
 *                                      naming conf/rates.ini and the section
 *                                      when the year or component has none)
 *   conf_term_rate(year, term, component, grade)   baht per student for the
 *                                      term: the yearly rate of the fiscal year
 *                                      that pays it times the term's share
 *   conf_term_round(year, term)        the round code the term is paid from
 *   conf_term_fiscal_year(year, term)  the fiscal year that pays it
 *   conf_rate_label(component)         the component's name in the run's language
 *   conf_rate_poor_only(component)     1 when paid for poor students only
 *   conf_msg(key)                      a text of conf/messages.ini in the run's language
 *   conf_poor_supported(household_members, household_income, poor_criteria)
 *                                      1 when the screening supports the poor
 *                                      flag (conf/rates.ini [poor_screening]),
 *                                      0 when not, NULL without screening data
 *   conf_grade_level(grade)            'kindergarten' | 'primary' | ...
 *   conf_code_label(list, code)        label in the report's language
 *   conf_code_group(list, code)        the code's group ("teacher" for TEA)
 *   conf_code_order(list, code)        its position in the list (for ORDER BY)
 *   conf_students_per_teacher()        the staff norm
 *
 * Values: percent expects the percentage (100.0 * a / b) and shows one
 * decimal; money is baht with thousands separators and 2 decimals; int has
 * thousands separators; date takes ISO dates or date-times and shows the
 * Buddhist Era (DD/MM/YYYY [HH:MM]).  CSV gets the same values without
 * thousands separators.
 *
 * Streaming: rows are formatted and handed on as SQLite returns them; text
 * column widths come from the definition, so memory does not grow with the
 * number of rows.  A chart is drawn from a second run of the query (the
 * first finds the largest value), and only for a report of at most
 * REPORT_CHART_MAX_ROWS rows: a bar per school of the country cannot be
 * read, and its second run doubled the time of the country's reports.
 *
 * Ownership: report_load_dir returns a report_set the caller frees with
 * report_set_free.  The set borrows the connection and the conf.  The
 * conf_* functions stay on the connection until it closes and read the
 * conf of the last load or run: close the connection before freeing the
 * conf (app_close does).  report_row arrays are valid only during the
 * callback.
 */
#ifndef ESIS_REPORT_H
#define ESIS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sqlite3.h>
#include "esis/conf.h"

enum {
    REPORT_P_ROUND  = 1 << 0,
    REPORT_P_YEAR   = 1 << 1,
    REPORT_P_SCHOOL = 1 << 2,
    REPORT_P_TERM   = 1 << 3,
};

typedef enum report_format {
    REPORT_INT, REPORT_MONEY, REPORT_PERCENT, REPORT_DECIMAL, REPORT_TEXT,
    REPORT_CODE, REPORT_DATE
} report_format;

typedef struct report_column {
    char         *field;       /* result column of the query */
    int           index;       /* its index in the query's result */
    char         *heading_th, *heading_en;
    char          align;       /* 'l', 'r', 'c' */
    int           width;       /* display columns in the text table */
    report_format format;
    int           decimals;    /* REPORT_DECIMAL: digits after the point */
    char         *code_list;   /* REPORT_CODE: the list name */
    bool          total;       /* summed in the totals row */
} report_column;

enum { REPORT_CHART_MAX_ROWS = 300 };

typedef struct report_chart {
    bool  present;
    int   label;               /* index into the report's columns */
    int  *values;              /* indexes into the report's columns */
    int   nvalues;
} report_chart;

typedef struct report_def {
    char          *name;       /* "subsidy" (the file name without .ini) */
    char          *path;       /* "conf/reports/subsidy.ini", for messages */
    char          *title_th, *title_en, *description_th, *description_en;
    char          *collection; /* dmc, emis, bobec, unit */
    unsigned       rounds;     /* 1 << conf_collection: the rounds :round may be */
    unsigned       params;     /* REPORT_P_* */
    char          *query;
    report_column *cols;
    int            ncols;
    report_chart   chart;
    bool           has_total;  /* some column has total = sum */
    bool           rates;      /* rates = yes: its period must have rates in conf/rates.ini */
} report_def;

typedef struct report_set {
    report_def          *defs;   /* sorted by name */
    int                  ndefs;
    sqlite3             *db;     /* borrowed: the session is read from it */
    struct db_gate      *gate;   /* owned: the read-only, scoped connection the queries run on */
    const esis_conf     *conf;   /* borrowed */
} report_set;

/* What a run is asked for.  round: a round code ("2567-1"), required by a
 * report with params = round; year: 0 means the round's year; school: NULL
 * means every school the session may see; lang: NULL means conf's; term: 0
 * means both terms of the year (params = term). */
typedef struct report_params {
    const char *round;
    int         year;
    const char *school;
    const char *lang;
    int         term;
} report_params;

/* One row handed to a callback.  text[i] is column i formatted for display
 * in the report's language, plain[i] the same for CSV (no thousands
 * separators), value[i] the number (0 when NULL or not numeric). */
typedef struct report_row {
    bool                total;     /* the totals row, after the data rows */
    long                number;    /* 1.. for data rows */
    const char *const  *text;
    const char *const  *plain;
    const double       *value;
    const bool         *null;
} report_row;

/* Return 0 to go on, anything else to stop the run (report_run returns it). */
typedef int (*report_row_fn)(void *ctx, const report_def *rep, const report_row *row);

/* Load and check every conf/reports/ *.ini in dir: each file parsed, each
 * query prepared against db, each field a column of its query, the scope
 * filter present.  Registers the conf_* SQL functions on db.  Returns 0, or
 * 2 with err = "conf/reports/x.ini [col.3] field: 'foo' is not a column of
 * the query". */
int report_load_dir(sqlite3 *db, const esis_conf *conf, const char *dir,
                    report_set **out, char *err, size_t errsz);
void report_set_free(report_set *set);

const report_def *report_find(const report_set *set, const char *name);
const char *report_title(const report_def *rep, const char *lang);
const char *report_description(const report_def *rep, const char *lang);
const char *report_heading(const report_column *col, const char *lang);

/* Check params against what the report takes (a --school given to a report
 * without school is refused; a round is required when it takes one and
 * must be a known round code of a collection the report reads) and against
 * the data (the round in the database, with students for a DMC round; the
 * academic year with a round in the database).  0, 1 with err for a period
 * with no data, or 2 with err. */
int report_check_params(const report_set *set, const report_def *rep,
                        const report_params *p, char *err, size_t errsz);
/* Only the data part of it: 0, 1 (no data for the period) or 2 (a round of
 * a collection the report does not read) with err. */
int report_check_period(const report_set *set, const report_def *rep, const report_params *p,
                        char *err, size_t errsz);

/* Run the query and call fn for every row, then once with the totals row
 * when the report has one.  0, the callback's non-zero value, or 1 with err
 * for an SQLite error. */
int report_run(const report_set *set, const report_def *rep, const report_params *p,
               report_row_fn fn, void *ctx, char *err, size_t errsz);

typedef enum report_output { REPORT_OUT_TEXT, REPORT_OUT_CSV, REPORT_OUT_HTML, REPORT_OUT_XLSX } report_output;
/* "text", "csv", "html", "xlsx" -> the output; false when unknown. */
bool report_output_parse(const char *s, report_output *out);

/* The line that says what a run's numbers are as of: the round, its as-of
 * date (BE), its year, when its flags were last checked, the school, the
 * date printed; in the run's language, into buf. */
void report_as_of(const report_set *set, const report_def *rep, const report_params *p, char *buf, size_t bufsz);

/* Run and write the report to out in the given output.  0, or 1 with err. */
int report_render(const report_set *set, const report_def *rep, const report_params *p,
                  report_output kind, FILE *out, char *err, size_t errsz);

/* Format one value as a column shows it (plain: for CSV).  Writes into buf
 * (always terminated) and returns buf. */
const char *report_format_value(const report_set *set, const report_column *col,
                                sqlite3_value *v, bool plain, const char *lang,
                                char *buf, size_t bufsz);

/* A bar of value/max drawn with block characters in eighths (█ ▉▊▋▌▍▎▏),
 * padded with spaces to exactly width columns.  Returns the byte length
 * written into out (size it width * 3 + 1). */
size_t report_bar(double value, double max, int width, char *out, size_t outsz);
/* The display width a text table gives cell in column c: the column's
 * width, or a number's own when it is wider (numbers are never cut). */
int report_cell_width(const report_column *c, const char *cell);

/* A whole chart line of width columns: the label cut to a third of the
 * width, the bar, the value.  For the TUI and the text output. */
size_t report_bar_line(const char *label, double value, double max, int width,
                       char *out, size_t outsz);
/* The same with the value shown as value_text (a column's formatted cell);
 * NULL shows the number. */
size_t report_bar_line_text(const char *label, double value, double max, const char *value_text,
                            int width, char *out, size_t outsz);

#endif
