"""A partner value written as markup is shown in Data Docs as text and runs nothing, in offline headless Chromium; the
same value put into the page raw would run, so the test can tell."""

from __future__ import annotations

import shutil
from html import escape

import pytest

from tests.browser import offline_page, open_for_payloads
from tests.helpers import make_hub
from tests.quality.test_police_suite import FORCE, HEADER
from warehouse.report_assets import UnrecognisedInlineScript, make_offline

# Each payload sets a marker the page can be asked for; a crime type the category map does not know, so GX lists it
# among the unexpected values of the police suite's page.
PAYLOADS = ("<script>window.hubXss=1</script>", "<img src=nowhere onerror=window.hubXss=2>")
CSP_META = '<meta http-equiv="Content-Security-Policy"'


@pytest.fixture(scope="module")
def data_docs(tmp_path_factory, real_dir, hub_template):
    hub = make_hub(tmp_path_factory.mktemp("hostile"), hub_template)
    hub.ingest("police", real_dir / "police_street" / "2016-12-greater-manchester-street_partial.csv")
    hostile = hub.paths.incoming / "hostile.csv"
    rows = [f"h{i},2017-01,{FORCE},{FORCE},-2.46,53.62,On or near X,E01004768,Bolton 001A,{p},," for i, p in enumerate(PAYLOADS)]
    hostile.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    hub.ingest("police", hostile)
    hub.build()
    report = hub.check()
    (page,) = [p for p in (hub.paths.data_docs / "validations").rglob("*.html") if "hubXss" in p.read_text(encoding="utf-8")]
    return hub, report, page



def test_hostile_values_show_as_text_and_run_nothing(data_docs):
    _, _, page = data_docs
    html = page.read_text(encoding="utf-8")
    assert all(payload not in html for payload in PAYLOADS)
    assert CSP_META in html
    marker, text, console = open_for_payloads(page)
    assert marker is None
    assert all(payload in text for payload in PAYLOADS)  # the reader sees what the partner sent
    assert not [line for line in console if "Content Security Policy" in line], console  # GX's own code all ran


def test_the_same_values_put_in_raw_would_run_and_the_policy_alone_stops_them(data_docs):
    _, _, page = data_docs
    html = page.read_text(encoding="utf-8")
    raw = html
    for payload in PAYLOADS:
        raw = raw.replace(escape(payload), payload)
    without_policy = page.with_name("raw-without-policy.html")
    without_policy.write_text(raw.replace(CSP_META, "<meta data-policy-removed"), encoding="utf-8")
    with_policy = page.with_name("raw-with-policy.html")
    with_policy.write_text(raw, encoding="utf-8")
    try:
        assert open_for_payloads(without_policy)[0] in (1, 2)
        marker, _, console = open_for_payloads(with_policy)
        assert marker is None
        assert [line for line in console if "Content Security Policy" in line]
    finally:
        without_policy.unlink()
        with_policy.unlink()


def test_a_page_with_inline_code_gx_does_not_write_is_not_published(data_docs, tmp_path):
    hub, _, page = data_docs
    site = tmp_path / "site"
    shutil.copytree(hub.paths.data_docs, site)
    copy = site / page.relative_to(hub.paths.data_docs)
    copy.write_text(copy.read_text(encoding="utf-8").replace(escape(PAYLOADS[0]), PAYLOADS[0]), encoding="utf-8")
    with pytest.raises(UnrecognisedInlineScript, match="hubXss"):
        make_offline(site)


def test_the_index_and_every_page_work_under_their_policy(data_docs):
    hub, report, _ = data_docs
    attempted: list[str] = []
    console: list[str] = []
    with offline_page(attempted) as page:
        page.on("console", lambda message: console.append(message.text))
        page.goto(report.data_docs_index.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("document.querySelectorAll('.bootstrap-table tbody tr').length") > 0
        validation = next((hub.paths.data_docs / "validations").rglob("*.html"))
        page.goto(validation.as_uri())
        page.wait_for_load_state("load")
        # GX's own click handler, allowed by its hash: a blocked one would say so on the console
        page.evaluate("document.querySelector(\"[onclick='hideSucceededValidations()']\").click()")
    assert attempted == []
    assert not [line for line in console if "Content Security Policy" in line], console
