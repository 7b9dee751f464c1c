/*
 * ui_actions: the built-in actions a menu item names with `action = ...` in
 * screens/menu.ini (lang and quit are the shell's own):
 *
 *   check         the batch check of the current round over the user's
 *                 schools, stored like `esis check` (rules_check_store),
 *                 then the flags screen;
 *   report:NAME   the report viewer (ui_report);
 *   import:KIND   asks for a file, runs io_import, shows the summary and
 *                 offers the quarantine screen when rows were rejected;
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

#endif
