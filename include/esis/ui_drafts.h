/*
 * ui_drafts: the user's drafts in the TUI (esis/draft.h keeps them): the
 * question at start-up ("you have a record you were typing when the
 * connection dropped: open it?") and the "drafts" menu action, a list of
 * the drafts of which the chosen one opens in its screen's form exactly as
 * it was typed (values, focus, the version being edited).  Saving it goes
 * through the normal save with its version check and deletes the draft.
 *
 * Drafts are the esis user's, not the process's: a second session of the
 * same user sees the same list, and one that was opened and saved by the
 * other session is simply gone (the load says so).
 */
#ifndef ESIS_UI_DRAFTS_H
#define ESIS_UI_DRAFTS_H

#include <stdbool.h>
#include "esis/ui_screen_form.h"
#include "esis/ui_screens.h"

/* List the drafts and open the chosen one; with offer, only when there
 * are drafts, and after asking.  True when the user asked to quit esis. */
bool ui_drafts_run(ui_screen_env *env, const ui_screens *screens, bool offer);

#endif
