"""Text stays text: whatever one line of data holds, the `md` filter (scripts/kb/render.py) writes
Markdown that renders to exactly that text, and no structure of its own.

Every block construct a line can form is in play: thematic breaks (`---`, `* * *`, `___`), setext
underlines (`===`, `---` under a line of text), ATX headings, table rows, list markers, block
quotes, indented code, HTML blocks, fences (``` and ~~~), admonitions (`!!!`, `???`), tabs
(`===`), footnote and abbreviation definitions, attribute lists (`{: }`), link reference
definitions (`[x]: y`), the `[TOC]` marker; and inline ones (emphasis, code, links, HTML, entities).

Rendering uses Python-Markdown with the site's own extensions, read from mkdocs.yml, in each of the
places the templates put such text: a paragraph of its own, a line right under another line (where
`---` and `===` would make a heading of it), a table cell, a link's text, a heading with an
attribute list, a block quote, an admonition's body and a `<div markdown>`. The rendered HTML's text
must be the input's (compared after NFKC normalisation and whitespace folding), and its elements
those that the same place gives a plain word.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, site_markdown_extensions

from kb.render import md

# Where the templates put text (`{}`), and the text around it.
PLACES = {
    "paragraph": ("Before.\n\n{}\n\nAfter.\n", "Before. {} After."),
    "under a line": ("Before.\n{}\n", "Before. {}"),
    "table cell": ("| A | B |\n|---|---|\n| x | {} |\n", "A B x {}"),
    "link text": ("See [{}](x.html).\n", "See {}."),
    "heading": ("# {} { #top }\n", "{}"),
    "block quote": ("> “{}”\n>\n> — Source\n", "“{}” — Source"),
    "admonition": ('!!! note "Editorial note"\n    {}\n', "Editorial note {}"),
    "div": ('<div class="kb-claim" id="c" markdown>\n\n{}\n\n</div>\n', "{}"),
}

# One-line texts from an alphabet rich in Markdown punctuation.
ALPHABET = list("-*_=#>|+~`:!?[](){}<>&\\.^%$;,'\"/") + list("0123456789aZ ") + [
    "\t", "\u00a0", "\u3000", "\uff1d", "é", "\u200b", "---", "```", "~~~", "!!!", "===", "[TOC]",
    "&amp;", "&#45;", "<div>", "{: .x }", "[^1]:", "*[x]:", "[x]: y", "1.", "1)", "    ",
]
LINES = st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=12).map("".join).filter(lambda s: s.strip())


_NAMES, _CONFIGS = site_markdown_extensions()
_MARKDOWN = markdown.Markdown(extensions=_NAMES, extension_configs=_CONFIGS)


class _Text(HTMLParser):
    """The text of an HTML fragment (the toc's permalink signs left out) and its elements in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.tags, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a" and ("class", "headerlink") in attrs:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def rendered(place: str, text: str) -> tuple[str, list[str]]:
    template, _ = PLACES[place]
    _MARKDOWN.reset()
    parser = _Text()
    parser.feed(_MARKDOWN.convert(template.replace("{}", md(text))))
    return fold("".join(parser.text)), parser.tags


def test_the_site_extensions_are_the_ones_rendered_with():
    assert {"tables", "attr_list", "md_in_html", "admonition", "toc", "pymdownx.tabbed"} <= set(_NAMES)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", [
    "---", "- - -", "***", "* * *", "___", "_ _ _", "===", "=", "-", "+", "--", "- x", "+ x", "* x",
    "1. x", "1) x", "# x", "## x", "> x", "| a | b |", "|---|", "    code", "\tcode", "<div>x</div>",
    "<!-- x -->", "```", "```python", "~~~", "!!! note", "??? note", '=== "Tab"', "[^1]: note",
    "*[HTML]: Hyper", "{: #id .x }", "{ #id }", "[x]: http://example.invalid/", "[TOC]", "&#45;-",
    "&amp;", "\\---", "**x**", "_x_", "`x`", "[a](b)", "<http://example.invalid>", "x  ", ":::",
])
def test_each_block_construct_stays_text(place, text):
    shown, tags = rendered(place, text)
    assert shown == fold(PLACES[place][1].replace("{}", fold(text))), (place, text)
    assert tags == rendered(place, "word")[1], (place, text)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(LINES, st.sampled_from(sorted(PLACES)))
@example("---", "paragraph")
@example("---", "under a line")
def test_any_line_renders_as_exactly_its_text(text, place):
    shown, tags = rendered(place, text)
    assert shown == fold(PLACES[place][1].replace("{}", fold(text)))
    assert tags == rendered(place, "word")[1]
