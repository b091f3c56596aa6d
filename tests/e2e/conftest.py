"""Browser tests: Debian's Chromium driven by Playwright against the site on 127.0.0.1.

pytest-django's `live_server` serves the app from a thread in this process. Chromium is the
system package (`/usr/bin/chromium`); Playwright's own browser downloads are never used.
Screenshots of failing journeys land in `test-artifacts/`.
"""

import os
import shutil
from pathlib import Path

import pytest
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


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run first among the transactional tests: those flush the database without
    restoring what the migrations created, which the journeys' serialized rollback needs."""
    browser_tests = [item for item in items if _is_browser_test(item)]
    others = [item for item in items if not _is_browser_test(item)]
    first = next((i for i, item in enumerate(others) if _is_transactional(item)), len(others))
    items[:] = others[:first] + browser_tests + others[first:]
    _skip_without_a_browser(config, items)


def _skip_without_a_browser(config, items):
    if Path(CHROMIUM).exists() and AXE_JS.exists():
        return
    reason = f"browser tests need {CHROMIUM} and {AXE_JS} (CI installs both)"
    if os.environ.get("CI"):
        raise pytest.UsageError(reason)
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


def _is_browser_test(item) -> bool:
    return item is not None and "tests/e2e/" in str(item.fspath)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last browser test, leave the database as a plain transactional test would.

    Serialized rollback flushes without rerunning post-migrate (it restores the snapshot
    instead, before each browser test); the transactional tests that follow expect the
    content types and permissions post-migrate creates.
    """
    yield
    if _is_browser_test(item) and not _is_browser_test(nextitem):
        from django.contrib.contenttypes.models import ContentType
        from django.core.management import call_command
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            call_command("flush", interactive=False, reset_sequences=False, verbosity=0)
        ContentType.objects.clear_cache()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session", autouse=True)
def serialized_database(django_db_setup, django_db_blocker) -> str | None:
    """Make `serialized_rollback` dependable for the browser tests.

    Django keeps the post-migration snapshot on the connection object of the context that
    created the test database, but once Playwright's event loop runs the tests can see another
    connection object without it (then nothing is restored and the flush reruns post-migrate).
    So the snapshot goes on the connection class, where every connection object finds it.
    """
    from django.db import connections

    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        return None
    type(connection)._test_serialized_contents = contents
    return contents


@pytest.fixture(scope="session")
def browser(serialized_database):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server):
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
def phone_page(browser, live_server):
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
def demo(db):
    """The demo content, loaded afresh for each journey.

    Journeys are `transaction=True` tests (the browser talks to another thread), which flush
    the database afterwards; `serialized_rollback=True` on the journey restores what the
    migrations created (Wagtail's root page and Site, the Editors group) before this runs.
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


def go_to_first_free_week(page) -> None:
    """Until the picker shows a week with free times (demo hours are relative to today)."""
    wait_for_week(page)
    while page.locator(".slot").count() == 0:
        page.get_by_role("button", name="Show that week").click()
        wait_for_week(page)
