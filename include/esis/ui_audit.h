/*
 * ui_audit: the audit trail in the TUI, read through the gate (db_history):
 *
 *   ui_audit_run     the `audit` menu action: a school's changes in the
 *                    current round, newest first.  A school officer sees
 *                    their school; the office is asked for a school code
 *                    (empty: every school).
 *   ui_audit_record  one record's history, oldest first, each change as
 *                    "field: old → new" (the history key in a form).
 *
 * Entries are shown at most UI_AUDIT_MAX at a time (the newest), so a busy
 * round never fills memory.
 */
#ifndef ESIS_UI_AUDIT_H
#define ESIS_UI_AUDIT_H

#include <stdbool.h>
#include "esis/ui_screen_form.h"

#define UI_AUDIT_MAX 2000

/* True when the user asked to quit esis. */
bool ui_audit_run(ui_screen_env *env, const char *label);
void ui_audit_record(ui_screen_env *env, const char *table, long long row_id,
                     const char *title);

#endif
