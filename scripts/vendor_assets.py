"""Vendor the browser assets the site would otherwise load from a CDN, from the npm registry.

The packages:

* `iframe-worker`: the shim Material's `offline` plugin needs so that search runs from a folder
  opened with file:// (browsers refuse a Web Worker there; the shim runs it in a hidden iframe
  instead). The plugin would load it from unpkg; mkdocs.yml points `extra.polyfills` at the copy
  in docs/assets/vendor/ instead.
* `@fontsource-variable/source-sans-3`: the site's text face, Source Sans 3 (SIL Open Font
  License 1.1), as variable-weight WOFF2 (weights 200-900), upright and italic, in the latin and
  latin-ext subsets only; `docs/assets/fonts.css` declares them with `@font-face`, so screen and
  print are set in the same face on every machine and nothing is asked of Google Fonts.
* `minisearch`: the search engine of that file:// copy (see docs/assets/search/worker.js).
* `datatables.net`, `datatables.net-dt`: the claims explorer's table (views/claims.html).

    .venv/bin/python scripts/vendor_assets.py          # fetch and (re)write the vendored files
    .venv/bin/python scripts/vendor_assets.py --check  # offline: exit 1 if a vendored file differs

The package is pinned by version and by the sha512 integrity the registry published for that
tarball (written here, so a changed tarball fails rather than slips in); the registry's
metadata is checked to agree. The files are written byte for byte as the tarball holds them,
with the package's LICENSE beside them, and each file's sha256 is pinned too, so --check (and
a test) can tell without the network that the committed copy is the package's. To upgrade: set
the version and the registry's integrity (`npm view iframe-worker@X dist.integrity`), run this,
and pin the sha256s it prints. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "docs" / "assets" / "vendor"
REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # the registry's dist.integrity for this version: "sha512-<base64>"
    files: dict[str, tuple[str, str]]  # path in the tarball -> (path under vendor/<folder>/, sha256)
    folder: str = ""  # the folder under docs/assets/vendor/; the package's name where empty

    @property
    def dest(self) -> str:
        return self.folder or self.name


PACKAGES = [
    Package(
        name="iframe-worker",
        version="1.0.4",
        integrity="sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q==",
        files={
            "package/shim/index.js": ("shim.js", "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"),
            "package/LICENSE": ("LICENSE", "dd69737a4768aab9f934a5aed9efab9561ac4062d4fdbe490d44369a2cf48b6b"),
        },
    ),
    # Search from a folder opened with file://, where Pagefind cannot run (browsers refuse its
    # fetches there): docs/assets/search/worker.js runs MiniSearch over the single-file index.
    Package(
        name="minisearch",
        version="7.2.0",
        integrity="sha512-dqT2XBYUOZOiC5t2HRnwADjhNS2cecp9u+TJRiJ1Qp/f5qjkeT5APcGPjHw+bz89Ms8Jp+cG4AlE+QZ/QnDglg==",
        files={
            "package/dist/umd/index.js": ("minisearch.js", "03c27931eb603af1d3358579e9885eafdb6a2f5fa9929557b3e77d7e99d06d03"),
            "package/LICENSE.txt": ("LICENSE", "70d37354d6395629fb99edb28cb37a5d356ffa24a48cd02a5def5b83a300a899"),
        },
    ),
    # The claims explorer (views/claims.html, scripts/kb/templates/view-claims.md.j2): DataTables 3,
    # dependency-free (no jQuery since 3.0), MIT; it enhances the page's own <table>. Core and its
    # default styling at the same version (datatables.net-dt 3.1.2 pins datatables.net 3.1.2).
    Package(
        name="datatables.net",
        version="3.1.2",
        integrity="sha512-6PnhPw9lrPASP2n1t13zW595aKB41j3Qt6iykFVV6aohGtSF3CTjwQ+RsdlrGUQTj/Ji0or8+9Q7mMpf4YY1cQ==",
        files={
            "package/js/dataTables.min.js": ("dataTables.min.js", "2050bcff007823d21472681c2e74b1eaf96893830a92acf9f6bb961a58f5c617"),
            "package/License.txt": ("LICENSE", "62b5fdd54371b4f6bd07a60dbc78b38814f49a8028213f540dc2733cad605382"),
        },
    ),
    Package(
        name="datatables.net-dt",
        version="3.1.2",
        integrity="sha512-2nxvoJCXjOdXMQO4QkwH1MUnYusC2BkilVMVpi1L7kGQG4OVu4NgPuW20RfXmxfdgSNCUI6R42Yk0v8ohFoe5A==",
        files={
            "package/css/dataTables.dataTables.min.css": ("dataTables.dataTables.min.css", "156624d53bf9385a37f857fbc290361d4104d3536d30930fb86bce5cc0f19387"),
            "package/License.txt": ("LICENSE", "62b5fdd54371b4f6bd07a60dbc78b38814f49a8028213f540dc2733cad605382"),
        },
    ),
    Package(
        name="@fontsource-variable/source-sans-3",
        version="5.3.0",
        integrity="sha512-dpi0GZk7EQe2tYpg6Q0Fx0OmUgnuGu+0rHPgtXqtKhglYmJuP7jZ12Mu1uN+NfRaJRY1Emn8AQJEWzmoZ4wa9g==",
        folder="source-sans-3",
        files={
            "package/files/source-sans-3-latin-wght-normal.woff2": (
                "source-sans-3-latin-wght-normal.woff2", "7a19a7027e125257d310c6dbd78ae3a30b5ea1e3794d60b12bb28227a003bfda"),
            "package/files/source-sans-3-latin-wght-italic.woff2": (
                "source-sans-3-latin-wght-italic.woff2", "9a15dafc2c2b2414aaa9d6c30830d9aab4361329d8495b1574633603b994b411"),
            "package/files/source-sans-3-latin-ext-wght-normal.woff2": (
                "source-sans-3-latin-ext-wght-normal.woff2", "a85a7459bdb3cdc1136751e151a506bae653fc29ada3ca86237477df6f1b59e6"),
            "package/files/source-sans-3-latin-ext-wght-italic.woff2": (
                "source-sans-3-latin-ext-wght-italic.woff2", "6fe10a66ec416f77a26309b645471d032ad8175063bb605b886e9b7e57efaaa8"),
            "package/LICENSE": ("LICENSE", "18aabf190848725e2576eefb5c29ba06aac1029d02132252a7f312eac2e50cf3"),
        },
    ),
]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (fixed https URLs)
        return response.read()


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch(package: Package) -> dict[str, bytes]:
    """The package's files, named by their path under docs/assets/vendor/, integrity checked."""
    meta = json.loads(_get(f"{REGISTRY}/{package.name}/{package.version}"))
    if meta["dist"]["integrity"] != package.integrity:
        raise SystemExit(
            f"{package.name}@{package.version}: the registry now gives integrity "
            f"{meta['dist']['integrity']}, not the pinned {package.integrity}"
        )
    tarball = _get(meta["dist"]["tarball"])
    if _sri(tarball) != package.integrity:
        raise SystemExit(f"{package.name}@{package.version}: the tarball does not match its integrity")
    out = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for member, (target, _) in package.files.items():
            data = tar.extractfile(member)
            if data is None:
                raise SystemExit(f"{package.name}@{package.version}: {member} is not a file")
            out[f"{package.dest}/{target}"] = data.read()
    return out


def stale() -> list[str]:
    """The vendored files (under docs/assets/vendor/) missing or not as pinned. No network."""
    out = []
    for package in PACKAGES:
        for target, sha256 in package.files.values():
            path = VENDOR / package.dest / target
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
                out.append(f"{package.dest}/{target}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check the committed copies, offline")
    args = parser.parse_args(argv)
    if not args.check:
        for package in PACKAGES:
            for rel, data in fetch(package).items():
                path = VENDOR / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                digest = hashlib.sha256(data).hexdigest()
                print(f"{package.name}@{package.version} -> {path.relative_to(ROOT)} sha256 {digest}")
    problems = stale()
    if problems:
        print("not as pinned in scripts/vendor_assets.py: " + ", ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
