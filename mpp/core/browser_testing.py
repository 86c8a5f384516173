"""Shared tooling for end-to-end tests in headless Chromium (a pytest plugin).

Debian's Chromium is driven through Playwright's sync API; pages are checked with axe-core
(shipped inside axe-playwright-python, nothing is fetched). Loaded by the root conftest.py.
Set MPP_SHOTS=/some/dir to save phone and desktop screenshots while developing.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Apply to a test module: pytestmark = BROWSER_MARKS
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian chromium not installed (CI installs it)"
    ),
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run; each test opens its own context."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM must stay usable
    # (also while the database is flushed after each test). Restored afterwards so that
    # subprocesses started by other tests don't inherit it.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser, viewport=PHONE):
    """A page in a fresh context (no cookies) with an Indonesian browser locale."""
    return browser.new_context(viewport=viewport, locale="id-ID").new_page()


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


def shot(page, name: str) -> None:
    """Save a full-page screenshot (and 1000 px slices) when MPP_SHOTS names a directory."""
    if not os.environ.get("MPP_SHOTS"):
        return
    shots = Path(os.environ["MPP_SHOTS"])
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    width, height = page.evaluate("[innerWidth, document.documentElement.scrollHeight]")
    for n, top in enumerate(range(0, height, 1000)):
        clip = {"x": 0, "y": top, "width": width, "height": min(1000, height - top)}
        page.screenshot(path=str(shots / f"{name}-{n}.png"), full_page=True, clip=clip)


def serious_violations(page) -> list[str]:
    """axe-core violations of impact serious or critical on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def unlabelled_inputs(page) -> list[str]:
    """Names of form controls that have neither a <label> nor an aria-label."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
              .map(el => el.name || el.id)"""
    )
