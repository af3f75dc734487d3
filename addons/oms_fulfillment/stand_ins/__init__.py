"""Local stand-ins for carriers and returns providers, for tests (see oms_intelligent's ``stand_ins``); not
imported by the addon.

- ``carrier_server``: what every carrier stand-in has (credentials, tariff, shipments) and a label PDF;
- ``rest_carrier``: the carrier JSON API of ``services/carrier_rest.py``;
- ``soap_carrier``: the carrier SOAP service of ``services/carrier_soap.py``;
- ``sendcloud``: Sendcloud's API v3 for ``services/carrier_sendcloud.py``;
- ``returns_provider``: the returns provider's JSON API of ``services/returns_provider.py``.
"""
