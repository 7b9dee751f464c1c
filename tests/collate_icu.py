#!/usr/bin/env python3
"""The independent side of tests/test_collate_icu.c: ICU's Thai collation.

  collate_icu.py gen SEED N   N distinct strings, one a line: Thai names
                              with marks, Latin names, digits, Thai digits,
                              and mixes of them
  collate_icu.py check FILE   FILE holds strings in the order esis sorted
                              them; every neighbouring pair is compared with
                              ICU's Collator for th_TH (PyICU, Debian's
                              python3-icu).  Exit 0 when ICU agrees with every
                              pair, or the pair falls in one of the KNOWN
                              classes below (each is printed with its count
                              and an example, never passed over in silence);
                              exit 1 and the pairs otherwise.

Checking neighbours is enough: ICU's order is a total preorder, so a list
whose every neighbouring pair ICU calls "not greater" is ICU-sorted.  Pairs
ICU calls equal (punctuation and blanks are ignorable in ICU's Thai
collation, and so are ๆ and ฯ) may come in either order: esis breaks
every tie by the bytes, because an index must never see two different
strings as equal.
"""
import random
import sys
import unicodedata

PHINTHU = "\u0e3a"


def case_punct_only(a, b):
    """The two differ only by case and by punctuation or blanks."""
    def bare(s):
        return "".join(c for c in s if unicodedata.category(c)[0] in "LNM").casefold()
    return bare(a) == bare(b)


def without(pred):
    """A test for a pair whose disagreement those characters explain: they
    are in it, and ICU itself agrees with esis once they are taken out."""
    def test(coll, a, b):
        if not any(pred(c) for c in a + b):
            return False
        strip = lambda s: "".join(c for c in s if not pred(c))
        return coll.compare(strip(a), strip(b)) <= 0
    return test


# The pairs where libthai's order (which esis keeps within a script)
# legitimately differs from ICU's.  Each: (name, test of the pair, why).
# A pair is excused only when its own difference explains it.
KNOWN = [
    ("phinthu", without(lambda c: c == PHINTHU),
     "PHINTHU (U+0E3A, Pali and Sanskrit spellings) is ignored at libthai's "
     "first level; ICU weighs it as a letter"),
    ("case-before-punctuation", lambda coll, a, b: case_punct_only(a, b),
     "ICU weighs case before punctuation and blanks (ADAM < ad am is false "
     "in ICU); libthai weighs punctuation first"),
    ("outside-tis620", without(lambda c: ord(c) > 0x7f and not 0x0e00 <= ord(c) <= 0x0e7f),
     "letters outside TIS-620 (é, ü) are ignored by libthai except as the "
     "final tie-break; ICU sorts é with e"),
]

CONS = [chr(c) for c in range(0x0E01, 0x0E2F)]
LEAD = ["เ", "แ", "โ", "ใ", "ไ"]
ABOVE_BELOW = ["ิ", "ี", "ึ", "ื", "ุ", "ู"]
AFTER = ["า", "ำ", "ะ"]
TONES = ["่", "้", "๊", "๋"]
TDIGITS = "๐๑๒๓๔๕๖๗๘๙"
ACCENTED = ["José", "Müller", "Zoë", "Renée", "Ångström"]


def syllable(r):
    """A well-formed Thai syllable: a tone mark sits on the consonant or on
    the vowel above or below it, before า ำ ะ (as Thai is typed)."""
    s = r.choice(LEAD) if r.random() < 0.3 else ""
    s += r.choice(CONS)
    if r.random() < 0.1:
        s += r.choice(CONS)                       # a cluster: กร, คล
    if r.random() < 0.4:
        s += r.choice(ABOVE_BELOW)
    elif r.random() < 0.15:
        s += "ั"
    if r.random() < 0.3:
        s += r.choice(TONES)
    elif r.random() < 0.05:
        s += "็"
    if r.random() < 0.35:
        s += r.choice(AFTER)
    if r.random() < 0.4:
        s += r.choice(CONS)
        if r.random() < 0.1:
            s += "์"
    return s


def thai(r):
    w = "".join(syllable(r) for _ in range(r.randint(1, 4)))
    x = r.random()
    if x < 0.03:
        w += "ๆ"
    elif x < 0.05:
        w += PHINTHU if r.random() < 0.5 else "ฯ"
    elif x < 0.08:
        w = r.choice(["ฤ", "ฦ", "ฤๅ", "ฦๅ"]) + w
    return w


def latin(r):
    w = "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(1, 8)))
    x = r.random()
    return w.capitalize() if x < 0.5 else w.upper() if x < 0.6 else w


def number(r):
    d = str(r.randint(0, 9999))
    return d if r.random() < 0.5 else d.translate(str.maketrans("0123456789", TDIGITS))


def one(r):
    x = r.random()
    if x < 0.45:
        return thai(r) + (" " + thai(r) if r.random() < 0.3 else "")
    if x < 0.65:
        return latin(r) + (" " + latin(r) if r.random() < 0.3 else "")
    if x < 0.75:
        return number(r)
    if x < 0.76:
        return r.choice(ACCENTED)
    parts = [r.choice([thai, latin, number])(r) for _ in range(r.randint(2, 3))]
    return r.choice(["", " ", "-", ".", "/", " ("]).join(parts)


def gen(seed, n):
    r = random.Random(seed)
    out = {"ก", "A", "a", "0", "๐", "กข", "ก ข", "ก-ข", "เก", "แก", "ก่", "ก้", "กา", "ก่า"}
    while len(out) < n:
        w = one(r)
        out.add(w)
        if r.random() < 0.1:            # neighbours: a tone, a case, a blank apart
            out.update({w + "่", w.lower(), w.upper(), w.replace(" ", ""), w + " ก"})
    for w in sorted(out):
        print(w)


def check(path):
    import icu
    coll = icu.Collator.createInstance(icu.Locale("th_TH"))
    with open(path, encoding="utf-8") as f:
        words = f.read().split("\n")
    if words and words[-1] == "":
        words.pop()
    known = {name: [] for name, _, _ in KNOWN}
    wrong = []
    for a, b in zip(words, words[1:]):
        if coll.compare(a, b) <= 0:
            continue
        for name, test, _ in KNOWN:
            if test(coll, a, b):
                known[name].append((a, b))
                break
        else:
            wrong.append((a, b))
    print(f"ICU {icu.ICU_VERSION} th_TH: {len(words)} strings, "
          f"{len(words) - 1 - sum(map(len, known.values())) - len(wrong)} neighbouring pairs agree")
    for name, _, why in KNOWN:
        pairs = known[name]
        if pairs:
            print(f"known difference {name}: {len(pairs)} pairs, e.g. {pairs[0][0]!r} before "
                  f"{pairs[0][1]!r} ({why})")
    for a, b in wrong:
        print(f"ICU disagrees: esis puts {a!r} before {b!r}")
    return 1 if wrong else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2]))
    else:
        sys.exit("usage: collate_icu.py gen SEED N | check FILE")
