/*
 * document: the unit's forms printed as documents (the manual's แบบ...):
 * cooperation record, information report, analysis record, request for
 * access, analysis report, tracking form, evaluation summary.
 *
 * A layout is data, conf/documents/FORM.ini:
 *
 *   [document]
 *   table    = coordination_records   ; the table the form's rows live in
 *   title_th / title_en               ; the form's title
 *   kind     = tracking               ; optional: the row's `kind` must be this
 *   surveys  = yes                    ; optional: append the summary of the
 *                                     ; surveys whose evaluation_id is the row
 *   [item.1] .. [item.N]              ; numbered items, in order
 *   label_th / label_en
 *   field    = agency                 ; a column of the table
 *   format   = text | long | date | int | yesno | code:LIST | msg:PREFIX
 *              ; long: its own paragraph; msg:PREFIX shows the message
 *              ; PREFIX<value> (states), or the value when there is none
 *   [signature.1] .. [signature.N]    ; signature lines, in order
 *   label_th / label_en               ; "ผู้บันทึก" / "Recorded by"
 *   field    = recorded_by            ; optional: the name in brackets; a login
 *                                     ; there is the account's full name
 *   signer   = author | ROLE          ; optional, without a field's value:
 *                                     ; the row's last writer, or the account
 *                                     ; holding ROLE (director, group_head ...)
 *   position_th / position_en         ; optional: the position line when the
 *                                     ; account has no position
 * A signature names a person by the full name and position of their esis
 * account (users.display_name, users.position), never by a Unix login.
 *
 * Rendered as plain text (aligned by display width with text_fit, so Thai
 * marks do not shift columns) or as one print-ready HTML page (A4, the
 * office's name and the form's title centred like an official heading,
 * dates in the Buddhist Era, every value escaped).
 *
 * The row is read with db_record_load, so the session's scope and the
 * masking of personal data apply; only office roles print the unit's forms.
 *
 * Ownership: doc_load returns a layout freed with doc_free.
 */
#ifndef ESIS_DOCUMENT_H
#define ESIS_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct esis_app;

typedef enum doc_output { DOC_TEXT, DOC_HTML } doc_output;

typedef struct doc_item {
    char *label_th, *label_en;
    char *field;
    char *format;             /* "text", "long", "date", "int", "yesno", "code:LIST", "msg:PREFIX" */
} doc_item;

typedef struct doc_signature {
    char *label_th, *label_en;
    char *field;              /* NULL: a blank name line */
    char *signer;             /* NULL, "author" or a role */
    char *position_th, *position_en;
} doc_signature;

typedef struct doc_layout {
    char          *name;      /* "coordination_record" */
    char          *path;      /* "conf/documents/coordination_record.ini" */
    char          *table;
    char          *title_th, *title_en;
    char          *kind;      /* NULL or the required value of the row's kind */
    bool           surveys;
    doc_item      *items;      int nitems;
    doc_signature *signatures; int nsignatures;
} doc_layout;

/* "text" / "html" -> the output; false when unknown. */
bool doc_output_parse(const char *s, doc_output *out);

/* Load and check conf/documents/NAME.ini against the schema.  0, or -1
 * with err naming file, section and key. */
int doc_load(struct esis_app *app, const char *name, doc_layout **out, char *err, size_t errsz);
void doc_free(doc_layout *doc);

/* Print row `id` of the layout's table.  0, or -1 with err (a user-visible
 * message: no such row, not the form's kind, not allowed). */
int doc_render(struct esis_app *app, const doc_layout *doc, long long id, doc_output kind,
               FILE *out, char *err, size_t errsz);

/* Load FORM and render it: what `esis print` does. */
int doc_print(struct esis_app *app, const char *form, long long id, doc_output kind,
              FILE *out, char *err, size_t errsz);

/* The HTML page around a document, a survey summary or the booklet: the
 * head with the print style, the office's name and the title centred. */
void doc_html_begin(struct esis_app *app, FILE *out, const char *title);
void doc_html_end(FILE *out);
/* The text heading: the office's name and the title centred in width. */
void doc_text_heading(struct esis_app *app, FILE *out, const char *title, int width);

/* Write path atomically: render into path.part with fn, rename when it
 * succeeded, remove it when not.  path NULL or "-" writes to stdout. */
typedef int (*doc_write_fn)(void *ctx, FILE *out, char *err, size_t errsz);
int doc_write_file(struct esis_app *app, const char *path, doc_write_fn fn, void *ctx,
                   char *err, size_t errsz);

#endif
