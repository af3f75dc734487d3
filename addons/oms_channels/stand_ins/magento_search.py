"""Magento's ``searchCriteria`` for the local Magento stand-in (``magento.py``): the query keys parsed into the
``search_criteria`` Magento echoes, and a list of entities (orders, credit memos) filtered and sorted by them, as
``tests/fixtures/platforms/magento/API.md`` documents (filters in a group OR, groups AND; default sort DESC)."""

import re

_KEY = re.compile(r"^searchCriteria((?:\[[^\]]*\])+)$")
_CAMEL = {
    "filterGroups": "filter_groups",
    "conditionType": "condition_type",
    "sortOrders": "sort_orders",
    "pageSize": "page_size",
    "currentPage": "current_page",
}
_CONDITIONS = {
    "eq": lambda a, b: a == b,
    "neq": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gteq": lambda a, b: a >= b,
    "from": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lteq": lambda a, b: a <= b,
    "to": lambda a, b: a <= b,
}


class SearchCriteriaError(ValueError):
    pass


def parse_search_criteria(args) -> dict:
    """``searchCriteria[...]`` query keys into the snake_case ``search_criteria`` Magento echoes."""
    tree: dict = {}
    for key, value in args.items(multi=False):
        match = _KEY.match(key)
        if not match:
            continue
        parts = [_CAMEL.get(part, part) for part in re.findall(r"\[([^\]]*)\]", match.group(1))]
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise SearchCriteriaError(f'"{key}" is not a valid search criteria key')
        node[parts[-1]] = value
    criteria: dict = {"filter_groups": []}
    for _g, group in sorted(tree.get("filter_groups", {}).items(), key=lambda pair: _index(pair[0])):
        filters = []
        for _f, spec in sorted(group.get("filters", {}).items(), key=lambda pair: _index(pair[0])):
            if not spec.get("field"):
                raise SearchCriteriaError('"field" is required in a filter.')
            filters.append(
                {
                    "field": spec["field"],
                    "value": spec.get("value", ""),
                    "condition_type": spec.get("condition_type", "eq"),
                }
            )
        criteria["filter_groups"].append({"filters": filters})
    sort_orders = [
        {"field": spec.get("field"), "direction": (spec.get("direction") or "DESC").upper()}
        for _i, spec in sorted(tree.get("sort_orders", {}).items(), key=lambda pair: _index(pair[0]))
    ]
    if sort_orders:
        criteria["sort_orders"] = sort_orders
    for name in ("page_size", "current_page"):
        if name in tree:
            criteria[name] = _index(tree[name])
    return criteria


def search(orders: list[dict], criteria: dict) -> list[dict]:
    """The entities (orders, credit memos) that pass every filter group (one filter of the group suffices), sorted
    as asked (entity_id when no sort order is given, like the collection's primary key)."""
    selected = [
        order for order in orders if all(_passes(order, group["filters"]) for group in criteria["filter_groups"])
    ]
    selected.sort(key=lambda order: _sortable(order.get("entity_id")))
    for spec in reversed(criteria.get("sort_orders", [])):
        selected.sort(key=lambda order: _sortable(order.get(spec["field"])), reverse=spec["direction"] == "DESC")
    return selected


def _passes(order: dict, filters: list[dict]) -> bool:
    return any(_matches(order.get(spec["field"]), spec["value"], spec["condition_type"]) for spec in filters)


def _matches(actual, value: str, condition: str) -> bool:
    if condition in ("in", "nin"):
        found = any(left == right for left, right in (_comparable(actual, part) for part in value.split(",")))
        return found if condition == "in" else not found
    if condition == "null":
        return actual is None
    if condition == "notnull":
        return actual is not None
    if condition not in _CONDITIONS:
        raise SearchCriteriaError(f'Invalid condition type "{condition}".')
    if actual is None:
        return False
    return _CONDITIONS[condition](*_comparable(actual, value))


def _comparable(actual, value: str):
    """Numbers compare as numbers, anything else (``YYYY-MM-DD HH:MM:SS`` dates included) as text."""
    if isinstance(actual, int | float) and not isinstance(actual, bool):
        try:
            return float(actual), float(value)
        except ValueError:  # a number compared with text: as text, below
            return str(actual), str(value).strip()
    return str(actual), str(value).strip()


def _sortable(value):
    return (value is None, value if isinstance(value, int | float) else str(value or ""))


def _index(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise SearchCriteriaError(f'"{text}" is not a number.') from None
