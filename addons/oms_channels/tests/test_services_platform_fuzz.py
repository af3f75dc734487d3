"""Hostile platform payloads: every fixture order of every platform, with one part of it replaced by a value of
the wrong type or an absurd one, either maps or is refused with a ChannelOrderError naming what is wrong — never
another exception, which would leave the order as an "internal error" instead of telling the platform's field
(plain pytest, fixed seed; ``OMS_FUZZ_SEED`` tries others)."""

import copy
import os
import random

import pytest

from odoo.addons.oms_channels.services.channel_order import parse_channel_order
from odoo.addons.oms_channels.services.payload import ChannelOrderError
from odoo.addons.oms_channels.services.platforms.staged import channel_order_of

from . import test_services_platform_magento as magento_fixtures
from . import test_services_platform_prestashop as prestashop_fixtures
from . import test_services_platform_shopify as shopify_fixtures
from . import test_services_platform_woocommerce as woocommerce_fixtures

SEED = int(os.environ.get("OMS_FUZZ_SEED", "16"))
MUTATIONS_PER_ORDER = 60
HOSTILE_VALUES = (
    None,
    "",
    " ",
    "\x00",
    "abc",
    "-1",
    "1e308",
    "NaN",
    0,
    -1,
    10**25,
    1.5,
    float("inf"),
    True,
    [],
    [None],
    {},
    {"x": 1},
    "2026-13-45T99:99:99Z",
    "\ud800",
)


def fixture_payloads():
    """(platform, name, payload as staged) of every fixture order."""
    payloads = [("shopify", f"graphql {ref}", node) for ref, node in shopify_fixtures.graphql_nodes().items()]
    payloads += [("shopify", f"webhook {ref}", shopify_fixtures.webhook(ref)) for ref in shopify_fixtures.WEBHOOKS]
    payloads += [("woocommerce", name, woocommerce_fixtures.load(name)) for name in woocommerce_fixtures.ORDER_FILES]
    payloads += [("magento", path.name, magento_fixtures.load(path.name)) for path in magento_fixtures.ORDER_FILES]
    payloads += [
        ("prestashop", order_id, prestashop_fixtures.payload_of(order_id)) for order_id in prestashop_fixtures.ORDER_IDS
    ]
    return payloads


def paths_of(value, path=()):
    """Every path to a part of a JSON-like value, the value itself excluded."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        yield (*path, key)
        yield from paths_of(child, (*path, key))


def replaced(payload, path, new_value):
    mutated = copy.deepcopy(payload)
    parent = mutated
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new_value
    return mutated


@pytest.mark.parametrize(("platform", "name", "payload"), fixture_payloads(), ids=lambda value: str(value)[:40])
def test_a_hostile_part_is_refused_by_name_never_a_crash(platform, name, payload):
    rng = random.Random(f"{SEED}-{platform}-{name}")
    paths = list(paths_of(payload))
    crashes = []
    for _ in range(MUTATIONS_PER_ORDER):
        path = rng.choice(paths)
        mutated = replaced(payload, path, rng.choice(HOSTILE_VALUES))
        try:
            parse_channel_order(channel_order_of(platform, mutated))
        except ChannelOrderError:
            continue
        except Exception as error:  # noqa: BLE001 - what the test looks for
            crashes.append(f"{'.'.join(map(str, path))}: {type(error).__name__}: {error}")
    assert not crashes, "\n".join(crashes[:20])
