"""Box choice by 3D bin packing (plain pytest, no database)."""

import random
from itertools import combinations

import pytest

from odoo.addons.oms_fulfillment.services.packing import (
    ALONE_TOO_BIG,
    ALONE_TOO_HEAVY,
    EPSILON,
    MAX_UNITS,
    UNPLANNED_NO_BOXES,
    UNPLANNED_NO_DIMENSIONS,
    UNPLANNED_NO_WEIGHT,
    UNPLANNED_TOO_MANY_UNITS,
    AloneParcel,
    Box,
    Item,
    PackingPlan,
    Unplanned,
    plan_packing,
)

# The demo company's boxes: inner length x width x height (mm), max gross weight (kg), cost, empty weight.
SMALL = Box("S", 250, 200, 120, max_weight=5, cost=0.90, empty_weight=0.15)
MEDIUM = Box("M", 350, 250, 200, max_weight=15, cost=1.50, empty_weight=0.30)
LARGE = Box("L", 500, 350, 300, max_weight=25, cost=2.40, empty_weight=0.60)
EXTRA_LARGE = Box("XL", 700, 450, 450, max_weight=30, cost=3.90, empty_weight=1.10)
BOXES = [SMALL, MEDIUM, LARGE, EXTRA_LARGE]

HEADLAMP = ("headlamp", 80, 45, 40, 0.09)
KETTLE = ("kettle", 230, 170, 250, 1.2)
FAMILY_TENT = ("family tent", 780, 380, 380, 24.0)


def item(spec, quantity=1):
    return Item(*spec, quantity=quantity)


def box_ids(plan: PackingPlan) -> list:
    return sorted(box.box_id for box in plan.boxes)


def test_two_headlamps_go_in_the_small_box_the_cheapest():
    plan = plan_packing([item(HEADLAMP, 2)], BOXES)

    assert box_ids(plan) == ["S"]
    assert plan.boxes[0].contents == {"headlamp": 2}
    assert plan.total_cost == pytest.approx(0.90)
    assert plan.boxes[0].weight == pytest.approx(0.15 + 2 * 0.09), "the empty box counts in the weight"
    assert (plan.alone, plan.unplanned) == ((), ())


def test_items_too_big_for_one_box_together_need_two():
    # Two trays that each fill a medium box's floor and 3/4 of its height: no box of this set takes both.
    tray = ("tray", 350, 250, 150, 2.0)
    plan = plan_packing([item(tray, 2)], [SMALL, MEDIUM])

    assert box_ids(plan) == ["M", "M"]
    assert [box.contents for box in plan.boxes] == [{"tray": 1}, {"tray": 1}]
    assert plan.total_cost == pytest.approx(3.0)


def test_an_item_that_fits_only_lying_on_its_side_is_rotated():
    # A poster tube given standing (500 mm high) only fits a flat 600 x 150 x 150 box lying down.
    tube = Item("tube", length=100, width=100, height=500, weight=0.4)
    flat_box = Box("flat", 600, 150, 150, max_weight=5, cost=1.0)

    plan = plan_packing([tube], [flat_box])

    [placement] = plan.boxes[0].placements
    assert (placement.length, placement.width, placement.height) == (500, 100, 100)
    assert (placement.x, placement.y, placement.z) == (0, 0, 0)


def test_three_kettles_stand_side_by_side_to_fit_the_large_box():
    # Lying flat (250 x 230 footprint) only two fit the 500 x 350 floor; on their narrow side (250 x 170) four do.
    plan = plan_packing([item(KETTLE, 3)], BOXES)

    assert box_ids(plan) == ["L"]
    assert {(p.length, p.width, p.height) for p in plan.boxes[0].placements} == {(250, 170, 230)}


def test_an_item_larger_than_every_box_ships_alone_and_the_rest_is_boxed():
    plan = plan_packing([item(FAMILY_TENT), item(HEADLAMP)], BOXES)

    assert plan.alone == (AloneParcel("family tent", 24.0, ALONE_TOO_BIG),)
    assert box_ids(plan) == ["S"]
    assert plan.boxes[0].contents == {"headlamp": 1}


def test_units_too_heavy_for_one_box_are_split_by_weight():
    # Three 9 kg weights fit a medium box by size (27 kg) but it carries 15 kg gross, the large one 25 kg.
    dumbbell = ("dumbbell", 150, 100, 100, 9.0)
    plan = plan_packing([item(dumbbell, 3)], [SMALL, MEDIUM, LARGE])

    assert plan.box_count == 2
    assert sorted(sum(box.contents.values()) for box in plan.boxes) == [1, 2]
    for box in plan.boxes:
        limit = {"S": SMALL, "M": MEDIUM, "L": LARGE}[box.box_id].max_weight
        assert box.weight <= limit
    # The cheapest way: two units in a large box (18.6 kg) and one in a medium box (9.3 kg).
    assert box_ids(plan) == ["L", "M"]


def test_a_unit_heavier_than_every_box_can_carry_ships_alone():
    anvil = ("anvil", 200, 100, 100, 40.0)
    plan = plan_packing([item(anvil)], BOXES)

    assert plan.alone == (AloneParcel("anvil", 40.0, ALONE_TOO_HEAVY),)
    assert plan.boxes == ()


def test_items_without_dimensions_or_weight_are_left_to_the_packer_with_the_reason():
    plan = plan_packing(
        [
            Item("no size", None, 100, 100, 1.0, quantity=2),
            Item("flat", 100, 0, 100, 1.0),
            Item("no weight", 100, 100, 100, 0.0),
            item(HEADLAMP),
        ],
        BOXES,
    )

    assert plan.unplanned == (
        Unplanned("no size", 2, UNPLANNED_NO_DIMENSIONS),
        Unplanned("flat", 1, UNPLANNED_NO_DIMENSIONS),
        Unplanned("no weight", 1, UNPLANNED_NO_WEIGHT),
    )
    assert [box.contents for box in plan.boxes] == [{"headlamp": 1}]


def test_fewest_boxes_and_cheapest_boxes_can_differ():
    # A small box takes one book, a large one both; two small boxes cost less than one large.
    book = ("book", 240, 170, 60, 0.8)
    one_book = Box("one", 250, 180, 70, max_weight=5, cost=1.0)
    two_books = Box("two", 250, 180, 130, max_weight=5, cost=2.5)

    cheapest = plan_packing([item(book, 2)], [one_book, two_books], objective="cheapest")
    fewest = plan_packing([item(book, 2)], [one_book, two_books], objective="fewest")

    assert (box_ids(cheapest), cheapest.total_cost) == (["one", "one"], 2.0)
    assert (box_ids(fewest), fewest.total_cost) == (["two"], 2.5)


def test_a_big_item_and_a_small_one_take_a_large_and_a_small_box_when_cheaper_than_one_extra_large():
    cooler = ("cooler", 500, 350, 260, 4.8)  # fills the large box but for a 40 mm layer
    plan = plan_packing([item(cooler), item(("stove", 250, 200, 100, 0.9))], BOXES)

    assert box_ids(plan) == ["L", "S"]
    assert plan.total_cost == pytest.approx(2.4 + 0.9)
    assert box_ids(plan_packing([item(cooler), item(("stove", 250, 200, 100, 0.9))], BOXES, "fewest")) == ["XL"]


def test_without_box_types_nothing_is_planned():
    plan = plan_packing([item(HEADLAMP, 3)], [])
    assert plan.unplanned == (Unplanned("headlamp", 3, UNPLANNED_NO_BOXES),)
    assert plan.boxes == plan.alone == ()


def test_nothing_to_pack_gives_an_empty_plan():
    plan = plan_packing([item(HEADLAMP, 0)], BOXES)
    assert (plan.boxes, plan.alone, plan.unplanned, plan.total_cost) == ((), (), (), 0)


def test_a_pallet_load_is_left_to_the_packer():
    plan = plan_packing([item(HEADLAMP, MAX_UNITS + 1)], BOXES)
    assert plan.unplanned == (Unplanned("headlamp", MAX_UNITS + 1, UNPLANNED_TOO_MANY_UNITS),)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="objective"):
        plan_packing([item(HEADLAMP)], BOXES, objective="prettiest")
    with pytest.raises(ValueError, match="given twice"):
        plan_packing([item(HEADLAMP)], [SMALL, SMALL])
    with pytest.raises(ValueError, match="above zero"):
        plan_packing([item(HEADLAMP)], [Box("broken", 0, 100, 100)])
    with pytest.raises(ValueError, match="whole number"):
        plan_packing([Item("sugar", 100, 100, 100, 1.0, quantity=1.5)], BOXES)


# ------------------------------------------------------------------------------------------------------------------
# Property test: random shipments and box sets


def random_instance(rng: random.Random) -> tuple[list[Item], list[Box]]:
    boxes = []
    for index in range(rng.randint(1, 5)):
        scale = rng.uniform(150, 700)
        sides = [round(scale * rng.uniform(0.4, 1.0)) for _side in range(3)]
        boxes.append(
            Box(
                f"B{index}",
                *sides,
                max_weight=rng.choice([0, rng.uniform(3, 30)]),
                cost=round(rng.uniform(0.5, 5.0), 2),
                empty_weight=rng.choice([0, round(rng.uniform(0.1, 1.0), 2)]),
            )
        )
    items = []
    for index in range(rng.randint(1, 8)):
        sides = [round(rng.uniform(10, 500)) for _side in range(3)]
        items.append(Item(f"I{index}", *sides, weight=round(rng.uniform(0.05, 12), 2), quantity=rng.randint(1, 4)))
    return items, boxes


def overlap(first, second) -> bool:
    return all(
        start_a < start_b + size_b - EPSILON and start_b < start_a + size_a - EPSILON
        for start_a, size_a, start_b, size_b in (
            (first.x, first.length, second.x, second.length),
            (first.y, first.width, second.y, second.width),
            (first.z, first.height, second.z, second.height),
        )
    )


def assert_valid(plan: PackingPlan, items: list[Item], boxes: list[Box]) -> None:
    boxes_by_id = {box.box_id: box for box in boxes}
    items_by_id = {each.item_id: each for each in items}
    units = {each.item_id: 0 for each in items}
    for packed in plan.boxes:
        box = boxes_by_id[packed.box_id]
        for placement in packed.placements:
            units[placement.item_id] += 1
            spec = items_by_id[placement.item_id]
            # A rotation of the item, inside the box.
            assert sorted((placement.length, placement.width, placement.height)) == sorted(
                (spec.length, spec.width, spec.height)
            )
            assert min(placement.x, placement.y, placement.z) >= 0
            assert placement.x + placement.length <= box.length + EPSILON
            assert placement.y + placement.width <= box.width + EPSILON
            assert placement.z + placement.height <= box.height + EPSILON
        for first, second in combinations(packed.placements, 2):
            assert not overlap(first, second), (first, second)
        weight = box.empty_weight + sum(items_by_id[p.item_id].weight for p in packed.placements)
        assert packed.weight == pytest.approx(weight)
        if box.max_weight:
            assert packed.weight <= box.max_weight + EPSILON
        assert packed.cost == box.cost
    for parcel in plan.alone:
        units[parcel.item_id] += 1
        spec = items_by_id[parcel.item_id]
        sides = sorted((spec.length, spec.width, spec.height))
        for box in boxes:  # no box takes it, by size or by weight
            fits = all(s <= b for s, b in zip(sides, sorted((box.length, box.width, box.height)), strict=True))
            assert not fits or (box.max_weight and spec.weight + box.empty_weight > box.max_weight)
    for left in plan.unplanned:
        units[left.item_id] += left.quantity
    assert units == {each.item_id: each.quantity for each in items}, "every unit exactly once"
    assert plan.total_cost == pytest.approx(sum(box.cost for box in plan.boxes))


@pytest.mark.parametrize("objective", ["cheapest", "fewest"])
def test_random_plans_never_overlap_stick_out_overload_or_lose_a_unit(objective):
    rng = random.Random(20240518)
    for _instance in range(300):
        items, boxes = random_instance(rng)
        plan = plan_packing(items, boxes, objective)
        assert_valid(plan, items, boxes)
        assert plan_packing(items, boxes, objective) == plan, "deterministic"


def test_fewest_never_uses_more_boxes_and_cheapest_never_costs_more_on_random_shipments():
    # Both objectives choose among the same candidate plans (see step 4 of the engine's docstring).
    rng = random.Random(99)
    for _instance in range(200):
        items, boxes = random_instance(rng)
        cheapest = plan_packing(items, boxes, "cheapest")
        fewest = plan_packing(items, boxes, "fewest")
        assert fewest.box_count <= cheapest.box_count
        assert cheapest.total_cost <= fewest.total_cost + EPSILON
