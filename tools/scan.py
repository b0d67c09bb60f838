"""``make scan``: two peer scanners against ``kiosk web`` on the demo data, on loopback.

wapiti (its offline modules) crawls and attacks every page; sqlmap attacks every form field
that reaches the database, each request with a fresh CSRF token (``--csrf-token``) and a
random ``X-Forwarded-For`` (the server trusts the loopback as its proxy, so that the
per-client throttles do not turn every answer into « Trop de tentatives »). Before serving,
the demo customer is registered and activated, and a reset code is accepted, so that the change
of password (a session) and the reset form (the reset code's cookie) are reachable too.

Both tools live in ``.venv-scan`` (wapiti pins its own httpx); nothing leaves the machine.
Prints one summary; exits 1 when wapiti reports anything above low or sqlmap an injection.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCAN_BIN = ROOT / ".venv-scan" / "bin"
KIOSK = [sys.executable, "-m", "kiosk"]

WAPITI_MODULES = (
    "backup,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,ldap,methods,"
    "permanentxss,redirect,shellshock,sql,timesql,upload,xss"
)
"""Every module that needs nothing outside this machine (not ssrf, xxe, log4shell: they call
an external endpoint; not nikto, wapp: they download their databases; not ssl: plain http)."""
WAPITI_LEVELS = {0: "info", 1: "low", 2: "medium", 3: "high", 4: "critical"}

KNOWN_FALSE_POSITIVES = {
    ("LDAP Injection", "/connexion", "email"): (
        "no LDAP anywhere; wapiti compares pages by hash, and an address holding a NUL gets "
        "« caractères non autorisés » where a malformed one gets « adresse e-mail valide » "
        "(SPEC §3's two messages): the two pages differ, which its heuristic reads as a "
        "filter that returned every entry"
    ),
    ("LDAP Injection", "/mot-de-passe-oublie", "email"): "the same as for /connexion",
    ("LDAP Injection", "/inscription", "q"): (
        "the same for the commune search: a query holding a NUL gets « commune_query_format », "
        "a query matching no commune gets the empty list"
    ),
}
"""Findings examined and explained, by (category, path, parameter): reported as such, not
counted above low. Anything else wapiti says counts."""

DEMO_EMAIL = "marie.dupont@example.fr"
DEMO_PASSWORD = "Ruisseau-42!"
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
ACCESS = re.compile(r"kiosk\.web\.access.*? (\d{3}) [\d.]+ms")
"""A line of the access log, its status."""


@dataclass
class Target:
    """One form (or query) whose fields sqlmap attacks."""

    name: str
    path: str
    fields: dict[str, str]
    attacked: list[str]
    cookie: str = ""
    form_page: str = ""
    """The page whose form holds the CSRF token (default: ``path``)."""
    method: str = "POST"


@dataclass
class Prepared:
    """What the forms behind a step need: a session, a reset code, two registrations."""

    session: str
    reset_code: str
    """Accepted, not used: the reset form's mismatched confirmation never uses it."""
    draft_at_identity: str
    draft_at_contract: str


@dataclass
class Findings:
    wapiti: list[str] = field(default_factory=list)
    wapiti_blocking: list[str] = field(default_factory=list)
    sqlmap: list[str] = field(default_factory=list)
    sqlmap_injections: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def latest_code(maildir: Path) -> str:
    """The code of the newest e-mail of the demo's maildir."""
    files = sorted((maildir / "new").iterdir(), key=lambda path: path.stat().st_mtime)
    message = email.message_from_bytes(files[-1].read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",))
    match = CODE.search(body.get_content() if body is not None else "")
    assert match is not None, "no code in the demo e-mail"
    return match.group(0)


async def prepare(environ: dict[str, str], data_dir: Path) -> Prepared:
    """Register and activate the demo customer, accept a reset code, and start two web
    registrations (one at its identity step, one at its contract step)."""
    from kiosk.config import ensure_secret_key, load_settings
    from kiosk.runtime import build_runtime, initialise_database
    from kiosk.services import RegistrationRequest

    settings = ensure_secret_key(load_settings(environ=environ, cwd=data_dir))
    runtime = build_runtime(settings)
    try:
        await initialise_database(runtime)
        services = runtime.services
        [velaux] = await services.communes.search("velaux")
        await services.registration.register(
            RegistrationRequest(
                velaux.id,
                "Dupont",
                "Marie",
                DEMO_EMAIL,
                DEMO_PASSWORD,
                DEMO_PASSWORD,
                "1234567",
                "A12B345678",
            )
        )
        await runtime.worker.deliver_all_due()
        activated = await services.redemption.redeem(latest_code(settings.resolved_maildir))
        assert activated.session is not None
        await services.password_reset.request(DEMO_EMAIL)
        await runtime.worker.deliver_all_due()
        reset = await services.redemption.redeem(latest_code(settings.resolved_maildir))
        assert reset.reset_code is not None
        at_identity = (await services.drafts.choose_commune(velaux.id)).token
        at_contract = (await services.drafts.choose_commune(velaux.id)).token
        assert at_identity is not None and at_contract is not None
        at_contract = await services.drafts.give_identity(
            at_contract,
            "Martin",
            "Paul",
            "paul.martin@example.fr",
            "Cascade-2025!",
            "Cascade-2025!",
        )
        return Prepared(activated.session.token, reset.reset_code, at_identity, at_contract)
    finally:
        await runtime.close()


def targets(prepared: Prepared, browser: str) -> list[Target]:
    email_fields = {"email": DEMO_EMAIL}
    return [
        Target(
            "sign-in",
            "/connexion",
            {**email_fields, "password": "Motdepasse1!"},
            ["email", "password"],
        ),
        Target("forgotten password", "/mot-de-passe-oublie", email_fields, ["email"]),
        Target(
            "typed code",
            "/code",
            {"step": "type", "code": "AB12-CD34-EF56"},
            ["code"],
            form_page="/code",
        ),
        Target("e-mailed link", "/code?c=AB12-CD34-EF56", {}, ["c"], method="GET"),
        Target(
            "change of password",
            "/mot-de-passe",
            {
                "current_password": "Faux#Mot2Passe",
                "password": "Nouveau*Mot2",
                "password_confirm": "x",
            },
            ["current_password", "password", "password_confirm"],
            cookie=f"{browser}; ec_session={prepared.session}",
        ),
        Target(
            "reset form",
            "/code",
            {"step": "reset", "password": "Nouveau*Mot2", "password_confirm": "x"},
            ["password", "password_confirm"],
            cookie=f"{browser}; ec_code={prepared.reset_code}",
        ),
        Target("commune search", "/inscription?q=velaux", {}, ["q"], method="GET"),
        Target(
            "commune choice",
            "/inscription/commune",
            {"commune": "1"},
            ["commune"],
            form_page="/inscription?q=velaux",
        ),
        Target(
            "registration identity",
            "/inscription/identite",
            {
                "last_name": "Martin",
                "first_name": "Paul",
                "email": "paul@example.fr",
                "password": "Cascade-2025!",
                "password_confirm": "Cascade-2025!",
            },
            ["last_name", "first_name", "email", "password", "password_confirm"],
            cookie=f"{browser}; ec_draft={prepared.draft_at_identity}",
        ),
        Target(
            "registration contract",
            "/inscription/contrat",
            {"contract": "1234567", "meter": "A12B345678"},
            ["contract", "meter"],
            cookie=f"{browser}; ec_draft={prepared.draft_at_contract}",
        ),
    ]


def wait_until_serving(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("scan: kiosk web stopped before serving (see its output above)")
        try:
            with urllib.request.urlopen(base + "/sante", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("scan: kiosk web did not answer /sante within 60 s")


def run_wapiti(base: str, out: Path, findings: Findings, max_minutes: int, cookie: str) -> None:
    report = out / "wapiti.json"
    command = [
        str(SCAN_BIN / "wapiti"), "-u", base + "/", "--scope", "folder",
        "-m", WAPITI_MODULES, "-f", "json", "-o", str(report),
        "--flush-session", "--max-scan-time", str(max_minutes * 60),
        "--max-attack-time", str(max_minutes * 60 // 4), "--verbose", "0",
        # Nothing leaves the machine: the modules that would call out are off, and the DNS
        # endpoint (out-of-band checks) is this machine.
        "--dns-endpoint", "localhost",
        # An authenticated crawl too (the dashboard, the change of password), kept signed in.
        "-C", cookie, "-x", base + "/deconnexion",
        "-s", base + "/tableau-de-bord", "-s", base + "/mot-de-passe",
    ]  # fmt: skip
    with (out / "wapiti.log").open("wb") as log:
        subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)
    if not report.exists():
        findings.wapiti_blocking.append(f"wapiti wrote no report (see {out / 'wapiti.log'})")
        return
    data = json.loads(report.read_text())
    for section in ("vulnerabilities", "anomalies"):
        for category, items in data.get(section, {}).items():
            for item in items:
                level = int(item.get("level", 0))
                line = (
                    f"[{WAPITI_LEVELS.get(level, level)}] {category}: {item.get('method')} "
                    f"{item.get('path')} {item.get('parameter') or ''} - {item.get('info')}"
                )
                known = KNOWN_FALSE_POSITIVES.get(
                    (category, str(item.get("path")), str(item.get("parameter") or ""))
                )
                if known is not None:
                    findings.wapiti.append(f"{line} -- known false positive: {known}")
                    continue
                findings.wapiti.append(line)
                if level >= 2 or section == "anomalies":
                    findings.wapiti_blocking.append(line)


def run_sqlmap(base: str, out: Path, target: Target, findings: Findings) -> None:
    from urllib.parse import urlencode

    command = [
        str(SCAN_BIN / "sqlmap"), "--batch", "--flush-session", "--disable-coloring",
        "--output-dir", str(out / "sqlmap"), "--level", "3", "--risk", "2",
        "--technique", "BEUS", "--tamper", "xforwardedfor", "-p", ",".join(target.attacked),
        "--answers", "follow=N",
    ]  # fmt: skip
    if target.method == "GET":
        command += ["-u", base + target.path]
    else:
        data = urlencode({"csrf_token": "x", **target.fields})
        command += [
            "-u", base + target.path, "--data", data, "--csrf-token", "csrf_token",
            "--csrf-url", base + (target.form_page or target.path),
        ]  # fmt: skip
    if target.cookie:
        command += ["--cookie", target.cookie]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    (out / f"sqlmap-{target.name.replace(' ', '-')}.log").write_text(result.stdout + result.stderr)
    injectable = re.findall(
        r"parameter '([^']+)' (?:is|appears to be) \S+ injectable", result.stdout
    )
    if "identified the following injection point" in result.stdout or injectable:
        findings.sqlmap_injections.append(f"{target.name}: injectable {sorted(set(injectable))}")
    elif "403 (Forbidden)" in result.stdout:
        findings.sqlmap_injections.append(f"{target.name}: refused by the CSRF check (403)")
    elif "do not appear to be injectable" in result.stdout:
        findings.sqlmap.append(f"{target.name} ({', '.join(target.attacked)}): not injectable")
    else:
        tail = result.stdout.strip().splitlines()[-1:] or ["no output"]
        findings.sqlmap_injections.append(f"{target.name}: sqlmap did not conclude: {tail[0]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="folder for the reports (default: a new one)")
    parser.add_argument("--minutes", type=int, default=6, help="wapiti's time budget")
    parser.add_argument("--skip-wapiti", action="store_true")
    parser.add_argument("--skip-sqlmap", action="store_true")
    args = parser.parse_args()
    for tool in ("wapiti", "sqlmap"):
        if not (SCAN_BIN / tool).exists():
            raise SystemExit(f"scan: {SCAN_BIN / tool} missing: run `make scan` (it installs it)")
    out: Path = args.out or Path(tempfile.mkdtemp(prefix="kiosk-scan-"))
    out.mkdir(parents=True, exist_ok=True)
    findings = Findings()
    with tempfile.TemporaryDirectory(prefix="kiosk-scan-data-") as folder:
        data_dir = Path(folder)
        port = free_port()
        environ = {
            "KIOSK_DATA_DIR": str(data_dir / "kiosk-data"),
            "KIOSK_WEB_LISTEN": f"127.0.0.1:{port}",
            "KIOSK_TRUSTED_PROXIES": "127.0.0.1",
            "KIOSK_KIOSK_ID": "scan",
            "KIOSK_LOG_LEVEL": "INFO",  # the access log: which answers the scanners got
        }
        prepared = asyncio.run(prepare(environ, data_dir))
        # Given a cookie, both tools keep none the server sets: the browser cookie (of which
        # every CSRF token is an HMAC) is given with it, or every POST would be a 403.
        browser = f"ec_browser={secrets.token_urlsafe(24)}"
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}, **environ}
        base = f"http://127.0.0.1:{port}"
        with (out / "kiosk-web.log").open("wb") as server_log:
            server = subprocess.Popen(
                [*KIOSK, "web"], env=env, cwd=data_dir, stdout=server_log, stderr=server_log
            )
            try:
                wait_until_serving(base, server)
                if not args.skip_wapiti:
                    run_wapiti(
                        base,
                        out,
                        findings,
                        args.minutes,
                        f"{browser}; ec_session={prepared.session}",
                    )
                if not args.skip_sqlmap:
                    for target in targets(prepared, browser):
                        run_sqlmap(base, out, target, findings)
            finally:
                server.terminate()
                server.wait(timeout=30)
    print(f"make scan: reports in {out}")
    statuses = Counter(ACCESS.findall((out / "kiosk-web.log").read_text(errors="replace")))
    print(
        "answers of kiosk web, by status: "
        + ", ".join(f"{status} x {count}" for status, count in sorted(statuses.items()))
    )
    print(f"wapiti ({len(findings.wapiti)} finding(s), modules {WAPITI_MODULES}):")
    for line in findings.wapiti or ["nothing reported"]:
        print("  " + line)
    print("sqlmap (techniques B, E, U, S; level 3, risk 2; fresh CSRF token per request):")
    for line in findings.sqlmap + findings.sqlmap_injections:
        print("  " + line)
    blocking = findings.wapiti_blocking + findings.sqlmap_injections
    print("verdict: " + ("FINDINGS ABOVE LOW" if blocking else "nothing above low"))
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
