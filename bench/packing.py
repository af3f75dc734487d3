"""Box choice benchmark: ``plan_packing`` alone choosing boxes for 10,000 packages, each a typical order of 1 to 6
items (goal: a few seconds in all, i.e. well under 1 ms per package), once per objective; then 200 large orders of
20 to 60 units, to show how the time grows with the units in a box.

    .venv/bin/python bench/packing.py [--packages 10000] [--large 200]

The engine is plain Python: the module is loaded from its file, no Odoo and no database are needed (``--config`` and
``--database``, passed by ``scripts/bench.sh``, are accepted and ignored). Data are generated with a fixed seed from
the demo company's 34 products (their real sizes and weights; the 6 larger than every box, which ship alone, are
picked 0.15 times as often as the others) and its four standard boxes; quantities are 1 (70 %), 2 (20 %) or 3
(10 %). Every plan is checked afterwards (every unit once, inside its box, no overlap, within the box's maximum
weight): the run fails when one is not.
"""

import argparse
import importlib.util
import random
import sys
import time
from itertools import combinations
from pathlib import Path

SEED = 42
# How often a product larger than every box is picked, against 1 for the others.
BULKY_WEIGHT = 0.15
SERVICE = Path(__file__).resolve().parent.parent / "addons" / "oms_fulfillment" / "services" / "packing"

# The demo products (oms_intelligent/demo/product_demo.xml): SKU, length, width, height (mm), weight (kg).
PRODUCTS = [
    ("OMS-001", 230, 170, 250, 1.2),  # Electric Kettle 1.7 L
    ("OMS-002", 160, 110, 220, 0.65),  # Stovetop Espresso Maker 6-Cup
    ("OMS-003", 320, 260, 160, 5.6),  # Cast Iron Casserole 24 cm
    ("OMS-004", 340, 50, 25, 0.25),  # Chef's Knife 20 cm
    ("OMS-005", 400, 280, 20, 1.1),  # Bamboo Cutting Board
    ("OMS-006", 75, 75, 270, 0.35),  # Stainless Steel Water Bottle 750 ml
    ("OMS-007", 330, 330, 260, 7.8),  # Stoneware Dinner Set, 12 pieces
    ("OMS-008", 280, 200, 150, 2.4),  # Glass Food Container Set, 5 pieces
    ("OMS-009", 420, 180, 90, 1.3),  # LED Desk Lamp
    ("OMS-010", 450, 450, 350, 1.6),  # Rattan Pendant Lamp
    ("OMS-011", 330, 160, 80, 0.9),  # Solar Garden Lights, pack of 4
    ("OMS-012", 110, 110, 190, 0.45),  # Rechargeable Camping Lantern
    ("OMS-013", 1300, 350, 250, 12.5),  # Arc Floor Lamp
    ("OMS-014", 620, 320, 240, 1.45),  # Hiking Backpack 40 L
    ("OMS-015", 450, 300, 150, 0.7),  # Urban Daypack 20 L
    ("OMS-016", 650, 350, 300, 1.1),  # Travel Duffel Bag 60 L
    ("OMS-017", 220, 120, 40, 0.18),  # Waterproof Dry Bag 10 L
    ("OMS-018", 550, 180, 180, 2.6),  # Dome Tent, 2 persons
    ("OMS-019", 780, 380, 380, 24.0),  # Family Tent, 6 persons
    ("OMS-020", 450, 250, 250, 1.6),  # Sleeping Bag, 3 seasons
    ("OMS-021", 650, 180, 180, 1.2),  # Self-Inflating Sleeping Mat
    ("OMS-022", 880, 180, 180, 3.2),  # Folding Camping Chair
    ("OMS-023", 250, 200, 100, 0.9),  # Single-Burner Camping Stove
    ("OMS-024", 600, 400, 420, 4.8),  # Cooler Box 45 L
    ("OMS-025", 680, 100, 60, 0.55),  # Trekking Poles, pair
    ("OMS-026", 80, 45, 40, 0.09),  # LED Headlamp 300 lm
    ("OMS-027", 100, 60, 20, 0.12),  # Aluminium Carabiner Set, 3 pieces
    ("OMS-028", 500, 350, 450, 6.5),  # Garden Hose Reel 30 m
    ("OMS-029", 1650, 950, 450, 48.0),  # Teak Garden Dining Set, table and 4 chairs
    ("OMS-030", 1200, 620, 650, 38.0),  # Gas Barbecue, 3 burners
    ("OMS-031", 1400, 300, 200, 17.5),  # Hammock with Steel Stand
    ("OMS-032", 350, 250, 80, 0.8),  # Waterproof Picnic Blanket
    ("OMS-033", 610, 150, 150, 1.8),  # Cork Yoga Mat
    ("OMS-034", 280, 200, 200, 0.4),  # Insulated Lunch Bag
]
# The demo boxes (oms_fulfillment/demo/stock_package_type_demo.xml): inner mm, max gross kg, EUR, empty kg.
BOXES = [
    ("S", 300, 200, 150, 5, 0.60, 0.15),
    ("M", 400, 300, 200, 12, 0.95, 0.30),
    ("L", 500, 400, 300, 20, 1.60, 0.55),
    ("XL", 700, 500, 450, 30, 2.90, 1.10),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=200, help="large orders of 20 to 60 units")
    parser.add_argument("--config", help="ignored (no database needed)")
    parser.add_argument("--database", help="ignored (no database needed)")
    return parser.parse_args(argv)


def load_engine():
    # The engine is a package: loaded from its folder, without importing the addon (and Odoo) around it.
    spec = importlib.util.spec_from_file_location(
        "packing_engine_under_test", SERVICE / "__init__.py", submodule_search_locations=[str(SERVICE)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def typical_orders(engine, rng, count):
    # Products too large for the XL box (floor lamp, family tent, chair, hammock, garden furniture) sell less.
    largest_box = sorted(BOXES[-1][1:4])
    weights = [
        1.0 if all(a <= b for a, b in zip(sorted(line[1:4]), largest_box, strict=True)) else BULKY_WEIGHT
        for line in PRODUCTS
    ]
    orders = []
    for _order in range(count):
        wanted = rng.randint(1, 6)
        lines = []
        while len(lines) < wanted:
            line = rng.choices(PRODUCTS, weights)[0]
            if line not in lines:
                lines.append(line)
        orders.append([engine.Item(*line, quantity=rng.choices((1, 2, 3), (7, 2, 1))[0]) for line in lines])
    return orders


def large_orders(engine, rng, count):
    parcel_sized = [line for line in PRODUCTS if max(line[1:4]) <= 450 and line[4] <= 8]
    orders = []
    for _order in range(count):
        units = rng.randint(20, 60)
        lines = rng.sample(parcel_sized, rng.randint(2, 8))
        shares = [rng.random() for _line in lines]
        quantities = [max(1, round(units * share / sum(shares))) for share in shares]
        orders.append([engine.Item(*line, quantity=quantity) for line, quantity in zip(lines, quantities, strict=True)])
    return orders


def check(engine, orders, plans, boxes):
    """Every unit once, each inside its box, no two overlapping, each box within its maximum weight."""
    by_id = {box.box_id: box for box in boxes}
    eps = engine.EPSILON
    for items, plan in zip(orders, plans, strict=True):
        weights = {item.item_id: item.weight for item in items}
        units = dict.fromkeys(weights, 0)
        for packed in plan.boxes:
            box = by_id[packed.box_id]
            for p in packed.placements:
                units[p.item_id] += 1
                assert min(p.x, p.y, p.z) >= 0
                assert p.x + p.length <= box.length + eps and p.y + p.width <= box.width + eps
                assert p.z + p.height <= box.height + eps
            for a, b in combinations(packed.placements, 2):
                assert not (
                    a.x < b.x + b.length - eps
                    and b.x < a.x + a.length - eps
                    and a.y < b.y + b.width - eps
                    and b.y < a.y + a.width - eps
                    and a.z < b.z + b.height - eps
                    and b.z < a.z + a.height - eps
                ), (a, b)
            assert box.empty_weight + sum(weights[p.item_id] for p in packed.placements) <= box.max_weight + eps
        for parcel in plan.alone:
            units[parcel.item_id] += 1
        for left in plan.unplanned:
            units[left.item_id] += left.quantity
        assert units == {item.item_id: item.quantity for item in items}


def figure(engine, orders, boxes, objective, label):
    started, started_cpu = time.perf_counter(), time.process_time()
    plans = [engine.plan_packing(items, boxes, objective) for items in orders]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    check(engine, orders, plans, boxes)
    count = len(orders)
    box_count = sum(plan.box_count for plan in plans)
    one_box = sum(1 for plan in plans if plan.box_count == 1 and not plan.alone)
    alone = sum(len(plan.alone) for plan in plans)
    cost = sum(plan.total_cost for plan in plans)
    print(
        f"box choice ({objective}): {elapsed / count * 1000:.2f} ms per package ({cpu / count * 1000:.2f} ms of CPU), "
        f"{elapsed:.1f} s for {count:,} "
        f"packages of {label} (goal: a few seconds for 10,000 typical ones); {box_count / count:.2f} boxes and "
        f"{cost / count:.2f} EUR of boxes per package, {one_box / count:.0%} in one box, {alone:,} units ship alone; "
        "checked"
    )


def main(argv):
    args = parse_args(argv)
    engine = load_engine()
    boxes = [engine.Box(*box) for box in BOXES]
    rng = random.Random(SEED)
    orders = typical_orders(engine, rng, args.packages)
    for objective in engine.OBJECTIVES:
        figure(engine, orders, boxes, objective, "1 to 6 items")
    if args.large:
        figure(engine, large_orders(engine, rng, args.large), boxes, "cheapest", "20 to 60 units")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
