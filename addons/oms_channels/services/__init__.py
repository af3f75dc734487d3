"""Channel connectors and the channel-order schema, in plain Python (no Odoo import) so they can be tested and
benchmarked without a database."""
