/*
 * report_internal: what the report module's files share and nobody else
 * needs: the conf_* SQL functions' context and the prepared-statement
 * binding of a run's parameters.
 */
#ifndef ESIS_REPORT_INTERNAL_H
#define ESIS_REPORT_INTERNAL_H

#include "esis/report.h"

/* Register conf_size_class, conf_rate, conf_grade_level, conf_code_label,
 * conf_code_group, conf_code_order and conf_students_per_teacher on db.
 * The context is owned by the caller (the report_set). */
int report_sqlfn_register(sqlite3 *db, const esis_conf *conf, struct report_sqlfn **out);
/* Remove the functions from db and free the context. */
void report_sqlfn_unregister(sqlite3 *db, struct report_sqlfn *fn);
/* The language conf_code_label answers in ("th" or "en"). */
void report_sqlfn_set_lang(struct report_sqlfn *fn, const char *lang);

/* The language of a run: the params', else conf's, else Thai. */
const char *report_lang(const report_set *set, const report_params *p);

#endif
