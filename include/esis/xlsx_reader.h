/*
 * xlsx_reader: the rows of one sheet of an Excel workbook (.xlsx), handed
 * to the same io_csv_row_fn as the CSV reader's, so an import reads a
 * workbook exactly as it reads a CSV file.
 *
 * libzip opens the package and libexpat streams the sheet: the sheet's XML
 * is never held whole, only the row being read.  The shared strings (the
 * text of most cells) must be held, within a bound (XLSX_SHARED_MAX bytes).
 *
 * Cells become text the way an office reads them: shared, inline and
 * formula strings as written; numbers in the shortest form that reads back
 * the same (integers whole: 1103700012345, never 1.1037E+12), padded with
 * zeros when the cell's format is one ("0000000000"); numbers whose format
 * is a date as an ISO date (YYYY-MM-DD; the 1900 date system with Excel's
 * 29 February 1900, or the 1904 system when the workbook says so);
 * booleans as 1 or 0.  Each row carries the kind of each cell (kinds), so
 * a caller that knows the columns can refuse a number where an ID belongs.
 * line_no is the sheet's row number.
 *
 * Ownership: nothing is kept after the call; rows are borrowed during fn.
 */
#ifndef ESIS_XLSX_READER_H
#define ESIS_XLSX_READER_H

#include "esis/io.h"

#define XLSX_SHARED_MAX ((size_t)256 << 20)

/* Read sheet (NULL: the first) of the workbook open in fp.  Returns 0, fn's
 * non-zero value, or -1 with err ("<name>: no sheet 'X' (sheets: A, B)",
 * "<name>: not a workbook: ..."). */
int io_xlsx_read(FILE *fp, const char *name, const char *sheet, const io_csv_limits *lim,
                 io_csv_row_fn fn, void *user, io_csv_stats *stats, char *err, size_t errsz);

/* Days since 1970-01-01 of an Excel serial date (whole part), in the 1900
 * system (with its 29 February 1900, serial 60) or the 1904 one.  Serial
 * 60 of the 1900 system gives day -1 with *leap_bug set. */
long io_xlsx_serial_days(double serial, bool date1904, bool *leap_bug);

/* True when an Excel number format (built-in id or format code) shows a
 * date.  *zeros gets the digits of an all-zeros format ("00000" -> 5), or
 * 0. */
bool io_xlsx_format_is_date(int id, const char *code, int *zeros);

#endif
