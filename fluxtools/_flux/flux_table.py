"""Parse the tables `flux get` prints (the fallback when kubectl is unavailable).

Cells are tab-separated and right-padded; data rows end with a tab; a cell
holding a newline continues on lines whose first cell is blank.
"""

from __future__ import annotations


def parse_flux_table(text: str) -> list[dict[str, str]]:
    """Rows of one `flux get` table as dicts keyed by lower-case header names."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = [cell.strip().lower().replace(" ", "_") for cell in lines[0].split("\t")]
    rows: list[dict[str, str]] = []
    for line in lines[1:]:
        cells = line.split("\t")
        if cells and cells[-1].strip() == "" and len(cells) > len(header):
            cells = cells[:-1]
        cells = [cell.rstrip() for cell in cells]
        if rows and cells and cells[0].strip() == "":
            _continue_row(rows[-1], header, cells)
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells, strict=False)))
    return rows


def _continue_row(row: dict[str, str], header: list[str], cells: list[str]) -> None:
    for column, cell in zip(header, cells, strict=False):
        piece = cell.strip()
        if piece:
            row[column] = f"{row[column]}\n{piece}" if row.get(column) else piece


def table_item(row: dict[str, str], default_namespace: str) -> dict[str, object]:
    """Map a kustomization/helmrelease row to the list-item fields it can fill."""
    return {
        "namespace": row.get("namespace") or default_namespace,
        "name": row.get("name", ""),
        "ready": row.get("ready", ""),
        "status": row.get("message", ""),
        "revision": row.get("revision", ""),
        "suspended": row.get("suspended", "").lower() == "true",
    }
