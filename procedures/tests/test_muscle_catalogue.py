"""The muscle catalogue and the body map SVG partials agree with each other."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 (our own generated files, not user input)
from collections import defaultdict

import pytest
from django.conf import settings

from procedures.muscle_catalogue import MUSCLES, MUSCLES_BY_SLUG, REGIONS

SVG = "{http://www.w3.org/2000/svg}"
VIEWS = {"front": "0 0 724 1448", "back": "724 0 724 1448"}


def svg_source(view: str) -> str:
    return (settings.BASE_DIR / "templates" / "procedures" / "bodymap" / f"{view}.svg").read_text()


def svg_root(view: str) -> ET.Element:
    return ET.fromstring(svg_source(view))  # noqa: S314


def regions(view: str) -> list[ET.Element]:
    return svg_root(view).findall(f".//{SVG}path[@class='bm-region']")


def test_catalogue_slugs_are_unique_kebab_case_and_regions_known() -> None:
    slugs = [muscle.slug for muscle in MUSCLES]

    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", slug) for slug in slugs)
    assert {muscle.region for muscle in MUSCLES} <= set(REGIONS)
    assert len(MUSCLES) >= 40


@pytest.mark.parametrize("view", VIEWS)
def test_every_slug_in_the_svg_is_in_the_catalogue(view: str) -> None:
    used = set()
    for region in regions(view):
        used.update(region.get("data-candidates").split())
        used.add(region.get("data-muscle"))

    assert used - {""} <= set(MUSCLES_BY_SLUG)


def test_drawn_muscles_have_a_shape_and_the_others_are_only_candidates() -> None:
    shown = {region.get("data-muscle") for view in VIEWS for region in regions(view)}

    assert {muscle.slug for muscle in MUSCLES if muscle.drawn} == shown - {""}


def test_each_muscle_lists_the_views_that_mention_it() -> None:
    mentioned_in = defaultdict(set)
    for view in VIEWS:
        for region in regions(view):
            for slug in [region.get("data-muscle"), *region.get("data-candidates").split()]:
                mentioned_in[slug].add(view)

    for muscle in MUSCLES:
        assert set(muscle.views) == mentioned_in[muscle.slug], muscle.slug


@pytest.mark.parametrize("view", VIEWS)
def test_every_region_is_named_sided_and_offers_its_own_muscle(view: str) -> None:
    for region in regions(view):
        muscle, side = region.get("data-muscle"), region.get("data-side")
        candidates = region.get("data-candidates").split()
        title = region.find(f"{SVG}title").text

        assert side in {"left", "right", "midline"}
        assert candidates
        if muscle:
            assert muscle in candidates
            assert title.startswith(MUSCLES_BY_SLUG[muscle].name)
        assert title.endswith(f", {side}") or side == "midline"


@pytest.mark.parametrize("view", VIEWS)
def test_svg_keeps_the_view_box_and_the_mit_notice(view: str) -> None:
    root = svg_root(view)
    source = svg_source(view)

    assert root.get("viewBox") == VIEWS[view]
    assert root.get("data-view") == view
    assert root.find(f"{SVG}g/{SVG}path[@class='bm-outline']") is not None
    assert "<!--" in source
    assert "MIT License" in source
    assert "Copyright (c) 2022 ELABBASSI Hicham" in source
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in source


def test_the_front_and_back_show_every_shape_of_the_drawing() -> None:
    # 89 front and 70 back shapes; the back trapezius and neck are cut into bands.
    assert len(regions("front")) == 89
    assert len(regions("back")) == 70 + 2 * 2 + 2 * 1
