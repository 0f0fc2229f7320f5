"""English as the portal's Israeli users write it: day first, 24-hour clock
(Django's own English formats are American: month first, a.m./p.m.)."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday
