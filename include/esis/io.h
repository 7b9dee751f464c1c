/*
 * io: import and export of CSV files and Excel workbooks.
 *
 *   csv_reader  streams a CSV file through libcsv, one record at a time, with
 *               the line each record starts on; strips a UTF-8 BOM, converts
 *               Windows-874/TIS-620 and UTF-16 files to UTF-8, finds the
 *               delimiter, and reports a bad record (strict
 *               parse error, a field or a record over the limits, invalid
 *               UTF-8, a NUL byte) as a row with a status instead of
 *               dropping it.  Memory is bounded by the limits, never by the
 *               size of the file.
 *   table_reader  any table file an office has: CSV (UTF-8, Windows-874,
 *               UTF-16; comma, semicolon or tab) or an Excel workbook
 *               (xlsx_reader.h), its header found below any title lines,
 *               the export's formula guard taken off (io_table_read).
 *   mapping     conf/import/<kind>.ini: the target table, each canonical
 *               column with its Thai and English aliases, which columns are
 *               required, and how each value is normalised (date, code:<list>,
 *               int, real, text, upper, digits).
 *   import      every row -> record -> normalise -> rules_eval_record; good
 *               rows upserted on the table's natural key in one transaction,
 *               bad rows to the quarantine table and a rejects CSV.
 *   export      canonical CSV (BOM, CRLF, every field quoted, BE dates,
 *               formula-like text guarded by an apostrophe) or the same as a
 *               workbook (xlsx_writer.h), personal data masked unless the
 *               user may see it.
 *
 * Ownership: an io_mapping is owned by its loader and freed with
 * io_mapping_free; an io_header by its caller (io_header_free).  Rows passed
 * to an io_csv_row_fn are borrowed and valid only during the call.
 */
#ifndef ESIS_IO_H
#define ESIS_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "esis/norm.h"
#include "esis/record.h"

struct esis_app;
struct esis_conf;

/* ---- CSV reader ----------------------------------------------------- */

typedef enum io_row_status {
    IO_ROW_OK = 0,
    IO_ROW_PARSE,          /* strict CSV error (a stray quote) */
    IO_ROW_UNTERMINATED,   /* a quoted field never closed before the end */
    IO_ROW_FIELD_TOO_LONG, /* a field over limits.max_field bytes */
    IO_ROW_TOO_MANY_COLUMNS,
    IO_ROW_TOO_LONG,       /* the record over limits.max_record bytes */
    IO_ROW_BAD_UTF8,       /* a field is not valid UTF-8 */
    IO_ROW_NUL,            /* a field holds a NUL byte */
    IO_ROW_NUMBER_ID       /* an ID Excel made a number of (io_table_read) */
} io_row_status;

/* What a workbook cell was (io_csv_row.kinds); a CSV has only text. */
typedef enum io_cell_kind {
    IO_CELL_TEXT = 0, IO_CELL_NUMBER, IO_CELL_DATE, IO_CELL_BOOL
} io_cell_kind;

typedef struct io_csv_row {
    char         **fields;  /* NUL-terminated UTF-8 (when status is OK) */
    const size_t  *lens;
    int            nfields; /* fields kept: on a bad row, those read so far */
    long           line_no; /* physical line (1-based) the record starts on */
    io_row_status  status;
    long           err_line;   /* the line of the problem (bad rows) */
    long           err_byte;   /* its byte in that line, 1-based, or 0 */
    int            err_column; /* the field, 1-based, or 0 */
    const char    *raw;     /* the record's text as read (UTF-8, without its
                               line end; a bad record's whole line), up to
                               max_record bytes; NUL-terminated */
    size_t         raw_len;
    const unsigned char *kinds; /* per field an io_cell_kind (workbooks), or NULL */
} io_csv_row;

/* Called for every record, good or bad.  A non-zero return stops the read,
 * and io_csv_read returns that value. */
typedef int (*io_csv_row_fn)(const io_csv_row *row, void *user);

typedef struct io_csv_limits {
    size_t max_field;   /* bytes; clamped to IO_CSV_FIELD_HARD_MAX */
    int    max_columns;
    size_t max_record;  /* bytes of all fields of one record */
} io_csv_limits;

#define IO_CSV_FIELD_HARD_MAX ((size_t)1 << 20)
/* 64 KB per field, 1,000 columns, 1 MB per record. */
#define IO_CSV_LIMITS_DEFAULT { 65536, 1000, (size_t)1 << 20 }

typedef struct io_csv_stats {
    long lines;        /* physical lines read */
    long records;      /* records delivered (good and bad) */
    long bad_records;
    bool bom;          /* the file started with a UTF-8 BOM */
    bool tis620;       /* the file was read as Windows-874/TIS-620 and converted */
    bool utf16;        /* the file had a UTF-16 BOM and was converted */
    char delimiter;    /* the field separator used (given or found) */
    int  skipped;      /* rows above the header skipped (io_table_read) */
    long header_line;  /* the header's line (io_table_read) */
    char skipped_text[200]; /* the first of them, cut, for the message */
} io_csv_stats;

/* Read fp to the end, calling fn per record.  lim NULL = the defaults;
 * stats may be NULL.  Returns 0; fn's non-zero value; or -1 when the file
 * cannot be read (err: "<name>: <why>"). */
int io_csv_read(FILE *fp, const char *name, const io_csv_limits *lim,
                io_csv_row_fn fn, void *user, io_csv_stats *stats,
                char *err, size_t errsz);

/* The same with the field separator given (',', ';', '\t'), or 0 to find
 * it in the first lines (what io_csv_read does). */
int io_csv_read_delim(FILE *fp, const char *name, const io_csv_limits *lim, char delim,
                      io_csv_row_fn fn, void *user, io_csv_stats *stats,
                      char *err, size_t errsz);

/* The message key of a row status ("io.row_parse", ...). */
const char *io_row_status_key(io_row_status s);

/* Write one CSV record: every field quoted by csv_fwrite, comma-separated,
 * CRLF at the end.  A NULL field is written as "".  0 or -1 on an I/O
 * error. */
int io_csv_write_row(FILE *fp, const char *const *fields, int n);
/* One field, quoted (NULL as ""), nothing around it.  0 or -1. */
int io_csv_write_field(FILE *fp, const char *s);

/* ---- header mapping ------------------------------------------------- */

typedef struct io_column {
    char   *name;      /* canonical header name ("first_name", "name") */
    char   *column;    /* the table's column ("first_name", "name_th") */
    char  **aliases;   /* other header spellings, Thai and English */
    int     naliases;
    bool    required;
    norm_kind norm;    /* how its values are cleaned (esis/norm.h) */
    char   *code_list; /* for NORM_CODE: the conf code list */
    bool    personal;  /* masked on export for those who may not see it */
} io_column;

typedef struct io_mapping {
    char      *kind;   /* "dmc" */
    char      *table;  /* "students" */
    io_column *cols;   /* in canonical order (the export header) */
    int        ncols;
    int        school_col; /* index in cols of school_code, or -1 */
} io_mapping;

/* Load home/conf/import/<kind>.ini.  A kind that is not a plain name, a
 * missing file or a bad key -> NULL with err naming file, section and key. */
io_mapping *io_mapping_load(const char *home, const char *kind,
                            char *err, size_t errsz);
void io_mapping_free(io_mapping *m);

/* Check the mapping against the schema: the table exists, each column is
 * one of its columns; marks personal columns.  0 or -1 with err. */
int io_mapping_check(io_mapping *m, const esis_schema *s, char *err, size_t errsz);

/* The file's header bound to the mapping. */
typedef struct io_header {
    int  *file_of;     /* per mapping column: index in the file's row, or -1 */
    int   nfile;       /* columns in the file's header */
    char *unknown;     /* "col1, col2": header names matching nothing, or NULL */
} io_header;

/* Bind a header row.  Returns 0, or -1 when a required column is missing
 * or a column appears twice; err then names the column. */
int io_header_bind(const io_mapping *m, char *const *fields, int n,
                   io_header *h, char *err, size_t errsz);
void io_header_free(io_header *h);

/* True when header name `text` means column c (canonical name or alias;
 * ASCII case, spaces, dashes and underscores do not matter). */
bool io_column_matches(const io_column *c, const char *text);

/* Normalise one value into out (outsz bytes; strlen(in) + 32 always
 * suffices).  Returns 0 with out set ("" for
 * an empty value), or -1 with why set to a message key ("io.bad_date",
 * "io.bad_code", "io.bad_int", "io.bad_real", "io.value_too_long"). */
int io_normalise(const io_column *c, const struct esis_conf *conf, const char *in,
                 char *out, size_t outsz, const char **why);

/* How the import mappings (conf/import/KIND.ini) clean each column of table t:
 * kinds[c] and, for a code, codes[c] (arrays of t->ncols); NORM_BY_TYPE
 * and NULL for a column no mapping imports.  The form cleans a field the
 * same way, so a value typed and imported is stored the same.  0, or -1
 * when a mapping could not be read (the others are still used). */
int io_table_norms(const char *home, const struct esis_conf *conf, const esis_table *t,
                   norm_kind *kinds, const conf_codelist **codes);
/* ---- any table file: CSV or workbook, header found -------------------- */

typedef struct io_read_opts {
    char        delimiter; /* ',', ';', '\t', or 0 to find it */
    const char *sheet;     /* a workbook's sheet by name; NULL: the first */
    /* io_import_with: called every IO_PROGRESS_ROWS data rows with the rows
     * read so far, so a screen can show a long import moving; may be NULL */
    void      (*progress)(long rows, void *user);
    void       *progress_user;
} io_read_opts;

#define IO_PROGRESS_ROWS 500

/* The spreadsheet-injection guard an export puts before a text value that
 * a spreadsheet would take as a formula ("=", "+", "-", "@", tab, CR):
 * an apostrophe, as OWASP recommends. */
#define IO_GUARD_CHARS "=+-@\t\r"

/* Read a CSV file (any of the encodings and delimiters io_csv_read knows)
 * or a workbook (.xlsx, told by its content) through fn, as io_csv_read
 * does, with three things more when m is given:
 *   - the header is the first row among the first IO_HEADER_SCAN that names
 *     every required column of m; rows above it (an office's title lines)
 *     are skipped, counted in stats->skipped with the first in
 *     stats->skipped_text.  When none does, the row naming the most
 *     columns is taken (and the import says which are missing);
 *   - a value that starts with an apostrophe before one of IO_GUARD_CHARS
 *     (an export's guard) is handed on without the apostrophe;
 *   - a digits column (IDs, codes) holding what Excel makes of an ID typed
 *     as a number (a workbook number that is not whole, or a CSV text in
 *     scientific notation: 1.1037E+12) makes the row bad with
 *     IO_ROW_NUMBER_ID, whose message says how to fix it in Excel.
 * The rows handed on carry no kinds.  Returns as io_csv_read. */
enum { IO_HEADER_SCAN = 10 };
int io_table_read(FILE *fp, const char *name, const io_read_opts *opts, const io_mapping *m,
                  io_csv_row_fn fn, void *user, io_csv_stats *stats, char *err, size_t errsz);

/* The first required column of m that the header fields[0..n) lacks, or
 * NULL.  name gets its spelling in the header's language (a Thai alias
 * when the header has Thai, else the canonical name: "เพศ" or "gender"),
 * spellings every accepted one ("gender, เพศ, sex"). */
const io_column *io_header_missing(const io_mapping *m, char *const *fields, int n,
                                   char *name, size_t namesz, char *spellings, size_t spsz);

/* A value as an export writes it: guard is true when it needs the
 * apostrophe (text, not a number, starting with one of IO_GUARD_CHARS). */
bool io_guard_needed(const io_column *c, const char *v);

/* ---- import and export ---------------------------------------------- */

typedef struct io_summary {
    long rows;          /* data rows read (not the header, not blank lines) */
    long imported;      /* inserted + updated + unchanged */
    long inserted;      /* new records */
    long updated;       /* existing records (an earlier file's) changed */
    long unchanged;     /* existing records the row did not change */
    long rejected;      /* to the rejects file; both rows of a key given twice */
    long warned;        /* imported with warnings */
    long blank;         /* lines of separators only, skipped */
    long import_id;     /* row of the imports table */
    char round[24];     /* the round the file went into, "-" for none */
    char rejects_path[4096]; /* "" when nothing was rejected */
    char rejects_replaced[4096]; /* the name asked for, when a file had it
                                    (rejects_path is then a new name) */
    char message[1024]; /* why, when the file was refused or the import failed */
    char warning[1024]; /* unknown header columns, or "" */
} io_summary;

/* Import path as `kind` into round (NULL: the current round), writing
 * rejected rows to rejects_path (NULL: "<path>.rejects.csv"; a file
 * already there is kept and a new name with the time is used, see
 * rejects_replaced).  A key given twice in the file rejects both rows; a
 * key of an earlier file's record updates it; a line of separators only
 * is skipped and counted.
 * Returns 0 when every row was imported, 3 when some were rejected, 2 when
 * the file cannot be read or a required column is missing (nothing
 * changed), 1 on a database failure (nothing changed). */
int io_import(struct esis_app *app, const char *kind, const char *path,
              const char *round, const char *rejects_path, io_summary *out);
/* The same with the delimiter or the sheet given (opts NULL: found). */
int io_import_with(struct esis_app *app, const char *kind, const char *path,
                   const char *round, const char *rejects_path, const io_read_opts *opts,
                   io_summary *out);

/* "imported N, rejected M, warned K (rejects: PATH)" in the user's
 * language, into out. */
void io_summary_line(struct esis_app *app, const io_summary *s, char *out, size_t outsz);
/* When the rejects file got a new name (rejects_replaced): the notice
 * naming both, in the user's language. */
void io_rejects_note(struct esis_app *app, const io_summary *s, char *out, size_t outsz);

/* How an export writes a coded field (grade, prefix, gender, nationality
 * and every column whose mapping says code:LIST): IO_CODES_LABELS, the
 * default, as a user reads it, the entry's label in conf/codes.ini in the
 * configured language (ป.1, อ.3, ชาย; in English P1, K3, male), the code
 * itself when the list has no such entry or no label; IO_CODES_MACHINE as
 * stored (P1, 1), for another program.  Import reads both back to the same
 * codes, so either export -> import -> export gives the same bytes. */
typedef enum io_codes { IO_CODES_LABELS = 0, IO_CODES_MACHINE } io_codes;

typedef struct io_export_opts {
    bool     mask;   /* personal columns masked (always when the session may not see them) */
    io_codes codes;
} io_export_opts;

/* Export the rows of `kind` (one round and/or school when given) as
 * canonical CSV to fp, coded fields as opts->codes says.  Personal columns
 * are masked when opts->mask is true or the session may not see personal
 * data.  Returns 0, 2 for an unknown kind, 1 on a failure (app->err says
 * why). *nrows gets the rows written. */
int io_export(struct esis_app *app, const char *kind, const char *round,
              const char *school, const io_export_opts *opts, FILE *fp, long *nrows);
/* The same rows as a workbook at path (one sheet named after the kind;
 * numbers as numbers, dates as dates, the header bold and frozen). */
int io_export_xlsx(struct esis_app *app, const char *kind, const char *round,
                   const char *school, const io_export_opts *opts, const char *path, long *nrows);

#endif
