"""The intake benchmark's webhook part: the answer time of signed bodies POSTed over HTTP to an Odoo server on the
same database (store first), beside Odoo's own version_info route and plain Odoo creating the same order over
JSON-RPC; and its checks."""

import hashlib
import hmac
import json
import random
import secrets
import time

from . import webhook_server
from .data import SEED, channel_payload, external_ref, generate
from .world import bench_channel


def run_webhook(args, env, world, run):
    """The webhook part: answer times over HTTP, in turns with version_info and plain Odoo's JSON-RPC create;
    prints its lines, returns problems."""
    number = run + 4
    secret = secrets.token_hex(16)
    channel = bench_channel(env, world, number, "webhook", secret=secret)
    orders = generate(random.Random(SEED), args.webhook_orders, args.lines)[2]
    bodies = [json.dumps(channel_payload(order, number)).encode() for order in orders]
    refs = [external_ref(order, number) for order in orders]
    if len(set(bodies)) != len(bodies):
        return ["webhook: the generated bodies are not all distinct"]
    with webhook_server.OdooServer(args.config, args.database) as server:
        times, answers, problems, plain_calls = _send(args, server, world, (channel, number), orders, bodies, secret)
    log_problems = webhook_server.server_log_problems(server.log_lines())
    problems += webhook_server.answer_problems(answers, refs)
    env.cr.rollback()  # a new snapshot: what the server committed
    env.invalidate_all()
    problems += check_webhook(env, channel, refs, bodies[: len(times["webhook"])])
    _print_times(args, times, plain_calls)
    if log_problems:
        problems.append(
            f"webhook: {len(log_problems)} errors or warnings in the server log {server.log.name}, first:"
            f" {log_problems[0]}"
        )
    else:
        server.remove_log()
    if not problems:
        print(
            f"intake webhook: checked: {len(refs):,} bodies answered 200 and staged once each ({len(refs):,} distinct"
            " references, each body stored as sent, all To Import), none imported yet (no cron worker); server log"
            " clean; they stay staged for the import scheduled actions"
        )
    return problems


def _send(args, server, world, channel_number, orders, bodies, secret):
    """The signed bodies sent one at a time, in turns with version_info and plain Odoo's create over JSON-RPC
    (skipped when admin/admin cannot log in): (times, answers, problems, plain calls or None)."""
    channel, number = channel_number
    signatures = ["sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest() for body in bodies]
    session = webhook_server.http_session()
    started = time.perf_counter()
    server.wait_ready(session)
    print(
        f"intake webhook: Odoo HTTP server (threaded, no cron thread) on {server.url} ready in"
        f" {time.perf_counter() - started:.1f} s (untimed)"
    )
    uid = webhook_server.login(session, server.url, args.database, "admin", "admin")
    plain_calls = None
    if uid:
        plain_calls = [
            {
                "service": "object",
                "method": "execute_kw",
                "args": [args.database, uid, "admin", "sale.order", "create", [plain_vals(order, world, number)]],
            }
            for order in orders
        ]
    times, answers, problems = webhook_server.measure(
        server, session, channel.id, bodies, signatures, plain_calls, args.webhook_time_limit
    )
    session.close()
    return times, answers, problems, plain_calls


def _print_times(args, times, plain_calls):
    median, p95 = webhook_server.percentiles(times["webhook"])
    version_median, version_p95 = webhook_server.percentiles(times["version_info"])
    print(
        f"intake webhook: answered in median {median:.1f} ms, p95 {p95:.1f} ms on {len(times['webhook']):,} signed"
        f" bodies over HTTP, one at a time (stored and committed, imported later); Odoo's own"
        f" /web/webclient/version_info on the same server: median {version_median:.1f} ms, p95 {version_p95:.1f} ms"
        " (the server's floor, not the same job: no ratio)"
    )
    if plain_calls:
        plain_median, plain_p95 = webhook_server.percentiles(times["plain"])
        print(
            f"intake webhook: vs plain Odoo creating the same order as a quotation over JSON-RPC (sale.order create,"
            f" {args.lines} lines): median {plain_median:.1f} ms, p95 {plain_p95:.1f} ms (ratio of medians"
            f" {plain_median / median:.2f}, plain / webhook) in turns with the webhook"
        )
    else:
        print("intake webhook: plain Odoo's JSON-RPC create skipped: admin/admin cannot log in on this database")


def plain_vals(order, world, number):
    return {
        "partner_id": world["plain_partner"][order["customer"]["index"]],
        "pricelist_id": world["pricelists"][order["currency"]].id,
        "warehouse_id": world["warehouse"].id,
        "client_order_ref": f"B{number}-W{order['index']:06d}",
        "date_order": order["date"].strftime("%Y-%m-%d %H:%M:%S"),
        "order_line": [
            (
                0,
                0,
                {
                    "product_id": world["product_ids"][product["sku"]],
                    "product_uom_qty": quantity,
                    "price_unit": price,
                    "discount": 0.0,
                },
            )
            for product, quantity, price in order["lines"]
        ],
    }


def check_webhook(env, channel, refs, bodies):
    """One staging record per body sent, with its reference, the body as sent, To Import, received once."""
    staged = env["oms.channel.order"].search([("channel_id", "=", channel.id)])
    by_ref = {record.external_ref: record for record in staged}
    problems = []
    sent = dict(zip(refs, bodies, strict=False))
    if len(staged) != len(sent) or set(by_ref) != set(sent):
        problems.append(f"webhook: {len(staged)} staging records ({len(by_ref)} references) for {len(sent)} bodies")
    wrong = [
        ref
        for ref, body in sent.items()
        if ref in by_ref
        and (
            by_ref[ref].payload != body.decode()
            or by_ref[ref].source != "webhook"
            or by_ref[ref].receive_count != 1
            or by_ref[ref].state not in ("new", "imported")
        )
    ]
    if wrong:
        record = by_ref[wrong[0]]
        problems.append(
            f"webhook: {len(wrong)} staging records differ from the body sent (e.g. {wrong[0]}: state {record.state},"
            f" received {record.receive_count}, {record.error_message or ''})"
        )
    imported = staged.filtered(lambda record: record.state != "new")
    if imported:
        print(f"intake webhook: {len(imported)} staged orders already imported (a cron worker ran on this database)")
    return problems
