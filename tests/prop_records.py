#!/usr/bin/env python3
"""Random valid records of an import kind, and the check of what esis kept.

The test side of the import property test (tests/test_import.c,
test_property_every_kind), written apart from esis on purpose: the file is
written with Python's csv module, and what each value must be stored as is
worked out here from conf/ (the mapping and the code lists), not by esis.

  prop_records.py gen KIND SEED N DB OUT.csv EXPECTED.json
      N records of conf/import/KIND.ini for the table as DB has it:
      names and notes in Thai with Thai digits, inner spaces, punctuation,
      quotes and combining marks (long ones too); numbers with thousands
      commas, Thai digits or "12.0"; dates in BE (Thai digits too) or ISO;
      codes by code, Thai or English label or alias; IDs with dashes.
      EXPECTED gets, per record, each table column's stored value.
  prop_records.py check KIND DB EXPORT.csv EXPECTED.json
      The database holds exactly the expected records (field by field) and
      the export gives them back (dates in BE).  Exit 1 with the differences.
"""
import configparser
import csv
import json
import random
import sqlite3
import sys

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
# consonants, vowels, tone marks and other combining marks
CONS = "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮ"
MARKS = "่้๊๋ิีึืุู็์ั"
WORDS = ["สมชาย", "ศรีบุรินทร์", "องค์การบริหารส่วนตำบลโคกล่าม", "พิชญาภา", "กองสวัสดิ์คำ",
         "นางธัญพร", "ณัฐวุฒิ", "ฤๅษี", "เกื้อกูล", "น้ำใจ", "ปั้นหยา", "กรุงเทพฯ", "ฯลฯ"]


def ini(path):
    cp = configparser.ConfigParser(interpolation=None, comment_prefixes=(";", "#"),
                                   inline_comment_prefixes=(";",), strict=False)
    cp.optionxform = str
    with open(path, encoding="utf-8") as f:
        cp.read_file(f)
    return cp


def mapping(kind):
    cp = ini("conf/import/%s.ini" % kind)
    table = cp.get("import", "table")
    cols = []
    for sec in cp.sections():
        if sec == "import":
            continue
        cols.append({
            "name": sec,
            "column": cp.get(sec, "column", fallback=sec),
            "required": cp.get(sec, "required", fallback="no").lower() in ("yes", "1", "true"),
            "norm": cp.get(sec, "normalise", fallback="text"),
        })
    return table, cols


def code_lists():
    cp = ini("conf/codes.ini")
    lists = {}
    for sec in cp.sections():
        entries = []
        for _, v in cp.items(sec):
            parts = [p.strip() for p in v.split("|")]
            while len(parts) < 4:
                parts.append("")
            entries.append({"code": parts[0], "th": parts[1], "en": parts[2],
                            "aliases": parts[3].split()})
        lists[sec] = entries
    return lists


def spellings(entries, e):
    """The spellings of e that name no other entry (ASCII case ignored)."""
    def names(x):
        return {s.lower() for s in [x["code"], x["th"], x["en"]] + x["aliases"] if s}
    others = set()
    for x in entries:
        if x is not e:
            others |= names(x)
    out = [s for s in [e["code"], e["th"], e["en"]] + e["aliases"] if s and s.lower() not in others]
    return out or [e["code"]]


def thai_digits(s):
    return "".join(THAI_DIGITS[int(c)] if c.isdigit() and c.isascii() else c for c in s)


def text_value(rng, long=False):
    words = []
    n = rng.randint(8, 20) if long else rng.randint(1, 4)
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            words.append(rng.choice(WORDS))
        elif r < 0.7:
            words.append("".join(rng.choice(CONS) + (rng.choice(MARKS) if rng.random() < 0.5 else "")
                                 for _ in range(rng.randint(2, 6))))
        elif r < 0.85:
            words.append(thai_digits(str(rng.randint(1, 999))) + rng.choice(CONS))
        else:
            words.append(rng.choice(['"ฝน"', "ก, ข", "(ค)", "๑/๒", "ม.๓", "A-1", "นาย ก.", "''"]))
    sep = [" ", "  ", " ", ", "]
    out = words[0]
    for w in words[1:]:
        out += rng.choice(sep) + w
    return out


def be_date(rng):
    y = rng.randint(2000, 2020)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    iso = "%04d-%02d-%02d" % (y, m, d)
    r = rng.random()
    if r < 0.4:
        return "%02d/%02d/%04d" % (d, m, y + 543), iso
    if r < 0.7:
        return thai_digits("%d/%d/%04d" % (d, m, y + 543)), iso
    return iso, iso


def gen(kind, seed, n, dbpath, out_csv, out_json):
    rng = random.Random(seed)
    table, cols = mapping(kind)
    lists = code_lists()
    db = sqlite3.connect(dbpath)
    keys = db.execute("SELECT key_cols FROM esis_tables WHERE name = ?", (table,)).fetchone()[0].split()
    info = list(db.execute("SELECT name, upper(type), \"notnull\", dflt_value FROM pragma_table_info(?)", (table,)))
    types = {r[0]: r[1] for r in info}
    # an empty value of a NOT NULL column with a literal default is stored
    # as the default; one without a default must be given
    defaults = {}
    must = set()
    for name, _, notnull, dflt in info:
        if not notnull:
            continue
        if dflt is None:
            must.add(name)
        elif dflt.startswith("'") and dflt.endswith("'"):
            defaults[name] = dflt[1:-1]
        elif dflt.lstrip("-").replace(".", "").isdigit():
            defaults[name] = dflt
        else:
            must.add(name)
    base = db.execute('SELECT count(*) FROM "%s"' % table).fetchone()[0]
    schools = [r[0] for r in db.execute("SELECT school_code FROM schools ORDER BY 1")]
    seen = set()
    rows, expected = [], []
    i = 0
    while len(rows) < n:
        i += 1
        row, exp = {}, {}
        for c in cols:
            col, norm = c["column"], c["norm"]
            empty_ok = not c["required"] and col not in keys and col not in must
            if empty_ok and rng.random() < 0.15:
                row[c["name"]] = rng.choice(["", " "])
                exp[col] = defaults.get(col)
                continue
            if col == "school_code" and table != "schools":
                v = rng.choice(schools)
                w = v if rng.random() < 0.7 else "%s-%s" % (v[:4], v[4:])
            elif norm == "digits":
                ndig = 8 if col == "school_code8" else 5 if col == "postcode" else 10 if col == "school_code" else 13
                v = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(ndig - 1))
                r = rng.random()
                w = v if r < 0.5 else thai_digits(v) if r < 0.7 else "-".join([v[:1], v[1:5], v[5:]])
            elif norm == "int":
                x = rng.randint(0, 4000) if col != "academic_year" else rng.randint(2550, 2570)
                v = str(x)
                r = rng.random()
                w = (v if r < 0.4 else thai_digits(v) if r < 0.6 else "{:,}".format(x) if r < 0.8
                     else "%d.0" % x)
            elif norm == "real":
                x = round(rng.uniform(0, 999), rng.randint(0, 2))
                v = x
                w = ("%.2f" % x) if rng.random() < 0.6 else thai_digits(repr(x))
            elif norm == "date":
                w, v = be_date(rng)
            elif norm.startswith("code:"):
                entries = lists[norm[5:]]
                e = rng.choice(entries)
                v = e["code"]
                w = rng.choice(spellings(entries, e))
            else:
                v = text_value(rng, long=rng.random() < 0.3)
                if col in keys:
                    v = "%s %d" % (v[:30].strip(), i)
                w = v if rng.random() < 0.7 else " " + v + " "
            row[c["name"]] = w
            exp[col] = v
        key = tuple(exp.get(k) for k in keys if k in exp)
        if key in seen:
            continue
        seen.add(key)
        rows.append(row)
        expected.append(exp)
    with open(out_csv, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([c["name"] for c in cols])
        for r in rows:
            w.writerow([r[c["name"]] for c in cols])
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump({"table": table, "keys": keys, "types": types, "base": base, "records": expected}, f,
                  ensure_ascii=False)


def same(stored, want, typ):
    if want is None:
        return stored is None or stored == ""
    if stored is None:
        return False
    if "REAL" in typ or "FLOA" in typ or "DOUB" in typ:
        return abs(float(stored) - float(want)) < 1e-9
    return str(stored) == str(want)


def check(kind, dbpath, export_csv, exp_json):
    with open(exp_json, encoding="utf-8") as f:
        e = json.load(f)
    table, keys, types, records = e["table"], e["keys"], e["types"], e["records"]
    _, cols = mapping(kind)
    db = sqlite3.connect(dbpath)
    bad = []
    base = e["base"]
    n = db.execute('SELECT count(*) FROM "%s"' % table).fetchone()[0]
    if n != base + len(records):
        bad.append("%s: %d rows, expected %d" % (table, n, base + len(records)))
    for r in records:
        kc = [k for k in keys if k in r]
        where = " AND ".join('"%s" = ?' % k for k in kc)
        names = [c["column"] for c in cols]
        got = db.execute('SELECT %s FROM "%s" WHERE %s' % (", ".join('CAST("%s" AS TEXT)' % c for c in names),
                                                          table, where), [r[k] for k in kc]).fetchall()
        if len(got) != 1:
            bad.append("key %s: %d rows" % ([r[k] for k in kc], len(got)))
            continue
        for c, v in zip(names, got[0]):
            if not same(v, r[c], types.get(c, "")):
                bad.append("key %s %s: stored %r, expected %r" % ([r[k] for k in kc], c, v, r[c]))
    # the export: every record back, dates in BE
    with open(export_csv, encoding="utf-8-sig", newline="") as f:
        rd = list(csv.reader(f))
    header, body = rd[0], rd[1:]
    if header != [c["name"] for c in cols]:
        bad.append("export header %r" % header)
    if len(body) != base + len(records):
        bad.append("export: %d rows, expected %d" % (len(body), base + len(records)))
    byname = {}
    for row in body:
        d = dict(zip(header, row))
        byname[tuple(d[c["name"]] for c in cols if c["column"] in keys)] = d
    for r in records:
        k = tuple(str(r[c["column"]]) for c in cols if c["column"] in keys)
        d = byname.get(k)
        if d is None:
            bad.append("export: no row %s" % (k,))
            continue
        for c in cols:
            want = r[c["column"]]
            if want is not None and c["norm"] == "date":
                y, m, dd = want.split("-")
                want = "%s/%s/%d" % (dd, m, int(y) + 543)
            if not same(d[c["name"]] if d[c["name"]] != "" else None, want, types.get(c["column"], "")):
                bad.append("export %s %s: %r, expected %r" % (k, c["name"], d[c["name"]], want))
    for b in bad[:20]:
        print(b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7])
    else:
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]))
