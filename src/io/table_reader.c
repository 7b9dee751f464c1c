/*
 * table_reader: a table file as offices have it, read into the rows an
 * import wants.
 *
 *   file --(content: "PK\3\4" is a workbook)--> xlsx_reader | csv_reader
 *        --> header finder --> guard stripper --> the caller's row function
 *
 * Why find the header: a list printed from an office's system, or typed in
 * Excel, has a title above the header ("รายชื่อนักเรียน ข้อมูล ณ วันที่ 10
 * มิ.ย. 2568") and often a blank line.  Refusing such a file as "missing
 * column school_code" sent users looking in the wrong place.  The finder
 * keeps the first rows (at most IO_HEADER_SCAN, each copied) until one
 * names every required column, hands that row on as the header and drops
 * the ones above it, saying so in the stats.  A file whose first row binds
 * costs nothing: no row is kept.
 *
 * Why strip the guard here: every export puts an apostrophe before a text
 * that a spreadsheet would run as a formula (export.c); the import takes it
 * off before anything else sees the value, so export -> import -> export
 * gives the same bytes and a school named "=1+1" stays so named.
 */
#include "esis/io.h"
#include "esis/xlsx_reader.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct kept_row {
    char **fields;
    size_t *lens;
    int nfields;
    long line_no;
    io_row_status status;
    long err_line, err_byte;
    int err_column;
    int matches;            /* columns of the mapping the row names */
} kept_row;

typedef struct finder {
    const io_mapping *m;
    io_csv_row_fn fn;
    void *user;
    int skipped;            /* rows above the header */
    long header_line;
    char skipped_text[sizeof ((io_csv_stats *)0)->skipped_text];
    bool found;             /* the header has been handed on */
    kept_row kept[IO_HEADER_SCAN];
    int nkept;
    int *digits_at;         /* file columns of digits columns, -1 ended */
    /* the row handed on: fields shifted past a guard */
    char **fields;
    size_t *lens;
    int cap;
} finder;

bool io_guard_needed(const io_column *c, const char *v)
{
    if (!v || !*v || !strchr(IO_GUARD_CHARS, *v)) return false;
    if (c && (c->norm == NORM_INT || c->norm == NORM_REAL)) {
        char *end;
        (void)strtod(v, &end);
        if (end != v && !*end) return false;     /* -5 in a number column */
    }
    return true;
}

const io_column *io_header_missing(const io_mapping *m, char *const *fields, int n,
                                   char *name, size_t namesz, char *spellings, size_t spsz)
{
    bool thai = false;
    for (int f = 0; f < n && !thai; f++)
        for (const unsigned char *p = (const unsigned char *)fields[f]; *p && !thai; p++) thai = *p >= 0x80;
    for (int c = 0; c < m->ncols; c++) {
        const io_column *col = &m->cols[c];
        bool have = false;
        for (int f = 0; f < n && !have; f++) have = io_column_matches(col, fields[f]);
        if (have || !col->required) continue;
        const char *shown = col->name;
        for (int a = 0; thai && a < col->naliases && shown == col->name; a++)
            if ((unsigned char)col->aliases[a][0] >= 0x80) shown = col->aliases[a];
        snprintf(name, namesz, "%s", shown);
        size_t at = (size_t)snprintf(spellings, spsz, "%s", col->name);
        for (int a = 0; a < col->naliases && at < spsz; a++) {
            bool seen = !strcasecmp(col->aliases[a], col->name);
            for (int b = 0; b < a && !seen; b++) seen = !strcasecmp(col->aliases[a], col->aliases[b]);
            if (!seen) at += (size_t)snprintf(spellings + at, spsz - at, ", %s", col->aliases[a]);
        }
        return col;
    }
    return NULL;
}

static int matches(const io_mapping *m, char *const *fields, int n)
{
    int k = 0;
    for (int c = 0; c < m->ncols; c++)
        for (int f = 0; f < n; f++)
            if (io_column_matches(&m->cols[c], fields[f])) { k++; break; }
    return k;
}

static bool binds(const io_mapping *m, char *const *fields, int n)
{
    io_header h;
    char err[256];
    if (io_header_bind(m, fields, n, &h, err, sizeof err) != 0) return false;
    io_header_free(&h);
    return true;
}

/* The digits columns (IDs, codes) of the header, for the number check. */
static void digits_note(finder *fd, const io_csv_row *hdr)
{
    io_header h;
    char err[256];
    if (io_header_bind(fd->m, hdr->fields, hdr->nfields, &h, err, sizeof err) != 0) return;
    fd->digits_at = malloc(sizeof *fd->digits_at * (size_t)(fd->m->ncols + 1));
    int k = 0;
    for (int c = 0; fd->digits_at && c < fd->m->ncols; c++)
        if (fd->m->cols[c].norm == NORM_DIGITS && h.file_of[c] >= 0) fd->digits_at[k++] = h.file_of[c];
    if (fd->digits_at) fd->digits_at[k] = -1;
    io_header_free(&h);
}

/* What Excel does to an ID typed or opened as a number: a workbook number
 * cell that is not a whole number, or a text (CSV saved from Excel) in
 * scientific notation, "1.1037E+12", whose digits are gone. */
static bool excel_mangled(const char *v, size_t n, const unsigned char *kinds, int f)
{
    if (kinds && kinds[f] == IO_CELL_NUMBER) return strspn(v, "0123456789") != n;
    size_t i = strspn(v, "0123456789");
    if (i == 0) return false;
    if (v[i] == '.') i += 1 + strspn(v + i + 1, "0123456789");
    if (v[i] != 'E' && v[i] != 'e') return false;
    i++;
    if (v[i] == '+') i++;
    size_t d = strspn(v + i, "0123456789");
    return d > 0 && i + d == n;
}

/* Hand one row on: guards taken off, IDs that Excel made numbers of
 * refused. */
static int pass(finder *fd, const io_csv_row *row)
{
    io_csv_row out = *row;
    out.kinds = NULL;
    if (row->nfields > fd->cap) {
        char **f = realloc(fd->fields, sizeof *f * (size_t)row->nfields);
        if (f) fd->fields = f;
        size_t *l = f ? realloc(fd->lens, sizeof *l * (size_t)row->nfields) : NULL;
        if (!l) return -1;
        fd->lens = l;
        fd->cap = row->nfields;
    }
    for (int i = 0; i < row->nfields; i++) {
        char *v = row->fields[i];
        bool guarded = v[0] == '\'' && v[1] && strchr(IO_GUARD_CHARS, v[1]);
        fd->fields[i] = guarded ? v + 1 : v;
        fd->lens[i] = guarded ? row->lens[i] - 1 : row->lens[i];
    }
    out.fields = fd->fields;
    out.lens = fd->lens;
    for (int k = 0; out.status == IO_ROW_OK && fd->digits_at && fd->digits_at[k] >= 0; k++) {
        int f = fd->digits_at[k];
        if (f < row->nfields && excel_mangled(row->fields[f], row->lens[f], row->kinds, f)) {
            out.status = IO_ROW_NUMBER_ID;
            out.err_line = row->line_no;
            out.err_column = f + 1;
        }
    }
    return fd->fn(&out, fd->user);
}

static void kept_free(kept_row *k)
{
    for (int i = 0; k->fields && i < k->nfields; i++) free(k->fields[i]);
    free(k->fields);
    free(k->lens);
    memset(k, 0, sizeof *k);
}

static int keep(finder *fd, const io_csv_row *row)
{
    kept_row *k = &fd->kept[fd->nkept];
    k->fields = calloc((size_t)row->nfields + 1, sizeof *k->fields);
    k->lens = calloc((size_t)row->nfields + 1, sizeof *k->lens);
    if (!k->fields || !k->lens) return -1;
    k->nfields = row->nfields;
    k->line_no = row->line_no;
    k->status = row->status;
    k->err_line = row->err_line;
    k->err_byte = row->err_byte;
    k->err_column = row->err_column;
    for (int i = 0; i < row->nfields; i++) {
        if (!(k->fields[i] = strndup(row->fields[i], row->lens[i]))) return -1;
        k->lens[i] = row->lens[i];
    }
    k->matches = row->status == IO_ROW_OK ? matches(fd->m, row->fields, row->nfields) : -1;
    fd->nkept++;
    return 0;
}

/* Note what is skipped: how many rows, and the first one's text. */
static void skipped_note(finder *fd, int upto, long header_line)
{
    char *t = fd->skipped_text;
    size_t at = 0, tsz = sizeof fd->skipped_text;
    fd->skipped = upto;
    fd->header_line = header_line;
    t[0] = '\0';
    for (int r = 0; r < upto && !at; r++)
        for (int i = 0; i < fd->kept[r].nfields && at + 4 < tsz; i++) {
            if (!fd->kept[r].lens[i]) continue;
            int w = snprintf(t + at, tsz - at, "%s%s", at ? " " : "", fd->kept[r].fields[i]);
            if (w > 0) at += (size_t)w;
        }
    if (at >= tsz - 1) memcpy(t + tsz - 4, "...", 4);
}

/* No header among the kept rows: the one naming the most columns is the
 * header (the import then names what it lacks); the rest go on. */
static int flush(finder *fd)
{
    int best = 0;
    for (int r = 1; r < fd->nkept; r++)
        if (fd->kept[r].matches > fd->kept[best].matches) best = r;
    if (fd->nkept && fd->kept[best].matches <= 0) best = 0;
    skipped_note(fd, best, fd->nkept ? fd->kept[best].line_no : 0);
    fd->found = true;
    int rc = 0;
    for (int r = best; r < fd->nkept && !rc; r++) {
        kept_row *k = &fd->kept[r];
        io_csv_row row = { .fields = k->fields, .lens = k->lens, .nfields = k->nfields,
                           .line_no = k->line_no, .status = k->status, .err_line = k->err_line,
                           .err_byte = k->err_byte, .err_column = k->err_column };
        if (r == best) digits_note(fd, &row);
        rc = pass(fd, &row);
    }
    for (int r = 0; r < fd->nkept; r++) kept_free(&fd->kept[r]);
    fd->nkept = 0;
    return rc;
}

static int on_row(const io_csv_row *row, void *user)
{
    finder *fd = user;
    if (fd->found) return pass(fd, row);
    if (row->status == IO_ROW_OK && binds(fd->m, row->fields, row->nfields)) {
        skipped_note(fd, fd->nkept, row->line_no);
        for (int r = 0; r < fd->nkept; r++) kept_free(&fd->kept[r]);
        fd->nkept = 0;
        fd->found = true;
        digits_note(fd, row);
        return pass(fd, row);
    }
    if (keep(fd, row) != 0) return -1;
    return fd->nkept == IO_HEADER_SCAN ? flush(fd) : 0;
}

/* 1 for a workbook (a ZIP package), -1 for an Excel 97-2003 .xls (an OLE2
 * compound file, which esis does not read), 0 for anything else. */
static int is_workbook(FILE *fp)
{
    unsigned char b[4];
    size_t n = fread(b, 1, sizeof b, fp);
    rewind(fp);
    if (n == 4 && !memcmp(b, "\xD0\xCF\x11\xE0", 4)) return -1;
    return n == 4 && !memcmp(b, "PK\3\4", 4);
}

int io_table_read(FILE *fp, const char *name, const io_read_opts *opts, const io_mapping *m,
                  io_csv_row_fn fn, void *user, io_csv_stats *stats, char *err, size_t errsz)
{
    io_csv_stats st_local;
    if (!stats) stats = &st_local;
    memset(stats, 0, sizeof *stats);
    /* without a mapping there is no header to find: rows only lose their
     * guards */
    finder fd = { .m = m, .fn = fn, .user = user, .found = !m };
    int rc, book = is_workbook(fp);
    if (book < 0) {
        snprintf(err, errsz, "%s: Excel 97-2003 (.xls): save it as .xlsx or CSV UTF-8", name);
        return -1;
    }
    if (book)
        rc = io_xlsx_read(fp, name, opts ? opts->sheet : NULL, NULL, on_row, &fd, stats, err, errsz);
    else
        rc = io_csv_read_delim(fp, name, NULL, opts ? opts->delimiter : 0, on_row, &fd, stats, err, errsz);
    if (rc == 0 && !fd.found && fd.nkept) rc = flush(&fd);
    stats->skipped = fd.skipped;
    stats->header_line = fd.header_line;
    memcpy(stats->skipped_text, fd.skipped_text, sizeof fd.skipped_text);
    if (rc == -1 && !err[0]) snprintf(err, errsz, "%s: out of memory", name);
    for (int r = 0; r < fd.nkept; r++) kept_free(&fd.kept[r]);
    free(fd.digits_at);
    free(fd.fields);
    free(fd.lens);
    return rc;
}
