from odoo import api, models
from odoo.exceptions import AccessError

# Held only by code running in this process: no XML-RPC or JSON-RPC context can carry this object, so a write that
# brings it comes from the model's own methods, after their checks.
_BY_ITS_METHODS = object()


class OmsStateMixin(models.AbstractModel):
    """Records whose state (and the fields the model lists in ``_oms_protected_fields``) change only through their
    methods: ``write`` and ``create`` refuse them from anywhere else, the web client and the API alike."""

    _name = "oms.state.mixin"
    _description = "State Changed by Its Methods Only"
    _oms_protected_fields = ("state",)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._oms_by_its_methods():
            for vals in vals_list:
                given = {name for name in self._oms_protected_fields if name in vals}
                # A new record may say its field's default value, which changes nothing.
                defaults = self.default_get(list(given))
                self._oms_refuse_protected([name for name in given if vals[name] != defaults.get(name, False)])
        return super().create(vals_list)

    def write(self, vals):
        if not self._oms_by_its_methods():
            self._oms_refuse_protected([name for name in self._oms_protected_fields if name in vals])
        return super().write(vals)

    def _oms_by_its_methods(self):
        return self.env.context.get("oms_by_its_methods") is _BY_ITS_METHODS

    def _oms_refuse_protected(self, names):
        if names:
            labels = ", ".join(self._fields[name]._description_string(self.env) for name in names)
            raise AccessError(
                self.env._(
                    "%(fields)s of %(model)s change through its buttons only, after their checks.",
                    fields=labels,
                    model=self._description,
                )
            )

    def _oms_write(self, vals):
        """Write protected fields: for the model's own methods, once they have made their checks."""
        return self.with_context(oms_by_its_methods=_BY_ITS_METHODS).write(vals)

    @api.model
    def _oms_create(self, vals_list):
        return self.with_context(oms_by_its_methods=_BY_ITS_METHODS).create(vals_list)
