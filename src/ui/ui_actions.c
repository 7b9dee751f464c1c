/*
 * ui_actions: the menu's built-in actions (include/esis/ui_actions.h).
 * Each is a few calls into the layers below: the check into rules, import
 * and export into io, and the viewers into their own ui_ files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>
#include "esis/auth.h"
#include "esis/io.h"
#include "esis/rules.h"
#include "esis/strbuf.h"
#include "esis/termsafe.h"
#include "esis/ui_actions.h"
#include "esis/ui_audit.h"
#include "esis/ui_dialog.h"
#include "esis/ui_drafts.h"
#include "esis/ui_filechooser.h"
#include "esis/ui_report.h"
#include "esis/ui_screen_list.h"

/* Open screen name's list, if the definitions have it. */
static bool ui_action_screen(ui_screen_env *env, const ui_screens *screens,
                             const char *name)
{
    const ui_screen *sc = ui_screens_find(screens, name);
    return sc && ui_screen_list_run(env, sc);
}

/* A message box over whatever is on the screen. */
static void ui_action_say(ui_screen_env *env, const char *title, const char *text)
{
    ui_dialog_message(env->ctx, title, text);
}

static bool ui_action_check(ui_screen_env *env, const ui_screens *screens,
                            const char *label)
{
    esis_app *app = env->app;
    char err[600] = "", msg[800];
    if (!app->rules) {
        ui_action_say(env, label, ui_screen_msg(env, "ui.no_rules"));
        return false;
    }
    ui_draw_status(env->ctx, stdscr, UI_STATUS_INFO, ui_screen_msg(env, "ui.checking"));
    wnoutrefresh(stdscr);
    doupdate();
    rules_store_counts counts = {0, 0};
    if (rules_check_store(app->rules, app->db, &env->rules, NULL, env->lang ? "en" : "th",
                          NULL, NULL, &counts, err, sizeof err) != 0) {
        snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(env, "ui.check_failed"), err);
        ui_action_say(env, label, msg);
        return false;
    }
    snprintf(msg, sizeof msg, "%s %s: %s %ld, %s %ld", ui_screen_msg(env, "ui.check_done"),
             env->round.code, ui_screen_msg(env, "check.errors"), counts.errors,
             ui_screen_msg(env, "check.warnings"), counts.warnings);
    ui_action_say(env, label, msg);
    return ui_action_screen(env, screens, "flags");
}

/* Ask for a file path; false when cancelled or empty. */
static bool ui_action_path(ui_screen_env *env, const char *label, const char *prompt_key,
                           char *path, size_t pathsz)
{
    return ui_dialog_prompt(env->ctx, label, ui_screen_msg(env, prompt_key), path, pathsz,
                            (int)pathsz - 1) && *path;
}

/* ---- import: a file from the chooser, progress, the outcome ---------- */

/* The status line while a long import runs: rows read so far. */
static void ui_import_progress(long rows, void *user)
{
    ui_screen_env *env = user;
    char line[256];
    snprintf(line, sizeof line, "%s %ld %s", ui_screen_msg(env, "ui.importing"), rows,
             ui_screen_msg(env, "ui.rows"));
    ui_draw_status(env->ctx, stdscr, UI_STATUS_INFO, line);
    wnoutrefresh(stdscr);
    doupdate();
}

typedef struct ui_rejects_peek {
    strbuf     *out;
    const char *row_word;
    int         shown, max;
} ui_rejects_peek;

/* A row of the rejects file (row, reasons, raw, ...): "line N: reasons". */
static int ui_rejects_row(const io_csv_row *row, void *user)
{
    ui_rejects_peek *p = user;
    if (row->line_no == 1 || row->status != IO_ROW_OK || row->nfields < 2)
        return 0;               /* the header; a damaged line is not ours to show */
    if (p->shown == p->max)
        return 1;
    char *safe = text_term_safe_dup(row->fields[1]);
    strbuf_addf(p->out, "\n  %s %s: %s", p->row_word, row->fields[0], safe ? safe : "");
    free(safe);
    p->shown++;
    return 0;
}

/* The first rejected rows with their reasons, read back from the rejects
 * file the import wrote (what the user will open to fix them). */
static void ui_rejects_first(ui_screen_env *env, const io_summary *sum, strbuf *out)
{
    FILE *fp = fopen(sum->rejects_path, "rb");
    if (!fp)
        return;
    char *path = text_term_safe_dup(sum->rejects_path);
    strbuf_addf(out, "\n\n%s %s\n%s", ui_screen_msg(env, "ui.import_rejects_file"),
                path ? path : "", ui_screen_msg(env, "ui.import_rejects_first"));
    free(path);
    ui_rejects_peek p = {out, ui_screen_msg(env, "ui.import_reject_row"), 0, 5};
    char err[256];
    io_csv_read(fp, sum->rejects_path, NULL, ui_rejects_row, &p, NULL, err, sizeof err);
    fclose(fp);
}

bool ui_action_import_file(ui_screen_env *env, const ui_screens *screens,
                           const char *kind, const char *label,
                           ui_status_kind *skind, char *status, size_t statussz)
{
    if (status)
        *status = '\0';
    char path[4096] = "";
    if (!ui_filechooser_run(env->ctx, label, ui_screen_msg(env, "ui.fc_import_label"),
                            path, sizeof path))
        return false;
    ui_draw_status(env->ctx, stdscr, UI_STATUS_INFO, ui_screen_msg(env, "ui.importing"));
    wnoutrefresh(stdscr);
    doupdate();
    io_summary sum;
    memset(&sum, 0, sizeof sum);
    io_read_opts opts = {.progress = ui_import_progress, .progress_user = env};
    int rc = io_import_with(env->app, kind, path, env->round.code, NULL, &opts, &sum);
    strbuf msg = STRBUF_INIT;
    if (rc == 1 || rc == 2) {
        /* the status says it too, so no "importing..." stays under the box */
        strbuf_addf(&msg, "%s %s", ui_screen_msg(env, "ui.import_failed"),
                    *sum.message ? sum.message : env->app->err);
        ui_draw_status(env->ctx, stdscr, UI_STATUS_ERROR, strbuf_str(&msg));
        if (status) {
            snprintf(status, statussz, "%s", strbuf_str(&msg));
            *skind = UI_STATUS_ERROR;
        }
        ui_action_say(env, label, strbuf_str(&msg));
        strbuf_free(&msg);
        return false;
    }
    char line[8192];
    io_summary_line(env->app, &sum, line, sizeof line);
    ui_draw_status(env->ctx, stdscr, rc == 3 ? UI_STATUS_WARNING : UI_STATUS_INFO, line);
    if (status) {
        snprintf(status, statussz, "%s", line);
        *skind = rc == 3 ? UI_STATUS_WARNING : UI_STATUS_INFO;
    }
    strbuf_add(&msg, line);
    if (*sum.warning)
        strbuf_addf(&msg, "\n%s", sum.warning);
    if (*sum.rejects_replaced) {
        io_rejects_note(env->app, &sum, line, sizeof line);
        strbuf_addf(&msg, "\n%s", line);
    }
    if (sum.rejected > 0)
        ui_rejects_first(env, &sum, &msg);
    bool quit = false;
    if (sum.rejected == 0 || !ui_screens_find(screens, "quarantine")) {
        ui_action_say(env, label, strbuf_str(&msg));
    } else {
        strbuf_addf(&msg, "\n\n%s", ui_screen_msg(env, "ui.open_quarantine"));
        quit = ui_dialog_confirm(env->ctx, strbuf_str(&msg)) &&
               ui_action_screen(env, screens, "quarantine");
    }
    strbuf_free(&msg);
    return quit;
}

#define UI_IMPORT_KINDS_MAX 32

typedef struct ui_import_kinds {
    char kind[UI_IMPORT_KINDS_MAX][64];
    char table[UI_IMPORT_KINDS_MAX][64];
    int  n;
} ui_import_kinds;

/* The kinds are the files conf/import/KIND.ini, by name, each with the
 * table its mapping targets: data, so a new mapping needs no code. */
static void ui_import_kinds_read(const esis_app *app, ui_import_kinds *k)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/conf/import", app->home);
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    k->n = 0;
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        size_t len = strlen(nm);
        if (k->n < UI_IMPORT_KINDS_MAX && len > 4 && len < 64 && nm[0] != '.' &&
            !strcmp(nm + len - 4, ".ini")) {
            char err[256];
            snprintf(k->kind[k->n], sizeof k->kind[k->n], "%.*s", (int)(len - 4), nm);
            io_mapping *m = io_mapping_load(app->home, k->kind[k->n], err, sizeof err);
            if (m && strlen(m->table) < sizeof k->table[0]) {
                snprintf(k->table[k->n], sizeof k->table[k->n], "%s", m->table);
                k->n++;
            }
            io_mapping_free(m);
        }
        free(names[i]);
    }
    free(names);
}

bool ui_action_import_kind(const esis_app *app, const char *table, char *kind, size_t kindsz)
{
    ui_import_kinds k;
    ui_import_kinds_read(app, &k);
    for (int i = 0; i < k.n; i++)
        if (!strcmp(k.table[i], table)) {
            snprintf(kind, kindsz, "%s", k.kind[i]);
            return true;
        }
    return false;
}

/* `action = import`: every kind, named by the title of its table's screen,
 * to choose from; then the file. */
static bool ui_action_import_any(ui_screen_env *env, const ui_screens *screens,
                                 const char *label)
{
    ui_import_kinds k;
    ui_import_kinds_read(env->app, &k);
    char lines[UI_IMPORT_KINDS_MAX][256];
    const char *ptrs[UI_IMPORT_KINDS_MAX];
    for (int i = 0; i < k.n; i++) {
        const char *title = k.table[i];
        for (int s = 0; screens && s < screens->nscreens; s++)
            if (!strcmp(screens->screens[s].table, k.table[i]))
                title = screens->screens[s].title[env->lang];
        snprintf(lines[i], sizeof lines[i], "%s (%s)", title, k.kind[i]);
        ptrs[i] = lines[i];
    }
    if (k.n == 0) {
        ui_action_say(env, label, ui_screen_msg(env, "ui.not_ready"));
        return false;
    }
    int c = ui_dialog_list(env->ctx, label, ptrs, k.n, 0);
    return c >= 0 && ui_action_import_file(env, screens, k.kind[c], lines[c], NULL, NULL, 0);
}

static void ui_action_export(ui_screen_env *env, const char *kind, const char *label)
{
    char path[1024] = "", msg[1600];
    if (!ui_action_path(env, label, "ui.export_path", path, sizeof path))
        return;
    if (access(path, F_OK) == 0 &&
        !ui_dialog_confirm(env->ctx, ui_screen_msg(env, "ui.overwrite")))
        return;
    size_t len = strlen(path);
    bool xlsx = len > 5 && !strcmp(path + len - 5, ".xlsx");
    FILE *fp = xlsx ? NULL : fopen(path, "wb");
    if (!fp && !xlsx) {
        snprintf(msg, sizeof msg, "%s %s: %s", ui_screen_msg(env, "ui.cannot_write"), path,
                 strerror(errno));
        ui_action_say(env, label, msg);
        return;
    }
    long n = 0;
    /* mask false: io_export masks anyway when the session may not see
     * personal data, so the role decides; codes by their labels, as the
     * user reads them; a name ending .xlsx: a workbook */
    io_export_opts opts = { false, IO_CODES_LABELS };
    int rc = xlsx ? io_export_xlsx(env->app, kind, env->round.code, NULL, &opts, path, &n)
                  : io_export(env->app, kind, env->round.code, NULL, &opts, fp, &n);
    if (fp && fclose(fp) != 0 && rc == 0) {
        rc = 1;
        snprintf(env->app->err, sizeof env->app->err, "%.900s: %s", path, strerror(errno));
    }
    if (rc != 0) {
        unlink(path);
        snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(env, "ui.export_failed"), env->app->err);
    } else {
        const db_session *s = db_session_get(env->app->db);
        snprintf(msg, sizeof msg, "%s %s: %ld %s%s%s", ui_screen_msg(env, "ui.exported"), path, n,
                 ui_screen_msg(env, "ui.rows"), s && !s->see_personal ? " · " : "",
                 s && !s->see_personal ? ui_screen_msg(env, "ui.export_masked") : "");
    }
    ui_action_say(env, label, msg);
}

bool ui_action_run(ui_screen_env *env, const ui_screens *screens,
                   const char *action, const char *label)
{
    if (!strcmp(action, "check"))
        return ui_action_check(env, screens, label);
    if (!strcmp(action, "drafts"))
        return ui_drafts_run(env, screens, false);
    if (!strcmp(action, "audit"))
        return ui_audit_run(env, label);
    if (!strncmp(action, "report:", 7))
        return ui_report_run(env, action + 7);
    if (!strcmp(action, "import"))
        return ui_action_import_any(env, screens, label);
    if (!strncmp(action, "import:", 7))
        return ui_action_import_file(env, screens, action + 7, label, NULL, NULL, 0);
    if (!strncmp(action, "export:", 7)) {
        ui_action_export(env, action + 7, label);
        return false;
    }
    ui_action_say(env, label, ui_screen_msg(env, "ui.not_ready"));
    return false;
}
