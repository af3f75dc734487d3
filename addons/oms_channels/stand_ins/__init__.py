"""Local stand-ins for the channels' servers, for tests and benchmarks (see oms_intelligent's ``stand_ins``); not
imported by the addon.

- ``orders``: what every channel server serves (orders), and :func:`make_order`, a valid channel order;
- ``marketplace``: the marketplace REST API of ``services/rest_connector.py``;
- ``edi_soap``: the EDI partner's SOAP service of ``services/soap_connector.py``;
- ``shopify``: a Shopify shop's Admin GraphQL API (orders pages, throttling, push-back mutations recorded);
- ``woocommerce``: a WooCommerce shop's REST API v3;
- ``magento``: a Magento 2 store's REST API V1;
- ``prestashop``: a PrestaShop shop's XML webservice.

Each platform's stand-in answers as its ``tests/fixtures/platforms/<platform>/API.md`` says.
"""
