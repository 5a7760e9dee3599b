"""Fetch pinned front-end packages from the npm registry into static/vendor/ (stdlib only,
but for fontTools, which the installed WeasyPrint brings, to unpack WOFF2 fonts to TrueType).

Each package is pinned to an exact version and to the registry's sha512 `dist.integrity`;
the tarball is verified before anything is extracted. Re-running is a no-op when every
output file exists and its recorded marker (package@version + integrity) matches.
Override the registry with NPM_REGISTRY (default https://registry.npmjs.org).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

# name -> (version, dist.integrity, {path inside the tarball's package/ dir: output file name})
PINS: dict[str, tuple[str, str, dict[str, str]]] = {
    "htmx.org": (
        "2.0.11",  # stay on 2.0.x: htmx 4 stops inheriting hx-headers (breaks CSRF)
        "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==",
        {"dist/htmx.min.js": "htmx.min.js"},
    ),
    "@picocss/pico": (
        "2.1.1",
        "sha512-kIDugA7Ps4U+2BHxiNHmvgPIQDWPDU4IeU6TNRdvXQM1uZX+FibqDQT2xUOnnO2yq/LUHcwnGlu1hvf4KfXnMg==",
        {"css/pico.min.css": "pico.min.css"},
    ),
    # Chinese glyphs for PDFs whatever fonts the system has (core/pdf.py embeds them through
    # @font-face): Fontsource's simplified-Chinese and Latin subsets of Noto Sans SC (OFL-1.1),
    # unpacked here to TrueType once (WeasyPrint would unpack WOFF2 in Python on every PDF).
    "@fontsource/noto-sans-sc": (
        "5.3.1",
        "sha512-YxZ/VWAWo9FWzH08Q6fGTzIW6vYNP2TMhUFCnfhlimbhdXnWrxJLrzX3KWt2FKnV0s8XiM5vjpGHQiyFRlTj0w==",
        {
            f"files/noto-sans-sc-{subset}-{weight}-normal.woff2": f"fonts/noto-sans-sc-{subset}-{weight}.ttf"
            for subset in ("chinese-simplified", "latin") for weight in (400, 700)
        },
    ),
}

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
MARKERS = VENDOR / "versions.json"


def tarball_url(registry: str, name: str, version: str) -> str:
    return f"{registry.rstrip('/')}/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def verify(data: bytes, integrity: str) -> None:
    algo, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if actual != expected:
        raise ValueError(f"integrity mismatch: expected {integrity}, got {algo}-{actual}")


def unpacked(woff2: bytes) -> bytes:
    from fontTools.ttLib import woff2 as codec  # the venv's; make installs it first

    out = io.BytesIO()
    codec.decompress(io.BytesIO(woff2), out)
    return out.getvalue()


def fetch(name: str, version: str, integrity: str, files: dict[str, str], registry: str) -> None:
    url = tarball_url(registry, name, version)
    with urllib.request.urlopen(url, timeout=60) as resp:
        data = resp.read()
    verify(data, integrity)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for inner, out in files.items():
            member = tar.extractfile(f"package/{inner}")
            if member is None:
                raise ValueError(f"{inner} is not a regular file in {name}@{version}")
            target = VENDOR / out
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(unpacked(member.read()) if inner.endswith(".woff2") else member.read())
            tmp.replace(target)


def main() -> int:
    registry = os.environ.get("NPM_REGISTRY", "https://registry.npmjs.org")
    VENDOR.mkdir(parents=True, exist_ok=True)
    markers = json.loads(MARKERS.read_text()) if MARKERS.exists() else {}
    for name, (version, integrity, files) in PINS.items():
        marker = f"{name}@{version} {integrity}"
        if all(markers.get(out) == marker and (VENDOR / out).is_file() for out in files.values()):
            continue
        try:
            fetch(name, version, integrity, files, registry)
        except (urllib.error.URLError, OSError, tarfile.TarError, KeyError, ValueError) as exc:
            print(f"fetch_vendor: {name}@{version} from {registry} failed: {exc}", file=sys.stderr)
            return 1
        markers.update({out: marker for out in files.values()})
        MARKERS.write_text(json.dumps(markers, indent=2, sort_keys=True) + "\n")
        print(f"fetch_vendor: {name}@{version} -> {', '.join(files.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
