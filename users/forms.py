"""Forms of the web shell: the login forms (portal and Django admin) and the language switcher."""

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from users.models import Language, User
from users.throttle import sign_in_attempts_serialized


class SerializedSignInMixin(AuthenticationForm):
    """Check the credentials one attempt at a time per username and per address, so that
    parallel guesses cannot slip past the failure limit (users/throttle.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's form only tells the browser the username's length; checking it here keeps
        # a 1,000-character name from reaching authenticate() and the sign-in log's column.
        username = cast(forms.CharField, self.fields["username"])
        username.validators.append(MaxLengthValidator(username.max_length))

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        refused: ValidationError | None = None
        request = self.request
        if request is None:  # a form built outside a request: no address to throttle by
            return super().clean()
        with sign_in_attempts_serialized(request=request, username=username):
            try:
                cleaned = super().clean()
            except ValidationError as error:
                # Leave the block normally: an exception would roll back the failure axes
                # has just recorded inside it.
                refused = error
        if refused is not None:
            raise refused
        return cleaned

    def confirm_login_allowed(self, user: User) -> None:
        """A service account has no password to sign in with; should one be set by mistake,
        the pages still refuse it, with the same words as a wrong password."""
        super().confirm_login_allowed(user)
        if user.is_service_account:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class AdminLoginForm(SerializedSignInMixin, AdminAuthenticationForm):
    """The Django admin's login form, throttled like the portal's."""


class LoginForm(SerializedSignInMixin, AuthenticationForm):
    """Django's login form, laid out by crispy-forms for Bootstrap 5."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autofocus"] = True
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Sign in"), css_class="w-100"))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=Language.choices)
