"""The API's one pagination: limit/offset, a page of PAGE_SIZE (100) by default, MAX_LIMIT at most.

DRF's LimitOffsetPagination has no maximum unless told: `?limit=9223372036854775808` went to
PostgreSQL as a LIMIT it cannot hold (a 500), and `?limit=10000000` would read every account
in one answer. A larger limit is cut to MAX_LIMIT; a negative, zero or non-numeric one falls
back to the default; an offset past the end gives an empty page.
"""

from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 500


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT
