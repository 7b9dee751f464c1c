/*
 * csv_reader: a streaming CSV reader over libcsv that knows line numbers,
 * encodings and limits.
 *
 * Why this shape (see doc probes, section 5):
 *   - libcsv does not count lines, so the file is fed one physical line at a
 *     time (a line longer than the read buffer is fed in pieces, and a lone
 *     CR, which ends a record, ends a piece too).  The line a record starts
 *     on is the line of the first piece with content after the previous
 *     record ended.
 *   - Strict mode (CSV_STRICT | CSV_STRICT_FINI) makes a stray quote an
 *     error instead of silently swallowing the rest of the file.  After an
 *     error the partial record is reported as a bad row, the parser is
 *     re-initialised and reading goes on with the next line.
 *   - Memory is bounded: libcsv's field buffer grows through a realloc that
 *     refuses past IO_CSV_FIELD_HARD_MAX, our record store refuses past
 *     max_record, and the read buffer is fixed.  A 10 MB field costs at most
 *     1 MB and one bad row.
 *   - Encoding: a UTF-8 BOM is stripped.  A UTF-16 BOM (Excel's "Unicode
 *     text", LE, or BE) makes the source convert the whole stream to UTF-8
 *     with iconv before anything else sees it.  Otherwise the file is
 *     sniffed until the first byte >= 0x80: if that text is not UTF-8 but
 *     looks like Windows-874 (TIS-620 plus the dashes, quotes and ellipsis
 *     Thai Windows adds), every line from then on is converted with iconv.
 *     Fields of a UTF-8 file that are not valid UTF-8 make a bad row that
 *     names its line and column.
 *   - Delimiter: comma, semicolon or tab, given or found in the first lines
 *     (the one that splits some line into the most fields, outside quotes:
 *     a title line above the header has few or none).
 */
#include "esis/io.h"
#include "esis/text.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define READ_BUF 65536

typedef enum enc_mode { ENC_UNKNOWN, ENC_UTF8, ENC_TIS620 } enc_mode;

typedef struct reader {
    struct csv_parser p;
    io_csv_limits lim;
    io_csv_row_fn fn;
    void *user;
    int stop;              /* fn's non-zero return */
    /* where we are */
    long line;             /* current physical line, 1-based */
    size_t line_bytes;     /* bytes of the current line fed before this piece */
    bool content;          /* a record has started since the last one ended */
    long rec_line;
    /* the record being built: fields in one arena */
    char  *arena;
    size_t arena_len, arena_cap;
    size_t *offs;          /* field starts in the arena */
    size_t *lens;
    char  **fields;
    int nfields, cap_fields;
    io_row_status status;  /* first problem of this record */
    long err_line, err_byte;
    int err_column;
    int columns_seen;      /* including those not kept */
    /* the record's text as read (UTF-8), for a rejects file that can be
     * fixed: up to max_record bytes */
    char *raw;
    size_t raw_len, raw_cap;
    bool pending;          /* a bad record waiting for the rest of its line */
    io_csv_stats stats;
    char delim;            /* the field separator in use */
} reader;

/* Where the bytes come from: the file as it is, or, for UTF-16, the file
 * converted to UTF-8.  raw holds bytes read but not yet handed on (the
 * first bytes read to look for a BOM, or UTF-16 not yet converted). */
enum { RAW_BUF = 32768 };
typedef struct source {
    FILE *fp;
    iconv_t cd;            /* (iconv_t)-1: no conversion */
    char raw[RAW_BUF];
    size_t rawpos, rawlen;
    bool eof;
} source;

/* Up to cap bytes of UTF-8 (or of the file as it is) into out; 0 only at
 * the end of the file. */
static size_t source_read(source *src, char *out, size_t cap)
{
    if (src->cd == (iconv_t)-1) {
        size_t n = src->rawlen - src->rawpos;
        if (n > cap) n = cap;
        memcpy(out, src->raw + src->rawpos, n);
        src->rawpos += n;
        return n + fread(out + n, 1, cap - n, src->fp);
    }
    size_t made = 0;
    while (made + 8 < cap) {
        if (src->rawpos == src->rawlen || (!src->eof && src->rawlen - src->rawpos < 4)) {
            memmove(src->raw, src->raw + src->rawpos, src->rawlen - src->rawpos);
            src->rawlen -= src->rawpos;
            src->rawpos = 0;
            size_t room = sizeof src->raw - src->rawlen;
            /* 2 bytes of UTF-16 make at most 3 of UTF-8 */
            if (room > (cap - made) / 2) room = (cap - made) / 2 & ~(size_t)1;
            size_t got = src->eof || room == 0 ? 0 : fread(src->raw + src->rawlen, 1, room, src->fp);
            if (got == 0) src->eof = true;
            src->rawlen += got;
            if (src->rawlen == 0) break;
        }
        char *in = src->raw + src->rawpos, *op = out + made;
        size_t inleft = src->rawlen - src->rawpos, outleft = cap - made;
        size_t rc = iconv(src->cd, &in, &inleft, &op, &outleft);
        int e = errno;
        made = (size_t)(op - out);
        src->rawpos = (size_t)(in - src->raw);
        if (rc != (size_t)-1 || e == E2BIG) {
            if (e == E2BIG && rc == (size_t)-1) break;
            continue;
        }
        if (e == EINVAL && !src->eof) continue;   /* half a character: read on */
        /* A lone surrogate or a lone last byte: one visible mark. */
        if (cap - made < 3) break;
        memcpy(out + made, "\xEF\xBF\xBD", 3);
        made += 3;
        src->rawpos += inleft >= 2 ? 2 : inleft;
    }
    return made;
}

/* Look at the first bytes for a BOM: UTF-8 is skipped, UTF-16 (either
 * order) starts the conversion.  Returns -1 when iconv lacks UTF-16. */
static int source_open(source *src, FILE *fp, io_csv_stats *st)
{
    src->fp = fp;
    src->cd = (iconv_t)-1;
    src->rawlen = fread(src->raw, 1, 3, fp);
    const unsigned char *b = (const unsigned char *)src->raw;
    if (src->rawlen == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        src->rawpos = 3;
        st->bom = true;
    } else if (src->rawlen >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        src->cd = iconv_open("UTF-8", b[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
        if (src->cd == (iconv_t)-1) return -1;
        src->rawpos = 2;
        st->utf16 = true;
    }
    return 0;
}

static void source_close(source *src)
{
    if (src->cd != (iconv_t)-1) iconv_close(src->cd);
}

/* The separator the first lines agree on: for each candidate the number of
 * separators outside quotes on each line; the candidate whose most common
 * non-zero count is shared by the most lines wins (then the one on more
 * lines, then the larger count, then comma, tab, semicolon).  So a title line above the header does not
 * decide, and neither do semicolons inside one unquoted field. */
enum { DELIM_LINES = 12 };
static char delim_detect(const char *s, size_t n)
{
    static const char cand[] = { ',', '\t', ';' };
    int count[3][DELIM_LINES] = { { 0 } }, lines = 0;
    bool quoted = false;
    for (size_t i = 0; i < n && lines < DELIM_LINES; i++) {
        char c = s[i];
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n') { lines++; continue; }
        for (int k = 0; k < 3; k++) if (c == cand[k]) count[k][lines]++;
    }
    if (lines < DELIM_LINES) lines++;               /* the last, unended line */
    int pick = 0, best_agree = 0, best_present = 0, best_count = 0;
    for (int k = 0; k < 3; k++) {
        int agree = 0, value = 0, present = 0;
        for (int l = 0; l < lines; l++) {
            if (!count[k][l]) continue;
            int same = 0;
            present++;
            for (int m = 0; m < lines; m++) same += count[k][m] == count[k][l];
            if (same > agree || (same == agree && count[k][l] > value)) { agree = same; value = count[k][l]; }
        }
        if (agree > best_agree || (agree == best_agree && (present > best_present ||
                                    (present == best_present && value > best_count)))) {
            pick = k;
            best_agree = agree;
            best_present = present;
            best_count = value;
        }
    }
    return cand[pick];
}

/* libcsv grows its field buffer through this; refusing makes csv_parse
 * stop with CSV_ENOMEM, which we report as a field too long. */
void *io_csv_capped_realloc(void *p, size_t n)
{
    if (n > IO_CSV_FIELD_HARD_MAX + 4096) return NULL;
    return realloc(p, n);
}

static int parser_init(reader *r)
{
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) return -1;
    csv_set_realloc_func(&r->p, io_csv_capped_realloc);
    csv_set_blk_size(&r->p, 4096);
    csv_set_delim(&r->p, (unsigned char)r->delim);
    return 0;
}

static void record_reset(reader *r)
{
    r->arena_len = 0;
    r->nfields = 0;
    r->columns_seen = 0;
    r->status = IO_ROW_OK;
    r->err_line = r->err_byte = 0;
    r->err_column = 0;
}

static void record_fail(reader *r, io_row_status s, long byte, int column)
{
    if (r->status != IO_ROW_OK) return;
    r->status = s;
    r->err_line = r->line;
    r->err_byte = byte;
    r->err_column = column;
}

/* Keep one field (copied with its NUL) unless a limit says no. */
static void field_keep(reader *r, const char *s, size_t n)
{
    int col = ++r->columns_seen;
    if (r->status != IO_ROW_OK) return;
    if (col > r->lim.max_columns) { record_fail(r, IO_ROW_TOO_MANY_COLUMNS, 0, col); return; }
    if (n > r->lim.max_field) { record_fail(r, IO_ROW_FIELD_TOO_LONG, 0, col); return; }
    if (r->arena_len + n + 1 > r->lim.max_record) { record_fail(r, IO_ROW_TOO_LONG, 0, col); return; }
    if (memchr(s, '\0', n)) { record_fail(r, IO_ROW_NUL, 0, col); return; }
    if (!text_utf8_valid(s, n)) { record_fail(r, IO_ROW_BAD_UTF8, 0, col); return; }
    if (r->arena_len + n + 1 > r->arena_cap) {
        size_t cap = r->arena_cap ? r->arena_cap : 4096;
        while (cap < r->arena_len + n + 1) cap *= 2;
        char *a = realloc(r->arena, cap);
        if (!a) { record_fail(r, IO_ROW_TOO_LONG, 0, col); return; }
        r->arena = a;
        r->arena_cap = cap;
    }
    if (r->nfields == r->cap_fields) {
        int cap = r->cap_fields ? r->cap_fields * 2 : 64;
        size_t *o = realloc(r->offs, sizeof *o * (size_t)cap);
        if (o) r->offs = o;
        size_t *l = realloc(r->lens, sizeof *l * (size_t)cap);
        if (l) r->lens = l;
        char **f = realloc(r->fields, sizeof *f * (size_t)cap);
        if (f) r->fields = f;
        if (!o || !l || !f) { record_fail(r, IO_ROW_TOO_LONG, 0, col); return; }
        r->cap_fields = cap;
    }
    memcpy(r->arena + r->arena_len, s, n);
    r->arena[r->arena_len + n] = '\0';
    r->offs[r->nfields] = r->arena_len;
    r->lens[r->nfields] = n;
    r->nfields++;
    r->arena_len += n + 1;
}

static void raw_add(reader *r, const char *s, size_t n)
{
    if (r->raw_len + n > r->lim.max_record) n = r->raw_len < r->lim.max_record ? r->lim.max_record - r->raw_len : 0;
    if (n == 0) return;
    if (r->raw_len + n > r->raw_cap) {
        size_t cap = r->raw_cap ? r->raw_cap : 1024;
        while (cap < r->raw_len + n) cap *= 2;
        char *v = realloc(r->raw, cap + 1);
        if (!v) return;        /* the raw text is a help, not the data */
        r->raw = v;
        r->raw_cap = cap;
    }
    memcpy(r->raw + r->raw_len, s, n);
    r->raw_len += n;
}

/* Hand the record to the caller and start the next one. */
static void record_emit(reader *r)
{
    r->pending = false;
    if (r->stop) { record_reset(r); return; }
    for (int i = 0; i < r->nfields; i++) r->fields[i] = r->arena + r->offs[i];
    size_t rl = r->raw_len;
    while (rl > 0 && (r->raw[rl - 1] == '\n' || r->raw[rl - 1] == '\r')) rl--;
    if (r->raw) r->raw[rl] = '\0';
    io_csv_row row = {
        .fields = r->fields, .lens = r->lens, .nfields = r->nfields,
        .line_no = r->rec_line, .status = r->status, .err_line = r->err_line,
        .err_byte = r->err_byte, .err_column = r->err_column,
        .raw = r->raw ? r->raw : "", .raw_len = r->raw ? rl : 0,
    };
    r->stats.records++;
    if (r->status != IO_ROW_OK) r->stats.bad_records++;
    r->stop = r->fn(&row, r->user);
    record_reset(r);
    r->content = false;
}

static void cb_field(void *s, size_t n, void *data)
{
    reader *r = data;
    field_keep(r, s ? s : "", s ? n : 0);
}

static void cb_record(int term, void *data)
{
    (void)term;
    record_emit(data);
}

/* After a strict error: the record is reported with the rest of its line
 * (kept as read, io_csv_read emits it at the line's end), and a fresh
 * parser starts on the next line. */
static int parser_recover(reader *r, io_row_status s, long byte)
{
    record_fail(r, s, byte, r->columns_seen + 1);
    r->pending = true;
    csv_free(&r->p);
    return parser_init(r);
}

/* Feed one piece of a physical line.  Returns 1 when the rest of the line
 * must be skipped (after an error), 0 to go on, -1 when out of memory. */
static int feed(reader *r, const char *s, size_t n)
{
    /* A piece ends at the latest at its first CR or LF, so a record that
     * starts inside it starts on this line (see io_csv_read). */
    size_t from = 0;
    bool was = r->content;
    for (size_t i = 0; i < n && !r->content; i++)
        if (s[i] != '\r' && s[i] != '\n') {
            r->content = true;
            r->rec_line = r->line;
            r->raw_len = 0;
            from = i;
        }
    if (r->content) raw_add(r, s + (was ? 0 : from), n - (was ? 0 : from));
    size_t used = csv_parse(&r->p, s, n, cb_field, cb_record, r);
    if (used == n) return 0;
    int e = csv_error(&r->p);
    io_row_status st = e == CSV_EPARSE ? IO_ROW_PARSE : IO_ROW_FIELD_TOO_LONG;
    if (parser_recover(r, st, (long)(r->line_bytes + used + 1)) != 0) return -1;
    return 1;
}

/* Bytes up to and including the first CR or LF of s[0..n), or n. */
static size_t line_piece(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' || s[i] == '\r') return i + 1;
    return n;
}

/* Longest prefix of s[0..n) that does not end inside a UTF-8 sequence. */
static size_t utf8_whole(const unsigned char *s, size_t n)
{
    size_t i = n, back = 0;
    while (i > 0 && back < 3 && (s[i - 1] & 0xC0) == 0x80) { i--; back++; }
    if (i == 0 || s[i - 1] < 0xC0) return n;
    unsigned lead = s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    return back + 1 >= need ? n : i - 1;
}

/* Decide the encoding at the first byte >= 0x80; ENC_UNKNOWN until then. */
static enc_mode sniff(const char *s, size_t n)
{
    bool high = false;
    for (size_t i = 0; i < n && !high; i++) high = (unsigned char)s[i] >= 0x80;
    if (!high) return ENC_UNKNOWN;
    size_t whole = utf8_whole((const unsigned char *)s, n);
    if (!text_utf8_valid(s, whole) && text_looks_tis620(s, n)) return ENC_TIS620;
    return ENC_UTF8;
}

static int feed_piece(reader *r, enc_mode enc, const char *s, size_t n, bool *skip)
{
    int rc;
    if (*skip) {               /* the rest of a bad record's line: kept as read */
        if (enc != ENC_TIS620) { raw_add(r, s, n); return 0; }
        size_t un = 0;
        char *u = text_tis620_to_utf8(s, n, &un);
        if (!u) return -1;
        raw_add(r, u, un);
        free(u);
        return 0;
    }
    if (enc == ENC_TIS620) {
        size_t un = 0;
        char *u = text_tis620_to_utf8(s, n, &un);
        if (!u) return -1;
        rc = feed(r, u, un);
        free(u);
    } else {
        rc = feed(r, s, n);
    }
    if (rc < 0) return -1;
    if (rc == 1) *skip = true;
    return 0;
}

int io_csv_read(FILE *fp, const char *name, const io_csv_limits *lim,
                io_csv_row_fn fn, void *user, io_csv_stats *stats,
                char *err, size_t errsz)
{
    return io_csv_read_delim(fp, name, lim, 0, fn, user, stats, err, errsz);
}

int io_csv_read_delim(FILE *fp, const char *name, const io_csv_limits *lim, char delim,
                      io_csv_row_fn fn, void *user, io_csv_stats *stats,
                      char *err, size_t errsz)
{
    static const io_csv_limits defaults = IO_CSV_LIMITS_DEFAULT;
    reader r;
    memset(&r, 0, sizeof r);
    r.lim = lim ? *lim : defaults;
    if (r.lim.max_field > IO_CSV_FIELD_HARD_MAX) r.lim.max_field = IO_CSV_FIELD_HARD_MAX;
    if (r.lim.max_columns <= 0) r.lim.max_columns = defaults.max_columns;
    if (r.lim.max_record == 0) r.lim.max_record = defaults.max_record;
    r.fn = fn;
    r.user = user;
    r.line = 1;
    r.delim = delim ? delim : ',';
    int rc = 0;
    char *buf = malloc(READ_BUF);
    source *src = calloc(1, sizeof *src);
    if (!buf || !src || parser_init(&r) != 0) {
        snprintf(err, errsz, "%s: %s", name, strerror(ENOMEM));
        free(buf);
        free(src);
        return -1;
    }
    if (source_open(src, fp, &r.stats) != 0) {
        snprintf(err, errsz, "%s: UTF-16: %s", name, strerror(errno));
        rc = -1;
        goto done;
    }
    enc_mode enc = src->cd != (iconv_t)-1 ? ENC_UTF8 : ENC_UNKNOWN;
    bool first = true, skip = false;
    size_t have = 0;
    while (!r.stop) {
        size_t got = source_read(src, buf + have, READ_BUF - have);
        have += got;
        if (have == 0) break;
        size_t pos = 0;
        if (first) {
            first = false;
            if (!delim) {
                r.delim = delim_detect(buf, have);
                csv_set_delim(&r.p, (unsigned char)r.delim);
            }
        }
        if (enc == ENC_UNKNOWN) {
            enc = sniff(buf + pos, have - pos);
            r.stats.tis620 = enc == ENC_TIS620;
        }
        /* Keep a partial UTF-8 sequence at the end for the next read so that
         * a line piece never splits a character (fields are checked whole
         * anyway; this only keeps the pieces tidy). */
        size_t end = have;
        if (got != 0 && enc != ENC_TIS620)
            end = pos + utf8_whole((const unsigned char *)buf + pos, have - pos);
        while (pos < end && !r.stop) {
            /* One piece per line, and a lone CR (which libcsv takes as
             * the end of a record) ends a piece too: the next record may
             * start after it on the same line. */
            size_t n = line_piece(buf + pos, end - pos);
            const char *nl = buf[pos + n - 1] == '\n' ? buf + pos + n - 1 : NULL;
            if (feed_piece(&r, enc, buf + pos, n, &skip) != 0) {
                snprintf(err, errsz, "%s: %s", name, strerror(ENOMEM));
                rc = -1;
                goto done;
            }
            pos += n;
            if (nl && r.pending) record_emit(&r);
            if (nl) { r.line++; r.line_bytes = 0; skip = false; r.stats.lines++; }
            else r.line_bytes += n;
        }
        memmove(buf, buf + end, have - end);
        have -= end;
        if (got == 0 && have == 0) break;
    }
    if (ferror(fp)) {
        snprintf(err, errsz, "%s: %s", name, strerror(errno ? errno : EIO));
        rc = -1;
        goto done;
    }
    if (r.line_bytes > 0) r.stats.lines++;
    if (r.pending) record_emit(&r);
    if (!r.stop && csv_fini(&r.p, cb_field, cb_record, &r) != 0) {
        /* An unterminated quote: the record is reported from its start. */
        r.line = r.rec_line;
        record_fail(&r, IO_ROW_UNTERMINATED, 0, r.columns_seen + 1);
        record_emit(&r);
    }
    if (r.stop) rc = r.stop;
done:
    r.stats.delimiter = r.delim;
    source_close(src);
    free(src);
    csv_free(&r.p);
    free(buf);
    free(r.arena);
    free(r.offs);
    free(r.lens);
    free(r.fields);
    free(r.raw);
    if (stats) *stats = r.stats;
    return rc;
}

const char *io_row_status_key(io_row_status s)
{
    switch (s) {
    case IO_ROW_OK:               return "io.row_ok";
    case IO_ROW_PARSE:            return "io.row_parse";
    case IO_ROW_UNTERMINATED:     return "io.row_unterminated";
    case IO_ROW_FIELD_TOO_LONG:   return "io.row_field_too_long";
    case IO_ROW_TOO_MANY_COLUMNS: return "io.row_too_many_columns";
    case IO_ROW_TOO_LONG:         return "io.row_too_long";
    case IO_ROW_BAD_UTF8:         return "io.row_bad_utf8";
    case IO_ROW_NUL:              return "io.row_nul";
    case IO_ROW_NUMBER_ID:        return "io.row_number_id";
    }
    return "io.row_parse";
}

int io_csv_write_field(FILE *fp, const char *s)
{
    if (!s) s = "";
    return csv_fwrite(fp, s, strlen(s)) == 0 ? 0 : -1;
}

int io_csv_write_row(FILE *fp, const char *const *fields, int n)
{
    for (int i = 0; i < n; i++) {
        if (i > 0 && fputc(',', fp) == EOF) return -1;
        if (io_csv_write_field(fp, fields[i]) != 0) return -1;
    }
    return fputs("\r\n", fp) == EOF ? -1 : 0;
}
