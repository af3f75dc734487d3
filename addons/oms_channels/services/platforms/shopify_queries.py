"""The GraphQL documents :mod:`.shopify_client` sends to the Shopify Admin API (facts and sources in
``tests/fixtures/platforms/shopify/API.md``).

The pull asks for what :mod:`.shopify_shapes` reads and no more (the shop's money only for the total): every object
adds a point to the query's calculated cost, nested connections multiply it, and Shopify runs no query costing more
than 1000 points. So the orders query asks for few nested nodes (about 450 points an order), and the client fetches
the rest of a large order's lines (:data:`ORDER_LINE_ITEMS`) and of a large refund's (:data:`REFUND_LINE_ITEMS`).
"""

LINE_ITEMS_PER_ORDER = 10  # more are fetched, order by order, LINE_ITEMS_PER_PAGE at a time
REFUNDS_PER_ORDER = 5  # a plain list, without pagination: an order's later refunds are not read
REFUND_LINES_PER_REFUND = 10
LINE_ITEMS_PER_PAGE = 50
FULFILLMENT_LINE_ITEMS = 100

_MONEY = """
fragment Money on MoneyBag {
  shopMoney { amount currencyCode }
  presentmentMoney { amount currencyCode }
}
"""

_PAID = """
fragment Paid on MoneyBag {
  presentmentMoney { amount currencyCode }
}
"""

_ADDRESS = """
fragment Address on MailingAddress {
  firstName lastName name company address1 address2 city province provinceCode zip countryCodeV2 phone
  latitude longitude
}
"""

_TAX_LINE = "taxLines { title rate ratePercentage }"

_LINE_ITEM = f"""
fragment OmsLineItem on LineItem {{
  id name title sku quantity currentQuantity requiresShipping
  variant {{ id legacyResourceId }}
  product {{ id legacyResourceId }}
  originalUnitPriceSet {{ ...Paid }}
  discountAllocations {{ allocatedAmountSet {{ ...Paid }} }}
  {_TAX_LINE}
}}
"""

_REFUND_LINE = """
fragment OmsRefundLine on RefundLineItem {
  lineItem { id } quantity subtotalSet { ...Paid } totalTaxSet { ...Paid }
}
"""

ORDERS = (
    _MONEY
    + _PAID
    + _ADDRESS
    + _LINE_ITEM
    + _REFUND_LINE
    + f"""
query OmsOrders($first: Int!, $after: String, $query: String!) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    nodes {{
      id legacyResourceId name createdAt updatedAt processedAt cancelledAt cancelReason
      email phone note customAttributes {{ key value }} customerLocale
      taxesIncluded currencyCode presentmentCurrencyCode displayFinancialStatus discountCodes
      totalPriceSet {{ ...Money }}
      originalTotalDutiesSet {{ ...Paid }} originalTotalAdditionalFeesSet {{ ...Paid }}
      customer {{ firstName lastName defaultEmailAddress {{ emailAddress }} defaultPhoneNumber {{ phoneNumber }} }}
      billingAddress {{ ...Address }}
      shippingAddress {{ ...Address }}
      lineItems(first: {LINE_ITEMS_PER_ORDER}) {{
        pageInfo {{ hasNextPage endCursor }}
        nodes {{ ...OmsLineItem }}
      }}
      shippingLines(first: 3) {{
        nodes {{ title code isRemoved originalPriceSet {{ ...Paid }} discountedPriceSet {{ ...Paid }} {_TAX_LINE} }}
      }}
      refunds(first: {REFUNDS_PER_ORDER}) {{
        id legacyResourceId createdAt note totalRefundedSet {{ ...Paid }}
        refundLineItems(first: {REFUND_LINES_PER_REFUND}) {{
          pageInfo {{ hasNextPage endCursor }}
          nodes {{ ...OmsRefundLine }}
        }}
      }}
    }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""
)

ORDER_LINE_ITEMS = (
    _PAID
    + _LINE_ITEM
    + f"""
query OmsOrderLineItems($id: ID!, $after: String) {{
  order(id: $id) {{
    lineItems(first: {LINE_ITEMS_PER_PAGE}, after: $after) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ ...OmsLineItem }}
    }}
  }}
}}
"""
)

REFUND_LINE_ITEMS = (
    _PAID
    + _REFUND_LINE
    + f"""
query OmsRefundLineItems($id: ID!, $after: String) {{
  node(id: $id) {{
    ... on Refund {{
      refundLineItems(first: {LINE_ITEMS_PER_PAGE}, after: $after) {{
        pageInfo {{ hasNextPage endCursor }}
        nodes {{ ...OmsRefundLine }}
      }}
    }}
  }}
}}
"""
)

SHOP = """
query OmsConnection {
  shop { name currencyCode }
  orders(first: 1) { nodes { id } }
}
"""


def variants_lookup(*, by_id: bool, by_sku: bool, primary_location: bool) -> str:
    """One query finding the inventory items of variants by id and by SKU (and the shop's primary location, where
    a stock level names none): only the parts needed, since an empty SKU search would list every variant."""
    variant = "id legacyResourceId sku inventoryItem { id }"
    parts, params = [], []
    if by_id:
        params.append("$ids: [ID!]!")
        parts.append(f"nodes(ids: $ids) {{ ... on ProductVariant {{ {variant} }} }}")
    if by_sku:
        params.append("$skus: String!")
        parts.append(f"productVariants(first: 250, query: $skus) {{ nodes {{ {variant} }} }}")
    if primary_location:
        parts.append("location { id }")
    signature = f"({', '.join(params)})" if params else ""
    return "query OmsVariants" + signature + " {\n  " + "\n  ".join(parts) + "\n}\n"


SET_STOCK = """
mutation OmsSetStock($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id }
    userErrors { field message code }
  }
}
"""

FULFILLMENT_ORDERS = f"""
query OmsFulfillmentOrders($id: ID!) {{
  order(id: $id) {{
    id
    fulfillmentOrders(first: 20) {{
      nodes {{
        id status assignedLocation {{ location {{ id }} }}
        lineItems(first: {FULFILLMENT_LINE_ITEMS}) {{ nodes {{ id remainingQuantity lineItem {{ id }} }} }}
      }}
    }}
  }}
}}
"""

FULFIL = """
mutation OmsFulfil($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}
"""

REFUND_CONTEXT = """
query OmsRefundContext($id: ID!) {
  order(id: $id) {
    id
    refunds(first: 250) { id note }
    transactions(first: 50) { id kind status gateway parentTransaction { id } }
  }
  location { id }
}
"""

REFUND = """
mutation OmsRefund($input: RefundInput!) {
  refundCreate(input: $input) {
    refund { id }
    userErrors { field message }
  }
}
"""
