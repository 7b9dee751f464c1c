/*
 * xlsx_reader: one sheet of a workbook as io_csv_row rows (see
 * include/esis/xlsx_reader.h for what a cell becomes).
 *
 * The package is read in four passes over its parts, each through expat:
 * the workbook (sheet names, their relationship ids, the 1904 flag), its
 * relationships (which part a sheet is), the styles (which cell formats
 * show dates or zero-padded numbers) and the shared strings; then the
 * sheet itself is streamed, one <row> at a time.  Element and attribute
 * names are compared without their namespace prefix: writers differ in
 * the prefixes they use (x:row, r:id), never in the local names.
 */
#include "esis/xlsx_reader.h"
#include "esis/strbuf.h"
#include "esis/text.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>

#define XML_CHUNK 65536

/* ---- a part of the package through expat ------------------------------ */

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(local(atts[i]), want)) return atts[i + 1];
    return NULL;
}

/* Parse one part with the handlers; 1 when the part is absent, 0, or -1
 * with err (a broken part).  A handler that wants to stop sets *stop and
 * calls XML_StopParser on *xp (kept there when xp is given): > 0 is
 * returned as it is, < 0 as out of memory. */
static int part_parse(zip_t *z, const char *part, XML_StartElementHandler on_start,
                      XML_EndElementHandler on_end, XML_CharacterDataHandler on_text,
                      void *ctx, XML_Parser *keep, const int *stop, char *err, size_t errsz)
{
    zip_file_t *f = zip_fopen(z, part, 0);
    if (!f) return 1;
    XML_Parser xp = XML_ParserCreate("UTF-8");
    char *buf = malloc(XML_CHUNK);
    int rc = 0;
    if (keep) *keep = xp;
    if (!xp || !buf) { snprintf(err, errsz, "%s", strerror(ENOMEM)); rc = -1; goto done; }
    XML_SetUserData(xp, ctx);
    XML_SetElementHandler(xp, on_start, on_end);
    if (on_text) XML_SetCharacterDataHandler(xp, on_text);
    for (;;) {
        zip_int64_t n = zip_fread(f, buf, XML_CHUNK);
        if (n < 0) { snprintf(err, errsz, "%s: %s", part, zip_file_strerror(f)); rc = -1; break; }
        if (XML_Parse(xp, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (stop && *stop > 0) { rc = *stop; break; }
            if (stop && *stop < 0) snprintf(err, errsz, "%s: %s", part, strerror(ENOMEM));
            else snprintf(err, errsz, "%s line %lu: %s", part, (unsigned long)XML_GetCurrentLineNumber(xp),
                          XML_ErrorString(XML_GetErrorCode(xp)));
            rc = -1;
            break;
        }
        if (n == 0) break;
    }
done:
    if (xp) XML_ParserFree(xp);
    if (keep) *keep = NULL;
    free(buf);
    zip_fclose(f);
    return rc;
}

/* ---- workbook and relationships --------------------------------------- */

typedef struct book {
    const char *want;       /* the sheet asked for, or NULL */
    char *rid;              /* its relationship id */
    strbuf names;           /* every sheet's name, for the message */
    bool date1904;
    char *target;           /* the sheet's part */
} book;

static void book_start(void *ctx, const char *el, const char **atts)
{
    book *b = ctx;
    el = local(el);
    if (!strcmp(el, "workbookPr")) {
        const char *d = attr(atts, "date1904");
        b->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
    } else if (!strcmp(el, "sheet")) {
        const char *name = attr(atts, "name"), *id = attr(atts, "id");
        if (!name || !id) return;
        if (b->names.len) strbuf_add(&b->names, ", ");
        strbuf_add(&b->names, name);
        if (!b->rid && (!b->want || !strcmp(b->want, name))) b->rid = strdup(id);
    }
}

static void rels_start(void *ctx, const char *el, const char **atts)
{
    book *b = ctx;
    if (strcmp(local(el), "Relationship") || b->target) return;
    const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
    if (!id || !t || !b->rid || strcmp(id, b->rid)) return;
    size_t n = strlen(t) + 4;
    if (!(b->target = malloc(n))) return;
    if (t[0] == '/') snprintf(b->target, n, "%s", t + 1);   /* from the package root */
    else snprintf(b->target, n, "xl/%s", t);
}

static void no_end(void *ctx, const char *el)
{
    (void)ctx;
    (void)el;
}

/* ---- styles: which formats are dates, which pad with zeros ------------ */

typedef struct fmt { int id; char *code; } fmt;

typedef struct styles {
    fmt *fmts;              /* custom number formats */
    int nfmts;
    int in_xfs;             /* inside <cellXfs> */
    unsigned char *date;    /* per cell format: shows a date */
    unsigned char *zeros;   /* per cell format: pad to this many digits */
    int nxf, capxf;
    bool oom;
} styles;

bool io_xlsx_format_is_date(int id, const char *code, int *zeros)
{
    if (zeros) *zeros = 0;
    if (!code) {
        /* built-in: 14-22 and 45-47 everywhere; 27-36 and 50-58 in East
         * Asian locales; 71-81 in Thai Excel (the BE date formats) */
        return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
               (id >= 50 && id <= 58) || (id >= 71 && id <= 81);
    }
    if (zeros && *code && strspn(code, "0") == strlen(code)) *zeros = (int)strlen(code);
    if (!strcasecmp(code, "General")) return false;
    /* a date format has d, m, y (or h, s) outside quotes, brackets and
     * escapes: "[$-th-TH]d/m/yyyy" yes, "0.00" and "\"m\"0" no */
    bool quoted = false;
    int bracket = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '\\' && p[1]) { p++; continue; }
        if (*p == '"') { quoted = !quoted; continue; }
        if (quoted) continue;
        if (*p == '[') { bracket++; continue; }
        if (*p == ']' && bracket) { bracket--; continue; }
        if (bracket) continue;
        if (strchr("dmyDMY", *p)) return true;
    }
    return false;
}

static void styles_start(void *ctx, const char *el, const char **atts)
{
    styles *s = ctx;
    el = local(el);
    if (!strcmp(el, "numFmt")) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (!id || !code) return;
        fmt *f = realloc(s->fmts, sizeof *f * (size_t)(s->nfmts + 1));
        if (!f) { s->oom = true; return; }
        s->fmts = f;
        f[s->nfmts].id = atoi(id);
        if (!(f[s->nfmts].code = strdup(code))) { s->oom = true; return; }
        s->nfmts++;
    } else if (!strcmp(el, "cellXfs")) {
        s->in_xfs = 1;
    } else if (!strcmp(el, "xf") && s->in_xfs) {
        if (s->nxf == s->capxf) {
            int cap = s->capxf ? s->capxf * 2 : 64;
            unsigned char *d = realloc(s->date, (size_t)cap);
            if (d) s->date = d;
            unsigned char *z = d ? realloc(s->zeros, (size_t)cap) : NULL;
            if (!d || !z) { s->oom = true; return; }
            s->zeros = z;
            s->capxf = cap;
        }
        const char *idv = attr(atts, "numFmtId");
        int id = idv ? atoi(idv) : 0, zeros = 0;
        const char *code = NULL;
        for (int i = 0; i < s->nfmts; i++) if (s->fmts[i].id == id) code = s->fmts[i].code;
        s->date[s->nxf] = io_xlsx_format_is_date(id, code, &zeros);
        s->zeros[s->nxf] = (unsigned char)(zeros > 40 ? 40 : zeros);
        s->nxf++;
    }
}

static void styles_end(void *ctx, const char *el)
{
    styles *s = ctx;
    if (!strcmp(local(el), "cellXfs")) s->in_xfs = 0;
}

static void styles_free(styles *s)
{
    for (int i = 0; i < s->nfmts; i++) free(s->fmts[i].code);
    free(s->fmts);
    free(s->date);
    free(s->zeros);
}

/* ---- shared strings ----------------------------------------------------- */

typedef struct shared {
    strbuf text;            /* every string, each NUL-terminated */
    size_t *off;
    size_t n, cap;
    int in_si, in_t, in_rph;
    size_t start;           /* where the current string began */
    int stop;
} shared;

static void shared_start(void *ctx, const char *el, const char **atts)
{
    (void)atts;
    shared *s = ctx;
    el = local(el);
    if (!strcmp(el, "si")) { s->in_si = 1; s->start = s->text.len; }
    else if (!strcmp(el, "rPh")) s->in_rph = 1;    /* phonetic guide: not the text */
    else if (!strcmp(el, "t") && s->in_si && !s->in_rph) s->in_t = 1;
}

static void shared_end(void *ctx, const char *el)
{
    shared *s = ctx;
    el = local(el);
    if (!strcmp(el, "t")) s->in_t = 0;
    else if (!strcmp(el, "rPh")) s->in_rph = 0;
    else if (!strcmp(el, "si")) {
        s->in_si = 0;
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 1024;
            size_t *o = realloc(s->off, cap * sizeof *o);
            if (!o) { s->text.failed = true; return; }
            s->off = o;
            s->cap = cap;
        }
        s->off[s->n++] = s->start;
        strbuf_addc(&s->text, '\0');
    }
}

static void shared_chars(void *ctx, const char *t, int n)
{
    shared *s = ctx;
    if (!s->in_t) return;
    if (s->text.len + (size_t)n > XLSX_SHARED_MAX) { s->text.failed = true; return; }
    strbuf_addn(&s->text, t, (size_t)n);
}

/* ---- the sheet, a row at a time ----------------------------------------- */

typedef struct cell { int col; size_t off, len; unsigned char kind; } cell;

typedef struct sheet {
    XML_Parser xp;
    const shared *ss;
    const styles *st;
    bool date1904;
    io_csv_limits lim;
    io_csv_row_fn fn;
    void *user;
    int stop;               /* fn's value, or -1 after a failure */
    long row_no;
    /* the cell being read */
    int col, style;
    char type[12];
    bool in_v, in_t, in_is;
    strbuf val;
    /* the row being built */
    strbuf arena;
    cell *cells;
    int ncells, capcells;
    io_row_status status;
    int err_column;
    /* what is handed on */
    char **fields;
    size_t *lens;
    unsigned char *kinds;
    int capfields;
    io_csv_stats *stats;
} sheet;

/* "BC12" -> 55 (1-based); 0 when there is no column letter.  A reference
 * past Excel's last column (XFD, 16384) stays just past it, whatever its
 * length, so a hostile "ZZZZZZZZZZ1" cannot overflow. */
static int ref_column(const char *ref)
{
    int c = 0;
    for (; ref && *ref >= 'A' && *ref <= 'Z'; ref++)
        c = c > 16384 ? 16385 : c * 26 + (*ref - 'A' + 1);
    return c;
}

long io_xlsx_serial_days(double serial, bool date1904, bool *leap_bug)
{
    long whole = (long)floor(serial);
    if (leap_bug) *leap_bug = false;
    if (date1904) return whole - 24107;          /* 1904-01-01 */
    if (whole == 60) { if (leap_bug) *leap_bug = true; return -1; }
    /* Excel counts 29 February 1900, which did not exist: serials from 61
     * on are days since 1899-12-30, those before since 1899-12-31. */
    return whole >= 61 ? whole - 25569 : whole - 25568;
}

/* The text of a number cell. */
static void number_text(const sheet *sh, const char *v, char *out, size_t outsz, unsigned char *kind)
{
    char *end;
    double d = strtod(v, &end);
    *kind = IO_CELL_NUMBER;
    if (end == v || *end) { snprintf(out, outsz, "%s", v); return; }
    bool isdate = sh->style >= 0 && sh->style < sh->st->nxf && sh->st->date[sh->style];
    if (isdate && d >= 1 && d < 2958466) {     /* up to 9999-12-31 */
        bool bug;
        long days = io_xlsx_serial_days(d, sh->date1904, &bug);
        *kind = IO_CELL_DATE;
        if (bug) { snprintf(out, outsz, "1900-02-29"); return; }
        text_date t = text_date_from_days(days);
        snprintf(out, outsz, "%04d-%02d-%02d", t.year, t.month, t.day);
        return;
    }
    int zeros = sh->style >= 0 && sh->style < sh->st->nxf ? sh->st->zeros[sh->style] : 0;
    if (d == floor(d) && fabs(d) < 1e15) {
        snprintf(out, outsz, "%0*.0f", zeros, d);
        return;
    }
    snprintf(out, outsz, "%.15g", d);
    if (strtod(out, NULL) != d) snprintf(out, outsz, "%.17g", d);
}

static void row_fail(sheet *sh, io_row_status s, int column)
{
    if (sh->status != IO_ROW_OK) return;
    sh->status = s;
    sh->err_column = column;
}

static void cell_keep(sheet *sh)
{
    const char *v = strbuf_str(&sh->val);
    char num[64];
    unsigned char kind = IO_CELL_TEXT;
    if (!strcmp(sh->type, "s")) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        v = end != v && !*end && i < sh->ss->n ? sh->ss->text.s + sh->ss->off[i] : "";
    } else if (!strcmp(sh->type, "b")) {
        kind = IO_CELL_BOOL;
        v = !strcmp(v, "1") || !strcmp(v, "true") ? "1" : "0";
    } else if (!strcmp(sh->type, "d")) {
        kind = IO_CELL_DATE;            /* an ISO date-time: its date */
        snprintf(num, sizeof num, "%.10s", v);
        v = num;
    } else if (!sh->type[0] || !strcmp(sh->type, "n")) {
        if (*v) { number_text(sh, v, num, sizeof num, &kind); v = num; }
    }                                   /* str, inlineStr, e: as written */
    size_t n = strlen(v);
    if (!*v) return;
    if (sh->col > sh->lim.max_columns) { row_fail(sh, IO_ROW_TOO_MANY_COLUMNS, sh->col); return; }
    if (n > sh->lim.max_field) { row_fail(sh, IO_ROW_FIELD_TOO_LONG, sh->col); return; }
    if (sh->arena.len + n + 1 > sh->lim.max_record) { row_fail(sh, IO_ROW_TOO_LONG, sh->col); return; }
    if (sh->ncells == sh->capcells) {
        int cap = sh->capcells ? sh->capcells * 2 : 64;
        cell *c = realloc(sh->cells, sizeof *c * (size_t)cap);
        if (!c) { row_fail(sh, IO_ROW_TOO_LONG, sh->col); return; }
        sh->cells = c;
        sh->capcells = cap;
    }
    sh->cells[sh->ncells++] = (cell){ sh->col, sh->arena.len, n, kind };
    strbuf_addn(&sh->arena, v, n);
    strbuf_addc(&sh->arena, '\0');
}

/* The row as fields 1..last cell, gaps as "", handed to fn. */
static void row_emit(sheet *sh)
{
    int n = 0;
    for (int i = 0; i < sh->ncells; i++) if (sh->cells[i].col > n) n = sh->cells[i].col;
    if (n == 0 && sh->status == IO_ROW_OK) return;      /* an empty row: as a blank line */
    if (n > sh->capfields) {
        char **f = realloc(sh->fields, sizeof *f * (size_t)n);
        if (f) sh->fields = f;
        size_t *l = f ? realloc(sh->lens, sizeof *l * (size_t)n) : NULL;
        if (l) sh->lens = l;
        unsigned char *k = l ? realloc(sh->kinds, (size_t)n) : NULL;
        if (!k) { sh->stop = -1; return; }
        sh->kinds = k;
        sh->capfields = n;
    }
    static char empty[1] = "";
    for (int i = 0; i < n; i++) { sh->fields[i] = empty; sh->lens[i] = 0; sh->kinds[i] = IO_CELL_TEXT; }
    if (sh->arena.failed) { sh->stop = -1; return; }
    for (int i = 0; i < sh->ncells; i++) {
        const cell *c = &sh->cells[i];
        sh->fields[c->col - 1] = sh->arena.s + c->off;
        sh->lens[c->col - 1] = c->len;
        sh->kinds[c->col - 1] = c->kind;
    }
    io_csv_row row = {
        .fields = sh->fields, .lens = sh->lens, .nfields = n, .line_no = sh->row_no,
        .status = sh->status, .err_line = sh->row_no, .err_column = sh->err_column,
        .kinds = sh->kinds,
    };
    sh->stats->records++;
    sh->stats->lines = sh->row_no;
    if (sh->status != IO_ROW_OK) sh->stats->bad_records++;
    sh->stop = sh->fn(&row, sh->user);
}

static void sheet_start(void *ctx, const char *el, const char **atts)
{
    sheet *sh = ctx;
    el = local(el);
    if (!strcmp(el, "row")) {
        const char *r = attr(atts, "r");
        sh->row_no = r ? atol(r) : sh->row_no + 1;
        sh->ncells = 0;
        strbuf_reset(&sh->arena);
        sh->status = IO_ROW_OK;
        sh->err_column = 0;
        sh->col = 0;
    } else if (!strcmp(el, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        int c = ref_column(r);
        sh->col = c > 0 ? c : sh->col < 16385 ? sh->col + 1 : sh->col;
        snprintf(sh->type, sizeof sh->type, "%s", t ? t : "");
        sh->style = s ? atoi(s) : 0;
        strbuf_reset(&sh->val);
    } else if (!strcmp(el, "v")) {
        sh->in_v = true;
    } else if (!strcmp(el, "is")) {
        sh->in_is = true;
    } else if (!strcmp(el, "t") && sh->in_is) {
        sh->in_t = true;
    }
}

static void sheet_end(void *ctx, const char *el)
{
    sheet *sh = ctx;
    el = local(el);
    if (!strcmp(el, "v")) sh->in_v = false;
    else if (!strcmp(el, "t")) sh->in_t = false;
    else if (!strcmp(el, "is")) sh->in_is = false;
    else if (!strcmp(el, "c")) cell_keep(sh);
    else if (!strcmp(el, "row")) {
        row_emit(sh);
        if (sh->stop) XML_StopParser(sh->xp, XML_FALSE);
    }
}

static void sheet_chars(void *ctx, const char *t, int n)
{
    sheet *sh = ctx;
    if (!sh->in_v && !sh->in_t) return;
    if (sh->val.len + (size_t)n > IO_CSV_FIELD_HARD_MAX) return;   /* cut: too long anyway */
    strbuf_addn(&sh->val, t, (size_t)n);
}

/* ---- the whole read ------------------------------------------------------ */

static int read_book(zip_t *z, const char *name, const char *want, book *b, char *err, size_t errsz)
{
    b->want = want;
    int rc = part_parse(z, "xl/workbook.xml", book_start, no_end, NULL, b, NULL, NULL, err, errsz);
    if (rc == 1) { snprintf(err, errsz, "%s: not a workbook (no xl/workbook.xml)", name); return -1; }
    if (rc < 0) return -1;
    if (!b->rid) {
        snprintf(err, errsz, "%s: no sheet '%s' (sheets: %s)", name, want ? want : "",
                 strbuf_str(&b->names));
        return -1;
    }
    rc = part_parse(z, "xl/_rels/workbook.xml.rels", rels_start, no_end, NULL, b, NULL, NULL, err, errsz);
    if (rc < 0) return -1;
    if (!b->target) { snprintf(err, errsz, "%s: the sheet's part is not named", name); return -1; }
    return 0;
}

int io_xlsx_read(FILE *fp, const char *name, const char *want, const io_csv_limits *lim,
                 io_csv_row_fn fn, void *user, io_csv_stats *stats, char *err, size_t errsz)
{
    static const io_csv_limits defaults = IO_CSV_LIMITS_DEFAULT;
    io_csv_stats st_local;
    if (!stats) stats = &st_local;
    memset(stats, 0, sizeof *stats);
    int zerr = 0, fd = dup(fileno(fp));
    zip_t *z = fd >= 0 ? zip_fdopen(fd, ZIP_RDONLY, &zerr) : NULL;
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        snprintf(err, errsz, "%s: not a workbook: %s", name, fd < 0 ? strerror(errno) : zip_error_strerror(&ze));
        zip_error_fini(&ze);
        if (fd >= 0) close(fd);
        return -1;
    }
    book b = { .names = STRBUF_INIT };
    styles sty = { 0 };
    shared ss = { .text = STRBUF_INIT };
    sheet sh = { .val = STRBUF_INIT, .arena = STRBUF_INIT };
    int rc = read_book(z, name, want, &b, err, errsz);
    if (rc == 0 && part_parse(z, "xl/styles.xml", styles_start, styles_end, NULL, &sty, NULL, NULL, err, errsz) < 0)
        rc = -1;
    if (rc == 0 && sty.oom) { snprintf(err, errsz, "%s: %s", name, strerror(ENOMEM)); rc = -1; }
    if (rc == 0 && part_parse(z, "xl/sharedStrings.xml", shared_start, shared_end, shared_chars,
                              &ss, NULL, NULL, err, errsz) < 0)
        rc = -1;
    if (rc == 0 && ss.text.failed) {
        snprintf(err, errsz, "%s: the shared strings are over %zu MB", name, XLSX_SHARED_MAX >> 20);
        rc = -1;
    }
    if (rc == 0) {
        sh.ss = &ss;
        sh.st = &sty;
        sh.date1904 = b.date1904;
        sh.lim = lim ? *lim : defaults;
        if (sh.lim.max_field == 0 || sh.lim.max_field > IO_CSV_FIELD_HARD_MAX) sh.lim.max_field = IO_CSV_FIELD_HARD_MAX;
        if (sh.lim.max_columns <= 0) sh.lim.max_columns = defaults.max_columns;
        if (sh.lim.max_record == 0) sh.lim.max_record = defaults.max_record;
        sh.fn = fn;
        sh.user = user;
        sh.stats = stats;
        /* (present first: part_parse's 1 for an absent part is also a
         * value the row function may stop with) */
        if (zip_name_locate(z, b.target, 0) < 0) { snprintf(err, errsz, "%s: no part %s", name, b.target); rc = -1; }
        else rc = part_parse(z, b.target, sheet_start, sheet_end, sheet_chars, &sh, &sh.xp, &sh.stop, err, errsz);
        if (rc < 0 && err[0] != '\0' && strncmp(err, name, strlen(name))) {
            char tmp[1024];
            snprintf(tmp, sizeof tmp, "%s: %s", name, err);
            snprintf(err, errsz, "%s", tmp);
        }
    }
    zip_discard(z);
    free(b.rid);
    free(b.target);
    strbuf_free(&b.names);
    styles_free(&sty);
    strbuf_free(&ss.text);
    free(ss.off);
    strbuf_free(&sh.val);
    strbuf_free(&sh.arena);
    free(sh.cells);
    free(sh.fields);
    free(sh.lens);
    free(sh.kinds);
    return rc;
}
