/* Tests for the workbook reader and writer: Excel's serial dates (the 1900
 * system with its 29 February 1900, the 1904 system), which number formats
 * are dates, a workbook written and read back (kinds, Thai, dates, numbers,
 * gaps, two sheets, --sheet), a file that is not a workbook, and stopping.
 * Workbooks from an outside writer (openpyxl) are read in
 * tests/e2e/files.sh. */
#include "testutil.h"
#include "esis/io.h"
#include "esis/text.h"
#include "esis/xlsx_reader.h"
#include "esis/xlsx_writer.h"

#include <zip.h>

#define MAXROWS 8

typedef struct got {
    int n;
    long line[MAXROWS];
    char text[MAXROWS][512];
    char kinds[MAXROWS][32];
    int stop_after;
} got;

static int collect(const io_csv_row *row, void *user)
{
    got *g = user;
    if (g->n < MAXROWS) {
        size_t at = 0;
        g->line[g->n] = row->line_no;
        for (int f = 0; f < row->nfields && at < 400; f++) {
            int w = snprintf(g->text[g->n] + at, sizeof g->text[0] - at, "%s%s", f ? "|" : "", row->fields[f]);
            if (w > 0) at += (size_t)w;
            if (f < 31) g->kinds[g->n][f] = row->kinds ? (char)('0' + row->kinds[f]) : '?';
        }
    }
    g->n++;
    return g->stop_after && g->n >= g->stop_after ? 5 : 0;
}

static const char *iso(long days)
{
    static char buf[16];
    text_date_iso(text_date_from_days(days), buf);
    return buf;
}

static void test_serial_dates(void **state)
{
    (void)state;
    bool bug;
    assert_string_equal(iso(io_xlsx_serial_days(1, false, &bug)), "1900-01-01");
    assert_string_equal(iso(io_xlsx_serial_days(59, false, &bug)), "1900-02-28");
    io_xlsx_serial_days(60, false, &bug);
    assert_true(bug);                       /* Excel's 29/02/1900 */
    assert_string_equal(iso(io_xlsx_serial_days(61, false, &bug)), "1900-03-01");
    assert_false(bug);
    assert_string_equal(iso(io_xlsx_serial_days(43831, false, &bug)), "2020-01-01");
    assert_string_equal(iso(io_xlsx_serial_days(43831.75, false, &bug)), "2020-01-01");
    assert_string_equal(iso(io_xlsx_serial_days(0, true, &bug)), "1904-01-01");
    assert_string_equal(iso(io_xlsx_serial_days(43831 - 1462, true, &bug)), "2020-01-01");
}

static void test_date_formats(void **state)
{
    (void)state;
    int z;
    assert_true(io_xlsx_format_is_date(14, NULL, &z));
    assert_true(io_xlsx_format_is_date(22, NULL, &z));
    assert_true(io_xlsx_format_is_date(71, NULL, &z));       /* Thai Excel's BE date */
    assert_false(io_xlsx_format_is_date(0, NULL, &z));
    assert_false(io_xlsx_format_is_date(49, NULL, &z));      /* @ text */
    assert_true(io_xlsx_format_is_date(164, "[$-1070000]dd/mm/yyyy", &z));
    assert_true(io_xlsx_format_is_date(165, "d mmm yy", &z));
    assert_false(io_xlsx_format_is_date(166, "#,##0.00", &z));
    assert_false(io_xlsx_format_is_date(167, "\"day\"0", &z));
    assert_false(io_xlsx_format_is_date(168, "General", &z));
    assert_false(io_xlsx_format_is_date(169, "[Red]0", &z));
    assert_false(io_xlsx_format_is_date(170, "0000000000", &z));
    assert_int_equal(z, 10);
}

static void write_book(const char *path)
{
    char err[256] = "";
    xlsx_out *x = xlsx_out_open(path, err, sizeof err);
    assert_non_null(x);
    const char *head[] = { "รหัส", "ชื่อ", "วันเกิด", "จำนวน", "เงิน" };
    xlsx_kind kinds[] = { XLSX_TEXT, XLSX_TEXT, XLSX_DATE, XLSX_INT, XLSX_MONEY };
    assert_int_equal(xlsx_out_sheet(x, "นักเรียน/รายชื่อ", "รายงาน ณ วันที่ 10/06/2568", head, kinds, 5,
                                    err, sizeof err), 0);
    const char *r1[] = { "0012", "สมชาย ใจดี", "2017-03-15", "1234567", "1500.5" };
    const char *r2[] = { "0013", NULL, "15/03/2560", "x", "" };      /* BE date in, text where no number */
    assert_int_equal(xlsx_out_row(x, r1, false, err, sizeof err), 0);
    assert_int_equal(xlsx_out_row(x, r2, false, err, sizeof err), 0);
    const char *h2[] = { "a" };
    xlsx_kind k2[] = { XLSX_TEXT };
    assert_int_equal(xlsx_out_sheet(x, "second", NULL, h2, k2, 1, err, sizeof err), 0);
    const char *r3[] = { "b" };
    assert_int_equal(xlsx_out_row(x, r3, false, err, sizeof err), 0);
    assert_int_equal(xlsx_out_close(x, err, sizeof err), 0);
}

static int read_book(const char *path, const char *sheet, got *g, char *err, size_t errsz)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    int rc = io_xlsx_read(fp, path, sheet, NULL, collect, g, NULL, err, errsz);
    fclose(fp);
    return rc;
}

static void test_write_read(void **state)
{
    (void)state;
    char path[] = "/tmp/esis-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_book(path);
    got g = {0};
    char err[512] = "";
    assert_int_equal(read_book(path, NULL, &g, err, sizeof err), 0);
    assert_int_equal(g.n, 4);
    assert_string_equal(g.text[0], "รายงาน ณ วันที่ 10/06/2568");
    assert_int_equal(g.line[0], 1);
    assert_string_equal(g.text[1], "รหัส|ชื่อ|วันเกิด|จำนวน|เงิน");
    assert_int_equal(g.line[1], 3);        /* a blank row between title and header */
    assert_string_equal(g.text[2], "0012|สมชาย ใจดี|2017-03-15|1234567|1500.5");
    assert_string_equal(g.kinds[2], "00211");
    assert_string_equal(g.text[3], "0013||2017-03-15|x");
    assert_string_equal(g.kinds[3], "0020");
    /* the second sheet by name; a missing one named with those there */
    got h = {0};
    assert_int_equal(read_book(path, "second", &h, err, sizeof err), 0);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.text[1], "b");
    got k = {0};
    assert_int_equal(read_book(path, "nope", &k, err, sizeof err), -1);
    assert_non_null(strstr(err, "นักเรียน_รายชื่อ, second"));
    /* stopping: the callback's value comes back */
    got s = { .stop_after = 2 };
    assert_int_equal(read_book(path, NULL, &s, err, sizeof err), 5);
    assert_int_equal(s.n, 2);
    /* io_table_read tells a workbook by its content */
    io_column cols[1] = { { .name = "รหัส", .required = true, .norm = NORM_DIGITS } };
    io_mapping m = { .kind = "t", .table = "t", .cols = cols, .ncols = 1, .school_col = -1 };
    got t = {0};
    io_csv_stats st;
    FILE *fp = fopen(path, "rb");
    assert_int_equal(io_table_read(fp, path, NULL, &m, collect, &t, &st, err, sizeof err), 0);
    fclose(fp);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.header_line, 3);
    assert_int_equal(t.n, 3);
    unlink(path);
}

static void test_not_a_workbook(void **state)
{
    (void)state;
    static const char in[] = "PK\3\4 not really a zip";
    char path[] = "/tmp/esis-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, in, sizeof in - 1), (ssize_t)(sizeof in - 1));
    close(fd);
    got g = {0};
    char err[512] = "";
    assert_int_equal(read_book(path, NULL, &g, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a workbook"));
    /* an Excel 97-2003 file is named as such, not read as CSV */
    FILE *fp = fopen(path, "wb");
    fputs("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest", fp);
    fclose(fp);
    fp = fopen(path, "rb");
    got h = {0};
    assert_int_equal(io_table_read(fp, path, NULL, NULL, collect, &h, NULL, err, sizeof err), -1);
    fclose(fp);
    assert_int_equal(h.n, 0);
    assert_non_null(strstr(err, ".xls"));
    unlink(path);
}

/* A package put together by hand (libzip) the way other writers do it:
 * prefixed element names, the 1904 date system, a custom date format and a
 * zero-padded one, shared strings with runs and a phonetic guide, cells
 * without references, and hostile values (a column past XFD, a shared
 * string index past the end, a negative style). */
static void part_add(zip_t *z, const char *name, const char *text)
{
    zip_source_t *src = zip_source_buffer(z, text, strlen(text), 0);
    assert_non_null(src);
    assert_true(zip_file_add(z, name, src, ZIP_FL_OVERWRITE) >= 0);
}

static void test_hand_made(void **state)
{
    (void)state;
    char path[] = "/tmp/esis-test-xlsx-XXXXXX";
    int fd = mkstemp(path), zerr = 0;
    assert_true(fd >= 0);
    close(fd);
    zip_t *z = zip_open(path, ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    part_add(z, "xl/workbook.xml",
            "<x:workbook xmlns:x='s' xmlns:r='r'><x:workbookPr date1904='1'/><x:sheets>"
            "<x:sheet name='Data' sheetId='1' r:id='rId7'/></x:sheets></x:workbook>");
    part_add(z, "xl/_rels/workbook.xml.rels",
            "<Relationships><Relationship Id='rId7' Target='/xl/worksheets/data.xml'/></Relationships>");
    part_add(z, "xl/styles.xml",
            "<styleSheet><numFmts><numFmt numFmtId='164' formatCode='[$-1070000]d/m/yyyy'/>"
            "<numFmt numFmtId='165' formatCode='0000000000'/></numFmts>"
            "<cellXfs><xf numFmtId='0'/><xf numFmtId='164'/><xf numFmtId='165'/></cellXfs></styleSheet>");
    part_add(z, "xl/sharedStrings.xml",
            "<sst><si><t>รหัส</t></si><si><r><t>ชื่อ</t></r><r><t xml:space='preserve'> เล่น</t></r>"
            "<rPh><t>ignored</t></rPh></si></sst>");
    part_add(z, "xl/worksheets/data.xml",
            "<x:worksheet><x:sheetData>"
            "<x:row r='2'><x:c r='A2' t='s'><x:v>0</x:v></x:c><x:c t='s'><x:v>1</x:v></x:c></x:row>"
            "<x:row r='3'><x:c r='A3' s='2'><x:v>31040001</x:v></x:c><x:c r='C3' s='1'><x:v>42369</x:v></x:c>"
            "<x:c r='D3' t='inlineStr'><x:is><x:t>a&amp;b</x:t></x:is></x:c><x:c r='E3' t='b'><x:v>1</x:v></x:c></x:row>"
            "<x:row r='4'><x:c r='A4' t='s'><x:v>99</x:v></x:c><x:c r='B4' s='-5'><x:v>2.5</x:v></x:c>"
            "<x:c r='ZZZZZZZZZZZZZZ4'><x:v>1</x:v></x:c></x:row>"
            "</x:sheetData></x:worksheet>");
    assert_int_equal(zip_close(z), 0);
    got g = {0};
    char err[512] = "";
    assert_int_equal(read_book(path, NULL, &g, err, sizeof err), 0);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.line[0], 2);
    assert_string_equal(g.text[0], "รหัส|ชื่อ เล่น");
    assert_string_equal(g.text[1], "0031040001||2020-01-01|a&b|1");   /* 1904 system: 42369 */
    assert_string_equal(g.kinds[1], "10203");
    assert_string_equal(g.text[2], "|2.5");      /* the row is bad: too many columns */
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serial_dates),
        cmocka_unit_test(test_date_formats),
        cmocka_unit_test(test_write_read),
        cmocka_unit_test(test_not_a_workbook),
        cmocka_unit_test(test_hand_made),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
