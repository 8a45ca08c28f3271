#!/usr/bin/env python3
"""Writes a supplier import file of N rows (default 100,000) with every column filled,
deterministic so that runs compare: python3 bench/make_suppliers_csv.py 100000 > /tmp/suppliers.csv"""
import csv
import random
import sys

STATUSES = ["certified"] * 8 + ["suspended", "surrendered"]
PRODUCTS = ["crops:Avocados (Hass|Fuerte)", "crops:Oats", "crops:Wheat (Hard Red)", "handling:Rolled oats",
            "livestock:Milk", "wild_crops:Chamomile", "handling:Guacamole", "crops:Lemons (Eureka|Lisbon)"]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(42)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["name", "other_names", "nop_operation_id", "certifier", "country", "contact_emails", "time_zone",
                  "tags", "scheme", "certificate_number", "status", "status_effective_date", "anniversary_date",
                  "valid_to", "crops", "livestock", "wild_crops", "handling", "products"])
    for i in range(count):
        status = rng.choice(STATUSES)
        out.writerow([
            f"Supplier {i:06d} Organics", f"S{i} Farm;Supplier {i} Co-op", f"{1_000_000_000 + i}",
            "Bench Certifier", "United States of America (the)", f"buyer{i % 50}@example.com", "America/Chicago",
            f"region{i % 20};tier{i % 3}", "nop", "", status, "2024-03-19", f"2027-{1 + i % 12:02d}-15", "",
            status, "", "", "certified", ";".join(rng.sample(PRODUCTS, 3)),
        ])


if __name__ == "__main__":
    main()
