"""Browser tests: Debian's Chromium driven by Playwright against the site on 127.0.0.1.

pytest-django's `live_server` serves the app from a thread in this process. Chromium is the
system package (`/usr/bin/chromium`); Playwright's own browser downloads are never used.
Screenshots of failing journeys land in `test-artifacts/`.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Without Chromium or axe-core the browser tests are skipped, or the run fails under CI.

    They run one after another in one xdist worker (timed journeys miss their waits when two
    share the 2 cores with a live server each): `pytest_xdist_make_scheduler` in
    tests/conftest.py groups this folder by its path. (xdist's own `xdist_group` mark does not
    on pytest 9.2: pytest-xdist#1386.)"""
    browser_items = [item for item in items if item.path.is_relative_to(HERE)]
    if Path(CHROMIUM).exists() and AXE_JS.exists():
        return
    reason = f"browser tests need {CHROMIUM} and {AXE_JS} (CI installs both)"
    if os.environ.get("CI"):
        raise pytest.UsageError(reason)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site_on_live_server(settings, live_server):
    """Links in emails use SITE_URL (the site's real address): here, the live server's."""
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url


@pytest.fixture
def page(request, browser, live_server, site_on_live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    blocked = watch_content_security_policy(page)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not blocked, f"the Content Security Policy blocked: {blocked}"


def watch_content_security_policy(page) -> list[str]:
    """Collect what the site's Content Security Policy blocked (Chromium reports it on the console)."""
    blocked = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            blocked.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return blocked


@pytest.fixture
def phone_page(browser, live_server, site_on_live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    yield page
    context.close()


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core in the page; return the serious and critical violations, described."""
    # Evaluated through the DevTools protocol: an injected <script> would be an inline script,
    # which the site's Content Security Policy blocks.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


# --- shared steps for the journeys ----------------------------------------------------------

DEMO_PASSWORD = "medpath-demo"


@pytest.fixture
def demo(transactional_db):
    """The demo content, loaded afresh for each journey.

    Journeys are `transaction=True` tests (the browser talks to another thread), and the
    database is flushed after each; tests/conftest.py then puts back what the migrations wrote
    (Wagtail's root page and Site, the Editors group), so each journey starts from there.
    """
    from django.core.management import call_command

    call_command("load_demo", force=True, quiet_logins=True)


def log_in(page, email: str, password: str = DEMO_PASSWORD, *, next_path: str = "") -> None:
    page.goto("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


# --- the slot picker ------------------------------------------------------------------------


def wait_for_week(page) -> None:
    """Until the picker has shown a week (with times, or saying it has none)."""
    expect(page.locator("[data-slots-status]")).to_contain_text("this week")


# "Show that week" jumps straight to the week of the next free time, so one jump should do;
# the others cover a page that had not finished loading the week it jumped to.
MAX_WEEK_JUMPS = 5


def go_to_first_free_week(page) -> None:
    """Until the picker shows a week with free times (demo hours are relative to today)."""
    wait_for_week(page)
    for _ in range(MAX_WEEK_JUMPS):
        if page.locator(".slot").count():
            return
        try:
            page.get_by_role("button", name="Show that week").click()
        except PlaywrightTimeoutError:
            break
        wait_for_week(page)
    if not page.locator(".slot").count():
        pytest.fail(
            f"the slot picker showed no free time within {MAX_WEEK_JUMPS} jumps to the next free "
            f"week; it says {page.locator('[data-slots-status]').inner_text()!r} and "
            f"{page.locator('[data-next-free-text]').inner_text()!r}"
        )
