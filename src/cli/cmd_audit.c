/*
 * cmd_audit.c: `esis audit` — who changed what, when, and from where.
 *
 *   esis audit [--table T] [--row ID] [--school CODE] [--round R] [--user LOGIN]
 *              [--since DATE] [--until DATE] [--limit N] [--format text|csv]
 *
 * --user here filters by who made the change; to log in as a user of a
 * shared account, put --user before the command (esis --user NAME audit).
 *
 * Read through db_history, so the gate applies: a school officer sees only
 * their schools' history (asking for another school is refused, exit 1,
 * rather than answered with an empty list that looks like "no changes"),
 * and personal values are masked for those who may not see them.
 *
 * text: one heading line per change (when, who, origin, table, key,
 * action), then one indented line per field: old -> new.
 * csv: one line per changed field (a change with no field still gets one
 * line), UTF-8 with a BOM so spreadsheet programs read Thai.
 */
#include "esis/cli.h"
#include "esis/db.h"
#include "esis/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct audit_out {
    const esis_app *app;
    bool csv;
    long entries;
} audit_out;

static void csv_field(const char *s, bool last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        putchar('"');
        for (; *s; s++) {
            if (*s == '"') putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
    fputs(last ? "\r\n" : ",", stdout);
}

static int print_csv(const db_history_entry *e, const audit_out *o)
{
    (void)o;
    char id[24], row[24];
    snprintf(id, sizeof id, "%lld", e->audit_id);
    snprintf(row, sizeof row, "%lld", e->row_id);
    int n = e->nchanges ? e->nchanges : 1;
    for (int i = 0; i < n; i++) {
        const db_change *c = e->nchanges ? &e->changes[i] : NULL;
        const char *f[] = { id, e->at, e->actor, e->origin, e->table, e->row_id ? row : "",
                            e->row_key, e->school_code, e->round_code, e->action,
                            c ? c->field : "", c ? c->old_value : "", c ? c->new_value : "" };
        for (size_t k = 0; k < sizeof f / sizeof *f; k++) csv_field(f[k], k + 1 == sizeof f / sizeof *f);
    }
    return 0;
}

static int print_text(const db_history_entry *e, const audit_out *o)
{
    char id[32] = "";
    if (e->row_id) snprintf(id, sizeof id, " #%lld", e->row_id);
    printf("%s  %s  %s  %s %s%s  %s\n", e->at, e->actor, e->origin, e->table,
           e->row_key ? e->row_key : "", id, e->action);
    for (int i = 0; i < e->nchanges; i++) {
        const db_change *c = &e->changes[i];
        /* A new or deleted row: its non-empty fields, one side only. */
        if (!strcmp(e->action, "insert")) {
            if (c->new_value && *c->new_value) printf("    %s: %s\n", c->field, c->new_value);
        } else if (!strcmp(e->action, "delete")) {
            if (c->old_value && *c->old_value)
                printf("    %s: %s (%s)\n", c->field, c->old_value, app_msg(o->app, "audit.deleted"));
        }
        else
            printf("    %s: %s -> %s\n", c->field, c->old_value ? c->old_value : "''",
                   c->new_value ? c->new_value : "''");
    }
    return 0;
}

static int on_entry(const db_history_entry *e, void *ctx)
{
    audit_out *o = ctx;
    o->entries++;
    return o->csv ? print_csv(e, o) : print_text(e, o);
}

/* A date from the command line (ISO or BE) as ISO, into out[11]. */
static bool date_arg(const char *v, char *out)
{
    text_date d;
    char ascii[64];
    snprintf(ascii, sizeof ascii, "%s", v);
    text_ascii_digits(ascii, ascii);
    if (!text_date_parse(ascii, &d)) return false;
    text_date_iso(d, out);
    return true;
}

static int run(esis_app *app, int argc, char **argv)
{
    db_history_filter f;
    memset(&f, 0, sizeof f);
    const char *format = "text";
    char since[16], until[16];
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--table"))) f.table = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--row"))) f.row_id = atoll(v);
        else if ((v = cli_opt_value(argc, argv, &i, "--school"))) f.school_code = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--round"))) f.round_code = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--user"))) f.actor = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--limit"))) f.limit = atoi(v);
        else if ((v = cli_opt_value(argc, argv, &i, "--format"))) format = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--since"))) {
            if (!date_arg(v, since)) return cli_fail(2, "audit --since: '%s' is not a date", v);
            f.since = since;
        } else if ((v = cli_opt_value(argc, argv, &i, "--until"))) {
            if (!date_arg(v, until)) return cli_fail(2, "audit --until: '%s' is not a date", v);
            f.until = until;
        } else return cli_fail(2, "audit: unknown argument '%s'", argv[i]);
    }
    if (strcmp(format, "text") && strcmp(format, "csv"))
        return cli_fail(2, "audit --format: '%s' is not text or csv", format);
    if (f.row_id && !f.table) return cli_fail(2, "audit --row needs --table");
    int refused = cli_school_in_scope(app, f.school_code);
    if (refused)
        return refused;
    audit_out o = { app, !strcmp(format, "csv"), 0 };
    if (o.csv) {
        fputs("\xEF\xBB\xBF", stdout);
        const char *h[] = { "audit_id", "at", "actor", "origin", "table", "row_id", "key", "school_code",
                            "round_code", "action", "field", "old", "new" };
        for (size_t k = 0; k < sizeof h / sizeof *h; k++) csv_field(h[k], k + 1 == sizeof h / sizeof *h);
    }
    char err[512];
    if (db_history(app->db, &f, on_entry, &o, err, sizeof err) != SQLITE_OK) return cli_fail(1, "%s", err);
    if (!o.csv && o.entries == 0) fprintf(stderr, "%s\n", app_msg(app, "audit.none"));
    return 0;
}

const esis_cmd cmd_audit = {
    "audit", "audit [--table T] [--row ID] [--school C] [--round R] [--user L] [--since D] [--format text|csv]",
    "cmd.audit", APP_LOGIN, run,
};
