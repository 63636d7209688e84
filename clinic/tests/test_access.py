"""Walk every URL pattern as each persona and compare with the access table."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clinic.audit import Action
from clinic.models import AccessEvent
from clinic.tests import access_table as table

UNNAMED_ALLOWED = {"static"}


def _patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, object]]:
    """(namespaced name, view) for every pattern; unnamed ones as "<unnamed ...>"."""
    found: list[tuple[str, object]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_patterns(entry, inner))
        elif isinstance(entry, URLPattern):
            name = entry.name or f"<unnamed {entry.pattern}>"
            found.append((f"{namespace}{name}", entry.callback))
    return found


def _project_patterns() -> list[tuple[str, object]]:
    """Every pattern except the Django admin's, which checks staff status itself."""
    admin_prefix = f"{table.ADMIN_NAMESPACE}:"
    return [
        (name, view)
        for name, view in _patterns(get_resolver())
        if not name.startswith(admin_prefix)
    ]


def test_every_url_pattern_has_a_row_in_the_access_table() -> None:
    known = {row.name for row in table.ROWS}
    missing = [name for name, _ in _project_patterns() if name not in known]
    assert missing == [], f"URL patterns without a row in access_table.ROWS: {missing}"


def test_every_project_view_states_its_permission() -> None:
    unstated = [
        name for name, view in _project_patterns() if not hasattr(view, "required_permission")
    ]
    assert unstated == [], f"views without @requires(...) or @public: {unstated}"


def test_every_row_names_a_real_url_pattern() -> None:
    names = {name for name, _ in _patterns(get_resolver())}
    stale = [row.name for row in table.ROWS + table.ADMIN_ROWS if row.name not in names]
    assert stale == []


def _assert_outcome(response, expected: str, url: str) -> None:
    label = f"{url} gave {response.status_code}, expected {expected}"
    if expected == table.OK:
        assert response.status_code == 200, label
    elif expected == table.LOGIN:
        assert response.status_code == 302, label
        assert response["Location"].startswith(reverse("login")), label
    elif expected == table.REDIRECT:
        assert response.status_code == 302, label
    elif expected == table.DENIED:
        assert response.status_code == 403, label
    elif expected == table.UNAUTHORIZED:
        assert response.status_code == 401, label
    elif expected == table.BAD_REQUEST:
        assert response.status_code == 400, label
    elif expected == table.NOT_ALLOWED:
        assert response.status_code == 405, label
    elif expected == "health":
        assert response.status_code in (200, 503), label
        assert response["Content-Type"] == "application/json", label
    else:
        raise AssertionError(f"unknown outcome {expected!r} for {url}")


@pytest.mark.django_db
@pytest.mark.parametrize("row", table.ROWS + table.ADMIN_ROWS, ids=lambda row: row.name)
def test_each_persona_gets_the_access_the_table_states(row: table.Row, persona_clients) -> None:
    url = reverse(row.name, kwargs=row.make_kwargs())
    for persona in table.PERSONAS:
        newest_before = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first()
        response = getattr(persona_clients[persona], row.method)(url)
        label = f"{persona} {row.method.upper()} {url}"
        _assert_outcome(response, row.expected[persona], label)
        if row.expected[persona] == table.DENIED:
            _assert_refusal_logged(row.name, after_id=newest_before or 0, label=label)


def _assert_refusal_logged(url_name: str, *, after_id: int, label: str) -> None:
    """IDOR: a refused object URL leaves one access-denied row naming the URL."""
    refusals = AccessEvent.objects.filter(id__gt=after_id, action=Action.ACCESS_DENIED)
    assert [event.object_type for event in refusals] == [f"url:{url_name}"], label
