"""Odoo's own access tests of sale orders, run on the database where the OMS addons are installed: a salesperson
and a sales manager without any OMS group still read, write and export sale orders as in plain Odoo."""

from odoo.addons.sale.tests.test_access_rights import TestAccessRights  # noqa: F401 - collected here by pytest
