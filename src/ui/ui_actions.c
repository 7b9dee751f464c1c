/*
 * ui_actions: the menu's built-in actions (include/esis/ui_actions.h).
 * Each is a few calls into the layers below: the check into rules, import
 * and export into io, and the viewers into their own ui_ files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>
#include "esis/auth.h"
#include "esis/io.h"
#include "esis/rules.h"
#include "esis/ui_actions.h"
#include "esis/ui_audit.h"
#include "esis/ui_dialog.h"
#include "esis/ui_drafts.h"
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

static bool ui_action_import(ui_screen_env *env, const ui_screens *screens,
                             const char *kind, const char *label)
{
    char path[1024] = "", line[1600];
    if (!ui_action_path(env, label, "ui.import_path", path, sizeof path))
        return false;
    ui_draw_status(env->ctx, stdscr, UI_STATUS_INFO, ui_screen_msg(env, "ui.importing"));
    wnoutrefresh(stdscr);
    doupdate();
    io_summary sum;
    memset(&sum, 0, sizeof sum);
    int rc = io_import(env->app, kind, path, env->round.code, NULL, &sum);
    if (rc == 1 || rc == 2) {
        snprintf(line, sizeof line, "%s %s", ui_screen_msg(env, "ui.import_failed"),
                 *sum.message ? sum.message : env->app->err);
        ui_action_say(env, label, line);
        return false;
    }
    io_summary_line(env->app, &sum, line, sizeof line);
    if (*sum.warning) {
        size_t used = strlen(line);
        snprintf(line + used, sizeof line - used, "\n%s", sum.warning);
    }
    if (sum.rejected == 0 || !ui_screens_find(screens, "quarantine")) {
        ui_action_say(env, label, line);
        return false;
    }
    size_t used = strlen(line);
    snprintf(line + used, sizeof line - used, "\n\n%s", ui_screen_msg(env, "ui.open_quarantine"));
    return ui_dialog_confirm(env->ctx, line) && ui_action_screen(env, screens, "quarantine");
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
     * personal data, so the role decides; a name ending .xlsx: a workbook */
    int rc = xlsx ? io_export_xlsx(env->app, kind, env->round.code, NULL, false, path, &n)
                  : io_export(env->app, kind, env->round.code, NULL, false, fp, &n);
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
    if (!strncmp(action, "import:", 7))
        return ui_action_import(env, screens, action + 7, label);
    if (!strncmp(action, "export:", 7)) {
        ui_action_export(env, action + 7, label);
        return false;
    }
    ui_action_say(env, label, ui_screen_msg(env, "ui.not_ready"));
    return false;
}
