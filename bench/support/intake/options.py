"""The intake benchmark's command line."""

import argparse

from .data import PRODUCT_COUNT
from .platform_orders import PLATFORMS

PARTS = ("pull", "drain", "webhook", "platform")


def parse_args(argv, description):
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--database", required=True, help="database with the OMS addons installed")
    _pull_options(parser)
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default: all)",
    )
    _drain_options(parser)
    _webhook_options(parser)
    parser.add_argument(
        "--platform",
        default="all",
        help=f"the platform part's platforms, comma-separated, of {', '.join(PLATFORMS)}, or all (default): "
        "--orders orders of each, served by its stand-in",
    )
    args = parser.parse_args(argv)
    _check(parser, args)
    args.parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    if not args.parts or set(args.parts) - set(PARTS):
        parser.error(f"--parts takes a comma-separated list of {', '.join(PARTS)}")
    platforms = [name.strip() for name in args.platform.split(",") if name.strip()]
    args.platforms = list(PLATFORMS) if platforms == ["all"] else platforms
    if not args.platforms or set(args.platforms) - set(PLATFORMS):
        parser.error(f"--platform takes all or a comma-separated list of {', '.join(PLATFORMS)}")
    return args


def _pull_options(parser):
    parser.add_argument("--orders", type=int, default=1000, help="orders per path (default 1000)")
    parser.add_argument("--lines", type=int, default=3, help="lines per order (default 3)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed orders per path first (default 5)")
    parser.add_argument(
        "--round",
        type=int,
        default=50,
        help="orders per round; the two paths alternate round by round (default 50, the import's batch size)",
    )
    parser.add_argument(
        "--min-ratio", type=float, default=0.0, help="exit non-zero when the ratio is below this (default: report only)"
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile both paths with cProfile (FILE for the OMS path, FILE.plain for plain Odoo) and print where "
        "the time goes; the throughput figures then include the profiler's overhead",
    )


def _drain_options(parser):
    parser.add_argument(
        "--drain-orders", type=int, default=2000, help="staged orders per path of the drain part (default 2000)"
    )
    parser.add_argument(
        "--drain-round",
        type=int,
        default=500,
        help="orders per drain round; one worker and two workers take turns round by round (default 500)",
    )
    parser.add_argument(
        "--drain-time-limit",
        type=int,
        default=1200,
        help="seconds a drain round may take before the run fails (default 1200)",
    )
    parser.add_argument(
        "--min-drain-ratio",
        type=float,
        default=0.0,
        help="exit non-zero when two workers are below this ratio to one (default: report only; goal 1.4)",
    )


def _webhook_options(parser):
    parser.add_argument(
        "--webhook-orders", type=int, default=1000, help="signed bodies POSTed to the webhook (default 1000)"
    )
    parser.add_argument(
        "--webhook-time-limit",
        type=int,
        default=900,
        help="seconds the webhook part may take to send its bodies before it fails (default 900)",
    )


def _check(parser, args):
    if args.orders < 1 or args.warmup < 0 or args.round < 1 or not 1 <= args.lines <= PRODUCT_COUNT:
        parser.error(f"--orders and --round must be positive, --warmup not negative, --lines 1 to {PRODUCT_COUNT}")
    if args.drain_orders < 1 or args.drain_round < 1 or args.webhook_orders < 1:
        parser.error("--drain-orders, --drain-round and --webhook-orders must be positive")
