/*
 * import_keys: the keys a file gives more than once.
 *
 * Two rows of one file with the same natural key (the same child twice for
 * one school) are a conflict: which one is right is for the school to say,
 * so both are rejected, each naming the other's row.  An upsert alone would
 * make the second an update of the first, and the file would import "2
 * rows" holding one child.
 *
 * Why a scan before the import and not a look-up as rows are written: the
 * first row of a pair is written (or rejected) before the second is read,
 * and it must be rejected too.  So the file is read once more beforehand,
 * keeping only a 64-bit hash per row (8 bytes; 8 MB for a million rows),
 * sorted; equal hashes are candidates, and only when there are some is the
 * file read a third time to keep the candidates' exact keys and rows (so
 * a hash collision never rejects a row).  Reading is a few percent of an
 * import; nothing here touches the database.
 *
 * A row's key: the normalised values of the mapping's columns that are the
 * table's key columns (the round is the import's own), joined with US.  A
 * row whose key is incomplete or does not normalise has no key here: it is
 * rejected for that.
 */
#include "esis/io.h"
#include "esis/strbuf.h"
#include "esis/text.h"
#include "io_internal.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct scan {
    const io_mapping *m;
    const esis_table *t;
    const struct esis_conf *conf;
    io_keys *k;
    io_header h;
    bool header_done, failed;
    int pass;                   /* 1: hashes, 2: the candidates' keys */
    strbuf key;
    char **vals;                /* per key column: its normalised value */
    size_t *valcap;
    const char **byc;           /* per mapping column: vals, for io_keys_text */
    uint64_t *hashes;
    size_t nh, caph;
} scan;

static uint64_t hash_of(const char *s, size_t n)
{
    /* FNV-1a, 64 bits */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static bool is_key_col(const esis_table *t, const char *col)
{
    for (int k = 0; k < t->nkey; k++)
        if (!strcmp(t->key_cols[k], col)) return true;
    return false;
}

int io_keys_make(io_keys *k, const io_mapping *m, const esis_table *t)
{
    memset(k, 0, sizeof *k);
    k->cols = calloc((size_t)m->ncols + 1, sizeof *k->cols);
    if (!k->cols) return -1;
    for (int c = 0; c < m->ncols; c++)
        if (is_key_col(t, m->cols[c].column)) k->cols[k->ncols++] = c;
    return 0;
}

int io_keys_text(const io_keys *k, const int *file_of, const char *const *vals, strbuf *out)
{
    strbuf_reset(out);
    if (k->ncols == 0) return -1;
    for (int i = 0; i < k->ncols; i++) {
        int c = k->cols[i];
        const char *v = vals[c];
        if (file_of[c] < 0 || !v || !*v) return -1;
        if (i) strbuf_addc(out, '\x1f');
        strbuf_add(out, v);
    }
    return out->failed ? -1 : 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_entry(const void *a, const void *b)
{
    const io_key_entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static bool candidate(const io_keys *k, uint64_t h)
{
    return k->ndup && bsearch(&h, k->dup, k->ndup, sizeof *k->dup, cmp_u64);
}

/* The row's key as the import will see it, into s->key; -1 when it has none. */
static int row_key(scan *s, const io_csv_row *row)
{
    if (row->status != IO_ROW_OK) return -1;
    for (int i = 0; i < s->k->ncols; i++) {
        int c = s->k->cols[i];
        int f = s->h.file_of[c];
        const char *in = f >= 0 && f < row->nfields ? row->fields[f] : "";
        size_t need = strlen(in) + 32;
        if (need > s->valcap[i]) {
            char *v = realloc(s->vals[i], need);
            if (!v) { s->failed = true; return -1; }
            s->vals[i] = v;
            s->valcap[i] = need;
        }
        const char *why;
        if (io_normalise(&s->m->cols[c], s->conf, in, s->vals[i], need, &why) != 0) return -1;
        s->byc[c] = s->vals[i];
    }
    return io_keys_text(s->k, s->h.file_of, s->byc, &s->key);
}

static int on_row(const io_csv_row *row, void *user)
{
    scan *s = user;
    if (!s->header_done) {
        s->header_done = true;
        char err[256];
        if (row->status != IO_ROW_OK ||
            io_header_bind(s->m, row->fields, row->nfields, &s->h, err, sizeof err) != 0)
            return 1;                  /* the import says why */
        return 0;
    }
    if (row_key(s, row) != 0) return s->failed;
    uint64_t h = hash_of(strbuf_str(&s->key), s->key.len);
    if (s->pass == 1) {
        if (s->nh == s->caph) {
            size_t cap = s->caph ? s->caph * 2 : 4096;
            uint64_t *v = realloc(s->hashes, cap * sizeof *v);
            if (!v) { s->failed = true; return 1; }
            s->hashes = v;
            s->caph = cap;
        }
        s->hashes[s->nh++] = h;
        return 0;
    }
    if (!candidate(s->k, h)) return 0;
    io_keys *k = s->k;
    if (k->nent == k->capent) {
        size_t cap = k->capent ? k->capent * 2 : 64;
        io_key_entry *v = realloc(k->ent, cap * sizeof *v);
        if (!v) { s->failed = true; return 1; }
        k->ent = v;
        k->capent = cap;
    }
    char *key = strdup(strbuf_str(&s->key));
    if (!key) { s->failed = true; return 1; }
    k->ent[k->nent++] = (io_key_entry){ key, row->line_no };
    return 0;
}

/* ---- the first pass, light ---------------------------------------- */

/* The first pass needs only the header and the key cells.  The CSV reader
 * validates, copies and counts every cell; here libcsv runs over large
 * blocks and only the header and the key columns are kept, which makes the
 * pass a few times cheaper.  A file it cannot take as plain UTF-8 CSV (a
 * TIS-620 key or header, a stray quote) is left to the full reader: the
 * pass gives up and the caller reads it the ordinary way. */
typedef struct light {
    scan *s;
    bool *want;            /* per file column: kept (a key column's) */
    int nwant;
    strbuf arena;          /* the record's kept cells, each NUL-ended */
    size_t *offs, *lens;
    int nf, capf;
    bool give_up;
} light;

static void light_field(void *cell, size_t n, void *data)
{
    light *l = data;
    if (l->give_up || l->s->failed) return;
    if (l->nf == l->capf) {
        int cap = l->capf ? l->capf * 2 : 64;
        size_t *o = realloc(l->offs, (size_t)cap * sizeof *o);
        if (o) l->offs = o;
        size_t *ln = o ? realloc(l->lens, (size_t)cap * sizeof *ln) : NULL;
        if (!o || !ln) { l->s->failed = true; return; }
        l->lens = ln;
        l->capf = cap;
    }
    bool keep = !l->s->header_done || (l->nf < l->nwant && l->want[l->nf]);
    if (keep && n && !text_utf8_valid(cell, n)) { l->give_up = true; return; }
    l->offs[l->nf] = l->arena.len;
    l->lens[l->nf] = keep ? n : 0;
    if (keep && n) strbuf_addn(&l->arena, cell, n);
    strbuf_addc(&l->arena, '\0');
    l->nf++;
}

static void light_record(int term, void *data)
{
    (void)term;
    light *l = data;
    if (l->give_up || l->s->failed || l->arena.failed) { l->s->failed |= l->arena.failed; return; }
    char **fields = malloc((size_t)(l->nf ? l->nf : 1) * sizeof *fields);
    if (!fields) { l->s->failed = true; return; }
    for (int i = 0; i < l->nf; i++) fields[i] = l->arena.s + l->offs[i];
    io_csv_row row = { .fields = fields, .lens = l->lens, .nfields = l->nf, .status = IO_ROW_OK };
    bool was_header = !l->s->header_done;
    if (on_row(&row, l->s) != 0 && !l->s->failed) l->give_up = true;   /* a bad header */
    free(fields);
    if (was_header && !l->give_up) {
        /* from now on only the key columns' cells are kept */
        l->nwant = l->s->h.nfile;
        l->want = calloc((size_t)(l->nwant ? l->nwant : 1), sizeof *l->want);
        if (!l->want) { l->s->failed = true; return; }
        for (int i = 0; i < l->s->k->ncols; i++) {
            int f = l->s->h.file_of[l->s->k->cols[i]];
            if (f >= 0 && f < l->nwant) l->want[f] = true;
        }
    }
    l->nf = 0;
    strbuf_reset(&l->arena);
}

/* 0 when the pass was made, 1 to read the file the ordinary way, -1 when
 * it cannot be read (err). */
static int light_pass(scan *s, const char *path, char *err, size_t errsz)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) { snprintf(err, errsz, "%s: %s", path, strerror(errno)); return -1; }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) { fclose(fp); return 1; }
    /* a field past the reader's limit gives the pass up (the ordinary pass
     * rejects its row); grown in large steps, not libcsv's 128 bytes */
    csv_set_realloc_func(&p, io_csv_capped_realloc);
    csv_set_blk_size(&p, 1 << 16);
    light l = { .s = s, .arena = STRBUF_INIT };
    s->pass = 1;
    s->header_done = false;
    char *buf = malloc(1 << 16);
    bool first = true;
    size_t n = 0;
    while (buf && !l.give_up && !s->failed && (n = fread(buf, 1, 1 << 16, fp)) > 0) {
        size_t skip = first && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
        first = false;
        if (csv_parse(&p, buf + skip, n - skip, light_field, light_record, &l) != n - skip) l.give_up = true;
    }
    int rc = 0;
    if (!buf || ferror(fp)) rc = -1, snprintf(err, errsz, "%s: %s", path, strerror(errno ? errno : EIO));
    else if (!l.give_up && !s->failed && csv_fini(&p, light_field, light_record, &l) != 0) l.give_up = true;
    if (rc == 0 && (l.give_up || !s->header_done)) rc = 1;
    csv_free(&p);
    fclose(fp);
    free(buf);
    free(l.want);
    free(l.offs);
    free(l.lens);
    strbuf_free(&l.arena);
    if (rc == 1) s->nh = 0;            /* the ordinary pass starts again */
    return rc;
}

static int read_pass(scan *s, const char *path, int pass, char *err, size_t errsz)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) { snprintf(err, errsz, "%s: %s", path, strerror(errno)); return -1; }
    s->pass = pass;
    s->header_done = false;
    io_header_free(&s->h);
    int r = io_csv_read(fp, path, NULL, on_row, s, NULL, err, errsz);
    fclose(fp);
    if (s->failed) { snprintf(err, errsz, "out of memory"); return 1; }
    return r < 0 ? -1 : 0;
}

int io_keys_scan(io_keys *k, const char *path, const io_mapping *m, const esis_table *t,
                 const struct esis_conf *conf, char *err, size_t errsz)
{
    if (k->ncols == 0) return 0;
    scan s = { .m = m, .t = t, .conf = conf, .k = k, .key = STRBUF_INIT };
    s.vals = calloc((size_t)k->ncols, sizeof *s.vals);
    s.valcap = calloc((size_t)k->ncols, sizeof *s.valcap);
    s.byc = calloc((size_t)m->ncols, sizeof *s.byc);
    int rc = s.vals && s.valcap && s.byc ? 0 : 1;
    if (rc != 0) snprintf(err, errsz, "out of memory");
    if (rc == 0) {
        rc = light_pass(&s, path, err, errsz);
        if (s.failed) { snprintf(err, errsz, "out of memory"); rc = 1; }
        else if (rc == 1) rc = read_pass(&s, path, 1, err, errsz);
    }
    if (rc == 0 && s.nh > 1) {
        qsort(s.hashes, s.nh, sizeof *s.hashes, cmp_u64);
        /* the hashes seen twice or more, once each, reusing the array */
        size_t nd = 0;
        for (size_t i = 1; i < s.nh; i++)
            if (s.hashes[i] == s.hashes[i - 1] && (nd == 0 || s.hashes[nd - 1] != s.hashes[i]))
                s.hashes[nd++] = s.hashes[i];
        if (nd > 0) {
            k->dup = realloc(s.hashes, nd * sizeof *k->dup);
            if (!k->dup) k->dup = s.hashes;
            s.hashes = NULL;
            k->ndup = nd;
            rc = read_pass(&s, path, 2, err, errsz);
        }
    }
    free(s.hashes);
    io_header_free(&s.h);
    strbuf_free(&s.key);
    for (int i = 0; s.vals && i < k->ncols; i++) free(s.vals[i]);
    free(s.vals);
    free(s.valcap);
    free(s.byc);
    if (rc != 0) return rc;
    if (k->nent > 1) qsort(k->ent, k->nent, sizeof *k->ent, cmp_entry);
    /* keep only keys given twice or more (a shared hash is not enough) */
    size_t w = 0;
    for (size_t i = 0; i < k->nent; ) {
        size_t j = i + 1;
        while (j < k->nent && !strcmp(k->ent[j].key, k->ent[i].key)) j++;
        if (j - i > 1) {
            for (size_t x = i; x < j; x++) k->ent[w++] = k->ent[x];
        } else {
            free(k->ent[i].key);
        }
        i = j;
    }
    k->nent = w;
    return 0;
}

int io_keys_others(const io_keys *k, const char *key, size_t keylen, long line, strbuf *out)
{
    strbuf_reset(out);
    if (!k->nent || !candidate(k, hash_of(key, keylen))) return 0;
    io_key_entry probe = { (char *)key, 0 };
    /* the first entry of the key: a lower bound over (key, line) */
    size_t lo = 0, hi = k->nent;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_entry(&k->ent[mid], &probe) < 0) lo = mid + 1;
        else hi = mid;
    }
    int n = 0;
    for (size_t i = lo; i < k->nent && !strcmp(k->ent[i].key, key); i++) {
        if (k->ent[i].line == line) continue;
        strbuf_addf(out, "%s%ld", n ? ", " : "", k->ent[i].line);
        n++;
    }
    return n;
}

void io_keys_free(io_keys *k)
{
    for (size_t i = 0; i < k->nent; i++) free(k->ent[i].key);
    free(k->ent);
    free(k->dup);
    free(k->cols);
    memset(k, 0, sizeof *k);
}
