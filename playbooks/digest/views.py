"""The digest's setting (any signed-in user) and the one-click unsubscribe (no sign-in: the
signed token in the link names the user)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from playbooks.digest.send import digest_frequency_set, user_from_token
from playbooks.enums import DigestFrequency
from playbooks.forms import DigestPreferenceForm
from playbooks.models import DigestPreference
from users.requests import AuthenticatedHttpRequest


def digest_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = DigestPreference.objects.filter(user=request.user).first()
    initial = {"frequency": current.frequency if current else DigestPreference.DEFAULT}
    posted = request.POST if request.method == "POST" else None
    form = DigestPreferenceForm(posted, initial=initial)
    if posted is not None and form.is_valid():
        digest_frequency_set(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your e-mail digest setting is saved."))
        return redirect("digest:settings")
    context = {"form": form, "has_email": bool(request.user.email)}
    return render(request, "playbooks/digest/settings.html", context)


@login_not_required
@csrf_exempt  # mail clients post the one-click unsubscribe (RFC 8058); the token authenticates
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Turn the token's user's digest off, and say so in their language."""
    user = user_from_token(token)
    if user is None:
        page = render(request, "playbooks/digest/unsubscribe.html", {"valid": False}, status=400)
        return page
    digest_frequency_set(user=user, frequency=DigestFrequency.OFF)
    with translation.override(user.language):
        return render(request, "playbooks/digest/unsubscribe.html", {"valid": True})
