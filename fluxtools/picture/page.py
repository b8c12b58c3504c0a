"""The picture in HTML: a fragment for notebooks and a self-contained report page for the browser.

Everything is inline (styles and the SVG); nothing is fetched when the page is viewed.
"""

from __future__ import annotations

from html import escape

from fluxtools.picture.model import Picture
from fluxtools.picture.svg import svg

FRAGMENT_STYLE = (
    "font-family:DejaVu Sans,Verdana,Arial,sans-serif;color:#1b1b1b;background:#ffffff;padding:8px;overflow-x:auto"
)
PAGE_STYLE = """
body { margin: 24px; font-family: DejaVu Sans, Verdana, Arial, sans-serif; color: #1b1b1b; background: #ffffff; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.summary { margin: 0 0 12px; }
.omitted { color: #555555; font-size: 13px; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: 12px; font-size: 12px; white-space: pre-wrap; }
"""


def fragment(picture: Picture | None, summary: str = "", note: str = "") -> str:
    """A `<div>` with a summary line, the SVG and what was left out; `note` when there is no picture."""
    parts = [f'<div class="flux-picture-view" style="{FRAGMENT_STYLE}">']
    if summary:
        parts.append(f'<p class="summary" style="margin:0 0 8px">{escape(summary)}</p>')
    if picture is None:
        parts.append(f"<p>{escape(note or 'No graph to draw.')}</p>")
    else:
        parts.append(svg(picture))
        omitted = picture.omitted_text()
        if omitted:
            parts.append(f'<p class="omitted" style="color:#555555;font-size:13px">{escape(omitted)}.</p>')
    parts.append("</div>")
    return "".join(parts)


def page(title: str, picture: Picture | None, summary: str, report_text: str, note: str = "") -> str:
    """A whole HTML document: title, summary, the picture, and the text report below it."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{PAGE_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"{fragment(picture, summary, note)}"
        f"<h2>Report</h2><pre>{escape(report_text)}</pre>"
        "</body></html>\n"
    )
