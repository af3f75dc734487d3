"""Fulfilment routing: which warehouse(s) ship each line of one order, with a score and a reason per warehouse.

Interface
---------
``route_order(order, candidates, strategy, rates) -> Decision``. The caller gathers the order (:class:`Order` of
:class:`Line`), the warehouses of the order's company with their stock (:class:`Candidate`), the routing rules
(:class:`Strategy`, with the :class:`Weights` of the criteria) and the tariff (:class:`ShippingRates`); the engine
returns a :class:`Decision`: the quantity of each line every warehouse ships (:class:`Assignment`), what nobody can
ship now (:class:`Backorder`), the lines it ignored and why (:class:`IgnoredLine`), a :class:`CandidateScore` for
every candidate, chosen or not (its distance None when unknown), and a summary sentence. Everything is a frozen
dataclass, nothing touches the database.

Modules: ``inputs`` (what the caller gives), ``outputs`` (what the engine returns), ``engine`` (``route_order``:
the steps below in order), ``scoring`` (steps 2 to 4), ``choice`` (steps 5 to 7), ``explanation`` (the reasons and
the summary, which never name a distance the engine does not know).

Algorithm
---------
1. Lines. A quantity that is zero, negative or not a number is ignored with its reason. A line that is not storable
   (service, kit parent) or names its main line (``follows_line_id``: kit component, installation service...)
   follows: it is not routed on its own (step 7). The other lines are routed; their quantities are summed per
   product into the order's demand.
2. Eligibility. Each candidate is checked in this order, the first failure being its reason: ``disabled``,
   ``other company`` (than the order's), ``does not serve FR`` (``countries_served`` set and without the
   destination's country; not checked when the destination has no country), ``capacity full``
   (``capacity_left`` <= 0). Ineligible candidates are listed with score 0 and never ship.
3. Criteria, each in 0..1 with 1 the best, across the eligible candidates:

   - distance: nearest / this one (distances under 1 km count as 1 km); a warehouse without coordinates gets 0.
     When the delivery address has no coordinates, locality replaces it: same region 1, same country 0.5, other
     0, scaled so the best candidate has 1; when no eligible candidate is in the destination's country (or the
     destination has no country either) the default warehouse gets 1 and the others 0.
     ``Decision.fallback`` says which of these was used.
   - shipping cost: cheapest / this one (costs under 0.01 count as 0.01).
   - coverage: the fraction of the demand's units the candidate holds (1 when nothing storable is ordered).
   - priority: scaled from the lowest (0) to the highest (1); all equal gives 1.
   - capacity: ``capacity_left`` / the largest ``capacity_left``; unlimited (None) gives 1.

   Distance and cost are ratios rather than min-max so they keep proportions: 12 and 14 km score 1 and 0.86,
   not 1 and 0. Score = sum(weight x criterion) / sum(weights), in 0..1 (:meth:`Weights.score`).
4. Ranking and tie-breaks: higher score, then higher coverage, then shorter distance (unknown last), then lower
   warehouse id. Scores are compared rounded to 9 decimals so float noise cannot separate equal candidates, and
   candidates are processed sorted by id, so the order they are given in never changes the decision.
5. Warehouses, by split policy, among the eligible candidates holding some of the demand:

   - ``never``: the best-ranked candidate that holds everything; if none, the best-ranked one ships what it holds
     and the rest is backordered.
   - ``when_needed``: the best-ranked candidate that holds everything; if none, greedy: add the best-ranked
     candidate that holds all that remains, else the one holding the most remaining units (ties: rank), until
     nothing remains or ``max_shipments`` warehouses are used.
   - ``minimise_cost``: every set of up to ``max_shipments`` warehouses among the 6 best-ranked is priced at
     sum(shipping costs) + ``split_penalty`` x (shipments - 1) + ``backorder_penalty`` x units left unshipped; the
     cheapest wins, ties going to fewer shipments, then to better-ranked warehouses. Shipping nothing is not an
     option: the stock is there and the order would have to ship later anyway.
6. Quantities. Lines are taken in order; a line goes whole to the best-ranked chosen warehouse that still holds
   all of it (one parcel per line when possible), else it is filled from the chosen warehouses in rank order. What
   is left is backordered with the earliest incoming date of its product among eligible candidates.
7. Following lines go to the warehouse shipping most of their main line, or without a main line to the largest
   shipment (most units; ties: rank). They are backordered with their main line when it ships nothing (with the
   whole order when nothing storable ships); an order of following lines only goes to the chosen warehouse.

Shipping cost of a candidate = its handling cost + :meth:`ShippingRates.shipment_cost`. When its distance is
unknown it is priced at the farthest known candidate distance (pessimistic, so a missing coordinate never makes a
warehouse look cheap). ``Decision.estimated_cost`` sums the cost of the warehouses that ship; the split and
backorder penalties only steer the choice.
"""

from .engine import route_order, storable_demand
from .inputs import (
    QUANTITY_EPSILON,
    SPLIT_POLICIES,
    Candidate,
    Line,
    Order,
    ShippingRates,
    SplitPolicy,
    Strategy,
    Weights,
)
from .outputs import Assignment, Backorder, CandidateScore, Decision, IgnoredLine
from .scoring import ineligibility

__all__ = [
    "QUANTITY_EPSILON",
    "SPLIT_POLICIES",
    "Assignment",
    "Backorder",
    "Candidate",
    "CandidateScore",
    "Decision",
    "IgnoredLine",
    "Line",
    "Order",
    "ShippingRates",
    "SplitPolicy",
    "Strategy",
    "Weights",
    "ineligibility",
    "route_order",
    "storable_demand",
]
