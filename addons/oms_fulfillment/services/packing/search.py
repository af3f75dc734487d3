"""The search for the best boxes of one shipment (steps 3 and 4 of the package docstring): one box for everything,
else first-fit decreasing per main box type, right-sized and merged."""

from collections.abc import Sequence

from .placement import Bin
from .plan import EPSILON, OBJECTIVE_FEWEST
from .units import BoxType, Unit

# Plans of more boxes are not improved by merging pairs (quadratic in the number of boxes).
MERGE_LIMIT = 12

# Orders in which the units of one box are tried (step 3 of the package docstring), then rotation policies (see
# BoxType.orientations).
_ORDERS = (
    lambda unit: (-unit.volume, -unit.sides[2], -unit.weight, unit.index),
    lambda unit: (-unit.sides[2], -unit.sides[1], -unit.volume, unit.index),
    lambda unit: (-unit.sides[2] * unit.sides[1], -unit.volume, unit.index),
)
_POLICIES = (0, 1)


class Search:
    """The search of steps 3 and 4 for one shipment; remembers which sets of units fit in one box of which type, as
    right-sizing and merging ask the same questions again for each main box type."""

    def __init__(self, types_by_cost: Sequence[BoxType], objective: str):
        self.types_by_cost = types_by_cost
        self.objective = objective
        self._one_box: dict[tuple, Bin | None] = {}

    def best(self, units: list[Unit]) -> list[Bin]:
        single = None
        for box_type in self.types_by_cost:
            single = self.pack_one(units, box_type)
            if single is not None:
                break
        if single is not None and (
            self.objective == OBJECTIVE_FEWEST or single.type.cost <= self._two_box_bound(units) + EPSILON
        ):
            return [single]
        best = [single] if single is not None else None
        best_key = self._key(best) if best else None
        ordered = sorted(units, key=_ORDERS[0])
        seen = set()
        for main in sorted(self.types_by_cost, key=lambda box_type: box_type.index):
            bins = _first_fit(ordered, main)
            signature = tuple((bin_.type.index, *(unit.index for unit in bin_.units)) for bin_ in bins)
            if signature in seen:  # the same start as with another main box type: the same result
                continue
            seen.add(signature)
            self._right_size(bins)
            # Merging only where it costs no more, and wherever it can: each objective keeps the better of the two,
            # so that the fewest boxes never come out more numerous, nor the cheapest dearer, than the other's.
            for within_budget in (True, False):
                merged = list(bins)
                self._merge(merged, within_budget)
                key = self._key(merged)
                if best_key is None or key < best_key:
                    best, best_key = merged, key
        return best

    def _two_box_bound(self, units: Sequence[Unit]) -> float:
        """The least a plan of two boxes or more can cost: the box of the unit whose cheapest box is the dearest,
        and another box; or the cheapest cost per volume times the volume of all units."""
        cheapest = self.types_by_cost[0].cost
        by_volume = min(box_type.cost / box_type.volume for box_type in self.types_by_cost)
        return max(max(unit.fallback.cost for unit in units) + cheapest, by_volume * sum(unit.volume for unit in units))

    def pack_one(self, units: Sequence[Unit], box_type: BoxType) -> Bin | None:
        """All ``units`` in one box of ``box_type``, or None when the heuristic finds no way."""
        key = (box_type.index, *sorted(unit.index for unit in units))
        if key not in self._one_box:
            self._one_box[key] = _pack_one(units, box_type)
        return self._one_box[key]

    def _key(self, bins: Sequence[Bin]) -> tuple:
        cost = round(sum(bin_.type.cost for bin_ in bins), 9)
        volume = sum(bin_.type.volume for bin_ in bins)
        if self.objective == OBJECTIVE_FEWEST:
            return (len(bins), cost, volume)
        return (cost, len(bins), volume)

    def _right_size(self, bins: list[Bin]) -> None:
        for position, bin_ in enumerate(bins):
            for box_type in self.types_by_cost:
                if (box_type.cost, box_type.volume) >= (bin_.type.cost, bin_.type.volume):
                    break
                smaller = self.pack_one(bin_.units, box_type)
                if smaller is not None:
                    bins[position] = smaller
                    break

    def _merge(self, bins: list[Bin], within_budget: bool) -> None:
        while 1 < len(bins) <= MERGE_LIMIT and self._merge_one_pair(bins, within_budget):
            pass

    def _merge_one_pair(self, bins: list[Bin], within_budget: bool) -> bool:
        for first in range(len(bins)):
            for second in range(first + 1, len(bins)):
                budget = bins[first].type.cost + bins[second].type.cost
                units = bins[first].units + bins[second].units
                for box_type in self.types_by_cost:
                    if within_budget and box_type.cost > budget + EPSILON:
                        break
                    merged = self.pack_one(units, box_type)
                    if merged is not None:
                        bins[first] = merged
                        del bins[second]
                        return True
        return False


def _pack_one(units: Sequence[Unit], box_type: BoxType) -> Bin | None:
    if (
        sum(unit.volume for unit in units) > box_type.volume + EPSILON
        or box_type.empty_weight + sum(unit.weight for unit in units) > box_type.max_weight + EPSILON
        or not all(box_type.fits_dimensions(unit) for unit in units)
    ):
        return None
    tried = set()
    for policy in _POLICIES:
        for order in _ORDERS:
            sequence = sorted(units, key=order)
            signature = (policy, *(unit.index for unit in sequence))
            if signature in tried:
                continue
            tried.add(signature)
            bin_ = Bin(box_type, policy)
            if all(bin_.try_place(unit) for unit in sequence):
                return bin_
    return None


def _first_fit(units: Sequence[Unit], main: BoxType) -> list[Bin]:
    bins: list[Bin] = []
    for unit in units:
        if any(bin_.try_place(unit) for bin_ in bins):
            continue
        bin_ = Bin(main if main.takes_alone(unit) else unit.fallback)
        placed = bin_.try_place(unit)
        assert placed, "a unit always fits alone in its fallback box"
        bins.append(bin_)
    return bins
