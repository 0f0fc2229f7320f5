"""`{% load formats %}`: `|money` (amounts: "₪58,196"; `|money:2` for cents) and `|score`
(one decimal). Registered in settings.TEMPLATES' libraries; the functions are kam_portal.formats,
which sentences built in Python use too."""

from django import template

from kam_portal.formats import money, score

register = template.Library()
register.filter("money", money)
register.filter("score", score)
