#!/usr/bin/env python3
"""Synthetic DMC file for the import benchmark: N students over 300 schools,
canonical header, BE dates, valid citizen IDs.  Usage: io_gen.py N OUT.csv"""
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
first = ["สมชาย", "มาลี", "ก้อง", "ฟ้า", "ภูผา", "ดาวเรือง", "นที", "ปิยะ", "อรุณ", "วารี"]
last = ["ใจดี", "ศรีสุข", "รักไทย", "บุญมา", "แก้วกาญจนา", "ทองดี", "สายสุวรรณ"]
grades = [("P%d" % g, 5 + g) for g in range(1, 7)] + [("K%d" % g, 2 + g) for g in range(1, 4)]
def cid(i):
    b = "1%011d" % i
    s = sum(int(b[k]) * (13 - k) for k in range(12))
    return b + str((11 - s % 11) % 10)
with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("school_code,citizen_id,prefix,first_name,last_name,gender,birth_date,grade,room,"
            "nationality,religion,house_no,village_no,tambon,amphoe,province,postcode,weight_kg,height_cm\r\n")
    per = max(1, n // 300)
    for i in range(n):
        school = "10%08d" % (1 + i // per)
        g, age = random.choice(grades)
        gender = random.choice("12")
        prefix = "เด็กชาย" if gender == "1" else "เด็กหญิง"
        by = 2024 - age + 543
        f.write("%s,%s,%s,%s,%s,%s,%02d/%02d/%d,%s,%d,ไทย,พุทธ,%d,%d,บ้านใหม่,เมือง,ตัวอย่าง,10110,%.1f,%d\r\n" % (
            school, cid(i + 1), prefix, random.choice(first), random.choice(last), gender,
            random.randint(1, 28), random.randint(1, 4), by, g, random.randint(1, 3),
            random.randint(1, 300), random.randint(1, 12), random.uniform(15, 50), random.randint(100, 160)))
