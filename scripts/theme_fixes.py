"""Fixes to the theme's base.html that no partial or block can reach, for both engines.

Material 9.8.1 (and Zensical 0.0.73, whose theme is Material's) write two state checkboxes (the
drawer and the search toggles) straight into base.html as `<input type="checkbox" ...
autocomplete="off">`, and HTML allows `autocomplete` on text-like inputs only: the Nu HTML checker
reports an error on every page. Zensical's base.html also marks the drawer's overlay
`<label class="md-overlay" for="__drawer" aria-hidden="true">`, and a label of a form control may
not be hidden from assistive technology (another error). Both write the colour scheme's radio
inputs hidden but focusable (``_PALETTE``). Overriding base.html would copy 260 lines of the
theme; instead :func:`fix_html` mends exactly that markup.
(Material set `autocomplete` so that Firefox does not restore an open drawer or search after a
reload; without it, at worst Firefox may reopen one after a reload, and the theme's script closes
both again on the next navigation.)

* Under MkDocs this file is a hook (mkdocs.yml): each page is fixed as it is rendered.
* Under Zensical, which runs no hooks, ``scripts/build.py`` calls :func:`fix_site` on the written
  HTML after the build.

Either fails when the toggles' markup is not found, so a theme upgrade that changes it is
noticed here rather than in the checker (tests/test_gates.py) alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_TOGGLES = [
    (f'type="checkbox" id="__{name}" autocomplete="off">', f'type="checkbox" id="__{name}">')
    for name in ("drawer", "search")
]
# Zensical only (Material 9.8.1 writes the label without it): optional
_OVERLAY = ('<label class="md-overlay" for="__drawer" aria-hidden="true">', '<label class="md-overlay" for="__drawer">')
# The colour scheme's radio inputs, hidden from assistive technology and drawn 0 px wide: with one
# scheme (mkdocs.yml's palette) no toggle labels them, yet Tab stopped on the first, and the focus
# seemed to vanish (a reader's keyboard trial). Out of the tab order; the theme's script still reads them.
_PALETTE = re.compile(r'(<input class="md-option"[^>]*?aria-hidden="true"[^>]*?type="radio" name="__palette" id="__palette_\d+")>')


class ThemeMarkupChanged(Exception):
    pass


def fix_html(output: str, where: str, strict: bool = True) -> str:
    """The page with the fixes applied; with strict, ThemeMarkupChanged when a toggle is missing."""
    for old, new in _TOGGLES:
        if old not in output:
            if strict:
                raise ThemeMarkupChanged(
                    f"theme_fixes: {where}: the theme's markup {old!r} was not found; "
                    "check scripts/theme_fixes.py against the theme's base.html"
                )
            continue
        output = output.replace(old, new, 1)
    return _PALETTE.sub(r'\1 tabindex="-1">', output.replace(*_OVERLAY, 1))


def fix_site(site: Path) -> int:
    """Fix every page of a built site in place (Zensical); how many files were rewritten. Pages
    without the theme's toggles (redirect stubs) are left as they are."""
    changed = 0
    for folder, _dirs, files in os.walk(site):
        for name in files:
            if not name.endswith(".html"):
                continue
            path = Path(folder, name)
            text = path.read_text(encoding="utf-8")
            if 'data-md-toggle="drawer"' not in text:
                continue
            fixed = fix_html(text, path.relative_to(site).as_posix())
            if fixed != text:
                path.write_text(fixed, encoding="utf-8", newline="")
                changed += 1
    return changed


# ---------------------------------------------------------------------------------- MkDocs hook


def on_post_page(output: str, page, config) -> str:
    from mkdocs.exceptions import PluginError

    try:
        return fix_html(output, page.file.src_uri)
    except ThemeMarkupChanged as err:
        raise PluginError(str(err)) from None


def on_post_template(output: str, template_name: str, config) -> str:
    # 404.html is rendered as a static template, not a page: same fix, same markup
    if template_name == "404.html":
        return fix_html(output, template_name, strict=False)
    return output
