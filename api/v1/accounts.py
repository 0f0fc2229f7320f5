"""/api/v1/accounts/: the accounts a user may see, with owner, team, segment, programme,
churn score, level and flags with their evidence, and the 12-month revenue and gross profit of
the latest complete nightly run; and reassignment as an action."""

from typing import Any

from django.db import transaction
from django.db.models import JSONField, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.figures import MONEY
from accounts.models import Account
from accounts.services import account_reassign
from api.v1 import access
from api.v1.base import V1ViewSet, ordering_parameter
from api.v1.concurrency import etag_of, require_if_match, with_etag
from api.v1.filters import portfolio_filters, portfolio_parameters
from portfolio.selectors import portfolio_accounts
from segmentation.churn.models import RiskSnapshot
from segmentation.churn.selectors import with_hand_score, with_risk
from segmentation.enums import Programme, RiskLevel, Segment
from segmentation.models import NightlyRun
from segmentation.segments.selectors import with_segment
from users.models import User


def annotated(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Segment and programme, churn score, level, flags and 12-month figures of the latest
    complete run (subqueries: a page costs the same whatever the portfolio's size)."""
    latest = RiskSnapshot.objects.filter(
        account=OuterRef("pk"), run_id=NightlyRun.objects.latest_complete_id()
    )
    return (
        with_hand_score(with_risk(with_segment(accounts)))
        .annotate(
            risk_flags=Subquery(latest.values("flags")[:1], output_field=JSONField()),
            risk_revenue_12m=Subquery(latest.values("revenue_12m")[:1], output_field=MONEY),
            as_of=Subquery(latest.values("run__as_of")[:1]),
        )
        .select_related("owner__team")
        .prefetch_related("team_members")
    )


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A churn flag code (docs/churn-risk.md).")
    evidence = serializers.DictField(help_text="The numbers that raised it.")


class ChurnSerializer(serializers.Serializer):
    probability = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        source="risk_probability",
        help_text="The chance (0 to 1) of no order in the horizon, by the scorer the run chose.",
    )
    expected_loss = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        source="risk_expected_loss",
        help_text="The probability times gross profit over 12 months.",
    )
    score = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        source="risk_score",
        help_text="The hand weights' score (0 to 100).",
    )
    level = serializers.ChoiceField(choices=RiskLevel.choices, source="risk_level")
    flags = FlagSerializer(many=True, source="risk_flags")


class AccountSerializer(serializers.ModelSerializer):
    """Every field is read-only: the ERP import owns the customer's data, `reassign` the owner,
    pins the segment, and the nightly run the scores."""

    owner = PersonSerializer(allow_null=True)
    team = TeamSerializer(source="owner.team", allow_null=True, help_text="The owner's team.")
    account_team = PersonSerializer(many=True, source="team_members")
    segment = serializers.ChoiceField(choices=Segment.choices, allow_null=True)
    programme = serializers.ChoiceField(choices=Programme.choices, allow_null=True)
    churn = ChurnSerializer(source="*", allow_null=True, help_text="Null before a run scored it.")
    revenue_12m = serializers.DecimalField(
        max_digits=16, decimal_places=2, source="risk_revenue_12m", allow_null=True
    )
    gross_profit_12m = serializers.DecimalField(
        max_digits=16, decimal_places=2, source="risk_gross_profit_12m", allow_null=True
    )
    as_of = serializers.DateField(allow_null=True, help_text="The nightly run's date.")

    class Meta:
        model = Account
        fields = [
            "id", "external_id", "name", "industry", "status", "purchasing_potential",
            "owner", "team", "account_team", "segment", "programme", "churn",
            "revenue_12m", "gross_profit_12m", "as_of",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.risk_level is None:
            data["churn"] = None
        data["segment"] = data["segment"] or None  # "" : the run gave it no segment
        return data


class ReassignSerializer(serializers.Serializer):
    to = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The new account manager's user id."
    )
    reason = serializers.CharField(max_length=1000)


def account_etag(account: Account) -> str:
    """What the reassign action changes: the owner, and updated_at."""
    return etag_of("account", account.pk, account.owner_id, account.updated_at.isoformat())


ORDERINGS = {
    "name": "name",
    "external_id": "external_id",
    "revenue_12m": "risk_revenue_12m",
    "gross_profit_12m": "risk_gross_profit_12m",
    "churn_score": "risk_score",
    "churn_probability": "risk_probability",
    "expected_loss": "risk_expected_loss",
}


@extend_schema(tags=["accounts"])
class AccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, V1ViewSet):
    serializer_class = AccountSerializer
    orderings = ORDERINGS
    default_ordering = ("name",)

    def get_queryset(self) -> QuerySet[Account]:
        user = access.user_of(self.request)
        if self.action == "list":
            filters = portfolio_filters(self.request, user)
            accounts = portfolio_accounts(user=user, filters=filters, today=timezone.localdate())
            return self.ordered(annotated(accounts))
        return annotated(access.visible_accounts(self.request))

    def get_object(self) -> Account:
        account = access.account_for(self.request, self.kwargs["pk"])
        return annotated(Account.objects.filter(pk=account.pk)).get()

    @extend_schema(parameters=[*portfolio_parameters(), ordering_parameter(ORDERINGS)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        account = self.get_object()
        return with_etag(Response(self.get_serializer(account).data), account_etag(account))

    @extend_schema(request=ReassignSerializer, responses=AccountSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: int) -> Response:
        """Give the account to another account manager (sales managers and admins). Send the
        account's ETag in If-Match."""
        account = access.account_for(request, pk, write=access.reassigns)
        body = ReassignSerializer(data=request.data)
        with transaction.atomic():
            locked = Account.objects.select_for_update().get(pk=account.pk)
            require_if_match(request, account_etag(locked))
            body.is_valid(raise_exception=True)
            account_reassign(
                account=locked,
                to=_person(body.validated_data["to"]),
                by=access.user_of(request),
                reason=body.validated_data["reason"],
            )
        fresh = self.get_object()
        return with_etag(Response(self.get_serializer(fresh).data), account_etag(fresh))


def _person(pk: int) -> User:
    person = User.objects.filter(pk=pk).first()
    if person is None:  # the service's own words: no hint whether the id exists
        raise exceptions.ValidationError(
            {"to": _("Choose an active account manager of your teams.")}
        )
    return person
