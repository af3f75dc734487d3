"""What the intake benchmark's platform part adds to the database (``world.prepare_database`` made the rest): the
sale taxes the platforms' orders carry, a carrier for their shipping, service products for their fees and order
discounts, and one channel per platform pulling from its stand-in; committed."""

from .platform_stand_ins import channel_credentials

# The service product of each kind of extra line (the channel's fields, when the import has them).
SERVICE_KINDS = {
    "fee": "fee_product_id",
    "gift_wrap": "gift_wrap_product_id",
    "cash_on_delivery": "cash_on_delivery_product_id",
    "discount": "discount_product_id",
}


def prepare_platform(env, world, number, platform, shop, parsed_orders):
    """The channel of ``platform`` (code BENCH-<number>) pulling from ``shop``, and the taxes, carrier and service
    products its orders need: {"channel", "taxes": {(rate, prices include tax): tax id}, "carrier", "services"}."""
    taxes = sale_taxes(env, _tax_keys(parsed_orders))
    carrier = _carrier(env)
    services = _service_products(env)
    template = world["channel"]
    values = {
        "name": f"Bench {platform} {number}",
        "code": f"BENCH-{number}",
        "kind": "marketplace",
        "platform": platform,
        "connector": "rest",
        "company_id": template.company_id.id,
        "pricelist_id": template.pricelist_id.id,
        "warehouse_id": template.warehouse_id.id,
        "workflow_id": template.workflow_id.id,
        "default_carrier_id": carrier.id,
        **channel_credentials(platform, shop),
    }
    fields = env["oms.channel"]._fields
    values.update({name: services[kind] for kind, name in SERVICE_KINDS.items() if name in fields})
    channel = env["oms.channel"].create(values)
    env.cr.commit()
    return {"channel": channel, "taxes": taxes, "carrier": carrier, "services": services}


def _tax_keys(parsed_orders):
    keys = set()
    for order in parsed_orders:
        parts = [*order.lines, *order.fees, *order.discounts, *([order.shipping] if order.shipping else [])]
        keys |= {(tax.rate, bool(order.prices_include_tax)) for part in parts for tax in part.taxes or ()}
    return keys


def sale_taxes(env, keys):
    """{(rate, prices include tax): id} of the company's sale tax of that rate and price basis, the first by
    sequence, as the import chooses it when the channel's Taxes table has no row; made when there is none."""
    company = env.company
    taxes = {}
    for rate, include in sorted(keys):
        found = env["account.tax"].search(
            [
                ("company_id", "=", company.id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "=", rate),
            ],
            order="sequence, id",
        )
        tax = found.filtered(lambda record, include=include: record.price_include == include)[:1]
        if not tax:
            tax = env["account.tax"].create(
                {
                    "name": f"Bench {rate:g}% ({'incl.' if include else 'excl.'})",
                    "amount": rate,
                    "amount_type": "percent",
                    "type_tax_use": "sale",
                    "price_include_override": "tax_included" if include else "tax_excluded",
                    "company_id": company.id,
                }
            )
        taxes[rate, include] = tax.id
    return taxes


def _carrier(env):
    """A fixed-price carrier whose product has no tax of its own: both paths give the shipping line the order's."""
    carrier = env["delivery.carrier"].search([("name", "=", "Bench platform shipping")], limit=1)
    if carrier:
        return carrier
    product = env["product.product"].create(
        {"name": "Bench platform shipping", "type": "service", "sale_ok": True, "list_price": 0, "taxes_id": False}
    )
    return env["delivery.carrier"].create(
        {"name": "Bench platform shipping", "delivery_type": "fixed", "fixed_price": 0, "product_id": product.id}
    )


def _service_products(env):
    """{kind: product id} of the bench's service products of fees, gift wrap, cash on delivery, order discounts."""
    names = {kind: f"Bench platform {kind.replace('_', ' ')}" for kind in SERVICE_KINDS}
    found = {p.name: p.id for p in env["product.product"].search([("name", "in", list(names.values()))])}
    missing = [name for name in names.values() if name not in found]
    created = env["product.product"].create(
        [{"name": name, "type": "service", "sale_ok": True, "list_price": 0, "taxes_id": False} for name in missing]
    )
    found.update(zip(missing, created.ids, strict=True))
    return {kind: found[name] for kind, name in names.items()}
