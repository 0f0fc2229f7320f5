"""Forms of the web shell (the login forms of the portal and the Django admin, the language
switcher) and of the people pages."""

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from users.models import Language, Role, Team, User
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


class PersonForm(forms.ModelForm):
    """A person's details on the people pages. Creating also sets the login name."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "team", "language"]
        labels = {"email": _("E-mail address")}
        help_texts = {
            "username": _("What they sign in with: letters, digits and @ . + - _ only."),
            "email": _("Where the one-time password link is sent; may stay empty."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = cast(forms.ModelChoiceField, self.fields["team"])
        team.queryset = Team.objects.order_by("name")
        team.empty_label = _("No team")
        if self.instance.pk:  # the login name stays what it was
            del self.fields["username"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and others.exists():
            raise forms.ValidationError(_("Another person has this e-mail address."))
        return email

    def service_kwargs(self) -> dict[str, Any]:
        fields = ("first_name", "last_name", "email", "role", "team", "language")
        return {name: self.cleaned_data[name] for name in fields}


class PeopleFilterForm(forms.Form):
    ACTIVE_CHOICES = [("", _("Active and inactive")), ("yes", _("Active")), ("no", _("Inactive"))]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name, login or e-mail"), "type": "search"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Every role")), *Role.choices], required=False
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.order_by("name"), required=False,
        empty_label=_("Every team"),
    )  # fmt: skip
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def selector_kwargs(self) -> dict[str, Any]:
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        active = {"yes": True, "no": False}.get(data.get("active") or "")
        return {
            "search": data.get("q") or "",
            "role": data.get("role") or "",
            "team": data.get("team"),
            "active": active,
        }


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "manager"]
        labels = {"name": _("Team name"), "manager": _("Led by (an active sales manager)")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leads = User.objects.filter(role=Role.SALES_MANAGER, is_active=True)
        manager = cast(forms.ModelChoiceField, self.fields["manager"])
        manager.queryset = leads.order_by("first_name", "last_name", "username")
