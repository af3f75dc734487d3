"""The database the intake benchmark needs: currencies, pricelists, products, the known customers and the plain
path's twins, and the channels of a run; committed."""

from .data import COUNTRIES, CURRENCY_FACTOR, customer_identity


def prepare_database(env, products, customers, run, market_url, api_key):
    """Currencies, pricelists, products, known customers, plain-path twins and the channel; committed."""
    company = env.company
    currency = _currencies(env)
    pricelists = _pricelists(env, currency)
    product_ids = _products(env, products)
    plain_partner = _plain_partners(env, customers, run)
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    channel = _pull_channel(env, run, pricelists["EUR"], warehouse, market_url, api_key)
    env.cr.commit()
    return {
        "channel": channel,
        "warehouse": warehouse,
        "pricelists": pricelists,
        "product_ids": product_ids,
        "plain_partner": plain_partner,
    }


def _currencies(env):
    """EUR, USD and GBP active with a rate, the company in EUR; {code: currency}."""
    company = env.company
    currencies = env["res.currency"].with_context(active_test=False).search([("name", "in", list(CURRENCY_FACTOR))])
    currencies.active = True
    currency = {record.name: record for record in currencies}
    if company.currency_id != currency["EUR"] and not env["account.move.line"].search_count([], limit=1):
        company.currency_id = currency["EUR"]  # an EU marketplace seller; allowed while no journal item exists
    for name, rate in (("USD", 1.08), ("GBP", 0.85), ("EUR", 1.0)):
        if currency[name] != company.currency_id and not currency[name].rate_ids.filtered(
            lambda r: r.company_id == company
        ):
            env["res.currency.rate"].create(
                {"currency_id": currency[name].id, "rate": rate, "name": "2025-01-01", "company_id": company.id}
            )
    return currency


def _pricelists(env, currency):
    """The pricelist of each currency that the import picks (channel's for EUR, first found for the others)."""
    company = env.company
    pricelists = {}
    for name in CURRENCY_FACTOR:
        pricelists[name] = env["product.pricelist"].search(
            [
                ("currency_id.name", "=", name),
                ("currency_id.active", "=", True),
                ("company_id", "in", (company.id, False)),
            ],
            limit=1,
        ) or env["product.pricelist"].create(
            {"name": f"Marketplace {name}", "currency_id": currency[name].id, "company_id": company.id}
        )
    return pricelists


def _products(env, products):
    """The generated products, created when missing; {sku: product id}."""
    existing = {
        product.default_code: product
        for product in env["product.product"].search([("default_code", "in", [p["sku"] for p in products])])
    }
    missing = [product for product in products if product["sku"] not in existing]
    created = env["product.product"].create(
        [
            {
                "name": product["name"],
                "default_code": product["sku"],
                "barcode": product["barcode"],
                "list_price": product["price"],
                "is_storable": True,
                "sale_ok": True,
            }
            for product in missing
        ]
    )
    existing.update(zip([product["sku"] for product in missing], created, strict=True))
    return {sku: product.id for sku, product in existing.items()}


def _plain_partners(env, customers, run):
    """The partner plain Odoo's orders go to, per customer index: the known customers (created when missing, used
    by both paths) and a twin of each new customer (plain create+confirm takes an existing customer)."""
    countries = {
        country.code: country for country in env["res.country"].search([("code", "in", [c[0] for c in COUNTRIES])])
    }

    def partner_vals(customer, identity):
        return {
            "name": customer["name"],
            "email": identity["email"],
            "phone": identity["phone"],
            "vat": identity["vat"],
            "street": customer["street"],
            "city": customer["city"],
            "zip": customer["zip"],
            "country_id": countries[customer["country"]].id,
        }

    known = [customer for customer in customers if customer["known"]]
    emails = {customer["index"]: customer_identity(customer, run)["email"] for customer in known}
    found = {
        partner.email: partner.id
        for partner in env["res.partner"].search([("email", "in", list(emails.values()))], order="id desc")
    }
    to_create = [customer for customer in known if emails[customer["index"]] not in found]
    new_partners = env["res.partner"].create(
        [partner_vals(customer, customer_identity(customer, run)) for customer in to_create]
    )
    found.update(zip([emails[customer["index"]] for customer in to_create], new_partners.ids, strict=True))
    plain_partner = {customer["index"]: found[emails[customer["index"]]] for customer in known}
    twins = [customer for customer in customers if not customer["known"]]
    twin_partners = env["res.partner"].create(
        [partner_vals(customer, customer_identity(customer, run, twin=True)) for customer in twins]
    )
    plain_partner.update(zip([customer["index"] for customer in twins], twin_partners.ids, strict=True))
    return plain_partner


def _pull_channel(env, run, pricelist, warehouse, market_url, api_key):
    """The run's REST channel on the local marketplace; its orders are confirmed at once and invoiced by hand, as
    plain Odoo's are."""
    company = env.company
    workflow = env["oms.order.workflow"].create({"name": f"Bench confirm {run}", "auto_confirm": True})
    return env["oms.channel"].create(
        {
            "name": f"Bench Marketplace {run}",
            "code": f"BENCH-{run}",
            "kind": "marketplace",
            "connector": "rest",
            "company_id": company.id,
            "pricelist_id": pricelist.id,
            "warehouse_id": warehouse.id,
            "endpoint_url": market_url,
            "api_key": api_key,
            "workflow_id": workflow.id,
        }
    )


def next_run_number(env):
    channels = env["oms.channel"].with_context(active_test=False).search([("code", "=like", "BENCH-%")])
    numbers = [int(code[6:]) for code in channels.mapped("code") if code[6:].isdigit()]
    return max(numbers, default=0) + 1


def bench_channel(env, world, number, label, secret=False):
    """Another channel of this run (code BENCH-<number>, so that the next run numbers after it), pushing by
    webhook, with the pull channel's pricelist, warehouse and workflow."""
    template = world["channel"]
    channel = env["oms.channel"].create(
        {
            "name": f"Bench {label} {number}",
            "code": f"BENCH-{number}",
            "kind": "marketplace",
            "connector": "webhook",
            "company_id": template.company_id.id,
            "pricelist_id": template.pricelist_id.id,
            "warehouse_id": template.warehouse_id.id,
            "workflow_id": template.workflow_id.id,
            "webhook_secret": secret,
        }
    )
    env.cr.commit()
    return channel
