/*
 * ui_report: the report viewer behind `action = report:NAME`.  The rows of
 * report_run for the current round and the user's scope (the gate narrows a
 * school officer's report to their school) in a scrollable table, its
 * column headings fixed above, the totals row last, then the report's main
 * counts as bar charts of block characters (report_bar_line_text).  `o`
 * writes the report to a file the user names: HTML when the name ends in
 * .html or .htm, else CSV.
 */
#ifndef ESIS_UI_REPORT_H
#define ESIS_UI_REPORT_H

#include <stdbool.h>
#include "esis/ui_screen_form.h"

/* Show report name.  True when the user asked to quit esis. */
bool ui_report_run(ui_screen_env *env, const char *name);

#endif
