"""The order lifecycle on plain data: the built-in policy checks and the OMS status of an order.

Amounts are in the company currency. The models turn a failed check into the reason a person reads on the hold.
"""

from dataclasses import dataclass

# The OMS statuses, in the order an order goes through them (cancelled and returned end it early or late).
STATUSES = (
    ("received", "Received"),
    ("on_hold", "On Hold"),
    ("validated", "Validated"),
    ("routed", "Routed"),
    ("in_fulfillment", "In Fulfillment"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
    ("returned", "Returned"),
)


@dataclass(frozen=True)
class Credit:
    """A B2B customer's exposure: posted receivables not paid yet, confirmed orders not invoiced yet, this order."""

    receivable: float
    to_invoice: float
    order_amount: float
    limit: float

    @property
    def exposure(self) -> float:
        return self.receivable + self.to_invoice + self.order_amount

    def exceeded(self) -> bool:
        """Above a limit that is set (a limit of 0 means none)."""
        return self.limit > 0 and self.exposure > self.limit


def payment_missing(total: float, paid: float, paid_on_channel: bool) -> float:
    """What is still to be paid before the order may go on (0 when paid, or when the channel says it was)."""
    if paid_on_channel:
        return 0.0
    missing = total - paid
    return missing if missing > 0.005 else 0.0


def countries_differ(billing_country: str | None, delivery_country: str | None, amount: float, threshold: float):
    """The fraud-like signal: billing and delivery countries differ on an order above the threshold."""
    return bool(billing_country and delivery_country and billing_country != delivery_country and amount > threshold)


@dataclass(frozen=True)
class OrderFacts:
    """What the status is read from. ``deliveries``: the states of the order's customer deliveries (not returns);
    ``started``: the warehouse began one (printed, batched or partly done); ``delivered``: every done delivery
    reached the customer; ``returned``: a return from the customer was received; ``invoiced_and_paid``: nothing
    left to invoice and every invoice paid."""

    state: str
    on_hold: bool = False
    validated: bool = False
    deliveries: tuple[str, ...] = ()
    started: bool = False
    delivered: bool = False
    returned: bool = False
    invoiced_and_paid: bool = False


def order_status(facts: OrderFacts) -> str:  # noqa: PLR0911 - one return per status reads best
    if facts.state == "cancel":
        return "cancelled"
    if facts.returned:
        return "returned"
    if facts.on_hold:
        return "on_hold"
    if facts.state in ("draft", "sent"):
        return "validated" if facts.validated else "received"
    open_deliveries = [state for state in facts.deliveries if state != "cancel"]
    if open_deliveries and any(state != "done" for state in open_deliveries):
        some_done = any(state == "done" for state in open_deliveries)
        return "in_fulfillment" if facts.started or some_done else "routed"
    if open_deliveries and not facts.delivered:
        return "shipped"
    return "closed" if facts.invoiced_and_paid else "delivered"
