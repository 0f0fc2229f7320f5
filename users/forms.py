"""Forms of the web shell: the login form and the language switcher."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from users.models import Language


class LoginForm(AuthenticationForm):
    """Django's login form, laid out by crispy-forms for Bootstrap 5."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autofocus"] = True
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Sign in"), css_class="w-100"))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=Language.choices)
