"""Local stand-ins for the channels' servers, for tests and benchmarks (see oms_intelligent's ``stand_ins``); not
imported by the addon.

- ``orders``: what every channel server serves (orders), and :func:`make_order`, a valid channel order;
- ``marketplace``: the marketplace REST API of ``services/rest_connector.py``;
- ``edi_soap``: the EDI partner's SOAP service of ``services/soap_connector.py``;
- ``prestashop``: a PrestaShop XML webservice (``/api/``) serving the platform's own documents.
"""
