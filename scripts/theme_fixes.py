"""MkDocs hook: two fixes to Material's base.html that no partial or block can reach.

Material 9.8.1 writes its two state checkboxes (the drawer and the search toggles) straight into
base.html as `<input type="checkbox" ... autocomplete="off">`, and HTML allows `autocomplete` on
text-like inputs only: the Nu HTML checker reports an error on every page. Overriding base.html
would copy 260 lines of the theme; instead the attribute is dropped from exactly those two inputs
after each page is rendered. (Material set it so that Firefox does not restore an open drawer or
search after a reload; without it, at worst Firefox may reopen one after a reload, and Material's
script closes both again on the next navigation.)

The build fails when the markup is not found, so a Material upgrade that changes it is noticed
here rather than in the checker (tests/test_gates.py) alone.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

_TOGGLES = [
    (f'type="checkbox" id="__{name}" autocomplete="off">', f'type="checkbox" id="__{name}">')
    for name in ("drawer", "search")
]


def on_post_page(output: str, page, config) -> str:
    for old, new in _TOGGLES:
        if old not in output:
            raise PluginError(
                f"theme_fixes: {page.file.src_uri}: Material's markup {old!r} was not found; "
                "check scripts/theme_fixes.py against the theme's base.html"
            )
        output = output.replace(old, new, 1)
    return output


def on_post_template(output: str, template_name: str, config) -> str:
    # 404.html is rendered as a static template, not a page: same fix, same markup
    if template_name == "404.html":
        for old, new in _TOGGLES:
            output = output.replace(old, new, 1)
    return output
