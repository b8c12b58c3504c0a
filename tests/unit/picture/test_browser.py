"""The HTML report and the notebook's picture as a person sees them: rendered by headless Chromium,
its DOM read back and its screenshot checked for the root causes' labels and coloured nodes."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from fluxtools.cli import main
from fluxtools.picture.svg import ROOT_FILL, STYLE
from tests.synthetic_scale import SCENARIO_CAUSES

from .support import BROWSER_SKIPPED, png_pixels, png_pixels_stdlib

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=BROWSER_SKIPPED)
ROOT_CAUSES = tuple(ids[0].split("/", 1)[1] for ids in SCENARIO_CAUSES)
"""`namespace/name` of each designed failure of the lab the demo recorded."""
NODE_PIXELS = 9000
"""Root-cause fill pixels one node shows at least (a 260×64 box less its text and badge)."""


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(argv, capture_output=True, text=True, timeout=180, check=True)


def colour(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def near(pixel: tuple[int, int, int], target: tuple[int, int, int], tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))


def pixels_near(counts: Counter[tuple[int, int, int]], hex_colour: str, tolerance: int = 6) -> int:
    """Pixels within `tolerance` of the colour on every channel (`counts`: how often each colour occurs)."""
    target = colour(hex_colour)
    return sum(count for pixel, count in counts.items() if near(pixel, target, tolerance))


def assert_seen(page: Path, tmp_path: Path) -> None:
    """The root causes' labels are in the rendered SVG and the screenshot shows the coloured nodes."""
    dom = chromium(page, tmp_path / "profile", "--dump-dom").stdout
    assert "<svg" in dom
    for name in ROOT_CAUSES:
        assert f">{name}</text>" in dom, f"{name} is not drawn"
    assert dom.count(">ROOT CAUSE</text>") == len(ROOT_CAUSES)
    shot = tmp_path / "screenshot.png"
    chromium(page, tmp_path / "profile", f"--screenshot={shot}")
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (1400, 1000)
    grey = [sum(pixel) // 3 for pixel in pixels[::7]]
    mean = sum(grey) / len(grey)
    assert sum((value - mean) ** 2 for value in grey) / len(grey) > 100, "the screenshot is blank"
    counts = Counter(pixels)
    root_fill = pixels_near(counts, ROOT_FILL)
    assert root_fill >= len(ROOT_CAUSES) * NODE_PIXELS, f"only {root_fill} root-cause pixels visible"
    assert pixels_near(counts, STYLE["ready"][0]) >= NODE_PIXELS  # ready nodes too
    assert pixels_near(counts, STYLE["failed"][1], 40) >= 1000  # red borders


def test_the_html_report_shows_the_root_causes(tmp_path):
    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["diagnose", "--cluster", "demo", "--format", "html", "--output", str(report)])
    assert result.exit_code == 0, result.output
    assert_seen(report, tmp_path)
    pytest.importorskip("PIL", reason="Pillow is not installed: the PNG reader without it is not compared")
    shot = (tmp_path / "screenshot.png").read_bytes()
    assert png_pixels_stdlib(shot) == png_pixels(shot)  # the reader used where Pillow is missing


def test_the_notebook_shows_the_same_picture(tmp_path):
    nbclient = pytest.importorskip("nbclient", reason="the notebook runner (make dev-install) is not installed")
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(ROOT / "notebooks" / "quickstart.ipynb", as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(ROOT)}}).execute()
    cell = next(cell for cell in notebook.cells if "diagnose(tools)" in cell.source)
    shown = [output["data"] for output in cell.outputs if "data" in output]
    assert len(shown) == 1 and {"text/html", "text/markdown", "text/plain"} <= set(shown[0])
    assert shown[0]["text/markdown"].startswith("```mermaid\nflowchart LR\n")
    page = tmp_path / "notebook-output.html"
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
    page.write_text(f"{head}<body>{shown[0]['text/html']}</body></html>", encoding="utf-8")
    assert_seen(page, tmp_path)


CROSSINGS_SCRIPT = """<script>
const found = [];
const boxes = [...document.querySelectorAll("g.node")].map((node) => ({
  id: node.dataset.id,
  rects: [...node.querySelectorAll(":scope > rect")].map((rect) => rect.getBBox()),
}));
for (const edge of document.querySelectorAll("g.edge")) {
  const path = edge.querySelector("path");
  const length = path.getTotalLength();
  for (const box of boxes) {
    if (box.id === edge.dataset.source || box.id === edge.dataset.target) continue;
    for (let step = 0; step <= 400; step++) {
      const p = path.getPointAtLength((length * step) / 400);
      const inside = box.rects.some((r) => p.x > r.x && p.x < r.x + r.width && p.y > r.y && p.y < r.y + r.height);
      if (inside) { found.push(`${edge.dataset.source}->${edge.dataset.target} behind ${box.id}`); break; }
    }
  }
}
document.body.setAttribute("data-edges", String(document.querySelectorAll("g.edge").length));
document.body.setAttribute("data-crossings", found.join("; ") || "none");
</script>"""


def test_no_edge_runs_behind_a_box_it_does_not_join(tmp_path):
    """Measured by the browser on the drawn SVG: every edge's points against every other box's cards."""
    import re

    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["diagnose", "--cluster", "demo", "--format", "html", "--output", str(report)])
    assert result.exit_code == 0, result.output
    page = tmp_path / "measured.html"
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", CROSSINGS_SCRIPT + "</body>"), "utf-8")
    dom = chromium(page, tmp_path / "profile", "--dump-dom").stdout
    edges = re.search(r'data-edges="(\d+)"', dom)
    crossings = re.search(r'data-crossings="([^"]*)"', dom)
    assert edges and int(edges.group(1)) >= 10, "the edges were measured"
    assert crossings and crossings.group(1) == "none"
