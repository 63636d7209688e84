"""The people, rooms and stock that the bulk history points at."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import User
from clinic.roles import CLINIC_ADMIN, CLINICIAN, FRONT_DESK
from procedures.models import Lot, Muscle, Product
from scheduling.models import AppointmentKind, AppointmentType, Room, WorkingHours

CLINICIAN_COUNT = 20
ROOM_COUNT = 10
USERNAME_PREFIX = "bench-"
FRONT_DESK_USERNAME = "bench-frontdesk"
ADMIN_USERNAME = "bench-admin"
# Each room has a morning and an afternoon shift, every day but Sunday.
SHIFTS = ((dt.time(7, 0), dt.time(13, 0)), (dt.time(13, 0), dt.time(19, 0)))
WORKING_DAYS = range(6)
BENCH_PRODUCTS = ("Botox", "Xeomin")  # 100 U powders, reconstituted with 2.5 mL
LAST_NAMES = [
    "Abara",
    "Bishop",
    "Castellanos",
    "Dvorak",
    "Eriksen",
    "Fujita",
    "Gallagher",
    "Haddad",
    "Iwu",
    "Jaramillo",
    "Kowalczyk",
    "Lindqvist",
    "Mbeki",
    "Novak",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rasmussen",
    "Sato",
    "Takahashi",
]


@dataclass(frozen=True)
class Staff:
    clinician_ids: list[int]
    front_desk_id: int
    admin_id: int
    room_ids: list[int]
    type_ids: dict[str, int]
    lot_ids: dict[tuple[int, int], int]  # (product id, year) -> lot id
    product_ids: list[int]
    muscles: list[Muscle]


def staff_create(*, first_year: int, last_year: int) -> Staff:
    clinicians = [_clinician(number) for number in range(1, CLINICIAN_COUNT + 1)]
    products = list(Product.objects.filter(brand_name__in=BENCH_PRODUCTS).order_by("pk"))
    return Staff(
        clinician_ids=[user.pk for user in clinicians],
        front_desk_id=_user(FRONT_DESK_USERNAME, "Front", "Desk", FRONT_DESK).pk,
        admin_id=_user(ADMIN_USERNAME, "Clinic", "Admin", CLINIC_ADMIN).pk,
        room_ids=[Room.objects.create(name=f"Bench room {n:02d}").pk for n in range(1, 11)],
        type_ids=_type_ids(),
        lot_ids=_lots(products, first_year, last_year),
        product_ids=[product.pk for product in products],
        muscles=list(Muscle.objects.filter(drawn=True).order_by("pk")),
    )


def _clinician(number: int) -> User:
    user = _user(
        f"{USERNAME_PREFIX}clinician-{number:02d}", "Dana", LAST_NAMES[number - 1], CLINICIAN
    )
    user.credentials = "MD"
    user.save(update_fields=["credentials"])
    WorkingHours.objects.bulk_create(
        WorkingHours(clinician=user, weekday=day, starts_at=SHIFTS[0][0], ends_at=SHIFTS[1][1])
        for day in WORKING_DAYS
    )
    return user


def _user(username: str, first_name: str, last_name: str, role: str) -> User:
    user = User.objects.create_user(
        username=username, first_name=first_name, last_name=last_name, password=None
    )
    user.groups.add(Group.objects.get(name=role))
    # Production sign-in needs a confirmed authenticator; the bench's session
    # cookies name this device as the one that verified the session.
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def _type_ids() -> dict[str, int]:
    return {
        kind: AppointmentType.objects.filter(kind=kind, is_active=True).order_by("pk").first().pk
        for kind in AppointmentKind.values
    }


def _lots(products: list[Product], first_year: int, last_year: int) -> dict[tuple[int, int], int]:
    lots = {}
    for product in products:
        for year in range(first_year, last_year + 1):
            lot = Lot.objects.create(
                product=product,
                lot_number=f"BENCH{product.pk}{year}",
                units_per_vial=100,
                expires_on=dt.date(year + 2, 12, 31),
                vials_received=100_000,
            )
            lots[(product.pk, year)] = lot.pk
    return lots
