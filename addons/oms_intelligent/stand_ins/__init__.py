"""Local stand-ins for outside servers (marketplaces, EDI partners, carriers, returns providers), served on
127.0.0.1 for the tests and the benchmarks.

Not imported by the addon: a test or a benchmark imports the module it needs (``odoo.addons.oms_intelligent.
stand_ins.http_server``...), without Odoo's test framework, which the ``tests`` packages load.

- ``http_server``: the threaded WSGI server every stand-in is, and the base of the JSON (REST) ones;
- ``soap``: the base of the SOAP ones, with the XML schema pieces and WSDL document zeep reads;
- ``tattletale``, ``hostile_soap``: careless and hostile services, to test what the clients refuse or mask.
"""
