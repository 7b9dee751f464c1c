/*
 * report_internal: what the report module's files share and nobody else
 * needs: the conf_* SQL functions' context and the prepared-statement
 * binding of a run's parameters.
 */
#ifndef ESIS_REPORT_INTERNAL_H
#define ESIS_REPORT_INTERNAL_H

#include "esis/report.h"

/* Make sure conf_size_class, conf_rate, conf_grade_level, conf_code_label,
 * conf_code_group, conf_code_order and conf_students_per_teacher exist on
 * db (registered once; the context is owned by the connection) and answer
 * from conf in lang.  NULL when SQLite refused them. */
struct report_sqlfn;
struct report_sqlfn *report_sqlfn_ensure(sqlite3 *db, const esis_conf *conf, const char *lang);

/* The language of a run: the params', else conf's, else Thai. */
const char *report_lang(const report_set *set, const report_params *p);

#endif
