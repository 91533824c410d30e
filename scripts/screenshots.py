"""Screenshots of the main pages at 1366 px and 390 px wide, into docs/screenshots/ (`make screenshots`).

Makes a temporary SQLite database, loads the demo, serves it with the development server on a free loopback
port and drives Debian's chromium through Playwright: the dashboard, the access groups, a group's edit
preview with its permission diff, the stores, a shopper profile as the CS agent, and the audit log.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "demo-pass-2026"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
# Long pages are cut at this height: enough to show the page, small enough to keep the PNGs small.
MAX_HEIGHT = {"desktop": 1500, "phone": 2200}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DevServer:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'screens.sqlite3'}", "DJANGO_DEBUG": "1",
                    "LOG_LEVEL": "ERROR", "TASKS_SQLITE_PATH": str(workdir / "tasks.sqlite3")}
        self.env.pop("REDIS_URL", None)
        self.env.pop("TASKS_REDIS_URL", None)
        self.log = workdir / "server.log"
        self.process = None

    def manage(self, *args: str) -> None:
        out = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{out.stdout}{out.stderr}")

    def start(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("seed_demo")
        log = open(self.log, "w")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen([PYTHON, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
                                        cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise SystemExit(f"the server did not start; see {self.log}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


def sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def shoot(page, out: Path, name: str, kind: str) -> Path:
    page.wait_for_load_state("networkidle")
    width = page.viewport_size["width"]
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[kind])
    target = out / f"{name}-{width}.png"
    page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
    return target


def group_preview(page, base: str) -> None:
    """Opens the edit page of acme's WeChat group, changes two cells, and shows the preview with the diff."""
    page.goto(f"{base}/groups/")
    page.get_by_role("link", name="WeChat", exact=True).first.click()
    page.wait_for_load_state("load")
    page.goto(page.url.rstrip("/") + "/edit/")
    boxes = page.locator("form input[type=checkbox][name^=cell]")
    for i in (0, 3):
        boxes.nth(i).click()
    page.get_by_role("button", name="Preview changes").click()
    page.wait_for_load_state("load")


def first_profile(page, base: str) -> None:
    page.goto(f"{base}/shoppers/")
    page.locator("main table tbody a").first.click()
    page.wait_for_load_state("load")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="accessadmin-screens-"))
    server = DevServer(workdir)
    written = []
    try:
        server.start()
        base = server.base
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for kind, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.set_default_timeout(20_000)
                sign_in(page, base, "acme-admin")
                written.append(shoot(page, out, "dashboard", kind))
                page.goto(f"{base}/groups/")
                written.append(shoot(page, out, "group-list", kind))
                group_preview(page, base)
                written.append(shoot(page, out, "group-edit-diff", kind))
                page.goto(f"{base}/stores/")
                written.append(shoot(page, out, "store-list", kind))
                page.goto(f"{base}/audit/")
                written.append(shoot(page, out, "audit-log", kind))
                sign_in(page, base, "acme-csr")
                first_profile(page, base)
                written.append(shoot(page, out, "profile-csr", kind))
                context.close()
            browser.close()
    finally:
        server.stop()
    shutil.rmtree(workdir, ignore_errors=True)
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
