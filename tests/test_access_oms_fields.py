"""Every Odoo user keeps working with the OMS installed: each field the OMS adds to an Odoo model is either read or
hidden by its groups, for Odoo's standard users without any OMS group as for OMS users, never an AccessError (the
failure an integration reading an order's fields over the API, or an export of all fields, would meet)."""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

OMS_MODULES = {"oms_intelligent", "oms_channels", "oms_fulfillment"}
MODELS = [
    "sale.order",
    "sale.order.line",
    "stock.picking",
    "stock.move",
    "res.partner",
    "product.product",
    "account.move",
    "purchase.order",
]
USERS = {
    "sales_own_documents": "sales_team.group_sale_salesman",
    "sales_administrator": "sales_team.group_sale_manager",
    "inventory_user": "stock.group_stock_user",
    "billing": "account.group_account_invoice",
    "purchase_user": "purchase.group_purchase_user",
    "employee": "base.group_user",
    "oms_user": "oms_intelligent.group_oms_user",
    "oms_manager": "oms_intelligent.group_oms_manager",
}


@tagged("post_install", "-at_install")
class TestOmsFieldsReadable(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.companies = cls.env["res.company"].search([])
        cls.users = {
            name: new_test_user(
                cls.env,
                login=f"oms_read_{name}",
                groups=f"base.group_user,{group}",
                company_ids=[(6, 0, cls.companies.ids)],
            )
            for name, group in USERS.items()
        }
        # A salesperson on own documents reads the orders she sells: give her one with OMS data.
        cls.own_order = cls.env["sale.order"].search(
            [
                ("oms_routing_decision_id", "!=", False),
                ("company_id", "=", cls.env.ref("oms_intelligent.oms_company").id),
            ],
            limit=1,
        )
        cls.own_order.user_id = cls.users["sales_own_documents"]

    def oms_fields(self, model):
        return [name for name, field in self.env[model]._fields.items() if field._module in OMS_MODULES]

    def sample(self, model):
        """Records of the demo world that carry OMS data where the model has any, else any records."""
        records = self.own_order if model == "sale.order" else self.env[model].browse()
        for name in self.oms_fields(model):
            field = self.env[model]._fields[name]
            if field.store and field.type not in ("binary",):
                records |= self.env[model].search([(name, "!=", False)], limit=3)
        return records or self.env[model].search([], limit=5)

    def test_every_oms_field_is_read_or_hidden_never_an_access_error(self):
        failures = []
        read_somewhere = set()
        models_read = set()
        for model in MODELS:
            names = self.oms_fields(model)
            records = self.sample(model)
            self.assertTrue(records, f"the demo world has {model} records")
            for user_name, user in self.users.items():
                in_all_companies = records.with_user(user).with_context(allowed_company_ids=self.companies.ids)
                readable = in_all_companies._filtered_access("read")
                if not readable:
                    continue  # plain Odoo does not let this user read the model (or these records) either
                models_read.add((user_name, model))
                visible = [name for name in names if self.env[model]._fields[name].is_accessible(readable.env)]
                if not visible:
                    continue
                for name in visible:
                    try:
                        readable.read([name])
                        readable.invalidate_recordset([name])
                        read_somewhere.add((model, name))
                    except AccessError as error:
                        failures.append(f"{user_name} reading {model}.{name}: {str(error).splitlines()[0]}")
                try:
                    readable.read(visible)
                except AccessError as error:
                    failures.append(f"{user_name} reading all OMS fields of {model}: {str(error).splitlines()[0]}")
        self.assertFalse(failures, "\n".join(failures))
        self.assertIn(("sale.order", "oms_routing_decision_ids"), read_somewhere)
        for user_name, model in [
            ("sales_own_documents", "sale.order"),
            ("sales_administrator", "sale.order"),
            ("inventory_user", "stock.picking"),
            ("billing", "account.move"),
            ("purchase_user", "purchase.order"),
            ("employee", "res.partner"),
            ("oms_user", "sale.order"),
        ]:
            self.assertIn((user_name, model), models_read, "the test read what this user reads in Odoo")

    def test_customer_value_figures_are_for_oms_users_and_sales_managers_only(self):
        partner = self.env["res.partner"].search([("oms_value_id", "!=", False)], limit=1) or self.env.ref(
            "base.res_partner_2"
        )
        money_fields = ["oms_lifetime_value", "oms_margin", "oms_revenue_12m", "oms_return_rate", "oms_rfm_code"]
        for user_name in ("sales_own_documents", "inventory_user", "billing", "purchase_user", "employee"):
            fields_seen = partner.with_user(self.users[user_name]).fields_get(money_fields)
            self.assertFalse(fields_seen, f"{user_name} must not see customer value figures")
            with self.assertRaises(AccessError, msg=user_name):
                partner.with_user(self.users[user_name]).read(["oms_margin"])
        for user_name in ("sales_administrator", "oms_user", "oms_manager"):
            values = partner.with_user(self.users[user_name]).read(money_fields)[0]
            self.assertIn("oms_margin", values, user_name)
