"""One-row settings tables (risk, segment, assessment settings) share one way to be read."""

from typing import Self

from django.db import models


class SingletonSettings(models.Model):
    """A settings table of one row, pk=1 (each subclass pins that with a check constraint).

    `load()` is the one way to read it: the row, or the defaults while it is missing. Reading
    never writes; saving a form on the loaded instance creates the row.
    """

    class Meta:
        abstract = True

    @classmethod
    def load(cls) -> Self:
        return cls._default_manager.filter(pk=1).first() or cls(pk=1)
