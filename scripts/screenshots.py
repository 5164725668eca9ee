"""The README's screenshots: the main screens of the demo database, as each role
sees them, in English and in Chinese, in headless Chromium at 1440x900.

Run through scripts/screenshots.sh (`make screenshots`), which prepares the demo
database and serves it; this script only drives the browser. Each demo user's
language is set for the shots and put back afterwards.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from datetime import date

import websocket

WIDTH, HEIGHT = 1440, 900
LANGS = {"en": "en_US", "zh": "zh_CN"}
# the page has finished drawing: no request running, no dialog animating
READY = (
    "!document.querySelector("
    "'.o_loading_indicator, .o_blockUI, .modal.fade:not(.show)')"
)


class Rpc:
    """JSON-RPC to the served database, as one user."""

    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.uid = self._call("common", "login", db, login, login)
        if not self.uid:
            raise SystemExit(f"[screenshots] cannot log in as {login} on {db}")

    def _call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
        }
        request = urllib.request.Request(
            self.url + "/jsonrpc",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.loads(response.read())
        if "error" in answer:
            raise SystemExit(
                f"[screenshots] {method}: {answer['error']['data']['message']}"
            )
        return answer["result"]

    def __call__(self, model, method, *args, **kwargs):
        return self._call(
            "object",
            "execute_kw",
            self.db,
            self.uid,
            self.login,
            model,
            method,
            list(args),
            kwargs,
        )


class Browser:
    """One headless Chromium, driven over the DevTools protocol."""

    def __init__(self, chromium, url, db):
        self.url, self.db = url, db
        self.profile = tempfile.mkdtemp(prefix="srt-shots-")
        port = 9400 + os.getpid() % 500
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # the web client shows times in the browser's zone: the seed
            # company's people are in Shanghai
            env={**os.environ, "TZ": "Asia/Shanghai"},
        )
        tabs = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as res:
                    tabs = json.loads(res.read())
                break
            except OSError:
                time.sleep(0.2)
        if tabs is None:
            self.close()
            raise SystemExit(f"[screenshots] {chromium} did not start")
        page = next(tab for tab in tabs if tab["type"] == "page")
        self.socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=120
        )
        self.sequence = 0
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.cdp("Network.enable")
        self.cdp("Page.enable")

    def cdp(self, method, **params):
        self.sequence += 1
        self.socket.send(
            json.dumps({"id": self.sequence, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.sequence:
                if "error" in message:
                    raise SystemExit(f"[screenshots] {method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.cdp(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        return result.get("result", {}).get("value")

    def wait(self, selector, what, timeout=60):
        """Until an element matches the CSS selector and the page is still."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = f"!!document.querySelector({json.dumps(selector)})"
            if self.evaluate(f"{found} && {READY}"):
                return
            time.sleep(0.3)
        failed = os.path.join(tempfile.gettempdir(), "srt-screenshot-failed.png")
        self.save(failed)
        raise SystemExit(
            f"[screenshots] timed out waiting for {what} at "
            f"{self.evaluate('location.href')} (the page: {failed})"
        )

    def log_in(self, login):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": self.db, "login": login, "password": login},
        }
        request = urllib.request.Request(
            self.url + "/web/session/authenticate",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
        session = next(
            (c.split(";")[0].split("=", 1)[1] for c in cookies if "session_id=" in c),
            None,
        )
        if not session:
            raise SystemExit(f"[screenshots] no session for {login}")
        self.cdp("Network.clearBrowserCookies")
        self.cdp("Network.setCookie", name="session_id", value=session, url=self.url)

    def open(self, path, ready, what):
        self.cdp("Page.navigate", url=self.url + path)
        time.sleep(0.5)
        self.wait(ready, what)

    def do_action(self, action, ready, what):
        # what Odoo's button call adds to an action returned by a method
        action.setdefault(
            "views", [[False, mode] for mode in action["view_mode"].split(",")]
        )
        self.evaluate(
            "odoo.__WOWL_DEBUG__.root.env.services.action.doAction("
            f"{json.dumps(action)}).then(() => true)"
        )
        self.wait(ready, what)

    def scroll_to(self, selector):
        """Bring the first element matching the selector to the top of its pane."""
        self.evaluate(
            f"document.querySelector({json.dumps(selector)})"
            ".scrollIntoView({block: 'start'})"
        )

    def save(self, path):
        time.sleep(1.0)  # let the last animation end
        data = self.cdp("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as image:
            image.write(base64.b64decode(data))
        print(f"[screenshots] {path}")

    def close(self):
        try:
            self.process.kill()
            self.process.wait(timeout=10)
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def current_target(rpc, domain, metric="collected"):
    today = date.today().isoformat()
    found = rpc(
        "sale.target",
        "search_read",
        [
            *domain,
            ("metric", "=", metric),
            ("date_from", "<=", today),
            ("date_to", ">=", today),
            ("state", "!=", "closed"),
        ],
        fields=["id"],
        order="date_from desc, id",
        limit=1,
    )
    if not found:
        raise SystemExit(f"[screenshots] no current {metric} target for {domain}")
    return found[0]["id"]


def previewed_allocation(rpc, target_id, lang, values=None):
    """The allocation wizard of a target, previewed in the user's language (as
    the web client would), as an action to open."""
    context = {"lang": lang}
    action = rpc("sale.target", "action_allocate", [target_id], context=context)
    if values:
        rpc(action["res_model"], "write", [action["res_id"]], values, context=context)
    return rpc(
        action["res_model"], "action_preview", [action["res_id"]], context=context
    )


# a salesperson of growing customers: actions overdue, due this week and done
# (Lao Wang's stable buyers are due twice a year, his board is mostly "later")
SALESPERSON = "heping"
LIST = ".o_list_renderer .o_data_row, .o_list_renderer .o_group_header"
KANBAN = ".o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost)"
WAR_ROOM = ".o_srt_war_room .o_srt_war_scope"
DIALOG_LINES = ".modal .o_form_view .o_data_row"
# the preview's warnings, then its lines
PREVIEW_TOP = ".modal .o_form_view .alert, .modal .o_form_view .o_field_one2many"


FORECAST_TAB = "document.querySelector('.o_notebook .nav-link[name=forecast]').click()"


def forecast_shot(browser, target_id, path):
    """A target's form on its Forecast tab, scrolled to it."""
    browser.open(
        f"/odoo/action-sale_regional_target.sale_target_action/{target_id}",
        ".o_form_view .o_notebook",
        f"target {target_id}",
    )
    browser.evaluate(FORECAST_TAB)
    browser.wait(".o_srt_forecast_weeks", "its forecast")
    browser.scroll_to(".o_notebook")
    browser.save(path)


def review_of(manager, region_id):
    """The latest monthly review of the manager's region (the demo prepares
    last month's; prepared here when the database predates it)."""
    found = manager(
        "sale.target.review",
        "search_read",
        [
            ("level", "=", "region"),
            ("region_id", "=", region_id),
            ("period", "=", "month"),
        ],
        fields=["id"],
        order="date_to desc",
        limit=1,
    )
    if found:
        return found[0]["id"]
    wizard = manager(
        "sale.target.review.prepare",
        "create",
        {"level": "region", "region_id": region_id, "period": "month"},
    )
    action = manager("sale.target.review.prepare", "action_prepare", [wizard])
    return action["res_id"]


def download(url, db, login, path):
    """``path`` fetched from the server as ``login`` (demo password = login)."""
    jar = urllib.request.HTTPCookieProcessor()
    opener = urllib.request.build_opener(jar)
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"db": db, "login": login, "password": login},
    }
    opener.open(
        urllib.request.Request(
            url + "/web/session/authenticate",
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        ),
        timeout=120,
    ).read()
    with opener.open(url + path, timeout=300) as response:
        return response.read()


def pdf_first_page(pdf, png):
    """The first page of ``pdf`` (bytes) as ``png``, 110 dpi."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "110",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                handle.name,
                png[: -len(".png")],
            ],
            check=True,
        )
    print(f"[screenshots] {png}")


def shots(url, db, out, chromium):
    admin = Rpc(url, db, "admin")
    director = Rpc(url, db, "director")
    manager = Rpc(url, db, "east_manager")
    logins = ["director", "east_manager", "chenjie", "laowang", SALESPERSON]
    users = admin(
        "res.users",
        "search_read",
        [("login", "in", logins)],
        fields=["login", "lang"],
    )
    if len(users) != len(logins):
        raise SystemExit("[screenshots] the demo users are missing: run `make demo`")
    company_target = current_target(director, [("level", "=", "company")])
    company_revenue = current_target(director, [("level", "=", "company")], "revenue")
    east_manager_uid = manager.uid
    region_target = current_target(
        manager,
        [("level", "=", "region"), ("region_id.manager_id", "=", east_manager_uid)],
    )
    # the warning escalated furthest in the manager's scope (theirs first)
    found = manager(
        "sale.target.warning",
        "search_read",
        [("state", "=", "open")],
        fields=["id", "responsible_id"],
        order="level desc, id",
    )
    found.sort(key=lambda w: (w["responsible_id"] or [0])[0] != east_manager_uid)
    if not found:
        raise SystemExit("[screenshots] the East manager has no open lag warning")
    escalated = found[0]["id"]
    east_region = manager("sale.target", "read", [region_target], fields=["region_id"])[
        0
    ]["region_id"][0]
    review = review_of(manager, east_region)
    # wkhtmltopdf fetches the report's styles from this server
    params = "ir.config_parameter"
    report_url = admin(params, "get_param", "report.url")
    admin(params, "set_param", "report.url", url)
    browser = Browser(chromium, url, db)
    try:
        for suffix, lang in LANGS.items():
            admin("res.users", "write", [u["id"] for u in users], {"lang": lang})

            def name(screen, suffix=suffix):
                return os.path.join(out, f"{screen}_{suffix}.png")

            browser.log_in("director")
            browser.open(
                "/odoo/action-sale_regional_target.action_sale_target_war_room",
                WAR_ROOM,
                "the director's war room",
            )
            browser.save(name("war_room"))
            browser.scroll_to(".o_srt_war_completion")
            browser.save(name("war_room_panels"))
            browser.open("/odoo", LIST, "the director's targets")
            # open the company and region groups, as a director would
            browser.evaluate("document.querySelectorAll('.o_group_header')[1].click()")
            browser.wait(".o_data_row", "the region targets")
            browser.evaluate("document.querySelectorAll('.o_group_header')[0].click()")
            browser.wait(".o_group_header + .o_data_row", "the company targets")
            browser.save(name("targets_by_level"))
            browser.do_action(
                previewed_allocation(director, company_target, lang, {"cascade": True}),
                DIALOG_LINES,
                "the allocation preview",
            )
            browser.scroll_to(PREVIEW_TOP)
            browser.save(name("allocation_preview"))
            browser.open(
                f"/odoo/action-sale_regional_target.sale_target_action/{region_target}",
                ".o_form_view .o_field_widget",
                "a region target",
            )
            browser.save(name("target_form"))
            forecast_shot(browser, company_revenue, name("forecast"))
            browser.open(
                "/odoo/action-sale_regional_target.action_sale_target_forecast_accuracy",
                LIST,
                "the forecast accuracy",
            )
            browser.save(name("forecast_accuracy"))
            browser.open(
                "/odoo/action-sale_regional_target.sale_target_settings_action",
                ".o_form_view .o_field_widget",
                "the settings",
            )
            browser.save(name("settings"))

            browser.log_in("east_manager")
            browser.open(
                "/odoo/action-sale_regional_target.action_sale_target_war_room",
                WAR_ROOM,
                "the manager's war room",
            )
            browser.save(name("war_room_region"))
            browser.open("/odoo", LIST, "the manager's targets")
            browser.do_action(
                previewed_allocation(manager, region_target, lang),
                DIALOG_LINES,
                "the split among teams",
            )
            browser.scroll_to(PREVIEW_TOP)
            browser.save(name("split_among_teams"))
            forecast_shot(browser, region_target, name("forecast_region"))
            browser.open(
                "/odoo/action-sale_regional_target.sale_target_warning_action",
                LIST,
                "the lag warnings",
            )
            browser.save(name("lag_warnings"))
            browser.open(
                "/odoo/action-sale_regional_target.sale_target_warning_action/"
                f"{escalated}",
                ".o_form_view .o_field_widget",
                "an escalated lag warning",
            )
            browser.save(name("lag_warning_form"))
            browser.open(
                f"/odoo/action-sale_regional_target.sale_target_review_action/{review}",
                ".o_form_view .o_field_widget",
                "the region's review",
            )
            browser.save(name("review_form"))
            pdf_first_page(
                download(
                    url,
                    db,
                    "east_manager",
                    f"/report/pdf/sale_regional_target.report_sale_target_review/{review}",
                ),
                name("review_pdf"),
            )

            browser.log_in("chenjie")
            browser.open(
                "/odoo/action-sale_regional_target.action_sale_target_war_room",
                WAR_ROOM,
                "the team leader's war room",
            )
            browser.save(name("war_room_team"))

            # a salesperson with a confirmed target of the year
            browser.log_in("laowang")
            browser.open(
                "/odoo/action-sale_regional_target.action_sale_target_war_room",
                WAR_ROOM,
                "the salesperson's war room",
            )
            browser.save(name("war_room_salesperson"))

            browser.log_in(SALESPERSON)
            browser.open("/odoo", KANBAN, "the action plan")
            browser.save(name("action_plan"))

            browser.open(
                "/odoo/action-sale_regional_target.action_customers_board",
                KANBAN,
                "the customers board",
            )
            browser.save(name("customers_board"))
    finally:
        browser.close()
        admin(params, "set_param", "report.url", report_url or False)
        for user in users:
            admin("res.users", "write", [user["id"]], {"lang": user["lang"]})


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    shots(args.url.rstrip("/"), args.db, args.out, args.chromium)


if __name__ == "__main__":
    main()
