/*
 * ui_actions: the built-in actions a menu item names with `action = ...` in
 * screens/menu.ini (lang and quit are the shell's own):
 *
 *   check         the batch check of the current round over the user's
 *                 schools, stored like `esis check` (rules_check_store),
 *                 then the flags screen;
 *   report:NAME   the report viewer (ui_report);
 *   import:KIND   a file from the chooser (ui_filechooser), io_import_with
 *                 with the rows read on the status line, then the summary,
 *                 the rejects file and its first rows with their reasons,
 *                 and the quarantine screen offered when rows were rejected;
 *                 a list screen whose table a conf/import/KIND.ini maps offers
 *                 the same on its actions key;
 *   import        every kind of conf/import to choose from, then as above;
 *   export:KIND   asks for a file, runs io_export (personal data masked
 *                 unless the user's role may see it, as the gate decides);
 *   audit         the audit trail viewer (ui_audit);
 *   drafts        the user's drafts (ui_drafts).
 *
 * Every failure is shown with its reason.
 */
#ifndef ESIS_UI_ACTIONS_H
#define ESIS_UI_ACTIONS_H

#include <stdbool.h>
#include "esis/ui_screen_form.h"
#include "esis/ui_screens.h"

/* Run action (label: the menu item's, for titles).  True when the user
 * asked to quit esis. */
bool ui_action_run(ui_screen_env *env, const ui_screens *screens,
                   const char *action, const char *label);

/* Import a file chosen by the user as kind (io_import's permissions: the
 * data layer's gate decides).  status (may be NULL) gets the outcome for a
 * screen's status line, of kind *skind, or "" when cancelled.  True when
 * the user asked to quit esis. */
bool ui_action_import_file(ui_screen_env *env, const ui_screens *screens,
                           const char *kind, const char *label,
                           ui_status_kind *skind, char *status, size_t statussz);
/* The import kind whose mapping (conf/import/KIND.ini) targets table, into
 * kind; false when none does. */
bool ui_action_import_kind(const esis_app *app, const char *table, char *kind, size_t kindsz);

#endif
