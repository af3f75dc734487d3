import { registry } from "@web/core/registry";

/**
 * A packer opens Fulfillment › Pack, scans the delivery of order OMS-PACK-TOUR (2 kettles), then its items: wrong,
 * unknown and excess scans are refused, validation waits until everything is scanned.
 * Run by tests/test_pack_screen_ui.py.
 */
const INPUT = ".o_oms_pack_screen input[name=oms_scan]";

function scan(code) {
    return [
        { content: `scan ${code}`, trigger: INPUT, run: `edit ${code}` },
        { trigger: INPUT, run: "press Enter" },
    ];
}

registry.category("web_tour.tours").add("oms_fulfillment_pack_screen", {
    steps: () => [
        ...scan("NOPE/404"),
        {
            content: "an unknown delivery is refused",
            trigger: ".o_oms_pack_feedback.alert-danger:contains(No delivery with reference NOPE/404)",
        },
        ...scan("OMS-PACK-TOUR"),
        {
            content: "the delivery of the order opens, with its kettles to pack",
            trigger: ".o_oms_pack_lines tr:contains([OMS-001]):not(.table-success)",
        },
        ...scan("8437021000016"),
        {
            content: "the kettle's barcode counts one",
            trigger: ".o_oms_pack_feedback.alert-success:contains(1 of 2 scanned)",
        },
        ...scan("0000000000000"),
        {
            content: "an unknown barcode is refused",
            trigger: ".o_oms_pack_feedback.alert-danger:contains(No product with barcode 0000000000000)",
        },
        ...scan("8437021000023"),
        {
            content: "a product that is not in the order is refused",
            trigger: ".o_oms_pack_feedback.alert-danger:contains(is not in this order)",
        },
        { content: "validate too early", trigger: ".o_oms_pack_screen button[name=validate]", run: "click" },
        {
            content: "validation waits for the last kettle",
            trigger: ".o_oms_pack_feedback.alert-danger:contains(cannot be validated before every item is scanned)",
        },
        ...scan("OMS-001"),
        {
            content: "the SKU counts the second kettle: the line is complete",
            trigger: ".o_oms_pack_lines tr.table-success:contains([OMS-001])",
        },
        { trigger: ".o_oms_pack_feedback.alert-success:contains(Everything is scanned)" },
        ...scan("8437021000016"),
        {
            content: "a third kettle is refused",
            trigger: ".o_oms_pack_feedback.alert-danger:contains(All 2 of [OMS-001] Electric Kettle 1.7 L are already scanned)",
        },
        { content: "validate", trigger: ".o_oms_pack_screen button[name=validate].btn-primary", run: "click" },
        { content: "the delivery is done", trigger: ".o_oms_pack_feedback.alert-success:contains(is validated)" },
    ],
});
