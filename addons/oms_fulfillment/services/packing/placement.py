"""Placement of units inside one box by extreme points (step 2 of the package docstring)."""

from .plan import EPSILON, PackedBox, Placement
from .units import BoxType, Unit


class Bin:
    """A box being filled: placed units as (x, y, z, x_end, y_end, z_end, unit) and its extreme points; ``policy``
    orders the rotations tried (see :meth:`BoxType.orientations`)."""

    __slots__ = ("type", "policy", "placed", "points", "weight", "volume")

    def __init__(self, box_type: BoxType, policy: int = 0):
        self.type = box_type
        self.policy = policy
        self.placed: list[tuple] = []
        self.points: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)]
        self.weight = box_type.empty_weight
        self.volume = 0.0

    @property
    def units(self) -> list[Unit]:
        return [entry[6] for entry in self.placed]

    def try_place(self, unit: Unit) -> bool:
        """Place ``unit`` at the first extreme point where a rotation of it fits; False when none does."""
        box = self.type
        if self.volume + unit.volume > box.volume + EPSILON or self.weight + unit.weight > box.max_weight + EPSILON:
            return False
        length, width, height = box.length + EPSILON, box.width + EPSILON, box.height + EPSILON
        placed = self.placed
        orientations = box.orientations(unit.sides, self.policy)
        for x, y, z in self.points:
            for size_x, size_y, size_z in orientations:
                x_end, y_end, z_end = x + size_x, y + size_y, z + size_z
                if x_end > length or y_end > width or z_end > height:
                    continue
                for other in placed:
                    if (
                        x < other[3] - EPSILON
                        and other[0] < x_end - EPSILON
                        and y < other[4] - EPSILON
                        and other[1] < y_end - EPSILON
                        and z < other[5] - EPSILON
                        and other[2] < z_end - EPSILON
                    ):
                        break
                else:
                    self._place(unit, x, y, z, x_end, y_end, z_end)
                    return True
        return False

    def _place(self, unit: Unit, x: float, y: float, z: float, x_end: float, y_end: float, z_end: float) -> None:
        entry = (x, y, z, x_end, y_end, z_end, unit)
        placed = self.placed
        placed.append(entry)
        self.weight += unit.weight
        self.volume += unit.volume
        box = self.type
        # The corners beyond the unit, each with its projections towards the origin along the two other axes (a
        # projection only moves towards the origin, so a corner inside the box gives points inside the box).
        candidates = []
        if x_end < box.length - EPSILON:
            candidates += (
                (x_end, y, z),
                (x_end, self._project(1, x_end, y, z), z),
                (x_end, y, self._project(2, x_end, y, z)),
            )
        if y_end < box.width - EPSILON:
            candidates += (
                (x, y_end, z),
                (self._project(0, x, y_end, z), y_end, z),
                (x, y_end, self._project(2, x, y_end, z)),
            )
        if z_end < box.height - EPSILON:
            candidates += (
                (x, y, z_end),
                (self._project(0, x, y, z_end), y, z_end),
                (x, self._project(1, x, y, z_end), z_end),
            )
        points = [point for point in self.points if not _inside(point, entry)]
        seen = set(points)
        for point in candidates:
            if point in seen:
                continue
            seen.add(point)
            point_x, point_y, point_z = point
            for other in placed:
                if (
                    other[0] - EPSILON <= point_x < other[3] - EPSILON
                    and other[1] - EPSILON <= point_y < other[4] - EPSILON
                    and other[2] - EPSILON <= point_z < other[5] - EPSILON
                ):
                    break
            else:
                points.append(point)
        points.sort(key=_bottom_back_left)
        self.points = points

    def _project(self, axis: int, x: float, y: float, z: float) -> float:
        """Slide the point (x, y, z) towards the origin along ``axis`` until it meets a placed unit or the wall."""
        point = (x, y, z)
        first, second = (axis + 1) % 3, (axis + 2) % 3
        reach = 0.0
        for other in self.placed:
            face = other[axis + 3]
            if (
                reach < face <= point[axis] + EPSILON
                and other[first] - EPSILON <= point[first] < other[first + 3] - EPSILON
                and other[second] - EPSILON <= point[second] < other[second + 3] - EPSILON
            ):
                reach = face
        return reach

    def packed(self) -> PackedBox:
        placements = tuple(
            Placement(unit.item_id, x, y, z, x_end - x, y_end - y, z_end - z)
            for x, y, z, x_end, y_end, z_end, unit in self.placed
        )
        return PackedBox(self.type.box.box_id, placements, self.weight, self.type.cost)


def _bottom_back_left(point: tuple[float, float, float]) -> tuple[float, float, float]:
    return (point[2], point[1], point[0])


def _inside(point: tuple[float, float, float], placed: tuple) -> bool:
    x, y, z = point
    return (
        placed[0] - EPSILON <= x < placed[3] - EPSILON
        and placed[1] - EPSILON <= y < placed[4] - EPSILON
        and placed[2] - EPSILON <= z < placed[5] - EPSILON
    )
