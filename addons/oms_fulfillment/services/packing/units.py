"""Units and box types as the heuristic reads them (step 1 of the package docstring): sorted sides, volume,
whether a unit fits a box type alone, and the order in which a box tries a unit's rotations."""

from itertools import permutations

from .plan import EPSILON, Box, Item


class Unit:
    """One unit of an item, with what the heuristic reads often precomputed."""

    __slots__ = ("index", "item_id", "sides", "volume", "weight", "fallback")

    def __init__(self, index: int, item: Item):
        self.index = index
        self.item_id = item.item_id
        self.sides = tuple(sorted((float(item.length), float(item.width), float(item.height))))
        self.volume = self.sides[0] * self.sides[1] * self.sides[2]
        self.weight = float(item.weight)
        self.fallback = None  # the BoxType a new box is opened with when the main type cannot take this unit


class BoxType:
    __slots__ = (
        "index",
        "box",
        "length",
        "width",
        "height",
        "sides",
        "volume",
        "max_weight",
        "cost",
        "empty_weight",
        "_orientations",
    )

    def __init__(self, index: int, box: Box):
        self.index = index
        self.box = box
        self.length, self.width, self.height = float(box.length), float(box.width), float(box.height)
        self.sides = tuple(sorted((self.length, self.width, self.height)))
        self.volume = self.length * self.width * self.height
        self.max_weight = float(box.max_weight) if box.max_weight else float("inf")
        self.cost = float(box.cost)
        self.empty_weight = float(box.empty_weight)
        self._orientations: dict = {}

    def orientations(self, sides: tuple[float, float, float], policy: int) -> tuple[tuple[float, float, float], ...]:
        """The distinct rotations of a unit of sorted ``sides``, in the order ``policy`` tries them in this box:
        0, most copies first: the rotation of which the most copies fit in the empty box, side by side (which puts
        two kettles side by side on their narrow face when that makes room for four), then flattest first;
        1, flattest first: the smallest side up, then the longest side along the box's length."""
        key = (sides, policy)
        cached = self._orientations.get(key)
        if cached is None:
            rotations = set(permutations(sides))
            if policy == 0:
                cached = tuple(sorted(rotations, key=lambda rotation: (-self._copies(rotation), *_flattest(rotation))))
            else:
                cached = tuple(sorted(rotations, key=_flattest))
            self._orientations[key] = cached
        return cached

    def _copies(self, rotation: tuple[float, float, float]) -> int:
        return (
            int((self.length + EPSILON) // rotation[0])
            * int((self.width + EPSILON) // rotation[1])
            * int((self.height + EPSILON) // rotation[2])
        )

    def takes_alone(self, unit: Unit) -> bool:
        return self.fits_dimensions(unit) and unit.weight + self.empty_weight <= self.max_weight + EPSILON

    def fits_dimensions(self, unit: Unit) -> bool:
        # With the six axis-aligned rotations, a box fits inside another exactly when its sorted sides do.
        return all(side <= box_side + EPSILON for side, box_side in zip(unit.sides, self.sides, strict=True))


def _flattest(rotation: tuple[float, float, float]) -> tuple[float, float, float]:
    return (rotation[2], -rotation[0], -rotation[1])
