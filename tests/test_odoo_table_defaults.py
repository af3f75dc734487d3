"""The required columns the OMS adds to Odoo's own tables have a database default: code that inserts rows while
the OMS addons are not loaded in the registry (Odoo's at-install tests of a module updated on a database where the
OMS is installed: ``-u stock_delivery --test-tags /stock_delivery``) still creates companies, operation types and
reorder rules."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

OMS_MODULES = {"oms_intelligent", "oms_channels", "oms_fulfillment"}


@tagged("post_install", "-at_install")
class TestOdooTableDefaults(TransactionCase):
    def oms_required_columns_of_odoo_tables(self):
        """(model, field) of the stored required fields the OMS adds to models that Odoo defines (named oms_*,
        unlike Odoo's own fields the OMS extends, such as a carrier's delivery type)."""
        return [
            (model, field)
            for model in self.env.registry.values()
            if model._original_module not in OMS_MODULES and not model._abstract and model._auto
            for field in model._fields.values()
            if field.name.startswith("oms_")
            and field._module in OMS_MODULES
            and field.store
            and field.column_type
            and field.required
        ]

    def test_each_required_oms_column_on_an_odoo_table_has_the_fields_default_in_the_database(self):
        columns = self.oms_required_columns_of_odoo_tables()
        self.assertGreaterEqual(len(columns), 6)
        for model, field in columns:
            self.env.cr.execute(
                "SELECT is_nullable, column_default FROM information_schema.columns"
                " WHERE table_name = %s AND column_name = %s",
                [model._table, field.name],
            )
            nullable, default = self.env.cr.fetchone()
            column = f"{model._table}.{field.name}"
            with self.subTest(column=column):
                self.assertEqual(nullable, "NO")
                self.assertIsNotNone(default, f"a row inserted without {column} would break its NOT NULL")
                self.assertIn(repr(field.default(self.env[model._name])), default)

    def test_an_operation_type_inserted_without_the_oms_columns_gets_their_defaults(self):
        """What Odoo's stock module does when its registry does not know the OMS yet: an INSERT of the columns it
        knows (here a copy of the warehouse's internal type's)."""
        source = self.env.ref("stock.warehouse0").int_type_id
        oms_columns = {
            field.name for model, field in self.oms_required_columns_of_odoo_tables() if model is type(source)
        }
        self.assertEqual(oms_columns, {"oms_picking_method", "oms_group_by"})
        source.write({"oms_picking_method": "wave", "oms_group_by": "carrier"})
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'stock_picking_type'"
            " AND column_name != 'id'"
        )
        odoo_columns = [name for (name,) in self.env.cr.fetchall() if name not in oms_columns]
        columns = SQL(", ").join(SQL.identifier(name) for name in odoo_columns)
        self.env.cr.execute(
            SQL(
                "INSERT INTO stock_picking_type (%s) SELECT %s FROM stock_picking_type WHERE id = %s RETURNING id",
                columns,
                columns,
                source.id,
            )
        )
        copy = self.env["stock.picking.type"].browse(self.env.cr.fetchone()[0])
        self.assertEqual((copy.oms_picking_method, copy.oms_group_by), ("auto", "none"))
