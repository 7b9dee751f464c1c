/* record.c: records (one row as text) and the schema they borrow their
 * shape from.  No SQLite here: db_record.c fills and stores records. */
#include "esis/record.h"
#include "esis/strbuf.h"

#include <stdlib.h>
#include <string.h>

const esis_table *schema_table(const esis_schema *s, const char *name)
{
    if (!s || !name) return NULL;
    for (int i = 0; i < s->ntables; i++)
        if (!strcmp(s->tables[i].name, name)) return &s->tables[i];
    return NULL;
}

int schema_col(const esis_table *t, const char *col)
{
    if (!t || !col) return -1;
    for (int i = 0; i < t->ncols; i++)
        if (!strcmp(t->cols[i], col)) return i;
    return -1;
}

static void table_free(esis_table *t)
{
    for (int i = 0; i < t->ncols; i++) { free(t->cols[i]); free(t->types[i]); }
    for (int i = 0; i < t->nkey; i++) free(t->key_cols[i]);
    free(t->cols); free(t->types); free(t->notnull); free(t->personal);
    free(t->key_cols); free(t->name); free(t->collection);
}

void schema_free(esis_schema *s)
{
    if (!s) return;
    for (int i = 0; i < s->ntables; i++) table_free(&s->tables[i]);
    free(s->tables);
    free(s);
}

esis_record *record_new(const esis_table *t)
{
    esis_record *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->table = t;
    r->values = calloc((size_t)(t->ncols ? t->ncols : 1), sizeof *r->values);
    if (!r->values) { free(r); return NULL; }
    return r;
}

void record_free(esis_record *r)
{
    if (!r) return;
    for (int i = 0; i < r->table->ncols; i++) free(r->values[i]);
    free(r->values);
    free(r);
}

esis_record *record_dup(const esis_record *r)
{
    esis_record *d = record_new(r->table);
    if (!d) return NULL;
    d->id = r->id;
    d->version = r->version;
    for (int i = 0; i < r->table->ncols; i++)
        if (r->values[i] && record_set_i(d, i, r->values[i]) != 0) { record_free(d); return NULL; }
    return d;
}

const char *record_get_i(const esis_record *r, int col)
{
    if (!r || col < 0 || col >= r->table->ncols) return NULL;
    const char *v = r->values[col];
    return v && *v ? v : NULL;
}

const char *record_get(const esis_record *r, const char *col)
{
    return r ? record_get_i(r, schema_col(r->table, col)) : NULL;
}

int record_set_i(esis_record *r, int col, const char *value)
{
    if (!r || col < 0 || col >= r->table->ncols) return -1;
    char *v = NULL;
    if (value && *value && !(v = strdup(value))) return -1;
    free(r->values[col]);
    r->values[col] = v;
    return 0;
}

int record_set(esis_record *r, const char *col, const char *value)
{
    return record_set_i(r, schema_col(r->table, col), value);
}

char *record_key_text(const esis_record *r)
{
    strbuf sb = STRBUF_INIT;
    const esis_table *t = r->table;
    if (t->nkey == 0 || (t->nkey == 1 && !strcmp(t->key_cols[0], "id"))) {
        strbuf_addf(&sb, "%lld", r->id);
    } else {
        for (int i = 0; i < t->nkey; i++) {
            const char *v = record_get(r, t->key_cols[i]);
            if (i) strbuf_addc(&sb, '/');
            strbuf_add(&sb, v ? v : "");
        }
    }
    return strbuf_take(&sb);
}
