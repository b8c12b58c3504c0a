"""Checks shared by the picture tests: a structural Mermaid check and a PNG reader."""

from __future__ import annotations

import re
import struct
import zlib

BROWSER_SKIPPED = (
    "headless Chromium is not installed, so the browser tests of the HTML report and the notebook picture did not "
    "run; install it with `apt-get install -y chromium` (Debian; .ci/run does this)"
)

NODE = re.compile(r'^  ([A-Za-z][A-Za-z0-9_]*)\["([^"]*)"\]$')
EDGE = re.compile(r"^  ([A-Za-z][A-Za-z0-9_]*) -->\|([A-Za-z]+)\| ([A-Za-z][A-Za-z0-9_]*)$")
CLASS_DEF = re.compile(r"^  classDef ([A-Za-z][A-Za-z0-9_]*) ([a-z-]+:[^,\s]+(?:,[a-z-]+:[^,]+)*)$")
CLASS = re.compile(r"^  class ([A-Za-z][A-Za-z0-9_]*(?:,[A-Za-z][A-Za-z0-9_]*)*) ([A-Za-z][A-Za-z0-9_]*)$")
RESERVED = {"end", "graph", "subgraph", "flowchart", "class", "classDef", "style", "click"}


def check_mermaid(text: str) -> dict[str, str]:
    """Every line is a node, an edge, a classDef or a class assignment; ids valid and declared once;
    every edge endpoint and class target declared; every class used defined. Returns id → label."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR", lines[0]
    labels: dict[str, str] = {}
    edges, defined, used = [], set(), set()
    for line in lines[1:]:
        if match := NODE.match(line):
            node_id, label = match.groups()
            assert node_id not in labels and node_id not in RESERVED, line
            assert "<" not in label.replace("<br/>", ""), f"unescaped < in {line}"
            labels[node_id] = label
        elif match := EDGE.match(line):
            edges.append((match.group(1), match.group(3)))
        elif match := CLASS_DEF.match(line):
            defined.add(match.group(1))
        elif match := CLASS.match(line):
            used.add(match.group(2))
            assert all(node_id in labels for node_id in match.group(1).split(",")), line
        else:
            raise AssertionError(f"not a Mermaid flowchart line: {line!r}")
    assert all(a in labels and b in labels for a, b in edges), "an edge names an undeclared node"
    assert used <= defined, f"classes used without classDef: {used - defined}"
    return labels


def _unfilter(rows: bytes, width: int, height: int, channels: int) -> list[bytes]:
    stride, out, previous = width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind = rows[y * (stride + 1)]
        line = bytearray(rows[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        out.append(bytes(line))
        previous = line
    return out


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """(width, height, RGB pixels) of an 8-bit RGB/RGBA PNG: Pillow when installed, else zlib here."""
    try:
        import io

        from PIL import Image
    except ImportError:
        return png_pixels_stdlib(data)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    raw = image.tobytes()
    return image.width, image.height, [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]  # type: ignore[misc]


def png_pixels_stdlib(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """The same with zlib only: chunks, inflate, and the five PNG row filters undone."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, b"", b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        header = body if kind == b"IHDR" else header
        chunks += body if kind == b"IDAT" else b""
        position += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6), "an 8-bit RGB or RGBA PNG"
    channels = 3 if color == 2 else 4
    rows = _unfilter(zlib.decompress(chunks), width, height, channels)
    pixels = [tuple(row[x : x + 3]) for row in rows for x in range(0, width * channels, channels)]
    return width, height, pixels  # type: ignore[return-value]
