import { _t } from "@web/core/l10n/translation";
import { RPCError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { Component, onMounted, onWillStart, useRef, useState } from "@odoo/owl";

/**
 * The packing screen: the packer scans every item of a delivery; the server (`stock.picking.oms_scan`) judges each
 * scan and answers with a message and the transfer's progress. Without a transfer (the Fulfillment › Pack menu), the
 * packer first scans the delivery's reference, or picks one of the deliveries ready to pack.
 *
 * The scan field keeps the focus, and scans are sent one after the other in the order they were read; a scanner
 * read while the focus is elsewhere reaches the screen through the barcode service.
 */
export class OmsPackScreen extends Component {
    static template = "oms_fulfillment.PackScreen";
    static props = { ...standardActionServiceProps };
    static components = { Layout };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.inputRef = useRef("scanInput");
        this.pickingId = this.props.action.context?.active_id || false;
        this.state = useState({ picking: null, queue: [], feedback: null, lastMoveId: false, flash: 0 });
        this.pending = Promise.resolve();
        onWillStart(() => this.load());
        onMounted(() => this.focusInput());
        useBus(useService("barcode").bus, "barcode_scanned", (event) => this.enqueue(event.detail.barcode));
    }

    // ---------------------------------------------------------------------------------------------------------------

    async load() {
        if (this.pickingId) {
            this.state.picking = await this.orm.call("stock.picking", "oms_pack_state", [[this.pickingId]]);
            // The breadcrumb's name, also when the screen is opened again from its URL.
            this.env.config.setDisplayName(_t("Pack %s", this.state.picking.name));
        } else {
            this.state.queue = await this.orm.call("stock.picking", "oms_pack_queue", []);
        }
    }

    focusInput() {
        this.inputRef.el?.focus();
    }

    onBlur() {
        // Keep the focus on the scan field, unless the packer moved it to a button or another field on purpose.
        setTimeout(() => {
            if (!document.activeElement || document.activeElement === document.body) {
                this.focusInput();
            }
        }, 0);
    }

    onKeydown(event) {
        if (event.key === "Enter") {
            event.preventDefault();
            const code = event.target.value;
            event.target.value = "";
            this.enqueue(code);
        }
    }

    /** Scans are judged one at a time, in the order they were read. */
    enqueue(code) {
        this.pending = this.pending.then(() => (this.pickingId ? this.scanItem(code) : this.findPicking(code)));
        return this.pending;
    }

    say(type, message) {
        this.state.feedback = { type, message };
        if (type === "danger") {
            this.state.flash++;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    async findPicking(code) {
        const answer = await this.orm.call("stock.picking", "oms_pack_find", [code]);
        if (answer.picking_id) {
            await this.openPacking(answer.picking_id);
        } else {
            this.say("danger", answer.message);
        }
    }

    async openPacking(pickingId) {
        const action = await this.orm.call("stock.picking", "action_oms_pack", [[pickingId]]);
        await this.actionService.doAction(action);
    }

    async scanItem(code) {
        const answer = await this.orm.call("stock.picking", "oms_scan", [[this.pickingId], code]);
        this.state.picking = answer.picking;
        this.state.lastMoveId = answer.move_id;
        this.say(answer.accepted ? "success" : "danger", answer.message);
        this.focusInput();
    }

    async clearScans() {
        const answer = await this.orm.call("stock.picking", "oms_scan_reset", [[this.pickingId]]);
        this.state.picking = answer.picking;
        this.state.lastMoveId = false;
        this.say(answer.accepted ? "info" : "danger", answer.message);
        this.focusInput();
    }

    validate() {
        return this.runPickingAction("button_validate");
    }

    buyLabel() {
        return this.runPickingAction("action_oms_buy_label");
    }

    retryCarrier() {
        return this.runPickingAction("action_oms_retry_carrier");
    }

    /**
     * Validate, buy the label or retry the carrier. A wizard (backorder) or the documents to print are opened; the
     * carrier's error is not a notification that goes away but stays on the screen, next to its Retry.
     */
    async runPickingAction(method) {
        const hadLabel = Boolean(this.state.picking.shipping?.label);
        let result;
        try {
            result = await this.orm.call("stock.picking", method, [[this.pickingId]]);
        } catch (error) {
            if (error instanceof RPCError && error.exceptionName === "odoo.exceptions.UserError") {
                this.say("danger", error.data.message);
                this.focusInput();
                return;
            }
            throw error;
        }
        const notification = result?.tag === "display_notification" ? result.params : null;
        if (result && typeof result === "object" && !notification) {
            await this.actionService.doAction(result, { onClose: () => this.afterAction({ hadLabel }) });
        }
        await this.afterAction({ hadLabel, notification });
    }

    async afterAction({ hadLabel, notification = null }) {
        await this.load();
        const { name, state, shipping } = this.state.picking;
        if (shipping?.error) {
            this.say(
                "danger",
                shipping.retry_validates
                    ? _t("%s is not validated: the carrier could not create its label.", name)
                    : _t("The carrier could not create the label of %s.", name)
            );
        } else if (notification) {
            this.say(notification.type || "info", notification.message);
        } else if (state === "done") {
            this.say("success", _t("%s is validated.", name));
        } else if (shipping?.label && !hadLabel) {
            this.say("success", _t("Label bought: print it and stick it on the parcel."));
        }
        this.focusInput();
    }

    openTransfer() {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "stock.picking",
            res_id: this.pickingId,
            views: [[false, "form"]],
        });
    }

    packAnother() {
        return this.actionService.doAction("oms_fulfillment.action_oms_pack", { clearBreadcrumbs: true });
    }

    // ---------------------------------------------------------------------------------------------------------------

    get placeholder() {
        return this.pickingId
            ? _t("Scan a product barcode, a SKU or a packaging barcode")
            : _t("Scan or type the reference of a delivery");
    }

    get progress() {
        const { scanned_total, demand_total } = this.state.picking;
        return demand_total ? Math.min(100, Math.round((100 * scanned_total) / demand_total)) : 100;
    }

    quantity(value) {
        return formatFloat(value, { trailingZeros: false });
    }

    lineClass(line) {
        return {
            "table-success": line.complete,
            "table-danger": line.excess,
            "text-muted": line.tracked,
            "fw-bold": line.id === this.state.lastMoveId,
            o_oms_pack_last: line.id === this.state.lastMoveId,
        };
    }
}

registry.category("actions").add("oms_fulfillment.pack_screen", OmsPackScreen);
