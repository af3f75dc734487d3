import { registry } from "@web/core/registry";

/**
 * A packer ships two deliveries with Parcel REST, a carrier reached through its web service (a stand-in on
 * 127.0.0.1 whose first label request fails). The first: packed, validated, the carrier's error shown in red with
 * Retry, which buys the label and validates; Print Label opens the label's PDF. The second: the label bought before
 * validating, to stick it on the box. Run by tests/test_pack_screen_label_ui.py.
 */
const SCREEN = ".o_oms_pack_screen";
const INPUT = `${SCREEN} input[name=oms_scan]`;

function scan(code) {
    return [
        { content: `scan ${code}`, trigger: INPUT, run: `edit ${code}` },
        { trigger: INPUT, run: "press Enter" },
    ];
}

/** The Print Label button opens, in a new tab, the PDF attached to the delivery under the label's name. */
function printLabelOpens(fileName) {
    return {
        content: `Print Label opens ${fileName}`,
        trigger: `${SCREEN} a[name=print_label][target=_blank][href^='/web/content/']`,
        async run() {
            const response = await fetch(this.anchor.getAttribute("href"));
            const type = response.headers.get("Content-Type") || "";
            const disposition = response.headers.get("Content-Disposition") || "";
            const start = new Uint8Array(await response.arrayBuffer()).slice(0, 4);
            if (!response.ok || !type.includes("application/pdf") || !disposition.includes(fileName)) {
                throw new Error(`Print Label opened ${response.status} ${type} ${disposition}`);
            }
            if (String.fromCharCode(...start) !== "%PDF") {
                throw new Error("Print Label did not open a PDF");
            }
        },
    };
}

registry.category("web_tour.tours").add("oms_fulfillment_pack_screen_label", {
    steps: () => [
        ...scan("OMS-LABEL-TOUR-1"),
        {
            content: "the delivery's carrier is shown, without a label yet",
            trigger: `${SCREEN} .o_oms_pack_shipping:contains(Parcel REST):contains(No label yet)`,
        },
        { trigger: `${SCREEN} button[name=buy_label]` },
        ...scan("8437021000016"),
        { trigger: ".o_oms_pack_feedback.alert-success:contains(Everything is scanned)" },
        { content: "validate", trigger: `${SCREEN} button[name=validate].btn-primary`, run: "click" },
        {
            content: "the carrier's failure stays on the screen, in red",
            trigger: `${SCREEN} .o_oms_pack_carrier_error.text-danger:contains(answered 503 (maintenance))`,
        },
        { trigger: ".o_oms_pack_feedback.alert-danger:contains(is not validated)" },
        { trigger: `${SCREEN}:not(:has(a[name=print_label])):not(:has(button[name=buy_label]))` },
        { content: "retry", trigger: `${SCREEN} button[name=retry_carrier]`, run: "click" },
        {
            content: "Retry buys the label and validates the delivery",
            trigger: ".o_oms_pack_feedback.alert-success:contains(is validated)",
        },
        { trigger: `${SCREEN} .o_oms_pack_tracking:contains(RST000001)` },
        { trigger: `${SCREEN}:not(:has(.o_oms_pack_carrier_error))` },
        printLabelOpens("LabelShipping-oms_rest-RST000001.pdf"),

        { content: "next delivery", trigger: `${SCREEN} button[name=pack_another]`, run: "click" },
        ...scan("OMS-LABEL-TOUR-2"),
        {
            content: "the label is bought before validating, to stick it on the box",
            trigger: `${SCREEN} .o_oms_pack_shipping:contains(No label yet) button[name=buy_label]`,
            run: "click",
        },
        { trigger: ".o_oms_pack_feedback.alert-success:contains(Label bought)" },
        printLabelOpens("LabelShipping-oms_rest-RST000002.pdf"),
        ...scan("8437021000016"),
        { content: "validate", trigger: `${SCREEN} button[name=validate].btn-primary`, run: "click" },
        { trigger: ".o_oms_pack_feedback.alert-success:contains(is validated)" },
        {
            content: "validating keeps the label bought, rather than buying a second one",
            trigger: `${SCREEN} .o_oms_pack_tracking:contains(RST000002):not(:contains(RST000003))`,
        },
        printLabelOpens("LabelShipping-oms_rest-RST000002.pdf"),
    ],
});
