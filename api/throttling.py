"""Throttling on by default: anonymous clients by address, signed-in ones by user. The rates
are read from settings on each request (API_THROTTLE_ANONYMOUS, API_THROTTLE_USER), so a
test or a deployment changes them without a restart of the class attributes DRF keeps."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return str(settings.API_THROTTLE_ANONYMOUS)


class SignedInRateThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return str(settings.API_THROTTLE_USER)
