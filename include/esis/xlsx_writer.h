/*
 * xlsx_writer: Excel workbooks out, through libxlsxwriter.
 *
 * A workbook is written a sheet at a time and a row at a time (the
 * library's constant-memory mode: rows go to a temporary file as they come,
 * so a workbook of a million students costs what one row does).  Each
 * sheet may have a title line (a report's name, period and "as of"), then
 * a bold header row that stays in view (frozen), then the rows.  Each
 * column has a kind: text is written as text (with the export's formula
 * guard already applied by the caller), numbers as numbers shown with
 * thousands separators, dates (ISO text in) as real dates shown in the
 * Buddhist Era.  Column widths follow the widest value's display width
 * (Thai marks take no room: text_width), within bounds.
 *
 * Ownership: xlsx_out_open returns a writer the caller ends with
 * xlsx_out_close (which writes the file) or xlsx_out_abandon (which does
 * not); both free it.  Strings passed in are copied or written at once.
 */
#ifndef ESIS_XLSX_WRITER_H
#define ESIS_XLSX_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum xlsx_kind {
    XLSX_TEXT = 0,
    XLSX_INT,          /* #,##0 */
    XLSX_REAL,         /* as it is (General) */
    XLSX_MONEY,        /* #,##0.00 */
    XLSX_DECIMAL,      /* #,##0.00 (decimals given) */
    XLSX_PERCENT,      /* the percentage itself, 0.0 */
    XLSX_DATE          /* ISO YYYY-MM-DD in, a date out */
} xlsx_kind;

typedef struct xlsx_out xlsx_out;

xlsx_out *xlsx_out_open(const char *path, char *err, size_t errsz);
/* A new sheet (name cut to Excel's 31 characters, its forbidden characters
 * replaced); title NULL for none.  0 or -1 with err. */
int xlsx_out_sheet(xlsx_out *x, const char *name, const char *title,
                   const char *const *headings, const xlsx_kind *kinds, int ncols,
                   char *err, size_t errsz);
/* One row of the current sheet: cells[i] NULL or "" for an empty cell.
 * A number or date cell whose text is not one is written as text.  bold
 * for a totals row.  0 or -1 with err. */
int xlsx_out_row(xlsx_out *x, const char *const *cells, bool bold, char *err, size_t errsz);
/* Write the file.  0 or -1 with err; frees x either way. */
int xlsx_out_close(xlsx_out *x, char *err, size_t errsz);

/* A workbook written to a temporary file, then its bytes copied to out
 * (for callers that have a stream, not a path).  fill writes the workbook
 * to the path it is given.  0 or -1 with err. */
int xlsx_to_stream(int (*fill)(void *ctx, const char *path, char *err, size_t errsz),
                   void *ctx, FILE *out, char *err, size_t errsz);

/* A CSV file (io_csv_read: any encoding) as a one-sheet workbook of text,
 * header bold and frozen: the rejects of an import for those who asked
 * for a workbook.  0 or -1 with err. */
int io_xlsx_from_csv(const char *csv_path, const char *xlsx_path, const char *sheet,
                     char *err, size_t errsz);

#endif
