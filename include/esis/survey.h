/*
 * survey: satisfaction surveys on the five-level scale Thai public-sector
 * evaluations use (5 มากที่สุด highest .. 1 น้อยที่สุด lowest).
 *
 * A questionnaire is data, conf/surveys/NAME.ini:
 *
 *   [survey]
 *   title_th / title_en
 *   [item.1] .. [item.N]         text_th / text_en: the statements rated
 *   [level.1] .. [level.5]       label_th / label_en: the scale's words;
 *                                min: the lowest mean read as this level
 *                                (level.1 min = 1.00, level.5 min = 4.51)
 *
 * A survey (a row of `surveys`) names its questionnaire; its answers
 * (`survey_answers`) are one digit 1-5 per item, in item order, one row a
 * respondent, typed fast as lines like "54455" (spaces between digits are
 * allowed; empty lines and lines starting with '#' are skipped).
 *
 * The summary gives per item n, the mean, the sample standard deviation
 * (divided by n - 1, as Thai evaluation reports use; 0 when n < 2) and the
 * level read from the mean, then the same over every answer, and a bar
 * chart of the means.
 *
 * Ownership: survey_def_load returns a definition freed with
 * survey_def_free; survey_stats from survey_compute is freed with
 * survey_stats_free.
 */
#ifndef ESIS_SURVEY_H
#define ESIS_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "esis/document.h"

struct esis_app;

enum { SURVEY_LEVELS = 5 };

typedef struct survey_level {
    double min;                   /* lowest mean read as this level */
    char  *label_th, *label_en;
} survey_level;

typedef struct survey_def {
    char         *name, *path;
    char         *title_th, *title_en;
    char        **items_th, **items_en;
    int           nitems;
    survey_level  levels[SURVEY_LEVELS + 1];   /* [1]..[5]; [0] unused */
} survey_def;

int survey_def_load(struct esis_app *app, const char *name, survey_def **out, char *err, size_t errsz);
void survey_def_free(survey_def *d);

/* Create a survey of questionnaire (a file of conf/surveys, checked) for
 * an academic year, optionally tied to an evaluation summary (0: none).
 * 0 with *id, or -1 with err. */
int survey_create(struct esis_app *app, const char *questionnaire, const char *title, int year,
                  long long evaluation_id, long long *id, char *err, size_t errsz);

/* The level (1..5) of a mean: the highest level whose min <= mean (means
 * are compared at two decimals, as printed: 4.505 reads 4.51, highest). */
int survey_level_of(const survey_def *d, double mean);
const char *survey_level_label(const survey_def *d, int level, const char *lang);

/* Check one typed line against nitems: 0 with the digits (NUL-terminated,
 * nitems of them) in out (size >= nitems + 1); 1 for a line to skip (empty
 * or a comment); -1 with why (a message key) and *column (1-based item, or
 * 0) for a bad line. */
int survey_parse_line(const char *line, int nitems, char *out, const char **why, int *column);

/* Read lines from in and store each as a new respondent of the survey, all
 * or nothing (a batch, include/esis/batch.h): every bad line is reported
 * through report (line number, why), and when any line is bad nothing is
 * stored (so the corrected batch can be run again without counting anyone
 * twice).  *good gets the respondents stored, *bad the lines refused.  0,
 * or -1 with err (lines refused, no such survey, not allowed, database). */
typedef void (*survey_bad_line_fn)(void *ctx, long line_no, const char *why);
int survey_answers_read(struct esis_app *app, long long survey_id, FILE *in,
                        survey_bad_line_fn report, void *ctx, long *good, long *bad,
                        char *err, size_t errsz);

typedef struct survey_item_stats {
    long   n;
    double mean, sd;              /* sd: sample (n - 1) */
    int    level;                 /* 1..5, 0 when n = 0 */
} survey_item_stats;

typedef struct survey_stats {
    int                nitems;
    survey_item_stats *items;     /* nitems */
    survey_item_stats  overall;   /* over every answer */
    long               respondents;
} survey_stats;

/* Statistics from answer strings (for tests and the renderer). */
int survey_stats_from(const survey_def *d, const char *const *answers, long n, survey_stats *out);
/* ...of a stored survey; *def_out gets its questionnaire (caller frees). */
int survey_compute(struct esis_app *app, long long survey_id, survey_def **def_out,
                   survey_stats *out, char *err, size_t errsz);
void survey_stats_free(survey_stats *s);

/* The summary of a survey: a whole page (fragment false) or a section for
 * a document (fragment true). */
int survey_render(struct esis_app *app, long long survey_id, doc_output kind, bool fragment,
                  FILE *out, char *err, size_t errsz);
/* Sections for every survey of an evaluation (evaluation summary). */
int survey_render_for_evaluation(struct esis_app *app, long long evaluation_id, doc_output kind,
                                 FILE *out, char *err, size_t errsz);

#endif
