"""The catalogue: dbt's docs page with the project's manifest and catalog inside it, so it opens from one file.

dbt's own `docs generate --static` pastes the two JSON files into the page's script as they are, so any text in
them containing `</script>` would end the script and start markup of its own. Here each goes in with `<`, `>`, `&`
and the two JavaScript line separators written as JSON escapes (the same string to the script, no markup to the
HTML parser), and the page carries a Content-Security-Policy allowing only the scripts of dbt's page itself.
"""

from __future__ import annotations

import re

from dbt.task.docs import DOCS_INDEX_FILE_PATH

from warehouse.content_policy import inline_code, policy, with_policy

PLACEHOLDERS = {"manifest": '"MANIFEST.JSON INLINE DATA"', "catalog": '"CATALOG.JSON INLINE DATA"'}
SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def catalogue_page(manifest_json: str, catalog_json: str, template: str | None = None) -> str:
    """dbt's docs page (`template`, by default the installed dbt's) holding the manifest and catalog."""
    template = template if template is not None else open(DOCS_INDEX_FILE_PATH, encoding="utf-8").read()
    data = {PLACEHOLDERS["manifest"]: script_safe(manifest_json), PLACEHOLDERS["catalog"]: script_safe(catalog_json)}
    if not all(placeholder in template for placeholder in data):
        raise ValueError(f"dbt's docs page at {DOCS_INDEX_FILE_PATH} no longer has {' and '.join(data)} to fill")
    # One pass, so a placeholder spelled inside the manifest is left as text.
    page = re.sub("|".join(re.escape(p) for p in data), lambda m: data[m.group(0)], template)
    code = inline_code(page)
    return with_policy(page, policy(code.scripts, code.handlers))


def script_safe(json_text: str) -> str:
    """JSON text that cannot close or open an HTML element inside a <script>: outside strings JSON has none of these
    characters, and inside a string each escape reads back as the same character."""
    return re.sub("[<>&\u2028\u2029]", lambda m: SCRIPT_UNSAFE[m.group(0)], json_text)
