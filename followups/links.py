"""Signed links for patients: they carry only a follow-up's opaque public id.

Each purpose has its own salt, so a link made for one page is refused by
the other; each has its own lifetime.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.core import signing
from django.urls import reverse

from followups.models import FollowUp


@dataclass(frozen=True)
class _Purpose:
    salt: str
    url_name: str
    setting: str

    @property
    def max_age(self) -> dt.timedelta:
        return getattr(settings, self.setting)


class LinkPurpose(Enum):
    SURVEY = _Purpose("followups.survey-link", "followups:survey", "FOLLOWUP_SURVEY_LINK_AGE")
    UNSUBSCRIBE = _Purpose(
        "followups.unsubscribe-link", "followups:unsubscribe", "FOLLOWUP_UNSUBSCRIBE_LINK_AGE"
    )


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def link_token(*, followup: FollowUp, purpose: LinkPurpose) -> str:
    return signing.dumps(followup.public_id.hex, salt=purpose.value.salt)


def link_url(*, followup: FollowUp, purpose: LinkPurpose) -> str:
    """The absolute URL of the patient page for `purpose`."""
    token = link_token(followup=followup, purpose=purpose)
    return settings.SITE_URL + reverse(purpose.value.url_name, kwargs={"token": token})


def link_followup(*, token: str, purpose: LinkPurpose) -> FollowUp:
    """The follow-up a link points at; LinkExpired or LinkInvalid otherwise."""
    try:
        public_id = signing.loads(token, salt=purpose.value.salt, max_age=purpose.value.max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    try:
        return FollowUp.objects.select_related("patient").get(public_id=uuid.UUID(public_id))
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise LinkInvalid from None
