"""Headless Debian Chromium with the network cut off: only file:// pages and their files may load."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
OFFLINE_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--allow-file-access-from-files",  # so a test can read the rules of a file:// stylesheet it checks
]


@contextmanager
def offline_page(attempted_network: list[str]):
    """A page whose every non-file request is refused and recorded in `attempted_network`."""
    assert Path(CHROMIUM).exists(), f"browser tests need Debian's chromium at {CHROMIUM} (.ci/run installs it)"

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted_network.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=OFFLINE_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", guard)
            page: Page = context.new_page()
            yield page
        finally:
            browser.close()


def stylesheets_loaded(page: Page) -> list[tuple[str, int]]:
    """Each stylesheet the page links to, with the number of rules that actually loaded (0 = failed)."""
    return page.evaluate("""() => [...document.styleSheets].filter(sheet => sheet.href).map(sheet => {
        let rules = 0; try { rules = sheet.cssRules.length } catch (e) { rules = -1 }
        return [sheet.href, rules]
    })""")


def open_for_payloads(page_path: Path, settle_ms: int = 300) -> tuple[object, str, list[str]]:
    """(window.hubXss, the page's visible text, what the console said) after loading the page offline. The hostile
    values the tests plant set window.hubXss if they run; settle_ms gives an onerror payload time to fire once its
    image has failed (and dbt's page time to build itself)."""
    attempted: list[str] = []
    console: list[str] = []
    with offline_page(attempted) as page:
        page.on("console", lambda message: console.append(message.text))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(settle_ms)
        marker, text = page.evaluate("window.hubXss"), page.inner_text("body")
    assert attempted == []
    return marker, text, console
