"""Webhook answer times over real HTTP: an Odoo HTTP server on the benchmark database in a subprocess (threaded,
no cron thread, so that what the webhook stores stays staged), signed bodies POSTed one at a time to
/oms/webhook/<channel id>, taking turns with Odoo's own /web/webclient/version_info and with plain Odoo creating
the same order as a quotation over its external JSON-RPC API. Used by the webhook part (webhook.py)."""

import http.cookiejar
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

READY_TIMEOUT = 180  # seconds for the server to load the registry and answer
REQUEST_TIMEOUT = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OdooServer:
    """``python -m odoo`` on 127.0.0.1 and a free port, its log in a file; stopped (terminated, then killed) on exit."""

    def __init__(self, config, database):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            config,
            "-d",
            database,
            "--http-port",
            str(self.port),
            "--http-interface",
            "127.0.0.1",
            "--max-cron-threads",
            "0",
            "--workers",
            "0",
            "--log-level",
            "warn",
        ]
        self.log = None
        self.process = None

    def __enter__(self):
        self.log = tempfile.NamedTemporaryFile(prefix="oms-bench-odoo-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def __exit__(self, *_exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def wait_ready(self, session):
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Odoo server exited with code {self.process.returncode}: {self.log_tail()}")
            try:
                if session.post(f"{self.url}/web/webclient/version_info", json=_rpc({}), timeout=5).ok:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the Odoo server did not answer within {READY_TIMEOUT} s: {self.log_tail()}")

    def log_lines(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as log:
            return log.read().splitlines()

    def log_tail(self, count=5):
        return " | ".join(self.log_lines()[-count:])

    def remove_log(self):
        os.unlink(self.log.name)


def _rpc(params, call_id=1):
    return {"jsonrpc": "2.0", "method": "call", "params": params, "id": call_id}


def http_session():
    """A requests session that keeps its connection and sends no cookie, as a channel's sender does."""
    import requests

    session = requests.Session()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return session


def measure(server, session, channel_id, bodies, signatures, plain_calls, time_limit):
    """POST every body (with its signature) to the webhook, in turns with a version_info call and, when
    plain_calls is given, a JSON-RPC sale.order create. Returns {kind: [ms]}, {kind: [answers]} and problems."""
    webhook_url = f"{server.url}/oms/webhook/{channel_id}"
    version_url = f"{server.url}/web/webclient/version_info"
    rpc_url = f"{server.url}/jsonrpc"

    def webhook(index):
        headers = {"Content-Type": "application/json", "X-OMS-Signature": signatures[index]}
        return session.post(webhook_url, data=bodies[index], headers=headers, timeout=REQUEST_TIMEOUT)

    def version(index):
        return session.post(version_url, json=_rpc({}, index), timeout=REQUEST_TIMEOUT)

    def plain(index):
        return session.post(rpc_url, json=_rpc(plain_calls[index], index), timeout=REQUEST_TIMEOUT)

    kinds = [("webhook", webhook), ("version_info", version)]
    if plain_calls:
        kinds.append(("plain", plain))
    times = {kind: [] for kind, _call in kinds}
    answers = {kind: [] for kind, _call in kinds}
    problems = []
    deadline = time.monotonic() + time_limit
    for index in range(len(bodies)):
        if time.monotonic() > deadline:
            problems.append(f"webhook: time limit of {time_limit} s reached after {index} bodies")
            break
        turn = index % len(kinds)
        for kind, call in kinds[turn:] + kinds[:turn]:  # each kind first in its turn
            start = time.perf_counter()
            response = call(index)
            content = response.content
            times[kind].append(1000 * (time.perf_counter() - start))
            answers[kind].append((response.status_code, content))
    return times, answers, problems


def answer_problems(answers, expected_refs):
    """What is wrong with the answers: webhook 200 with the reference and state "new", the others a result."""
    problems = []
    wrong = []
    for (status, content), ref in zip(answers["webhook"], expected_refs, strict=False):
        try:
            data = json.loads(content)
        except ValueError:
            data = None
        if status != 200 or data != {"reference": ref, "state": "new", "error": None}:
            wrong.append(f"{status} {content[:150]!r}")
    if wrong:
        problems.append(f"webhook: {len(wrong)} answers not 200 with the order staged, e.g. {wrong[0]}")
    for kind in ("version_info", "plain"):
        failed = []
        for status, content in answers.get(kind, []):
            try:
                data = json.loads(content)
            except ValueError:
                data = {}
            if status != 200 or "result" not in data:
                failed.append(f"{status} {content[:200]!r}")
        if failed:
            problems.append(f"webhook: {len(failed)} {kind} calls failed, e.g. {failed[0]}")
    return problems


def percentiles(times):
    """(median, 95th percentile) in ms."""
    if len(times) < 2:
        return (times[0], times[0]) if times else (0.0, 0.0)
    return statistics.median(times), statistics.quantiles(times, n=20, method="inclusive")[-1]


def login(session, url, database, user, password):
    """The uid of user on the server's external API, or None."""
    answer = session.post(
        f"{url}/jsonrpc",
        json=_rpc({"service": "common", "method": "login", "args": [database, user, password]}),
        timeout=REQUEST_TIMEOUT,
    ).json()
    return answer.get("result") or None


def server_log_problems(lines):
    """Lines of the server log that are errors or warnings (Odoo's 'running as root' notice aside)."""
    return [
        line
        for line in lines
        if (" ERROR " in line or " WARNING " in line or " CRITICAL " in line or "Traceback" in line)
        and "Running as user 'root'" not in line
    ]
