/* html.c: escaping text for the HTML that reports and printed forms write. */
#include "esis/text.h"

void text_html_escape(FILE *fp, const char *s, bool line_breaks)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':  fputs("&lt;", fp); break;
        case '>':  fputs("&gt;", fp); break;
        case '&':  fputs("&amp;", fp); break;
        case '"':  fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        case '\n':
            if (line_breaks) { fputs("<br>", fp); break; }
            fputc('\n', fp);
            break;
        default:   fputc(*s, fp);
        }
    }
}
