/* Tests for the streaming CSV reader: BOM, CRLF, TIS-620, quoting, line
 * numbers, strict errors and recovery, limits (huge fields, many columns),
 * NUL bytes and invalid UTF-8. */
#include "testutil.h"
#include "esis/io.h"

#include <iconv.h>

#define MAXROWS 16

typedef struct got {
    int n;
    int status[MAXROWS];
    long line[MAXROWS], err_line[MAXROWS], err_byte[MAXROWS];
    int err_col[MAXROWS], nfields[MAXROWS];
    char text[MAXROWS][512];    /* fields joined with '|' (cut) */
    char raw[MAXROWS][256];     /* the record's text as read (cut) */
    int stop_after;             /* stop after this many rows (0: never) */
} got;

static int collect(const io_csv_row *row, void *user)
{
    got *g = user;
    if (g->n < MAXROWS) {
        int i = g->n;
        g->status[i] = row->status;
        g->line[i] = row->line_no;
        g->err_line[i] = row->err_line;
        g->err_byte[i] = row->err_byte;
        g->err_col[i] = row->err_column;
        g->nfields[i] = row->nfields;
        snprintf(g->raw[i], sizeof g->raw[i], "%.*s", (int)(row->raw_len > 250 ? 250 : row->raw_len), row->raw);
        size_t at = 0;
        g->text[i][0] = '\0';
        for (int f = 0; f < row->nfields && f < 20 && at < 400; f++) {
            int w = snprintf(g->text[i] + at, sizeof g->text[i] - at, "%s%.*s",
                             f ? "|" : "", (int)(row->lens[f] > 100 ? 100 : row->lens[f]),
                             row->fields[f]);
            if (w > 0) at += (size_t)w;
        }
    }
    g->n++;
    return g->stop_after && g->n >= g->stop_after ? 7 : 0;
}

static int read_mem(const char *s, size_t n, got *g, io_csv_stats *st)
{
    char err[256] = "";
    FILE *fp = fmemopen((void *)s, n, "r");
    assert_non_null(fp);
    int rc = io_csv_read(fp, "mem.csv", NULL, collect, g, st, err, sizeof err);
    fclose(fp);
    return rc;
}

static int read_file(const char *path, got *g, io_csv_stats *st)
{
    char err[256] = "";
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    int rc = io_csv_read(fp, path, NULL, collect, g, st, err, sizeof err);
    fclose(fp);
    return rc;
}

static void test_bom_crlf_quotes(void **state)
{
    (void)state;
    static const char in[] =
        "\xEF\xBB\xBFid,name,address\r\n"
        "1,\"สมชาย ใจดี\",\"123 หมู่ 4\r\nต.ที่อยู่, อ.เมือง\"\r\n"
        "2,  มาลี  ,\"say \"\"hi\"\"\"\r\n";
    got g = {0};
    io_csv_stats st;
    assert_int_equal(read_mem(in, sizeof in - 1, &g, &st), 0);
    assert_true(st.bom);
    assert_false(st.tis620);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.text[0], "id|name|address");
    assert_int_equal(g.line[0], 1);
    assert_string_equal(g.text[1], "1|สมชาย ใจดี|123 หมู่ 4\r\nต.ที่อยู่, อ.เมือง");
    assert_int_equal(g.line[1], 2);
    assert_string_equal(g.text[2], "2|มาลี|say \"hi\"");
    assert_int_equal(g.line[2], 4);
    assert_int_equal(st.lines, 4);
}

static void test_lf_blank_lines_no_final_newline(void **state)
{
    (void)state;
    static const char in[] = "a,b\n\n1,2\n\n\n3,\"x\ny\"\n4,5";
    got g = {0};
    assert_int_equal(read_mem(in, sizeof in - 1, &g, NULL), 0);
    assert_int_equal(g.n, 4);
    assert_int_equal(g.line[0], 1);
    assert_int_equal(g.line[1], 3);
    assert_int_equal(g.line[2], 6);
    assert_string_equal(g.text[2], "3|x\ny");
    assert_int_equal(g.line[3], 8);
    assert_string_equal(g.text[3], "4|5");
}

static void test_empty_and_header_only(void **state)
{
    (void)state;
    got g = {0};
    io_csv_stats st;
    assert_int_equal(read_mem("", 0, &g, &st), 0);
    assert_int_equal(g.n, 0);
    got h = {0};
    assert_int_equal(read_mem("\xEF\xBB\xBF" "a,b\r\n", 8, &h, &st), 0);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.text[0], "a|b");
    got b = {0};       /* a BOM alone */
    assert_int_equal(read_mem("\xEF\xBB\xBF", 3, &b, &st), 0);
    assert_int_equal(b.n, 0);
}

static void test_strict_error_recovers(void **state)
{
    (void)state;
    static const char in[] = "id,v\n1,ok\n2,ab\"c\n3,\"x\"y,z\n4,fine\n";
    got g = {0};
    io_csv_stats st;
    assert_int_equal(read_mem(in, sizeof in - 1, &g, &st), 0);
    assert_int_equal(g.n, 5);
    assert_int_equal(g.status[2], IO_ROW_PARSE);
    assert_int_equal(g.line[2], 3);
    assert_int_equal(g.err_line[2], 3);
    assert_int_equal(g.err_byte[2], 5);
    assert_int_equal(g.err_col[2], 2);
    assert_string_equal(g.text[2], "2");          /* what was read is kept */
    assert_int_equal(g.status[3], IO_ROW_PARSE);
    assert_int_equal(g.line[3], 4);
    assert_int_equal(g.err_byte[3], 6);
    assert_int_equal(g.status[4], IO_ROW_OK);
    assert_string_equal(g.text[4], "4|fine");
    assert_int_equal(g.line[4], 5);
    assert_int_equal(st.bad_records, 2);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    static const char in[] = "id,v\n1,ok\n2,\"never closed\n3,more\n";
    got g = {0};
    assert_int_equal(read_mem(in, sizeof in - 1, &g, NULL), 0);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.status[2], IO_ROW_UNTERMINATED);
    assert_int_equal(g.line[2], 3);
    assert_int_equal(g.err_line[2], 3);
    assert_string_equal(g.text[2], "2");
}

static void test_tis620_file(void **state)
{
    (void)state;
    got g = {0};
    io_csv_stats st;
    assert_int_equal(read_file("tests/data/tis620.csv", &g, &st), 0);
    assert_true(st.tis620);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.text[0], "รหัสโรงเรียน|ชื่อ|นามสกุล");
    assert_string_equal(g.text[1], "1010720001|สมชาย|ใจดี");
    assert_int_equal(g.status[2], IO_ROW_OK);
    assert_int_equal(g.line[2], 3);
}

/* A field of 10 MB: one bad row, bounded memory, the next row is fine. */
static void test_huge_field(void **state)
{
    (void)state;
    size_t big = 10u << 20;
    size_t n = big + 64;
    char *in = malloc(n);
    assert_non_null(in);
    size_t at = (size_t)sprintf(in, "a,b\n1,");
    memset(in + at, 'x', big);
    at += big;
    at += (size_t)sprintf(in + at, "\n2,ok\n");
    got g = {0};
    assert_int_equal(read_mem(in, at, &g, NULL), 0);
    free(in);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.status[1], IO_ROW_FIELD_TOO_LONG);
    assert_int_equal(g.line[1], 2);
    assert_int_equal(g.err_col[1], 2);
    assert_int_equal(g.status[2], IO_ROW_OK);
    assert_string_equal(g.text[2], "2|ok");
    assert_int_equal(g.line[2], 3);
}

/* 100 KB: over the 64 KB field limit but under the hard cap: the row is bad
 * but parsing goes on without a parser error.  The line is longer than the
 * read buffer, so it is fed in pieces. */
static void test_long_field_under_cap(void **state)
{
    (void)state;
    size_t big = 100000, n = big + 64;
    char *in = malloc(n);
    assert_non_null(in);
    size_t at = (size_t)sprintf(in, "a,b,c\n1,\"");
    memset(in + at, 'y', big);
    at += big;
    at += (size_t)sprintf(in + at, "\",3\n2,ok,3\n");
    got g = {0};
    assert_int_equal(read_mem(in, at, &g, NULL), 0);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.status[1], IO_ROW_FIELD_TOO_LONG);
    assert_int_equal(g.err_col[1], 2);
    assert_int_equal(g.status[2], IO_ROW_OK);
    assert_int_equal(g.line[2], 3);

    /* With a bigger limit the same field is read whole. */
    io_csv_limits lim = { 200000, 10, 1 << 20 };
    got h = {0};
    char err[128];
    FILE *fp = fmemopen(in, at, "r");
    assert_int_equal(io_csv_read(fp, "m", &lim, collect, &h, NULL, err, sizeof err), 0);
    fclose(fp);
    free(in);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.status[1], IO_ROW_OK);
    assert_int_equal(h.nfields[1], 3);
}

static void test_many_columns(void **state)
{
    (void)state;
    size_t n = 10000 * 3 + 64;
    char *in = malloc(n);
    assert_non_null(in);
    size_t at = (size_t)sprintf(in, "a,b\n");
    for (int i = 0; i < 10000; i++) at += (size_t)sprintf(in + at, i ? ",x" : "x");
    at += (size_t)sprintf(in + at, "\n1,2\n");
    got g = {0};
    assert_int_equal(read_mem(in, at, &g, NULL), 0);
    free(in);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.status[1], IO_ROW_TOO_MANY_COLUMNS);
    assert_int_equal(g.err_col[1], 1001);
    assert_int_equal(g.status[2], IO_ROW_OK);
}

static void test_nul_and_bad_utf8(void **state)
{
    (void)state;
    static const char in[] = "id,name\n1,สม\0ชาย\n2,\xff\xfe\n3,ดี\n";
    got g = {0};
    assert_int_equal(read_mem(in, sizeof in - 1, &g, NULL), 0);
    assert_int_equal(g.n, 4);
    assert_int_equal(g.status[1], IO_ROW_NUL);
    assert_int_equal(g.err_col[1], 2);
    assert_int_equal(g.status[2], IO_ROW_BAD_UTF8);
    assert_int_equal(g.line[2], 3);
    assert_int_equal(g.err_col[2], 2);
    assert_int_equal(g.status[3], IO_ROW_OK);
    assert_string_equal(g.text[3], "3|ดี");
}

static void test_sql_text_verbatim(void **state)
{
    (void)state;
    static const char in[] = "a,b\n\"'); DROP TABLE students;--\",x\n";
    got g = {0};
    assert_int_equal(read_mem(in, sizeof in - 1, &g, NULL), 0);
    assert_string_equal(g.text[1], "'); DROP TABLE students;--|x");
}

static void test_stop(void **state)
{
    (void)state;
    static const char in[] = "a\n1\n2\n3\n";
    got g = {0};
    g.stop_after = 2;
    assert_int_equal(read_mem(in, sizeof in - 1, &g, NULL), 7);
    assert_int_equal(g.n, 2);
}

static void test_write_row_round_trip(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    const char *row[] = { "1", "a,b", "say \"hi\"", NULL, "สอง\nบรรทัด", " lead" };
    assert_int_equal(io_csv_write_row(fp, row, 6), 0);
    fclose(fp);
    assert_string_equal(buf, "\"1\",\"a,b\",\"say \"\"hi\"\"\",\"\",\"สอง\nบรรทัด\",\" lead\"\r\n");
    got g = {0};
    assert_int_equal(read_mem(buf, len, &g, NULL), 0);
    free(buf);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.text[0], "1|a,b|say \"hi\"||สอง\nบรรทัด| lead");
}

/* Each record's text as read: a stray quote's whole line (the part after
 * the error too), a quoted field over two lines, a TIS-620 line as UTF-8. */
static void test_raw_text(void **state)
{
    (void)state;
    static const char csv[] = "a,b\r\nx,\"y\r\nz\"\r\n1,\"2\"3,4,5\r\n6,7";
    got g = { 0 };
    assert_int_equal(read_mem(csv, sizeof csv - 1, &g, NULL), 0);
    assert_int_equal(g.n, 4);
    assert_string_equal(g.raw[0], "a,b");
    assert_string_equal(g.raw[1], "x,\"y\r\nz\"");
    assert_int_equal(g.status[2], IO_ROW_PARSE);
    assert_string_equal(g.raw[2], "1,\"2\"3,4,5");
    assert_int_equal(g.status[3], IO_ROW_OK);
    assert_string_equal(g.raw[3], "6,7");
}

/* UTF-16 with a BOM, either byte order, as Excel's "Unicode text" saves it
 * (tab-separated): the same rows as the UTF-8 text, the tab found.  The
 * UTF-16 bytes are made by iconv here, not by the reader's own code. */
static void utf16_case(const char *to, const char *bom, size_t bomlen)
{
    static const char utf8[] = "รหัส\tชื่อ\tหมายเหตุ\r\n1\t\"สมชาย, ใจดี\"\tป.1 – “ดี” …\r\n";
    char *in = (char *)utf8, out[512], *op = out + bomlen;
    size_t inleft = sizeof utf8 - 1, outleft = sizeof out - bomlen;
    memcpy(out, bom, bomlen);
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &in, &inleft, &op, &outleft) != (size_t)-1);
    iconv_close(cd);
    got g = {0};
    io_csv_stats st;
    assert_int_equal(read_mem(out, (size_t)(op - out), &g, &st), 0);
    assert_true(st.utf16);
    assert_int_equal(st.delimiter, '\t');
    assert_int_equal(g.n, 2);
    assert_string_equal(g.text[0], "รหัส|ชื่อ|หมายเหตุ");
    assert_string_equal(g.text[1], "1|สมชาย, ใจดี|ป.1 – “ดี” …");
    assert_int_equal(g.line[1], 2);
}

static void test_utf16(void **state)
{
    (void)state;
    utf16_case("UTF-16LE", "\xFF\xFE", 2);
    utf16_case("UTF-16BE", "\xFE\xFF", 2);
}

/* Windows-874: TIS-620 plus – “ ” … (0x96, 0x93, 0x94, 0x85): read whole,
 * the punctuation kept, no row lost (issue 18: 0 imported, 3 rejected). */
static void test_windows874(void **state)
{
    (void)state;
    /* "ชื่อ,หมายเหตุ\n" "สมชาย,ย้าย – “ด่วน” …\n" in CP874 */
    static const char in[] = "\xAA\xD7\xE8\xCD,\xCB\xC1\xD2\xC2\xE0\xCB\xB5\xD8\n"
                             "\xCA\xC1\xAA\xD2\xC2,\xC2\xE9\xD2\xC2 \x96 \x93\xB4\xE8\xC7\xB9\x94 \x85\n";
    got g = {0};
    io_csv_stats st;
    assert_int_equal(read_mem(in, sizeof in - 1, &g, &st), 0);
    assert_true(st.tis620);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.status[1], IO_ROW_OK);
    assert_string_equal(g.text[0], "ชื่อ|หมายเหตุ");
    assert_string_equal(g.text[1], "สมชาย|ย้าย – “ด่วน” …");
}

/* The delimiter: found in the first lines (a title line above the header
 * does not fool it), or given. */
static void test_delimiters(void **state)
{
    (void)state;
    static const char semi[] = "รายชื่อนักเรียน, ข้อมูล ณ วันที่ 10 มิ.ย.\n\na;b;\"c;d\";e\n1;2,5;3;4\n";
    got g = {0};
    io_csv_stats st;
    assert_int_equal(read_mem(semi, sizeof semi - 1, &g, &st), 0);
    assert_int_equal(st.delimiter, ';');
    assert_string_equal(g.text[1], "a|b|c;d|e");
    assert_string_equal(g.text[2], "1|2,5|3|4");
    static const char comma[] = "a,b;c,d\n1,2;3,4\n";
    got h = {0};
    assert_int_equal(read_mem(comma, sizeof comma - 1, &h, &st), 0);
    assert_int_equal(st.delimiter, ',');
    assert_string_equal(h.text[0], "a|b;c|d");
    /* semicolons inside unquoted fields do not outvote the header's commas */
    static const char sql[] = "a,b,c\n'); DROP TABLE x;--,'); DROP;--,1\n";
    got q = {0};
    assert_int_equal(read_mem(sql, sizeof sql - 1, &q, &st), 0);
    assert_int_equal(st.delimiter, ',');
    assert_string_equal(q.text[1], "'); DROP TABLE x;--|'); DROP;--|1");
    /* given: the semicolons stay inside the fields */
    got k = {0};
    FILE *fp = fmemopen((void *)comma, sizeof comma - 1, "r");
    char err[256] = "";
    assert_int_equal(io_csv_read_delim(fp, "m", NULL, ';', collect, &k, &st, err, sizeof err), 0);
    fclose(fp);
    assert_string_equal(k.text[0], "a,b|c,d");
}

static void table_mem(const char *s, size_t n, const io_mapping *m, got *g, io_csv_stats *st)
{
    char err[256] = "";
    FILE *fp = fmemopen((void *)s, n, "r");
    assert_non_null(fp);
    assert_int_equal(io_table_read(fp, "m", NULL, m, collect, g, st, err, sizeof err), 0);
    fclose(fp);
}

/* io_table_read: title rows above the header skipped and said, the
 * export's formula guard taken off, the header found among the rows. */
static void test_table_header_and_guard(void **state)
{
    (void)state;
    io_column cols[2] = {
        { .name = "code", .aliases = NULL, .naliases = 0, .required = true },
        { .name = "name", .aliases = NULL, .naliases = 0, .required = true },
    };
    char *al[] = { "ชื่อ" };
    cols[1].aliases = al;
    cols[1].naliases = 1;
    io_mapping m = { .kind = "t", .table = "t", .cols = cols, .ncols = 2, .school_col = -1 };
    static const char in[] = "รายชื่อโรงเรียน ณ วันที่ 10 มิ.ย. 2568\n,,\ncode,ชื่อ\n"
                             "'=1+1,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"\n'-5,'x\n";
    got g = {0};
    io_csv_stats st;
    table_mem(in, sizeof in - 1, &m, &g, &st);
    assert_int_equal(g.n, 3);
    assert_int_equal(st.skipped, 2);
    assert_int_equal(st.header_line, 3);
    assert_string_equal(st.skipped_text, "รายชื่อโรงเรียน ณ วันที่ 10 มิ.ย. 2568");
    assert_string_equal(g.text[0], "code|ชื่อ");
    assert_string_equal(g.text[1], "=1+1|=HYPERLINK(\"http://x\",\"click\")");
    assert_string_equal(g.text[2], "-5|'x");     /* only a guard is taken off */
    /* no header at all in the first rows: the best row is handed on */
    static const char none[] = "a,b\nc,d\n";
    got h = {0};
    table_mem(none, sizeof none - 1, &m, &h, &st);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.text[0], "a|b");
    char name[64], sp[256];
    char *hdr[] = { "code", "ชื่อเล่น" };
    assert_ptr_equal(io_header_missing(&m, hdr, 2, name, sizeof name, sp, sizeof sp), &cols[1]);
    assert_string_equal(name, "ชื่อ");          /* the header is Thai: the Thai name */
    assert_string_equal(sp, "name, ชื่อ");
    /* an ID Excel wrote in scientific notation: refused, saying so */
    io_column idcols[1] = { { .name = "id", .required = true, .norm = NORM_DIGITS } };
    io_mapping im = { .kind = "t", .table = "t", .cols = idcols, .ncols = 1, .school_col = -1 };
    static const char sci[] = "id\n1.1037E+12\n1103700012345\n11037e12\n1.5\n";
    got e = {0};
    table_mem(sci, sizeof sci - 1, &im, &e, &st);
    assert_int_equal(e.n, 5);
    assert_int_equal(e.status[1], IO_ROW_NUMBER_ID);
    assert_int_equal(e.err_col[1], 1);
    assert_int_equal(e.err_line[1], 2);
    assert_int_equal(e.status[2], IO_ROW_OK);
    assert_int_equal(e.status[3], IO_ROW_NUMBER_ID);
    assert_int_equal(e.status[4], IO_ROW_OK);     /* not an ID Excel made: the rules judge it */
    /* the guard is for text; a number in a number column is left alone */
    io_column num = { .name = "n", .norm = NORM_INT };
    assert_true(io_guard_needed(&cols[1], "=SUM(A1)"));
    assert_true(io_guard_needed(&cols[1], "-5"));
    assert_true(io_guard_needed(&cols[1], "@x"));
    assert_true(io_guard_needed(&cols[1], "\tx"));
    assert_false(io_guard_needed(&num, "-5"));
    assert_true(io_guard_needed(&num, "-x"));
    assert_false(io_guard_needed(&cols[1], "x=1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_crlf_quotes),
        cmocka_unit_test(test_raw_text),
        cmocka_unit_test(test_lf_blank_lines_no_final_newline),
        cmocka_unit_test(test_empty_and_header_only),
        cmocka_unit_test(test_strict_error_recovers),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_tis620_file),
        cmocka_unit_test(test_huge_field),
        cmocka_unit_test(test_long_field_under_cap),
        cmocka_unit_test(test_many_columns),
        cmocka_unit_test(test_nul_and_bad_utf8),
        cmocka_unit_test(test_sql_text_verbatim),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_write_row_round_trip),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_windows874),
        cmocka_unit_test(test_delimiters),
        cmocka_unit_test(test_table_header_and_guard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
