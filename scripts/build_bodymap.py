"""Build the body map SVG partials from the react-native-body-highlighter drawing.

    npm pack react-native-body-highlighter@3.2.0
    .venv/bin/python scripts/build_bodymap.py react-native-body-highlighter-3.2.0.tgz

Reads the package's path data (`dist/assets/bodyFront.js`, `bodyBack.js`), the
figure outline (`dist/components/SvgMaleWrapper.js`) and its LICENSE straight
from the tarball (checked against the registry's integrity hash), joins every
shape with its reviewed reading in `procedures/bodymap/muscle-map.json`, and
writes `templates/procedures/bodymap/front.svg` and `back.svg`.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from procedures.muscle_catalogue import MUSCLES_BY_SLUG  # noqa: E402

PACKAGE = "react-native-body-highlighter"
VERSION = "3.2.0"
INTEGRITY = (  # npm view react-native-body-highlighter@3.2.0 dist.integrity
    "sha512-BxWwcX8PtbKr3X0bW0n4OyPT6b+2R9IUqDyMgq8PP6IhJouSt9ik10a3c7"
    "PRYOlA2DdrBjLFiwamqhsMS2BfeQ=="
)
MAPPING = ROOT / "procedures" / "bodymap" / "muscle-map.json"
OUTPUT = ROOT / "templates" / "procedures" / "bodymap"
VIEW_BOXES = {"front": (0, 0, 724, 1448), "back": (724, 0, 724, 1448)}
ASSETS = {"front": "bodyFront.js", "back": "bodyBack.js"}
PIECE_ORDER = ("common", "left", "right")  # the package paints in this order


@dataclass(frozen=True, kw_only=True)
class Band:
    muscle: str
    y_from: float | None
    y_to: float | None


@dataclass(frozen=True, kw_only=True)
class Shape:
    path: str
    side: str
    muscle: str | None
    label: str | None
    bands: tuple[Band, ...]
    candidates: tuple[str, ...]


def tarball_files_read(*, tarball: Path) -> dict[str, str]:
    """The package files we need, after checking the tarball is the published one."""
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != INTEGRITY:
        raise SystemExit(f"{tarball} is not {PACKAGE}@{VERSION} as published on npm")
    wanted = {
        "LICENSE": "package/LICENSE",
        "SvgMaleWrapper.js": "package/dist/components/SvgMaleWrapper.js",
        **{name: f"package/dist/assets/{name}" for name in ASSETS.values()},
    }
    with tarfile.open(tarball) as archive:
        return {
            name: archive.extractfile(member).read().decode()  # type: ignore[union-attr]
            for name, member in wanted.items()
        }


def body_parts_parse(*, source: str) -> list[dict]:
    """`exports.bodyFront = [{slug, color, path: {left, right, common}}, ...];` as data."""
    literal = source[source.index("= [") + 2 : source.rindex("];") + 1]
    literal = re.sub(r"^\s*//.*$", "", literal, flags=re.MULTILINE)
    literal = re.sub(r"^(\s*)(\w+):", r'\1"\2":', literal, flags=re.MULTILINE)
    literal = re.sub(r",(\s*[\]}])", r"\1", literal)
    return json.loads(literal)


def outline_parse(*, source: str, view: str) -> str:
    match = re.search(rf'side === "{view}" && \(<\S+Path [^>]*? d="([^"]+)"', source)
    if match is None:
        raise SystemExit(f"no {view} outline in SvgMaleWrapper.js")
    return match.group(1)


def shapes_join(*, parts: list[dict], readings: list[dict], view: str) -> list[Shape]:
    """Every drawn piece with its reading, in the package's paint order."""
    by_piece = {(row["package_slug"], row["piece"]): row for row in readings}
    shapes = []
    for part in parts:
        for key in PIECE_ORDER:
            for index, path in enumerate(part["path"].get(key, [])):
                row = by_piece.pop((part["slug"], f"{key}[{index}]"), None)
                if row is None:
                    raise SystemExit(f"{view}: no reading for {part['slug']} {key}[{index}]")
                shapes.append(shape_from_reading(row=row, path=path))
    if by_piece:
        raise SystemExit(f"{view}: readings for pieces the drawing lacks: {sorted(by_piece)}")
    return shapes


def shape_from_reading(*, row: dict, path: str) -> Shape:
    bands = tuple(
        Band(muscle=band["muscle"], y_from=band.get("y_from"), y_to=band.get("y_to"))
        for band in row.get("bands", [])
    )
    shape = Shape(
        path=path,
        side=row["patient_side"],
        muscle=row.get("muscle"),
        label=row.get("label"),
        bands=bands,
        candidates=tuple(row["candidates"]),
    )
    unknown = {shape.muscle, *shape.candidates, *(band.muscle for band in bands)} - {
        None,
        *MUSCLES_BY_SLUG,
    }
    if unknown:
        raise SystemExit(f"{row['package_slug']} {row['piece']}: not in the catalogue: {unknown}")
    if shape.muscle is None and not (shape.label or bands):
        raise SystemExit(f"{row['package_slug']} {row['piece']}: needs a muscle, label or bands")
    return shape


def clip_id(*, view: str, band: Band) -> str:
    return f"bm-{view}-y{band.y_from or 'top'}-{band.y_to or 'bottom'}"


def clip_path_render(*, view: str, band: Band) -> str:
    x, top, width, height = VIEW_BOXES[view]
    y_from = band.y_from if band.y_from is not None else top
    y_to = band.y_to if band.y_to is not None else top + height
    return (
        f'<clipPath id="{clip_id(view=view, band=band)}" clipPathUnits="userSpaceOnUse">'
        f'<rect x="{x}" y="{y_from}" width="{width}" height="{y_to - y_from}"/></clipPath>'
    )


def region_render(*, shape: Shape, muscle: str | None, clip: str | None) -> str:
    name = MUSCLES_BY_SLUG[muscle].name if muscle else shape.label
    title = name if shape.side == "midline" else f"{name}, {shape.side}"
    clip_attribute = f' clip-path="url(#{clip})"' if clip else ""
    return (
        f'<path class="bm-region" data-muscle="{muscle or ""}" data-side="{shape.side}"'
        f' data-candidates="{" ".join(shape.candidates)}"{clip_attribute}'
        f' d="{shape.path}"><title>{escape(title)}</title></path>'
    )


def regions_render(*, view: str, shape: Shape) -> list[str]:
    if not shape.bands:
        return [region_render(shape=shape, muscle=shape.muscle, clip=None)]
    return [
        region_render(shape=shape, muscle=band.muscle, clip=clip_id(view=view, band=band))
        for band in shape.bands
    ]


def svg_render(*, view: str, outline: str, shapes: list[Shape], licence: str) -> str:
    bands = {clip_id(view=view, band=band): band for shape in shapes for band in shape.bands}
    clips = [clip_path_render(view=view, band=band) for band in bands.values()]
    regions = [line for shape in shapes for line in regions_render(view=view, shape=shape)]
    view_box = " ".join(str(number) for number in VIEW_BOXES[view])
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" class="bm-svg"'
            f' data-view="{view}" role="group" aria-label={quoteattr(f"Body map, {view} view")}>',
            "<!--",
            f"Generated by scripts/build_bodymap.py from {PACKAGE} {VERSION}; do not edit.",
            f"The figure's path data is from {PACKAGE} {VERSION} (npm), under this licence:",
            "",
            licence.strip(),
            "-->",
            f"<defs>{''.join(clips)}</defs>" if clips else "",
            '<g class="bm-figure">',
            f'<path class="bm-outline" d="{outline}"/>',
            *regions,
            "</g>",
            "</svg>",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tarball", type=Path, help=f"npm pack {PACKAGE}@{VERSION}")
    arguments = parser.parse_args()
    files = tarball_files_read(tarball=arguments.tarball)
    readings = json.loads(MAPPING.read_text())["views"]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for view, asset in ASSETS.items():
        parts = body_parts_parse(source=files[asset])
        shapes = shapes_join(parts=parts, readings=readings[view], view=view)
        outline = outline_parse(source=files["SvgMaleWrapper.js"], view=view)
        svg = svg_render(view=view, outline=outline, shapes=shapes, licence=files["LICENSE"])
        (OUTPUT / f"{view}.svg").write_text(svg)
        print(f"{view}.svg: {len(shapes)} shapes")


if __name__ == "__main__":
    main()
