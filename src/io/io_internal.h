/*
 * io_internal: helpers shared by the io module's files (not a public API).
 */
#ifndef ESIS_IO_INTERNAL_H
#define ESIS_IO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "esis/io.h"
#include "esis/strbuf.h"

/* Append template to sb with each {name} replaced by the value that follows
 * name in kv (a NULL-terminated list name, value, name, value, ...).
 * Unknown placeholders are kept as written. */
void io_msg_fill(strbuf *sb, const char *tmpl, const char *const *kv);

/* ---- keys given twice in one file (import_keys.c) ---- */

typedef struct io_key_entry {
    char *key;
    long  line;         /* the row's line in the file */
} io_key_entry;

typedef struct io_keys {
    int *cols;          /* mapping columns that are key columns of the table */
    int ncols;
    uint64_t *dup;      /* sorted hashes of keys seen twice or more */
    size_t ndup;
    io_key_entry *ent;  /* those keys' rows, sorted by key then line */
    size_t nent, capent;
} io_keys;

/* The key columns of m in table t.  0 or -1 (out of memory). */
int io_keys_make(io_keys *k, const io_mapping *m, const esis_table *t);
/* Read path (a regular file) for the keys given more than once.  0; -1
 * when the file cannot be read, 1 when out of memory (err says). */
int io_keys_scan(io_keys *k, const char *path, const io_mapping *m, const esis_table *t,
                 const struct esis_conf *conf, char *err, size_t errsz);
/* A row's key from its normalised values (vals by mapping column; file_of
 * from the header) into out: 0, or -1 when a key column is missing or
 * empty. */
int io_keys_text(const io_keys *k, const int *file_of, const char *const *vals, strbuf *out);
/* The other rows (lines) of the file with this key, "12, 40", into out;
 * their number (0: the key is given once). */
int io_keys_others(const io_keys *k, const char *key, size_t keylen, long line, strbuf *out);
void io_keys_free(io_keys *k);

/* libcsv's field buffer grows through this: past IO_CSV_FIELD_HARD_MAX it
 * refuses, so csv_parse stops on a field too long instead of holding it
 * (memory bounded by the limits, never by the file). */
void *io_csv_capped_realloc(void *p, size_t n);

#endif
