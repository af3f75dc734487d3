"""The plan of a batch of parsed channel orders: which customer to match or create with which values, which
addresses, which product per line, which pricelist and shipping, each with its reason.

Plain data in: the parsed orders (:mod:`.channel_order`) and the look-up tables the model gathers for the whole
batch in a few queries (:class:`ImportLookups`). Plain data out: a :class:`BatchPlan`, which the model applies in a
few queries (both in :mod:`.import_plan_data`). So a platform mapper can be tested down to the plan without a
database.

An order this company cannot take as it is (an unknown product, currency, country, shipping method or tax, a
quantity its product's unit rounds to nothing) is rejected with its reason, alone: the batch's other orders are
planned. The platform's taxes, discounts, shipping, fees and order discounts are planned with :mod:`.import_money`,
so that the sale order's total is the platform's.
The customers a batch creates are found by its next orders, as a customer already known would be.
"""

from collections.abc import Sequence

from odoo.tools.float_utils import float_is_zero

from .channel_order import Address, ChannelOrder, ChannelOrderError, Customer
from .import_money import price_line
from .import_plan_data import (
    BatchPlan,
    CustomerPlan,
    ImportLookups,
    KnownAddress,
    LinePlan,
    NewPartner,
    OrderPlan,
    ShippingPlan,
    _known_address,
)
from .import_plan_money import MoneyPlanner, PlanError, channel_values
from .matching import customer_keys, match_customer, match_lines

CUSTOMER_KEY_TABLES = ("by_email", "by_vat", "by_phone")


def plan_batch(orders: Sequence[ChannelOrder], lookups: ImportLookups) -> BatchPlan:
    """The plan of these orders of one channel, in their order."""
    planner = BatchPlanner(lookups)
    plan = BatchPlan()
    for position, order in enumerate(orders):
        try:
            plan.orders[position] = planner.plan_order(order)
        except ChannelOrderError as error:
            plan.rejected[position] = error
    plan.new_partners = planner.new_partners
    return plan


def plan_delivery_address(address: Address, lookups: ImportLookups, parent_id: int, parent_name: str) -> NewPartner:
    """A new delivery address of a customer (a channel changed an imported order's address)."""
    return NewPartner(values=address_values(address, lookups, "delivery", parent_name), parent=parent_id)


def address_values(address: Address, lookups: ImportLookups, address_type: str, parent_name: str | None) -> dict:
    """res.partner values of an address; ``parent_name`` names an address that has no name of its own."""
    country_id = lookups.countries.get(address.country_code)
    if not country_id:
        raise PlanError(
            "unknown_country",
            "unknown_country",
            f"unknown country code {address.country_code}",
            country_code=address.country_code,
        )
    values = {
        "type": address_type,
        "street": address.street,
        "street2": address.street2 or False,
        "city": address.city,
        "zip": address.zip or False,
        "country_id": country_id,
        "partner_latitude": address.latitude or 0.0,
        "partner_longitude": address.longitude or 0.0,
    }
    if parent_name is not None:
        values["name"] = address.name or parent_name
    if address.state:
        values["state_id"] = _state_id(lookups.states.get(country_id, ()), address.state)
    return values


def reserved_keys(customer: Customer) -> tuple[str, ...]:
    """The keys ("by_email:lucia@example.es"...) a new customer is found by, and reserved under."""
    return tuple(f"by_{how}:{key}" for how, key in customer_keys(customer))


def _state_id(states, name_or_code: str) -> int | bool:
    """The first state (by code) whose code or name is this text, compared without case; False when none is."""
    wanted = name_or_code.lower()
    return next((state_id for code, name, state_id in states if wanted in (code.lower(), name.lower())), False)


class BatchPlanner(MoneyPlanner):
    """Plans orders one after the other; the customers and addresses an order plans are seen by the next ones
    once the order is fully planned (a rejected order leaves nothing behind)."""

    def __init__(self, lookups: ImportLookups):
        self.lookups = lookups
        self.customers = {table: dict(getattr(lookups, table)) for table in CUSTOMER_KEY_TABLES}
        self.planned_addresses: dict[int | NewPartner, list[KnownAddress]] = {}
        self.new_partners: list[NewPartner] = []

    def plan_order(self, order: ChannelOrder) -> OrderPlan:
        """The order's plan; raises ChannelOrderError when the order cannot be taken as it is. Checked in this
        order, the first problem being the one reported: products, quantities, currency, shipping, addresses."""
        existing_order = self.lookups.orders_by_ref.get(order.external_id)
        if existing_order:
            return OrderPlan(external_id=order.external_id, action="duplicate", sale_order_id=existing_order)
        if order.status == "cancelled":
            return OrderPlan(external_id=order.external_id, action="cancelled")
        include = self.prices_include_tax(order)
        lines = self.plan_lines(order, include)
        pricelist_id, pricelist_by = self.plan_pricelist(order.currency)
        shipping = self.plan_shipping(order, include)
        extras = self.plan_extra_lines(order, include)
        customer, new_partners = self.plan_customer(order)
        self._remember(new_partners)
        return OrderPlan(
            external_id=order.external_id,
            action="create",
            customer=customer,
            lines=lines,
            pricelist_id=pricelist_id,
            pricelist_by=pricelist_by,
            shipping=shipping,
            order_date=order.order_date,
            paid=order.paid,
            note=order.note,
            extra_lines=extras,
            values=channel_values(order, include, self.lookups.money),
        )

    def plan_lines(self, order: ChannelOrder, include: bool) -> tuple[LinePlan, ...]:
        lookups = self.lookups
        matches = match_lines(order, lookups.by_binding, lookups.by_sku, lookups.by_barcode)
        for index, (line, (product_id, _how)) in enumerate(zip(order.lines, matches, strict=True)):
            # A quantity the product's unit rounds to nothing (0.000000001 units) would become a line of zero.
            if float_is_zero(line.quantity, precision_rounding=lookups.unit_rounding[product_id]):
                raise PlanError(
                    "invalid_value",
                    "quantity_below_unit",
                    f"lines[{index}].quantity {line.quantity} is less than the smallest quantity of the product",
                    index=index,
                    quantity=line.quantity,
                    product_id=product_id,
                )
        return tuple(
            self.plan_line(order, index, line, product_id, how, include)
            for index, (line, (product_id, how)) in enumerate(zip(order.lines, matches, strict=True))
        )

    def plan_line(self, order: ChannelOrder, index: int, line, product_id: int, how: str, include: bool) -> LinePlan:
        """A product line, its discount amount written so that Odoo's line total is the platform's."""
        money = self.lookups.money
        priced = price_line(
            line.quantity,
            line.unit_price,
            line.discount_amount,
            price_digits=money.price_digits,
            rounding=money.rounding(order.currency),
        )
        return LinePlan(
            product_id=product_id,
            matched_by=how,
            quantity=line.quantity,
            unit_price=priced.unit_price,
            discount=line.discount or priced.discount,
            tax_ids=self.taxes(line.taxes, include, f"lines[{index}]"),
            discount_noted=priced.discount_noted,
            external_line_id=line.external_line_id,
        )

    def plan_pricelist(self, currency: str) -> tuple[int, str]:
        """The channel's pricelist when it is in the order's currency, else the company's in that currency."""
        channel_pricelist = self.lookups.channel_pricelist
        if channel_pricelist and channel_pricelist[0] == currency:
            return channel_pricelist[1], "channel"
        if pricelist_id := self.lookups.pricelists.get(currency):
            return pricelist_id, "currency"
        raise PlanError(
            "unknown_currency",
            "no_pricelist",
            f"currency {currency} has no active pricelist in the company: activate it and add a pricelist in it",
            currency=currency,
        )

    def plan_shipping(self, order: ChannelOrder, include: bool) -> ShippingPlan | None:
        """The carrier the channel's shipping method is mapped to, else the channel's default carrier; the
        shipping's price, discount and taxes as the platform gave them."""
        shipping = order.shipping
        if not shipping or not (shipping.method or shipping.price):
            return None
        carrier_id = self.lookups.carriers.get(shipping.method)
        if carrier_id or self.lookups.default_carrier_id:
            money = self.lookups.money
            priced = price_line(
                1,
                shipping.price,
                shipping.discount_amount,
                price_digits=money.price_digits,
                rounding=money.rounding(order.currency),
            )
            return ShippingPlan(
                carrier_id=carrier_id or self.lookups.default_carrier_id,
                price=priced.unit_price,
                mapped=bool(carrier_id),
                discount=priced.discount,
                tax_ids=self.taxes(shipping.taxes, include, "shipping"),
                discount_noted=priced.discount_noted,
            )
        raise PlanError(
            "unknown_shipping",
            "unmapped_shipping",
            f"shipping method {shipping.method} is not mapped to a carrier on the channel",
            method=shipping.method,
        )

    def plan_customer(self, order: ChannelOrder) -> tuple[CustomerPlan, list[NewPartner]]:
        """The customer, found by e-mail, VAT or phone (:func:`.matching.match_customer`), else created with the
        billing address; its delivery address, one it has when the same place, else added. Also the partners
        to create."""
        customers = self.customers
        partner, matched_by = match_customer(
            order.customer, customers["by_email"], customers["by_vat"], customers["by_phone"]
        )
        new_partners = []
        if partner is None:
            partner = self._new_customer(order)
            new_partners.append(partner)
        delivery, delivery_by = partner, "customer"
        # A new customer's billing address is its own: only another shipping address is looked for.
        if order.shipping_address != order.billing_address or matched_by != "new":
            delivery, delivery_by = self._delivery_address(partner, order.shipping_address)
            if delivery_by == "new":
                new_partners.append(delivery)
        plan = CustomerPlan(partner=partner, delivery=delivery, matched_by=matched_by, delivery_by=delivery_by)
        return plan, new_partners

    def _new_customer(self, order: ChannelOrder) -> NewPartner:
        customer = order.customer
        values = address_values(order.billing_address, self.lookups, "contact", None)
        values.update(
            name=customer.name,
            email=customer.email or False,
            phone=customer.phone or order.billing_address.phone or False,
            vat=customer.vat or False,
            company_id=False,
        )
        return NewPartner(values=values, keys=reserved_keys(customer))

    def _delivery_address(self, partner, address: Address) -> tuple["int | NewPartner", str]:
        """(partner, "customer"|"known"|"new"): an address of the customer at the same street, zip and country,
        else a new delivery address."""
        country_id = self.lookups.countries.get(address.country_code)
        for known in self._addresses_of(partner):
            if (
                (known.street or "") == (address.street or "")
                and (known.zip or "") == (address.zip or "")
                and country_id is not None
                and known.country_id == country_id
            ):
                return known.partner, "customer" if known.partner == partner else "known"
        parent_name = (
            partner.values["name"] if isinstance(partner, NewPartner) else self.lookups.partner_names.get(partner, "")
        )
        return NewPartner(values=address_values(address, self.lookups, "delivery", parent_name), parent=partner), "new"

    def _addresses_of(self, partner) -> list[KnownAddress]:
        """The customer's own address first, then its other addresses, known or planned in this batch."""
        if isinstance(partner, NewPartner):
            # Planned with its own address once remembered; before that (its first order), that address alone.
            return self.planned_addresses.get(partner) or [_known_address(partner, partner.values)]
        return [*self.lookups.addresses.get(partner, []), *self.planned_addresses.get(partner, [])]

    def _remember(self, new_partners: list[NewPartner]) -> None:
        for partner in new_partners:
            for key in partner.keys:
                table, _separator, value = key.partition(":")
                self.customers[table][value] = partner
            owner = partner if partner.parent is None else partner.parent
            self.planned_addresses.setdefault(owner, []).append(_known_address(partner, partner.values))
            self.new_partners.append(partner)
