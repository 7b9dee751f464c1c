/*
 * booklet: the yearly booklet of the office's information (ข้อมูลสารสนเทศ
 * ทางการศึกษา ประจำปี), a composite document: conf/documents/NAME.ini lists
 * report sections in order ([booklet] title_th/title_en; [section.N]
 * report = a report of conf/reports/, round = 1 | 2 | 3 | emis | bobec for
 * reports that take a round), and each is rendered through the report
 * engine for the year's rounds, one after the other, under one heading.
 *
 * HTML: one page, the office's name and the booklet's title on top, each
 * report a section starting on a new printed page, with its tables and
 * charts.  Text: the reports one after another.
 */
#ifndef ESIS_BOOKLET_H
#define ESIS_BOOKLET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "esis/report.h"

struct esis_app;

/* True when conf/documents/NAME.ini is a booklet. */
bool booklet_exists(struct esis_app *app, const char *name);

/* Render booklet NAME for academic year (BE) as text or HTML (CSV is
 * refused).  The whole definition is checked before anything is written:
 * a bad section stops with file, section and key.  0, or -1 (2 for a bad
 * definition) with err. */
int booklet_render(struct esis_app *app, const char *name, int year, report_output kind,
                   FILE *out, char *err, size_t errsz);

#endif
