/*
 * ui_form: the form's logic: values, checks, flags, navigation and save.
 * Drawing and the dialog loop are in ui_form_view.c, so this file runs
 * without a terminal (tests/test_ui_form.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curses.h>
#include "esis/text.h"
#include "esis/ui_form.h"

int ui_form_flags_add(ui_form_flags *f, int field, char severity,
                      const char *message)
{
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 8;
        ui_form_flag *v = realloc(f->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        f->v = v;
        f->cap = cap;
    }
    char *m = strdup(message ? message : "");
    if (!m)
        return -1;
    f->v[f->n++] = (ui_form_flag){field, -1, severity == '?' ? '?' : '!', m};
    return 0;
}

/* Remove the flags a check of `origin` made. */
static void ui_form_flags_drop(ui_form_flags *f, int origin)
{
    int k = 0;
    for (int i = 0; i < f->n; i++) {
        if (f->v[i].origin == origin)
            free(f->v[i].message);
        else
            f->v[k++] = f->v[i];
    }
    f->n = k;
}

/* The characters a field takes (marks not counted).  The box's width is
 * only how much shows at once: a long value scrolls, so the limit is the
 * data's, never the box's.  A declared max_chars is the column's length (a
 * citizen ID's 13); without one, free text gets UI_FORM_TEXT_MAX, a date
 * its DD/MM/YYYY, a number UI_FORM_NUMBER_MAX, and a code field room for
 * its longest code or label (either may be typed). */
static int ui_form_max_chars(const ui_field_desc *d)
{
    int max = d->max_chars;
    if (max <= 0)
        max = d->type == UI_FIELD_DATE ? 10
            : d->type == UI_FIELD_NUMBER ? UI_FORM_NUMBER_MAX
            : d->type == UI_FIELD_CODE && d->nitems > 0 ? 1
            : UI_FORM_TEXT_MAX;
    for (int k = 0; d->type == UI_FIELD_CODE && k < d->nitems; k++) {
        int c = ui_lineedit_chars_utf8(d->items[k].code);
        int l = ui_lineedit_chars_utf8(d->items[k].label);
        max = c > max ? c : max;
        max = l > max ? l : max;
    }
    return max;
}

int ui_form_max(const ui_form *f, int i)
{
    if (i < 0 || i >= f->n || !f->eds[i])
        return 0;
    return f->eds[i]->max_chars;
}

static ui_lineedit_accept ui_form_accept(ui_field_type t)
{
    switch (t) {
    case UI_FIELD_NUMBER: return UI_LE_NUMBER;
    case UI_FIELD_DATE:   return UI_LE_DATE;
    case UI_FIELD_CODE:   return UI_LE_ANY;   /* codes may be Thai (ป.1) */
    default:              return UI_LE_ANY;
    }
}

ui_form *ui_form_new(ui_ctx *ctx, const char *title,
                     const ui_field_desc *fields, int n,
                     ui_form_validate_fn validate, ui_form_save_fn save,
                     void *user)
{
    ui_form *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->ctx = ctx;
    f->title = title;
    f->fields = fields;
    f->n = n;
    f->validate = validate;
    f->save = save;
    f->user = user;
    f->dirty = UI_FORM_DIRTY_ALL;
    f->eds = calloc((size_t)(n > 0 ? n : 1), sizeof *f->eds);
    f->yesno = calloc((size_t)(n > 0 ? n : 1), sizeof *f->yesno);
    f->norm = calloc((size_t)(n > 0 ? n : 1), sizeof *f->norm);
    f->codes = calloc((size_t)(n > 0 ? n : 1), sizeof *f->codes);
    if (!f->eds || !f->yesno || !f->norm || !f->codes)
        goto fail;
    for (int i = 0; i < n; i++) {
        f->yesno[i] = -1;
        if (fields[i].type == UI_FIELD_YESNO)
            continue;
        f->eds[i] = ui_lineedit_new(ui_form_max_chars(&fields[i]),
                                    ui_form_accept(fields[i].type));
        if (!f->eds[i])
            goto fail;
    }
    /* start on the first field that can be edited */
    for (int i = 0; i < n; i++)
        if (!fields[i].read_only) {
            f->cur = f->old_cur = i;
            break;
        }
    return f;
fail:
    ui_form_free(f);
    return NULL;
}

void ui_form_free(ui_form *f)
{
    if (!f)
        return;
    for (int i = 0; f->eds && i < f->n; i++)
        ui_lineedit_free(f->eds[i]);
    free(f->eds);
    free(f->yesno);
    free(f->norm);
    free(f->codes);
    for (int i = 0; i < f->flags.n; i++)
        free(f->flags.v[i].message);
    free(f->flags.v);
    free(f);
}

void ui_form_set_norm(ui_form *f, int i, norm_kind kind, const conf_codelist *codes)
{
    if (i < 0 || i >= f->n)
        return;
    f->norm[i] = kind;
    f->codes[i] = codes;
}

/* ---- values ----------------------------------------------------------- */

static int ui_form_yesno_parse(const char *s)
{
    if (!s || !*s)
        return -1;
    if (strcmp(s, "1") == 0 || strcasecmp(s, "yes") == 0 ||
        strcasecmp(s, "y") == 0 || strcasecmp(s, "true") == 0)
        return 1;
    return 0;
}

int ui_form_set_value(ui_form *f, int i, const char *utf8)
{
    if (i < 0 || i >= f->n)
        return -1;
    const ui_field_desc *d = &f->fields[i];
    if (d->type == UI_FIELD_YESNO) {
        f->yesno[i] = ui_form_yesno_parse(utf8);
    } else if (d->type == UI_FIELD_DATE && utf8 && strchr(utf8, '-')) {
        text_date dt;
        char be[16];
        if (text_date_parse(utf8, &dt)) {
            text_date_be(dt, be);
            ui_lineedit_set_utf8(f->eds[i], be);
        } else {
            ui_lineedit_set_utf8(f->eds[i], utf8);
        }
    } else if (ui_lineedit_set_utf8(f->eds[i], utf8) != 0) {
        return -1;
    }
    f->dirty |= UI_FORM_DIRTY_FIELDS;
    return 0;
}

const char *ui_form_value(ui_form *f, int i)
{
    if (i < 0 || i >= f->n)
        return "";
    if (f->fields[i].type == UI_FIELD_YESNO)
        return f->yesno[i] < 0 ? "" : f->yesno[i] ? "1" : "0";
    return ui_lineedit_text_utf8(f->eds[i]);
}

/* The normaliser of a field (esis/norm.h): the one the importer uses for
 * the same column, so a value typed and the same value imported are
 * stored byte for byte the same. */
static norm_kind ui_form_norm(const ui_form *f, int i)
{
    if (f->norm[i] != NORM_BY_TYPE)
        return f->norm[i];
    switch (f->fields[i].type) {
    case UI_FIELD_NUMBER: return NORM_REAL;
    case UI_FIELD_DATE:   return NORM_DATE;
    case UI_FIELD_CODE:   return NORM_CODE;
    default:              return NORM_TEXT;
    }
}

/* A number as typed ("1,250", "๑๒") as stored ("1250"); false when it is
 * not a number (of the column's kind: a whole number for an integer). */
static bool ui_form_number(const ui_form *f, int i, const char *s, char *out, size_t outsz)
{
    norm_kind k = ui_form_norm(f, i);
    return norm_value(k == NORM_INT ? NORM_INT : NORM_REAL, NULL, s, out, outsz) == NORM_OK && *out;
}

bool ui_form_value_db(ui_form *f, int i, char *out, size_t outsz)
{
    const char *v = ui_form_value(f, i);
    if (outsz == 0)
        return false;
    out[0] = '\0';
    if (!*v)
        return true;
    switch (f->fields[i].type) {
    case UI_FIELD_DATE:
        return norm_value(NORM_DATE, NULL, v, out, outsz) == NORM_OK;
    case UI_FIELD_NUMBER:
        return ui_form_number(f, i, v, out, outsz);
    case UI_FIELD_CODE:
        if (!f->codes[i])
            break;
        /* fall through */
    default:
        return norm_value(ui_form_norm(f, i), f->codes[i], v, out, outsz) == NORM_OK;
    }
    snprintf(out, outsz, "%s", v);   /* a code field of items only */
    return true;
}

int ui_form_field_index(const ui_form *f, const char *column)
{
    for (int i = 0; i < f->n; i++)
        if (f->fields[i].column && strcmp(f->fields[i].column, column) == 0)
            return i;
    return -1;
}

bool ui_form_modified(const ui_form *f)
{
    return f->modified;
}

/* ---- checks and flags ------------------------------------------------- */

/* The code of a code field's value (any spelling the code list knows:
 * conf_code_find through the normaliser, as the importer reads it); a
 * form given items only matches their codes and labels. */
static const ui_pick_item *ui_form_find_item(const ui_form *f, int i,
                                             const char *v)
{
    const ui_field_desc *d = &f->fields[i];
    if (f->codes[i]) {
        char code[128];
        if (norm_value(NORM_CODE, f->codes[i], v, code, sizeof code) != NORM_OK)
            return NULL;
        for (int k = 0; k < d->nitems; k++)
            if (strcmp(d->items[k].code, code) == 0)
                return &d->items[k];
        return NULL;
    }
    for (int k = 0; k < d->nitems; k++)
        if (strcmp(d->items[k].code, v) == 0)
            return &d->items[k];
    /* the label typed instead of the code is accepted too */
    for (int k = 0; k < d->nitems; k++)
        if (d->items[k].label && strcmp(d->items[k].label, v) == 0)
            return &d->items[k];
    return NULL;
}

static void ui_form_add(ui_form *f, int i, const char *msg_key)
{
    if (ui_form_flags_add(&f->flags, i, '!', ui_msg(f->ctx, msg_key)) == 0)
        f->flags.v[f->flags.n - 1].origin = i;
}

/* "Not in the list", saying what the list accepts as the importer says it
 * (norm_accepted: "ป.1 (P1), ป.2 (P2), …" in Thai, codes in English): the
 * field's code list, else its items, code and label each.  The message's
 * {accepted} is the place of the list. */
static void ui_form_add_bad_code(ui_form *f, int i)
{
    const ui_field_desc *d = &f->fields[i];
    const char *lang = f->ctx && f->ctx->lang ? f->ctx->lang
                     : f->ctx && f->ctx->conf ? f->ctx->conf->lang : "th";
    bool en = strcmp(lang, "en") == 0;
    char acc[400] = "", msg[600];
    if (f->codes[i]) {
        norm_accepted(f->codes[i], en, acc, sizeof acc);
    } else {
        conf_code *v = calloc((size_t)d->nitems + 1, sizeof *v);
        for (int k = 0; v && k < d->nitems; k++) {
            v[k].code = (char *)d->items[k].code;
            v[k].label_th = v[k].label_en = (char *)d->items[k].label;
        }
        conf_codelist items = { NULL, v, v ? d->nitems : 0 };
        norm_accepted(&items, false, acc, sizeof acc);
        free(v);
    }
    const char *t = ui_msg(f->ctx, "ui.bad_code");
    const char *at = strstr(t, "{accepted}");
    snprintf(msg, sizeof msg, "%.*s%s%s", at ? (int)(at - t) : (int)strlen(t), t,
             at ? acc : "", at ? at + strlen("{accepted}") : "");
    if (ui_form_flags_add(&f->flags, i, '!', msg) == 0)
        f->flags.v[f->flags.n - 1].origin = i;
}

/* Whether an empty required field is flagged now: once the user has
 * typed in it (and emptied it) or has tried to save.  Merely passing
 * through a field on the way to another is not an error. */
static bool ui_form_required_due(const ui_form *f, int i)
{
    return f->tried_save || (f->eds[i] && f->eds[i]->modified);
}

/* Built-in checks; true when the value is well formed (so the rules may
 * look at it). */
static bool ui_form_builtin(ui_form *f, int i)
{
    const ui_field_desc *d = &f->fields[i];
    const char *v = ui_form_value(f, i);
    char tmp[64];
    if (!*v) {
        if (d->required && ui_form_required_due(f, i))
            ui_form_add(f, i, "ui.required");
        return !d->required;
    }
    if (d->type == UI_FIELD_NUMBER && !ui_form_number(f, i, v, tmp, sizeof tmp)) {
        ui_form_add(f, i, "ui.bad_number");
        return false;
    }
    if (d->type == UI_FIELD_DATE && !ui_form_value_db(f, i, tmp, sizeof tmp)) {
        ui_form_add(f, i, "ui.bad_date");
        return false;
    }
    if (d->type == UI_FIELD_CODE && d->nitems > 0) {
        const ui_pick_item *it = ui_form_find_item(f, i, v);
        if (!it) {
            ui_form_add_bad_code(f, i);
            return false;
        }
        if (strcmp(it->code, v) != 0) {
            bool m = f->eds[i]->modified;
            ui_lineedit_set_utf8(f->eds[i], it->code);
            f->eds[i]->modified = m;
        }
    }
    return true;
}

void ui_form_check_field(ui_form *f, int i)
{
    if (i < 0 || i >= f->n)
        return;
    ui_form_flags_drop(&f->flags, i);
    if (ui_form_builtin(f, i) && f->validate) {
        int before = f->flags.n;
        f->validate(f->user, f, i, &f->flags);
        for (int k = before; k < f->flags.n; k++)
            f->flags.v[k].origin = i;
    }
    f->dirty |= UI_FORM_DIRTY_FIELDS | UI_FORM_DIRTY_STATUS;
}

char ui_form_marker(const ui_form *f, int i)
{
    char m = ' ';
    for (int k = 0; k < f->flags.n; k++)
        if (f->flags.v[k].field == i) {
            if (f->flags.v[k].severity == '!')
                return '!';
            m = '?';
        }
    return m;
}

int ui_form_error_count(const ui_form *f)
{
    int n = 0;
    for (int k = 0; k < f->flags.n; k++)
        n += f->flags.v[k].severity == '!';
    return n;
}

/* The worst flag of field i (an error before a warning), or NULL. */
static const ui_form_flag *ui_form_worst(const ui_form *f, int i)
{
    const ui_form_flag *best = NULL;
    for (int k = 0; k < f->flags.n; k++)
        if (f->flags.v[k].field == i &&
            (!best || (best->severity == '?' && f->flags.v[k].severity == '!')))
            best = &f->flags.v[k];
    return best;
}

/* The status line for the current field: its first flag, else its help. */
static void ui_form_status_for_field(ui_form *f)
{
    const ui_form_flag *best = ui_form_worst(f, f->cur);
    const char *help = f->fields[f->cur].help;
    snprintf(f->status, sizeof f->status, "%s",
             best ? best->message : help ? help : "");
    f->status_kind = !best ? UI_STATUS_INFO
                   : best->severity == '!' ? UI_STATUS_ERROR : UI_STATUS_WARNING;
    f->dirty |= UI_FORM_DIRTY_STATUS;
}

/* The reason field i is flagged, on the status line the moment it is
 * left: "label “value”: message", the message saying what is expected
 * (a date as DD/MM/YYYY, a citizen ID's check digit).  False when the
 * field has no flag. */
static bool ui_form_status_for_flag(ui_form *f, int i)
{
    const ui_form_flag *best = ui_form_worst(f, i);
    if (!best)
        return false;
    const char *v = ui_form_value(f, i);
    if (*v && !strstr(best->message, v))   /* a rule's message may name it */
        snprintf(f->status, sizeof f->status, "%s “%.200s”: %s",
                 f->fields[i].label, v, best->message);
    else
        snprintf(f->status, sizeof f->status, "%s: %s", f->fields[i].label,
                 best->message);
    f->status_kind = best->severity == '!' ? UI_STATUS_ERROR : UI_STATUS_WARNING;
    f->dirty |= UI_FORM_DIRTY_STATUS;
    return true;
}

int ui_form_check_all(ui_form *f)
{
    int first = -1;
    for (int i = 0; i < f->n; i++) {
        ui_form_check_field(f, i);
        if (first < 0 && ui_form_marker(f, i) != ' ')
            first = i;
    }
    if (first >= 0)
        ui_form_status_for_flag(f, first);
    return first;
}

/* ---- help -------------------------------------------------------------- */

static void ui_form_help_add(char *out, size_t outsz, size_t *k, const char *fmt,
                             const char *a, const char *b)
{
    if (*k < outsz)
        *k += (size_t)snprintf(out + *k, outsz - *k, fmt, a ? a : "", b ? b : "");
    if (*k > outsz)
        *k = outsz;
}

void ui_form_field_help(ui_form *f, int i, char *out, size_t outsz)
{
    size_t k = 0;
    out[0] = '\0';
    if (i < 0 || i >= f->n || outsz == 0)
        return;
    const ui_field_desc *d = &f->fields[i];
    char num[32];
    /* what it is (the screen's definition), then how it is written */
    ui_form_help_add(out, outsz, &k, "%s%s", d->label, d->required ? " *" : "");
    if (d->help)
        ui_form_help_add(out, outsz, &k, "\n%s%s", d->help, "");
    static const char *const formats[] = {
        [UI_FIELD_TEXT] = "ui.help_text", [UI_FIELD_NUMBER] = "ui.help_number",
        [UI_FIELD_DATE] = "ui.help_date", [UI_FIELD_CODE] = "ui.help_code",
        [UI_FIELD_YESNO] = "ui.help_yesno",
    };
    ui_form_help_add(out, outsz, &k, "\n\n%s%s", ui_msg(f->ctx, formats[d->type]), "");
    if (d->type == UI_FIELD_CODE && d->nitems > 0) {
        /* an example from its own list */
        ui_form_help_add(out, outsz, &k, " %s = %s", d->items[0].code, d->items[0].label);
    }
    if (f->eds[i] && d->type != UI_FIELD_DATE) {
        snprintf(num, sizeof num, "%d", f->eds[i]->max_chars);
        ui_form_help_add(out, outsz, &k, "\n%s %s", ui_msg(f->ctx, "ui.help_max"), num);
        ui_form_help_add(out, outsz, &k, " %s%s", ui_msg(f->ctx, "ui.field_chars"), "");
    }
    if (d->required)
        ui_form_help_add(out, outsz, &k, "\n%s%s", ui_msg(f->ctx, "ui.help_required"), "");
    if (d->read_only)
        ui_form_help_add(out, outsz, &k, "\n%s%s", ui_msg(f->ctx, "ui.read_only"), "");
    /* the checks that speak about it now, with their reasons */
    bool any = false;
    for (int j = 0; j < f->flags.n; j++) {
        if (f->flags.v[j].field != i)
            continue;
        if (!any)
            ui_form_help_add(out, outsz, &k, "\n\n%s%s", ui_msg(f->ctx, "ui.help_flags"), "");
        any = true;
        char sev[4] = {' ', f->flags.v[j].severity, ' ', '\0'};
        ui_form_help_add(out, outsz, &k, "\n%s%s", sev, f->flags.v[j].message);
    }
}

/* ---- navigation and keys -------------------------------------------- */

void ui_form_goto(ui_form *f, int i)
{
    if (f->n == 0)
        return;
    i = (i % f->n + f->n) % f->n;
    int left = f->cur;
    ui_form_check_field(f, left);
    f->old_cur = f->cur;
    f->cur = i;
    if (f->eds[i])
        ui_lineedit_key(f->eds[i], UI_KEY_C(KEY_END));
    f->dirty |= UI_FORM_DIRTY_CUR;
    /* the field left speaks first: its reason, at once; otherwise the
     * new field's own flag or help */
    if (left == i || !ui_form_status_for_flag(f, left))
        ui_form_status_for_field(f);
}

void ui_form_focus(ui_form *f, int i)
{
    if (i < 0 || i >= f->n)
        return;
    f->old_cur = f->cur;
    f->cur = i;
    if (f->eds[i])
        ui_lineedit_key(f->eds[i], UI_KEY_C(KEY_END));
    f->dirty |= UI_FORM_DIRTY_ALL;
}

void ui_form_set_modified(ui_form *f)
{
    f->modified = true;
    f->dirty |= UI_FORM_DIRTY_ALL;
}

void ui_form_pick_done(ui_form *f, int item)
{
    const ui_field_desc *d = &f->fields[f->cur];
    if (item < 0 || item >= d->nitems || !f->eds[f->cur])
        return;
    ui_lineedit_set_utf8(f->eds[f->cur], d->items[item].code);
    f->eds[f->cur]->modified = true;
    f->modified = true;
    ui_form_check_field(f, f->cur);
    ui_form_status_for_field(f);
}

ui_form_result ui_form_try_save(ui_form *f)
{
    f->tried_save = true;   /* from now on an empty required field is flagged */
    for (int i = 0; i < f->n; i++)
        ui_form_check_field(f, i);
    ui_form_flags_drop(&f->flags, -1);
    if (ui_form_error_count(f) > 0) {
        /* the reason, not only that there is one */
        const ui_form_flag *first = NULL;
        for (int k = 0; k < f->flags.n && !first; k++)
            if (f->flags.v[k].severity == '!')
                first = &f->flags.v[k];
        snprintf(f->status, sizeof f->status, "%s %s: %s", ui_msg(f->ctx, "ui.save_refused"),
                 first && first->field >= 0 ? f->fields[first->field].label : "!",
                 first ? first->message : ui_msg(f->ctx, "ui.has_errors"));
        f->status_kind = UI_STATUS_ERROR;
        f->dirty |= UI_FORM_DIRTY_STATUS;
        return UI_FORM_CONTINUE;
    }
    char err[900] = "";
    if (f->save && f->save(f->user, f, err, sizeof err) != 0) {
        snprintf(f->status, sizeof f->status, "%s %s",
                 ui_msg(f->ctx, "ui.save_refused"), err);
        f->status_kind = UI_STATUS_ERROR;
        ui_form_flags_add(&f->flags, -1, '!', err);   /* origin -1: save */
        f->dirty |= UI_FORM_DIRTY_STATUS;
        return UI_FORM_CONTINUE;
    }
    f->modified = false;
    for (int i = 0; i < f->n; i++)
        if (f->eds[i])
            f->eds[i]->modified = false;
    snprintf(f->status, sizeof f->status, "%s", ui_msg(f->ctx, "ui.saved"));
    f->status_kind = UI_STATUS_INFO;
    f->dirty |= UI_FORM_DIRTY_STATUS;
    return UI_FORM_SAVED;
}

static void ui_form_refuse(ui_form *f, const char *msg_key)
{
    snprintf(f->status, sizeof f->status, "%s", ui_msg(f->ctx, msg_key));
    f->status_kind = UI_STATUS_WARNING;
    f->dirty |= UI_FORM_DIRTY_STATUS;
    beep();
}

/* A typed character the field did not take: say why on the status line,
 * so that input never stops without a word ("at most 24 characters"). */
static void ui_form_refuse_char(ui_form *f, const ui_lineedit *ed)
{
    const char *key = "ui.field_sequence";
    switch (ed->last_refusal) {
    case UI_LE_WHY_FULL:
        snprintf(f->status, sizeof f->status, "%s %d %s", ui_msg(f->ctx, "ui.field_full"),
                 ed->max_chars, ui_msg(f->ctx, "ui.field_chars"));
        f->status_kind = UI_STATUS_WARNING;
        f->dirty |= UI_FORM_DIRTY_STATUS;
        beep();
        return;
    case UI_LE_WHY_KIND:
        key = ed->accept == UI_LE_NUMBER ? "ui.field_number_only"
            : ed->accept == UI_LE_DATE ? "ui.field_date_only" : "ui.field_no_space";
        break;
    default:
        break;
    }
    ui_form_refuse(f, key);
}

/* Dates: after two digits of the day or of the month a '/' is added, so
 * typing 15032560 gives 15/03/2560. */
static void ui_form_date_key(ui_lineedit *ed, ui_key k)
{
    bool digit = (k >= '0' && k <= '9') || (k >= 0x0E50 && k <= 0x0E59);
    if (digit && ed->cur == ed->len && (ed->len == 2 || ed->len == 5) &&
        ed->buf[ed->len - 1] != '/')
        ui_lineedit_key(ed, '/');
}

static ui_form_result ui_form_edit_key(ui_form *f, ui_key k)
{
    const ui_field_desc *d = &f->fields[f->cur];
    if (d->type == UI_FIELD_YESNO) {
        int v = f->yesno[f->cur];
        if (k == ' ')
            v = v == 1 ? 0 : 1;
        else if (k == 'y' || k == 'Y' || k == 0x0E31)
            v = 1;
        else if (k == 'n' || k == 'N' || k == 0x0E37)
            v = 0;
        else
            return beep(), UI_FORM_CONTINUE;
        if (d->read_only)
            return ui_form_refuse(f, "ui.read_only"), UI_FORM_CONTINUE;
        f->yesno[f->cur] = v;
        f->modified = true;
        f->dirty |= UI_FORM_DIRTY_CUR;
        return UI_FORM_CONTINUE;
    }
    ui_lineedit *ed = f->eds[f->cur];
    if (d->read_only) {
        /* only moving inside the field, to read a long value */
        if (ui_key_is(k, KEY_LEFT) || ui_key_is(k, KEY_RIGHT) ||
            ui_key_is(k, KEY_HOME) || ui_key_is(k, KEY_END)) {
            ui_lineedit_key(ed, k);
            f->dirty |= UI_FORM_DIRTY_CUR;
        } else {
            ui_form_refuse(f, "ui.read_only");
        }
        return UI_FORM_CONTINUE;
    }
    if (d->type == UI_FIELD_DATE)
        ui_form_date_key(ed, k);
    ui_lineedit_result r = ui_lineedit_key(ed, k);
    if (r == UI_LE_CHANGED)
        f->modified = true;
    if (r == UI_LE_REFUSED && ui_key_is_char(k))
        ui_form_refuse_char(f, ed);
    else if (r == UI_LE_REFUSED || r == UI_LE_IGNORED)
        beep();
    f->dirty |= UI_FORM_DIRTY_CUR;
    return UI_FORM_CONTINUE;
}

ui_form_result ui_form_key(ui_form *f, ui_key k)
{
    const ui_keymap *km = &f->ctx->keys;
    if (f->n == 0)
        return UI_FORM_CANCELLED;
    /* Characters go to the field (so '/' in a date is typed, not a
     * search); only non-character keys are looked up as actions. */
    if (ui_key_is_char(k))
        return ui_form_edit_key(f, k);
    static const ui_action acts[] = {
        UI_ACT_SAVE, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD, UI_ACT_PICK,
        UI_ACT_FLAGS, UI_ACT_HELP, UI_ACT_BACK, UI_ACT_QUIT, UI_ACT_REDRAW,
        UI_ACT_HISTORY,
    };
    switch (ui_keys_action(km, k, acts, (int)(sizeof acts / sizeof acts[0]))) {
    case UI_ACT_SAVE:
        return ui_form_try_save(f);
    case UI_ACT_NEXT_FIELD:
        ui_form_goto(f, f->cur + 1);
        return UI_FORM_CONTINUE;
    case UI_ACT_PREV_FIELD:
        ui_form_goto(f, f->cur - 1);
        return UI_FORM_CONTINUE;
    case UI_ACT_PICK:
        if (f->fields[f->cur].type == UI_FIELD_CODE &&
            f->fields[f->cur].nitems > 0 && !f->fields[f->cur].read_only)
            return UI_FORM_WANT_PICK;
        ui_form_refuse(f, f->fields[f->cur].read_only ? "ui.read_only"
                                                      : "ui.no_list");
        return UI_FORM_CONTINUE;
    case UI_ACT_FLAGS:
        return UI_FORM_WANT_FLAGS;
    case UI_ACT_HELP:
        return UI_FORM_WANT_HELP;
    case UI_ACT_BACK:
        return f->modified ? UI_FORM_WANT_DISCARD : UI_FORM_CANCELLED;
    case UI_ACT_QUIT:
        return f->modified ? UI_FORM_WANT_QUIT : UI_FORM_QUIT;
    case UI_ACT_REDRAW:
        f->dirty |= UI_FORM_DIRTY_ALL;
        return UI_FORM_CONTINUE;
    case UI_ACT_HISTORY:
        return UI_FORM_WANT_HISTORY;
    default:
        return ui_form_edit_key(f, k);
    }
}
