"""Made-up patients in bulk, for measuring search (`manage.py generate_patients`).

Deterministic for a given seed. Surnames mix common American ones (which
repeat, as real ones do) with syllable-built ones (a long tail), so the
trigram index sees a realistic spread of names.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from patients.models import ContactMethod, Sex
from patients.search import normalise, search_name_for


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FEMALE_NAMES = _words(
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy "
    "Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa "
    "Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda "
    "Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine "
    "Maria Heather Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan "
    "Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara "
    "Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia Grace Denise Amber Doris "
    "Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla "
    "Alexis Lori Zoë Chloé Renée Inés Sofía Ana Lucía Guadalupe Mai Linh Priya Aisha Fatima "
    "Yuki Siobhan Ngozi Ingrid Astrid Małgorzata Agnieszka Björk Maëlle Noémie"
)
MALE_NAMES = _words(
    "James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel "
    "Matthew Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian George Timothy "
    "Ronald Jason Edward Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin "
    "Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry "
    "Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Walter "
    "Christian Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan "
    "Jesse Bryan Billy Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy "
    "Vincent Mason Roy Ralph Bobby Russell Bradley Philip Eugene José Andrés Joaquín Ramón "
    "Thanh Minh Arjun Rahul Omar Tariq Kenji Hiroshi Oisín Chinedu Lars Sören Jürgen Łukasz "
    "Krzysztof François Jérôme Benoît Dmitri"
)
COMMON_SURNAMES = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
    "Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres "
    "Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts "
    "Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales "
    "Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos "
    "Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes "
    "Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry "
    "Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons "
    "Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West "
    "Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro "
    "Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry "
    "Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez "
    "Silva Shaw Snyder Mason Dixon Muñoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd "
    "Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt García Núñez Peña Müller Schröder "
    "O'Brien O'Connor McCarthy Kowalski Nowak Wiśniewski Lindqvist Søndergaard Brontë Nguyễn "
    "Trần Phạm Yamamoto Tanaka Okafor Adeyemi Haddad Khalil Novák Dvořák Smith-Jones "
    "Lefèvre Dubois Moreau Gauthier Johansson Andersson Kowalczyk"
)
SURNAME_SYLLABLES = _words(
    "al an ar ber bran cal car dal den dor el en fal fer gar gil hal har hol ing ka kel ker "
    "lan lar len lin mar mer mil mon nor nel or os par per quin ran ril ros sal san sel sen "
    "son sor tal tan ter tor val ven ver wal wen win yor zan"
)
STREETS = _words(
    "Maple Oak Pine Cedar Elm Washington Lake Hill Park Main Church Walnut Spring Chestnut "
    "Willow Ridge Sunset Highland Meadow River"
)
STREET_KINDS = ("St", "Ave", "Rd", "Ln", "Dr", "Ct", "Blvd")
CITIES = (
    ("New York", "NY", "100", "212"),
    ("Brooklyn", "NY", "112", "718"),
    ("Newark", "NJ", "071", "973"),
    ("Jersey City", "NJ", "073", "201"),
    ("Boston", "MA", "021", "617"),
    ("Philadelphia", "PA", "191", "215"),
    ("Baltimore", "MD", "212", "410"),
    ("Hartford", "CT", "061", "860"),
    ("Providence", "RI", "029", "401"),
    ("Albany", "NY", "122", "518"),
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


@dataclass(frozen=True)
class GeneratedPatient:
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: dt.date
    sex: str
    email: str
    phone: str
    address_line1: str
    city: str
    region: str
    postal_code: str
    preferred_contact: str
    email_consent: bool
    archived: bool

    @property
    def search_name(self) -> str:
        return search_name_for(
            first_name=self.first_name,
            last_name=self.last_name,
            preferred_name=self.preferred_name,
        )


def generated_patients(*, count: int, seed: int, today: dt.date) -> Iterator[GeneratedPatient]:
    rng = random.Random(seed)  # noqa: S311 (made-up data, not security)
    for index in range(count):
        yield _one_patient(rng, index, today)


def _one_patient(rng: random.Random, index: int, today: dt.date) -> GeneratedPatient:
    female = rng.random() < 0.55
    first_name = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    last_name = _surname(rng)
    city, state, zip_prefix, area_code = rng.choice(CITIES)
    email = _email(rng, first_name, last_name, index) if rng.random() < 0.75 else ""
    return GeneratedPatient(
        first_name=first_name,
        last_name=last_name,
        preferred_name=first_name[:3] if rng.random() < 0.04 else "",
        date_of_birth=today - dt.timedelta(days=rng.randint(18 * 365, 95 * 365)),
        sex=Sex.FEMALE if female else Sex.MALE,
        email=email,
        phone=f"+1{area_code}555{rng.randint(0, 9999):04d}" if rng.random() < 0.92 else "",
        address_line1=f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}",
        city=city,
        region=state,
        postal_code=f"{zip_prefix}{rng.randint(0, 99):02d}",
        preferred_contact=ContactMethod.EMAIL if email else ContactMethod.PHONE,
        email_consent=bool(email) and rng.random() < 0.7,
        archived=rng.random() < 0.02,
    )


def _surname(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(COMMON_SURNAMES)
    syllables = rng.choices(SURNAME_SYLLABLES, k=rng.randint(2, 3))
    return "".join(syllables).capitalize()


def _email(rng: random.Random, first_name: str, last_name: str, index: int) -> str:
    local = normalise(f"{first_name}.{last_name}").replace("'", "").replace(" ", "")
    ascii_local = local.encode("ascii", "ignore").decode()
    return f"{ascii_local}{index}@{rng.choice(EMAIL_DOMAINS)}"
