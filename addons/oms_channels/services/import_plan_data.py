"""The plain data of an import plan (:mod:`.import_plan`): what the plan reads, the look-ups the model gathers for
a whole batch (:class:`ImportLookups`), and what it gives back, the plan of each order (:class:`BatchPlan`) with the
partners to create (:class:`NewPartner`)."""

from dataclasses import dataclass, field
from datetime import datetime

from .channel_order import ChannelOrderError
from .import_plan_money import ChannelValues, ExtraLinePlan, MoneyLookups


@dataclass(eq=False, kw_only=True)
class NewPartner:
    """A partner the plan creates: a customer (no parent) or an address of a customer. Orders refer to it by the
    object itself until the model has created it."""

    values: dict  # res.partner values, but the parent
    parent: "int | NewPartner | None" = None
    keys: tuple[str, ...] = ()  # "by_email:..." keys of a new customer, reserved against concurrent duplicates


@dataclass(frozen=True, kw_only=True)
class KnownAddress:
    """An address a customer has: its own, or one of its contacts' and addresses'."""

    partner: "int | NewPartner"
    street: str | None = None
    zip: str | None = None
    country_id: int | None = None


@dataclass(kw_only=True)
class ImportLookups:
    """What the plan needs from the database, gathered by the model for a whole batch. Customer keys are
    normalised with :mod:`.matching`'s ``normalize_*``."""

    orders_by_ref: dict[str, int] = field(default_factory=dict)  # sale orders already made, by external id
    by_email: dict[str, int] = field(default_factory=dict)
    by_vat: dict[str, int] = field(default_factory=dict)
    by_phone: dict[str, int] = field(default_factory=dict)
    by_binding: dict[str, int] = field(default_factory=dict)
    by_sku: dict[str, int] = field(default_factory=dict)
    by_barcode: dict[str, int] = field(default_factory=dict)
    unit_rounding: dict[int, float] = field(default_factory=dict)  # product id: rounding of its unit
    countries: dict[str, int] = field(default_factory=dict)  # ISO code: country id
    states: dict[int, list[tuple[str, str, int]]] = field(default_factory=dict)  # country id: (code, name, id)
    partner_names: dict[int, str] = field(default_factory=dict)
    addresses: dict[int, list[KnownAddress]] = field(default_factory=dict)  # partner id: its own first
    channel_pricelist: tuple[str, int] | None = None  # (currency code, pricelist id) of the channel
    pricelists: dict[str, int] = field(default_factory=dict)  # currency code: the company's pricelist in it
    carriers: dict[str, int] = field(default_factory=dict)  # channel's shipping method: carrier id
    default_carrier_id: int | None = None
    money: MoneyLookups = field(default_factory=MoneyLookups)

    def remember(self, created: dict[NewPartner, int]) -> None:
        """The partners a plan applied on its own created: the next orders find them as if they had been here."""
        for partner, partner_id in created.items():
            for key in partner.keys:
                table, _separator, value = key.partition(":")
                getattr(self, table)[value] = partner_id
            known = _known_address(partner_id, partner.values)
            if partner.parent is None:
                self.partner_names[partner_id] = partner.values["name"]
                self.addresses[partner_id] = [known]
            else:
                self.addresses.setdefault(created.get(partner.parent, partner.parent), []).append(known)


@dataclass(frozen=True, kw_only=True)
class CustomerPlan:
    partner: "int | NewPartner"  # also the invoice address
    delivery: "int | NewPartner"
    matched_by: str  # "email", "vat", "phone", or "new" when created
    delivery_by: str  # "customer" (its own address), "known" (an address it has) or "new" (an address added)


@dataclass(frozen=True, kw_only=True)
class LinePlan:
    product_id: int
    matched_by: str  # "binding", "sku" or "barcode"
    quantity: float
    unit_price: float
    discount: float = 0.0
    tax_ids: tuple[int, ...] | None = None  # None: the product's taxes (the platform gave none)
    discount_noted: float | None = None  # the platform's discount amount, partly in the unit price
    external_line_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ShippingPlan:
    carrier_id: int
    price: float
    mapped: bool  # the channel's shipping method is mapped to the carrier; else the channel's default carrier
    discount: float = 0.0
    tax_ids: tuple[int, ...] | None = None  # None: the carrier product's taxes
    discount_noted: float | None = None


@dataclass(frozen=True, kw_only=True)
class OrderPlan:
    external_id: str
    action: str  # "create", "duplicate" (a sale order exists already) or "cancelled" (by the channel)
    sale_order_id: int | None = None  # of a duplicate
    customer: CustomerPlan | None = None
    lines: tuple[LinePlan, ...] = ()
    pricelist_id: int | None = None
    pricelist_by: str = ""  # "channel" (the channel's pricelist) or "currency" (the company's in the currency)
    shipping: ShippingPlan | None = None
    order_date: datetime | None = None
    paid: bool = False
    note: str | None = None
    extra_lines: tuple[ExtraLinePlan, ...] = ()  # fees, then order discounts
    values: ChannelValues | None = None


@dataclass(kw_only=True)
class BatchPlan:
    """By position of the order in the batch: its plan, or why it was rejected."""

    orders: dict[int, OrderPlan] = field(default_factory=dict)
    rejected: dict[int, ChannelOrderError] = field(default_factory=dict)
    new_partners: list[NewPartner] = field(default_factory=list)  # every customer before its addresses

    @property
    def new_customers(self) -> list[NewPartner]:
        return [partner for partner in self.new_partners if partner.parent is None]

    @property
    def new_addresses(self) -> list[NewPartner]:
        return [partner for partner in self.new_partners if partner.parent is not None]


def _known_address(partner, values: dict) -> KnownAddress:
    return KnownAddress(
        partner=partner,
        street=values.get("street") or None,
        zip=values.get("zip") or None,
        country_id=values.get("country_id") or None,
    )
