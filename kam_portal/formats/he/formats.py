"""Hebrew: day first, as in Django's short format, for every date (Django's long Hebrew format
spells the month); thousands grouped (Django's Hebrew formats set no grouping)."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday
NUMBER_GROUPING = 3
