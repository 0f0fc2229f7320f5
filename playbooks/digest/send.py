"""Sending the digests: each user who wants one today gets it once for the period, in their
language, as plain text and HTML, with a signed one-click unsubscribe link."""

import datetime as dt
import logging

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kam_portal.formats import day
from playbooks.digest.content import Digest, GoalsBehind, digest_for, goals_behind, link
from playbooks.digest.periods import Period, digest_period
from playbooks.enums import DigestFrequency
from playbooks.models import DigestPreference, DigestSent
from users.models import User

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "playbooks.digest.unsubscribe"


def unsubscribe_token(user: User) -> str:
    """A signed token naming the user: the link works without signing in, and only for them."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_token(token: str) -> User | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None


def digest_frequency_set(*, user: User, frequency: str) -> None:
    DigestPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})


def recipients() -> "QuerySet[User]":
    """Active users with an e-mail address whose digest is not off (weekly unless they chose)."""
    chosen = Coalesce("digest_preference__frequency", Value(DigestPreference.DEFAULT.value))
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .annotate(digest_frequency=chosen)
        .exclude(digest_frequency=DigestFrequency.OFF)
        .order_by("pk")
    )


def _message(user: User, digest: Digest, period: Period) -> EmailMultiAlternatives:
    unsubscribe = link(reverse("digest:unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        "user": user,
        "digest": digest,
        "period": period,
        "weekly": period.days > 1,
        "unsubscribe_url": unsubscribe,
        "settings_url": link(reverse("digest:settings")),
        "tasks_url": link(reverse("tasks:list")),
    }
    if period.days > 1:
        subject = _("KAM Portal: your week ahead, %(day)s") % {"day": day(period.start)}
    else:
        subject = _("KAM Portal: your day, %(day)s") % {"day": day(period.start)}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("playbooks/digest/email.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("playbooks/digest/email.html", context), "text/html"
    )
    return message


def digest_send(*, user: User, period: Period, today: dt.date, behind: GoalsBehind) -> bool:
    """Send `user` their digest for `period` unless it was sent already or would be empty.

    The period is claimed (a DigestSent row, unique per user and period) in the transaction
    that sends: a second run of the task, even at the same moment, finds it and sends nothing;
    a mail that fails to send releases the claim, so running the task again sends it."""
    with transaction.atomic():
        _, claimed = DigestSent.objects.get_or_create(user=user, period=period.key)
        if not claimed:
            return False
        with translation.override(user.language):
            digest = digest_for(user=user, period=period, today=today, behind=behind)
            if digest.is_empty:
                transaction.set_rollback(True)
                return False
            _message(user, digest, period).send()
    return True


def digests_send(*, today: dt.date) -> int:
    """Every digest due today (what the beat task runs); returns how many were sent."""
    behind = goals_behind(today=today)
    sent = 0
    for user in recipients():
        frequency = getattr(user, "digest_frequency")  # noqa: B009 (an annotation)
        period = digest_period(frequency, today=today)
        if period is None:
            continue
        try:
            sent += digest_send(user=user, period=period, today=today, behind=behind)
        except Exception:
            # One unreachable mailbox or a mail server hiccup must not cost everyone else their
            # digest; this one's claim was rolled back, so running the task again that day
            # sends it.
            logger.exception("The digest for user %s (%s) was not sent.", user.pk, period.key)
    logger.info("Digests sent for %s: %s.", today, sent)
    return sent
