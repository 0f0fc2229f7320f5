"""`{% load formats %}`: `|money` (amounts: "₪58,196"; `|money:2` for cents), `|score`
(one decimal), `|percent` (a probability 0-1: "62%"), `|points` (percentage points: "+12.5")
and `|signed` (a change: "+5.8"; both keep their sign on the left in Hebrew too). Registered in
settings.TEMPLATES' libraries; the functions are kam_portal.formats, which sentences built in
Python use too."""

from django import template

from kam_portal.formats import money, percent, points, score, signed

register = template.Library()
register.filter("money", money)
register.filter("score", score)
register.filter("percent", percent)
register.filter("points", points)
register.filter("signed", signed)
