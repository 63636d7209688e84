"""The navigation bar: each entry shows only to users who hold its permission."""

from __future__ import annotations

from dataclasses import dataclass

from clinic.links import url_of

# The frame's other links (base.html), read as frame_urls.<name>.
FRAME_URL_NAMES = (
    "home",
    "session_keep_alive",
    "password_change",
    "two_factor_enrol",
    "logout",
    "licences",
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str

    @property
    def url(self) -> str:
        return url_of(self.url_name)


NAV_ITEMS: list[NavItem] = [
    NavItem("Home", "home", "clinic.access_app"),
    NavItem("Patients", "patients:list", "patients.view_patient"),
    NavItem("Today", "scheduling:today", "scheduling.view_appointment"),
    NavItem("Calendar", "scheduling:day", "scheduling.view_appointment"),
    NavItem("Book", "scheduling:book", "scheduling.add_appointment"),
    NavItem("Sessions", "procedures:worklist", "procedures.view_treatmentsession"),
    NavItem("Stock", "procedures:stock", "procedures.view_lot"),
    NavItem("Recall", "procedures:recall", "procedures.view_treatmentsession"),
    NavItem("Outbox", "followups:outbox", "followups.view_followup"),
    NavItem("Dashboard", "outcomes:dashboard", "outcomes.view_dashboard"),
    NavItem("Audit", "audit_log", "clinic.view_audit"),
]


def nav_items_for(user: object) -> list[NavItem]:
    return [item for item in NAV_ITEMS if user.has_perm(item.permission)]  # type: ignore[attr-defined]


def frame_urls() -> dict[str, str]:
    return {name: url_of(name) for name in FRAME_URL_NAMES}
