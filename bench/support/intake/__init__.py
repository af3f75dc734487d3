"""The intake benchmark's parts (bench/intake.py runs them):

- ``options``: its command line;
- ``data``: the products, customers and orders generated with a fixed seed, as channel payloads;
- ``world``: the database they need (currencies, pricelists, products, customers, channels);
- ``pull``: the cron's pull against plain Odoo create+confirm, in turns, and its checks;
- ``drain``: staged orders imported by one worker process and by two (``drain_workers``: the processes);
- ``webhook``: signed bodies POSTed to an Odoo server (``webhook_server``: the server and the client side);
- ``report``: what the pull's profile and the drain print.
"""
