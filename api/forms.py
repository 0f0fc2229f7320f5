"""Forms of the token pages: a new personal token, a new service account, a service account's
new import token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken, TokenScope
from users.models import User


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, e.g. “weekly report script”."),
    )
    scope = forms.ChoiceField(label=_("May"), choices=TokenScope.choices, initial=TokenScope.FULL)


class ServiceTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("Where the token is used, e.g. “ERP nightly export”."),
    )


class ServiceAccountForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=User._meta.get_field("username").max_length,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and @/./+/-/_ only."),
    )
    name = forms.CharField(
        label=_("Name"), max_length=User._meta.get_field("first_name").max_length
    )
