"""Make GX's Data Docs safe to open: partner values shown as text, never as markup, on a closed network.

GX renders the values a partner sent (unexpected values, observed values, sample rows) into the pages without
escaping them, so a crime type of `<script>...</script>` would run in the reader's browser. `escape_partner_values`
HTML-escapes every value in the stored validation results before the site is built; where GX does escape a value,
the reader sees it escaped twice (`&lt;`), which is safe and still legible. Each page then carries a
Content-Security-Policy allowing only the inline code GX's templates write.

The styles and scripts the pages load are shipped beside them. GX's Data Docs pages load Bootstrap, jQuery, vega and Font Awesome from public CDNs. Each address is mapped to
the same file from an npm package locked in assets/package-lock.json (`make` installs them); the files are
copied under the report's static/vendor/ and every page is rewritten to load them by relative path. An address
this map does not know makes `make_offline` fail, so a GX upgrade cannot quietly bring a CDN back.
"""

from __future__ import annotations

import os
import re
import shutil
from html import escape
from pathlib import Path

from warehouse.content_policy import inline_code, policy, with_policy
from warehouse.paths import PROJECT_DIR

NODE_MODULES = PROJECT_DIR / "assets" / "node_modules"
VENDOR = Path("static") / "vendor"
LOCAL_LOGO = Path("static") / "images" / "logo-long.png"

CDN_FILES = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/dist/js/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/dist/umd/popper.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/dist/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/dist/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "@fortawesome/fontawesome-free/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css":
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/build/vega-embed.min.js",
}
# Font Awesome's stylesheet loads its fonts from ../webfonts, so the folder travels with it.
COMPANION_FOLDERS = ("@fortawesome/fontawesome-free/webfonts",)
GX_LOGO = re.compile(r'https://great-expectations-web-assets\.s3[^"]*/logo-long\.png[^"]*')
LOADED_RESOURCE = re.compile(r'<(?:script|link|img)\b[^>]*?(?:src|href)="(https?://[^"]+)"')
# The inline scripts and click handlers GX's page templates write, each recognised by how it starts. The policy
# lets a page run these, hashed, and nothing else inline; one this list does not know makes make_offline fail,
# so neither a GX upgrade nor a value that slipped past escaping is let through unseen.
GX_INLINE_SCRIPTS = re.compile(r"""\s*(?:try \{\s*if \(localStorage\.getItem\('ge-walkthrough-modal-dismissed'\)"""
                               r"""|function showAllValidations\(\) \{|function rowStyleLinks\(row, index\) \{"""
                               r"""|\$\('#[\w-]+'\)\.bootstrapTable\(|if \(sessionStorage\.getItem\("showCta"\))""")
GX_EVENT_HANDLERS = re.compile(r"(?:showAllValidations|hideSucceededValidations)\(\)|clearTableFilters\('[\w-]+'\)")


class ReportAssetsMissing(RuntimeError):
    pass


class UnrecognisedInlineScript(RuntimeError):
    """A Data Docs page has inline code its templates do not write: it is not published with a policy allowing it."""


def escape_partner_values(validation_results_store) -> None:
    """HTML-escape every value the validations found in the data (their `result` and any exception text), in every
    stored result, before GX renders the site from them. The expectations themselves are the hub's, not partners'."""
    for key in validation_results_store.list_keys():
        suite_result = validation_results_store.get(key)
        for result in suite_result.results:
            result.result = _escaped(result.result)
            result.exception_info = _escaped(result.exception_info)
        validation_results_store.set(key, suite_result)


def _escaped(value):
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {_escaped(k): _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_escaped(v) for v in value]
    return value


def make_offline(site: Path) -> None:
    _copy_vendor_files(site)
    for page in site.rglob("*.html"):
        page.write_text(_localise(page.read_text(encoding="utf-8"), page, site), encoding="utf-8")


def _copy_vendor_files(site: Path) -> None:
    if not NODE_MODULES.is_dir():
        raise ReportAssetsMissing(f"the report assets are not installed in {NODE_MODULES}: run `make install`")
    for relative in CDN_FILES.values():
        target = site / VENDOR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE_MODULES / relative, target)
    for folder in COMPANION_FOLDERS:
        shutil.copytree(NODE_MODULES / folder, site / VENDOR / folder, dirs_exist_ok=True)


def _localise(html: str, page: Path, site: Path) -> str:
    to_root = Path(os.path.relpath(site, page.parent))
    for url, relative in CDN_FILES.items():
        html = html.replace(f'"{url}"', f'"{(to_root / VENDOR / relative).as_posix()}"')
    html = GX_LOGO.sub((to_root / LOCAL_LOGO).as_posix(), html)
    remaining = sorted(set(LOADED_RESOURCE.findall(html)))
    if remaining:
        raise ReportAssetsMissing(f"{page} still loads {', '.join(remaining)} from the network: map it in CDN_FILES")
    return with_policy(html, _page_policy(html, page))


def _page_policy(html: str, page: Path) -> str:
    code = inline_code(html)
    unknown = [c for c in code.scripts if not GX_INLINE_SCRIPTS.match(c)]
    unknown += [c for c in code.handlers if not GX_EVENT_HANDLERS.fullmatch(c)]
    if unknown:
        raise UnrecognisedInlineScript(f"{page} has inline code GX's templates do not write: {unknown[0][:200]!r}")
    return policy(code.scripts, code.handlers, local_files=True)
