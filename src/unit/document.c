/*
 * document.c: the unit's forms as printed documents (see document.h).
 *
 * The layout is data (conf/documents/FORM.ini), checked against the schema
 * when loaded, so a renamed column is an error naming the file, section
 * and key rather than an empty line on paper.  The row comes through
 * db_record_load: the same scope gate and personal-data masking as every
 * other read.  Text output pads by display columns (text_fit), never by
 * bytes; HTML output escapes every value.
 */
#include "esis/document.h"
#include "esis/app.h"
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/survey.h"
#include "esis/text.h"
#include "unit_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { DOC_WIDTH = 76 };

bool doc_output_parse(const char *s, doc_output *out)
{
    if (!s) return false;
    if (!strcmp(s, "text")) *out = DOC_TEXT;
    else if (!strcmp(s, "html")) *out = DOC_HTML;
    else return false;
    return true;
}

void doc_free(doc_layout *d)
{
    if (!d) return;
    for (int i = 0; i < d->nitems; i++) {
        free(d->items[i].label_th); free(d->items[i].label_en);
        free(d->items[i].field); free(d->items[i].format);
    }
    for (int i = 0; i < d->nsignatures; i++) {
        doc_signature *s = &d->signatures[i];
        free(s->label_th); free(s->label_en); free(s->field); free(s->position_th); free(s->position_en);
        free(s->signer);
    }
    free(d->items); free(d->signatures);
    free(d->name); free(d->path); free(d->table); free(d->title_th); free(d->title_en); free(d->kind);
    free(d);
}

/* ---- loading ------------------------------------------------------------- */

static int check_field(unit_ini *L, const esis_table *t, const char *sec, const char *field)
{
    if (schema_col(t, field) < 0)
        return unit_ini_fail(L, sec, "field", "'%s' is not a column of %s", field, t->name);
    return 0;
}

static int load_item(esis_app *app, unit_ini *L, const esis_table *t, int k, doc_item *it)
{
    static const char *const keys[] = { "label_th", "label_en", "field", "format", NULL };
    char sec[32];
    snprintf(sec, sizeof sec, "item.%d", k);
    if (unit_ini_check_keys(L, sec, keys)) return -1;
    const char *th = unit_ini_need(L, sec, "label_th"), *en = th ? unit_ini_need(L, sec, "label_en") : NULL;
    const char *field = en ? unit_ini_need(L, sec, "field") : NULL;
    if (!field || check_field(L, t, sec, field)) return -1;
    const char *fmt = unit_ini_get(L, sec, "format");
    if (!fmt) fmt = "text";
    if (!strncmp(fmt, "code:", 5)) {
        if (!conf_codes(app->conf, fmt + 5)) return unit_ini_fail(L, sec, "format", "no code list '%s'", fmt + 5);
    } else if (strncmp(fmt, "msg:", 4) && strcmp(fmt, "text") && strcmp(fmt, "long") && strcmp(fmt, "date") &&
               strcmp(fmt, "int") && strcmp(fmt, "yesno")) {
        return unit_ini_fail(L, sec, "format", "'%s' is not text, long, date, int, yesno, code:LIST or msg:PREFIX", fmt);
    }
    if (!(it->label_th = strdup(th)) || !(it->label_en = strdup(en)) || !(it->field = strdup(field)) ||
        !(it->format = strdup(fmt)))
        return unit_ini_fail(L, sec, NULL, "out of memory");
    return 0;
}

static int load_signature(unit_ini *L, const esis_table *t, int k, doc_signature *s)
{
    static const char *const keys[] = { "label_th", "label_en", "field", "signer", "position_th", "position_en", NULL };
    char sec[32];
    snprintf(sec, sizeof sec, "signature.%d", k);
    if (unit_ini_check_keys(L, sec, keys)) return -1;
    const char *th = unit_ini_need(L, sec, "label_th"), *en = th ? unit_ini_need(L, sec, "label_en") : NULL;
    if (!en) return -1;
    const char *field = unit_ini_get(L, sec, "field");
    if (field && check_field(L, t, sec, field)) return -1;
    s->label_th = strdup(th);
    s->label_en = strdup(en);
    s->field = text_dup(field);
    s->position_th = text_dup(unit_ini_get(L, sec, "position_th"));
    s->position_en = text_dup(unit_ini_get(L, sec, "position_en"));
    const char *signer = unit_ini_get(L, sec, "signer");
    if (signer && strcmp(signer, "author") && !auth_role_valid(signer))
        return unit_ini_fail(L, sec, "signer", "'%s' is not author or a role", signer);
    s->signer = text_dup(signer);
    if (!s->label_th || !s->label_en) return unit_ini_fail(L, sec, NULL, "out of memory");
    return 0;
}

static int load_layout(esis_app *app, unit_ini *L, doc_layout *d)
{
    static const char *const keys[] = { "table", "title_th", "title_en", "kind", "surveys", NULL };
    static const char *const sections[] = { "document", "item.", "signature.", NULL };
    if (!unit_ini_has(L, "document")) return unit_ini_fail(L, "document", NULL, "the section is missing");
    if (unit_ini_check_keys(L, "document", keys) || unit_ini_check_sections(L, sections)) return -1;
    const char *table = unit_ini_need(L, "document", "table");
    const char *th = table ? unit_ini_need(L, "document", "title_th") : NULL;
    const char *en = th ? unit_ini_need(L, "document", "title_en") : NULL;
    if (!en) return -1;
    const esis_table *t = schema_table(app->schema, table);
    if (!t || t->id_col < 0) return unit_ini_fail(L, "document", "table", "'%s' is not a table with an id", table);
    d->table = strdup(table);
    d->title_th = strdup(th);
    d->title_en = strdup(en);
    d->kind = text_dup(unit_ini_get(L, "document", "kind"));
    if (d->kind && schema_col(t, "kind") < 0)
        return unit_ini_fail(L, "document", "kind", "%s has no column kind", table);
    const char *sv = unit_ini_get(L, "document", "surveys");
    d->surveys = sv && (!strcmp(sv, "yes") || !strcmp(sv, "true") || !strcmp(sv, "1"));
    if (d->surveys && strcmp(table, "evaluations"))
        return unit_ini_fail(L, "document", "surveys", "only an evaluations form can hold surveys");
    int n = unit_ini_count(L, "item");
    if (n < 0) return -1;
    if (n == 0) return unit_ini_fail(L, "item.1", NULL, "a document needs at least one item");
    if (!(d->items = calloc((size_t)n, sizeof *d->items))) return unit_ini_fail(L, NULL, NULL, "out of memory");
    for (int k = 1; k <= n; k++) {
        d->nitems = k;
        if (load_item(app, L, t, k, &d->items[k - 1])) return -1;
    }
    int m = unit_ini_count(L, "signature");
    if (m < 0) return -1;
    if (m && !(d->signatures = calloc((size_t)m, sizeof *d->signatures))) return unit_ini_fail(L, NULL, NULL, "out of memory");
    for (int k = 1; k <= m; k++) {
        d->nsignatures = k;
        if (load_signature(L, t, k, &d->signatures[k - 1])) return -1;
    }
    return 0;
}

int doc_load(esis_app *app, const char *name, doc_layout **out, char *err, size_t errsz)
{
    *out = NULL;
    if (!unit_name_ok(name)) return unit_fail(app, err, errsz, "doc.unknown", "%s", name ? name : "");
    char full[4200], shown[256];
    unit_conf_path(app, "documents", name, full, sizeof full, shown, sizeof shown);
    if (access(full, R_OK) != 0) return unit_fail(app, err, errsz, "doc.unknown", "%s", name);
    doc_layout *d = calloc(1, sizeof *d);
    if (!d) return unit_fail(app, err, errsz, "unit.no_memory", NULL);
    d->name = strdup(name);
    d->path = strdup(shown);
    unit_ini L;
    int rc = unit_ini_open(&L, full, d->path ? d->path : shown, err, errsz);
    if (!rc) rc = load_layout(app, &L, d);
    unit_ini_close(&L);
    if (rc) { doc_free(d); return -1; }
    *out = d;
    return 0;
}

/* ---- values ------------------------------------------------------------- */

static const char *lang_of(const esis_app *app) { return app->lang ? app->lang : "th"; }
static bool is_en(const esis_app *app) { return !strcmp(lang_of(app), "en"); }

/* The value of an item as shown, into buf. */
static const char *shown_value(esis_app *app, const esis_record *r, const char *field, const char *fmt,
                               char *buf, size_t bufsz)
{
    const char *v = record_get(r, field);
    if (!v || !*v) return "";
    if (!strcmp(fmt, "date")) return unit_date_be(v, buf, bufsz);
    if (!strcmp(fmt, "yesno")) return app_msg(app, strcmp(v, "0") ? "doc.yes" : "doc.no");
    if (!strncmp(fmt, "code:", 5)) return conf_code_label(app->conf, fmt + 5, v, lang_of(app));
    if (!strncmp(fmt, "msg:", 4)) {
        char key[128];
        snprintf(key, sizeof key, "%s%s", fmt + 4, v);
        const char *m = app_msg(app, key);
        return strcmp(m, key) ? m : v;
    }
    return v;
}

/* The account's full name and position: of login, or (role non-NULL) of the
 * first enabled account holding role.  false when there is none. */
static bool account_of(esis_app *app, const char *login, const char *role, char *name, size_t nsz,
                       char *pos, size_t psz)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (db_prepare(app->db, "SELECT coalesce(display_name, ''), coalesce(position, '') FROM users"
                            " WHERE (?1 IS NOT NULL AND login = ?1) OR (?2 IS NOT NULL AND role = ?2 AND disabled = 0)"
                            " ORDER BY id LIMIT 1", &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
        if (db_step(st) == SQLITE_ROW) {
            snprintf(name, nsz, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(pos, psz, "%s", (const char *)sqlite3_column_text(st, 1));
            found = true;
        }
    }
    sqlite3_finalize(st);
    return found;
}

/* The login that wrote the row first (its audited insert), else its last
 * writer; false when neither is known. */
static bool author_of(esis_app *app, const char *table, const esis_record *r, char *by, size_t bysz)
{
    sqlite3_stmt *st = NULL;
    const char *id = record_get(r, "id"), *last = record_get(r, "updated_by");
    *by = '\0';
    if (db_prepare(app->db, "SELECT coalesce((SELECT actor FROM audit WHERE table_name = ?1 AND row_id = ?2"
                            " AND action = 'insert' ORDER BY id LIMIT 1), nullif(?3, ''), '')", &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, last, -1, SQLITE_STATIC);
        if (db_step(st) == SQLITE_ROW) snprintf(by, bysz, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return *by != '\0';
}

/* Who signs: the field's value (a login there is its account's name), else
 * the signer's account; the position from the account, else the layout's.
 * A login is never printed as a name. */
static void signer_of(esis_app *app, const char *table, const doc_signature *s, const esis_record *r,
                      char *name, size_t nsz, char *pos, size_t psz)
{
    char val[256];
    const char *v = s->field ? shown_value(app, r, s->field, "text", val, sizeof val) : "";
    *name = *pos = '\0';
    if (*v) {
        if (!account_of(app, v, NULL, name, nsz, pos, psz)) snprintf(name, nsz, "%s", v);
    } else if (s->signer && !strcmp(s->signer, "author")) {
        char by[80];
        if (author_of(app, table, r, by, sizeof by)) account_of(app, by, NULL, name, nsz, pos, psz);
    } else if (s->signer) {
        account_of(app, NULL, s->signer, name, nsz, pos, psz);
    }
    const char *conf_pos = is_en(app) ? s->position_en : s->position_th;
    if (!*pos && conf_pos) snprintf(pos, psz, "%s", conf_pos);
    /* The label already says the position ("ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"). */
    if (!strcmp(pos, is_en(app) ? s->label_en : s->label_th)) *pos = '\0';
}

/* ---- text --------------------------------------------------------------- */

static void text_center(FILE *out, const char *s, int width)
{
    char buf[2048];
    text_fit(buf, sizeof buf, s, width, 'c', true);
    /* no trailing spaces */
    size_t n = strlen(buf);
    while (n && buf[n - 1] == ' ') buf[--n] = '\0';
    fprintf(out, "%s\n", buf);
}

void doc_text_heading(esis_app *app, FILE *out, const char *title, int width)
{
    text_center(out, unit_office_name(app, lang_of(app)), width);
    text_center(out, title, width);
    fputc('\n', out);
}

/* Write s wrapped to width columns, each line after `indent` spaces; lines
 * break at spaces when there is one in reach, else at a cluster. */
static void text_wrap(FILE *out, const char *s, int first_indent, int indent, int width)
{
    bool first = true;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t seg = nl ? (size_t)(nl - s) : strlen(s);
        char *line = strndup(s, seg);
        if (!line) return;
        const char *p = line;
        do {
            int cols;
            size_t take = text_prefix_for_width(p, width, &cols);
            if (p[take]) {
                size_t sp = take;
                while (sp > 0 && p[sp] != ' ') sp--;
                if (sp > 0) take = sp;
                if (take == 0) take = 1;
            }
            fprintf(out, "%*s%.*s\n", first ? first_indent : indent, "", (int)take, p);
            first = false;
            p += take;
            while (*p == ' ') p++;
        } while (*p);
        free(line);
        s = nl ? nl + 1 : NULL;
    }
}

/* indent spaces, then s without its trailing spaces. */
static void put_line(FILE *out, int indent, const char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') n--;
    fprintf(out, "%*s%.*s\n", indent, "", (int)n, s);
}

static void text_signatures(esis_app *app, const doc_layout *d, const esis_record *r, FILE *out)
{
    const int left = 36, w = DOC_WIDTH - left;
    char buf[1024];
    for (int i = 0; i < d->nsignatures; i++) {
        const doc_signature *s = &d->signatures[i];
        char name[256], pos[256];
        signer_of(app, d->table, s, r, name, sizeof name, pos, sizeof pos);
        fputc('\n', out);
        snprintf(buf, sizeof buf, "%s .................................", app_msg(app, "doc.signed"));
        fprintf(out, "%*s%s\n", left, "", buf);
        snprintf(buf, sizeof buf, "( %s )", *name ? name : "                              ");
        char fitted[1024];
        text_fit(fitted, sizeof fitted, buf, w, 'c', true);
        put_line(out, left, fitted);
        const char *label = is_en(app) ? s->label_en : s->label_th;
        snprintf(buf, sizeof buf, "%s%s%s", label, *pos ? " " : "", pos);
        text_fit(fitted, sizeof fitted, buf, w, 'c', true);
        put_line(out, left, fitted);
    }
}

static int render_text(esis_app *app, const doc_layout *d, const esis_record *r, FILE *out)
{
    const char *title = is_en(app) ? d->title_en : d->title_th;
    doc_text_heading(app, out, title, DOC_WIDTH);
    int labelw = 0;
    for (int i = 0; i < d->nitems; i++) {
        int w = text_width(is_en(app) ? d->items[i].label_en : d->items[i].label_th);
        if (w > labelw) labelw = w;
    }
    if (labelw > 28) labelw = 28;
    char label[512], val[512], num[16];
    for (int i = 0; i < d->nitems; i++) {
        const doc_item *it = &d->items[i];
        const char *v = shown_value(app, r, it->field, it->format, val, sizeof val);
        snprintf(num, sizeof num, "%d.", i + 1);
        text_fit(label, sizeof label, is_en(app) ? it->label_en : it->label_th, labelw, 'l', true);
        if (!strcmp(it->format, "long")) {
            fprintf(out, "%-3s %s\n", num, is_en(app) ? it->label_en : it->label_th);
            text_wrap(out, *v ? v : "-", 4, 4, DOC_WIDTH - 4);
        } else {
            fprintf(out, "%-3s %s : ", num, label);
            /* The first line goes beside the label, the rest under it. */
            int indent = 4 + labelw + 3;
            text_wrap(out, *v ? v : "-", 0, indent, DOC_WIDTH - indent);
        }
    }
    text_signatures(app, d, r, out);
    return ferror(out) ? -1 : 0;
}

/* ---- HTML --------------------------------------------------------------- */

static const char DOC_STYLE[] =
    "body{font-family:'TH Sarabun New',Sarabun,'Noto Sans Thai',Tahoma,sans-serif;font-size:16pt;"
    "margin:24px auto;max-width:190mm;color:#000;line-height:1.35}\n"
    ".garuda{text-align:center;margin-bottom:6px}\n"
    ".office{text-align:center;font-weight:bold;font-size:1.05em}\n"
    "h1{text-align:center;font-size:1.3em;margin:4px 0 14px}\n"
    "h2{font-size:1.1em;margin:18px 0 6px}\n"
    "ol.items{padding-left:1.6em}ol.items li{margin:4px 0}\n"
    ".label{font-weight:bold}.long{margin:2px 0 0 0;white-space:normal}\n"
    ".sign{margin:28px 0 0 50%;text-align:center}\n"
    "table.grid{border-collapse:collapse;width:100%;margin-top:8px;font-size:.9em}\n"
    "table.grid th,table.grid td{border:1px solid #555;padding:2px 6px}\n"
    "table.grid th{background:#e8e8e8}td.r{text-align:right;white-space:nowrap}\n"
    ".bar{height:10px;background:#2b6cb0;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    ".note{font-size:.85em;color:#333}\n"
    "@media print{body{margin:0}@page{size:A4;margin:20mm 15mm}h2{page-break-after:avoid}"
    "tr,.sign{page-break-inside:avoid}}\n";

void doc_html_begin(esis_app *app, FILE *out, const char *title)
{
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>", lang_of(app));
    unit_html_escape(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n", DOC_STYLE);
    fputs("<div class=\"office\">", out);
    unit_html_escape(out, unit_office_name(app, lang_of(app)));
    fputs("</div>\n<h1>", out);
    unit_html_escape(out, title);
    fputs("</h1>\n</header>\n", out);
}

void doc_html_end(FILE *out)
{
    fputs("</body>\n</html>\n", out);
}

static int render_html(esis_app *app, const doc_layout *d, const esis_record *r, FILE *out)
{
    doc_html_begin(app, out, is_en(app) ? d->title_en : d->title_th);
    fputs("<ol class=\"items\">\n", out);
    char val[512];
    for (int i = 0; i < d->nitems; i++) {
        const doc_item *it = &d->items[i];
        const char *v = shown_value(app, r, it->field, it->format, val, sizeof val);
        fputs("<li><span class=\"label\">", out);
        unit_html_escape(out, is_en(app) ? it->label_en : it->label_th);
        fputs(strcmp(it->format, "long") ? "</span> : " : "</span><div class=\"long\">", out);
        unit_html_escape(out, *v ? v : "-");
        fputs(strcmp(it->format, "long") ? "</li>\n" : "</div></li>\n", out);
    }
    fputs("</ol>\n", out);
    for (int i = 0; i < d->nsignatures; i++) {
        const doc_signature *s = &d->signatures[i];
        char name[256], pos[256];
        signer_of(app, d->table, s, r, name, sizeof name, pos, sizeof pos);
        fputs("<div class=\"sign\">", out);
        unit_html_escape(out, app_msg(app, "doc.signed"));
        fputs(" ....................................<br>( ", out);
        if (*name) unit_html_escape(out, name);
        else fputs("&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;", out);
        fputs(" )<br>", out);
        unit_html_escape(out, is_en(app) ? s->label_en : s->label_th);
        if (*pos) { fputc(' ', out); unit_html_escape(out, pos); }
        fputs("</div>\n", out);
    }
    return ferror(out) ? -1 : 0;
}

/* ---- the row ------------------------------------------------------------- */

int doc_render(esis_app *app, const doc_layout *d, long long id, doc_output kind, FILE *out,
               char *err, size_t errsz)
{
    const db_session *s = db_session_get(app->db);
    if (s && !s->all_schools) return unit_fail(app, err, errsz, "doc.not_office", NULL);
    const esis_table *t = schema_table(app->schema, d->table);
    esis_record *r = t ? db_record_load(app->db, t, id) : NULL;
    if (!r) return unit_fail(app, err, errsz, "doc.not_found", "%s %lld", d->table, id);
    int rc = 0;
    const char *k = record_get(r, "kind");
    if (d->kind && (!k || strcmp(k, d->kind)))
        rc = unit_fail(app, err, errsz, "doc.wrong_kind", "%s %lld: %s", d->table, id, k ? k : "");
    if (!rc) rc = kind == DOC_HTML ? render_html(app, d, r, out) : render_text(app, d, r, out);
    if (!rc && d->surveys) rc = survey_render_for_evaluation(app, id, kind, out, err, errsz);
    if (!rc && kind == DOC_HTML) doc_html_end(out);
    if (!rc && (fflush(out) || ferror(out))) rc = unit_fail(app, err, errsz, "unit.cannot_write", NULL);
    record_free(r);
    return rc;
}

int doc_print(esis_app *app, const char *form, long long id, doc_output kind, FILE *out,
              char *err, size_t errsz)
{
    doc_layout *d = NULL;
    if (doc_load(app, form, &d, err, errsz)) return -1;
    int rc = doc_render(app, d, id, kind, out, err, errsz);
    doc_free(d);
    return rc;
}

int doc_write_file(esis_app *app, const char *path, doc_write_fn fn, void *ctx, char *err, size_t errsz)
{
    if (!path || !strcmp(path, "-")) return fn(ctx, stdout, err, errsz);
    size_t n = strlen(path) + 8;
    char *tmp = malloc(n);
    if (!tmp) return unit_fail(app, err, errsz, "unit.no_memory", NULL);
    snprintf(tmp, n, "%s.part", path);
    FILE *fp = fopen(tmp, "w");
    int rc = fp ? fn(ctx, fp, err, errsz) : unit_fail(app, err, errsz, "unit.cannot_write", "%s", path);
    if (fp && fclose(fp) != 0 && !rc) rc = unit_fail(app, err, errsz, "unit.cannot_write", "%s", path);
    if (fp && !rc && rename(tmp, path) != 0) rc = unit_fail(app, err, errsz, "unit.cannot_write", "%s", path);
    if (fp && rc) unlink(tmp);
    free(tmp);
    return rc;
}
