"""RFM segmentation on plain data: recency, frequency and monetary scores from 1 to 5, and the segment they make.

Each customer of one company is scored against the other customers of the same company (its population):

- **Recency**: days since the last confirmed order; fewer days score higher.
- **Frequency**: number of confirmed orders; more score higher.
- **Monetary**: revenue of those orders (untaxed, company currency); more scores higher.

A score is the quintile of the customer's mid-percentile: ``1 + floor(5 * share)``, capped at 5, where ``share`` is
the share of the population doing strictly worse on that measure plus half the share doing the same (itself
included). Ties get the same score, and a population where everyone is equal — or a single customer — scores 3,
neither best nor worst. With 10 customers of distinct revenues, the two highest score 5, the next two 4, ..., the
two lowest 1.

The segment reads recency and frequency first (who buys recently and often), monetary only to tell champions
from loyal customers; the rules are tried in this order and the first that holds wins:

================  ===============================================
champions         R >= 4, F >= 4 and M >= 4
loyal             R >= 3 and F >= 3
new               R >= 4 (bought recently, not often yet)
need_attention    R = 3
at_risk           R <= 2 and F >= 3 (used to buy often)
hibernating       R = 2
lost              R = 1
================  ===============================================
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

SEGMENTS = (
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("new", "New"),
    ("need_attention", "Need Attention"),
    ("at_risk", "At Risk"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
)


@dataclass(frozen=True)
class CustomerFigures:
    """What RFM reads of one customer."""

    key: object
    recency_days: float
    frequency: int
    monetary: float


@dataclass(frozen=True)
class RfmScore:
    recency: int
    frequency: int
    monetary: int
    segment: str

    @property
    def code(self) -> str:
        """The three scores as customers lists show them, "545"."""
        return f"{self.recency}{self.frequency}{self.monetary}"


def quintile_scores(values, higher_is_better=True):
    """Score 1..5 of each value against all the values: 1 + floor(5 * mid-percentile), at most 5."""
    values = list(values)
    count = len(values)
    ordered = sorted(values)
    scores = []
    for value in values:
        below, at_most = bisect_left(ordered, value), bisect_right(ordered, value)
        worse = below if higher_is_better else count - at_most
        share = (worse + (at_most - below) / 2) / count
        scores.append(min(5, 1 + int(5 * share)))
    return scores


# (segment, rule on R, F and M), tried in this order.
SEGMENT_RULES = (
    ("champions", lambda r, f, m: r >= 4 and f >= 4 and m >= 4),
    ("loyal", lambda r, f, m: r >= 3 and f >= 3),
    ("new", lambda r, f, m: r >= 4),
    ("need_attention", lambda r, f, m: r == 3),
    ("at_risk", lambda r, f, m: f >= 3),
    ("hibernating", lambda r, f, m: r == 2),
)


def segment(recency, frequency, monetary):
    """The segment of R, F and M scores (see the module's table): the first rule that holds, else lost."""
    for name, rule in SEGMENT_RULES:
        if rule(recency, frequency, monetary):
            return name
    return "lost"


def rfm_scores(customers):
    """{customer key: RfmScore} of a population of CustomerFigures (one company's customers)."""
    customers = list(customers)
    recency = quintile_scores([customer.recency_days for customer in customers], higher_is_better=False)
    frequency = quintile_scores([customer.frequency for customer in customers])
    monetary = quintile_scores([customer.monetary for customer in customers])
    return {
        customer.key: RfmScore(r, f, m, segment(r, f, m))
        for customer, r, f, m in zip(customers, recency, frequency, monetary, strict=True)
    }


def top_share(values, percent):
    """Keys of the top `percent` % of {key: value} by value, only positive values, at least one when any is
    positive and percent > 0 (rounded up: 5 % of 30 customers is 2). Ties at the cut stay out together."""
    positive = sorted(((value, key) for key, value in values.items() if value > 0), key=lambda item: -item[0])
    if not positive or percent <= 0:
        return set()
    size = -(-len(values) * percent // 100)  # ceiling
    size = max(1, min(int(size), len(positive)))
    cut = positive[size - 1][0]
    if size < len(positive) and positive[size][0] == cut:
        return {key for value, key in positive if value > cut}
    return {key for _value, key in positive[:size]}
