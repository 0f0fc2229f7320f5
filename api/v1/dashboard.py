"""/api/v1/dashboard/: the dashboard's figures over exactly the accounts the user may see and
the portfolio filters in the query string (the same selector and form as the page)."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1 import access
from api.v1.accounts import PersonSerializer
from api.v1.base import V1ViewSet
from api.v1.filters import portfolio_filters, portfolio_parameters
from portfolio.dashboard import Dashboard, dashboard


def money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2)


class Money12Serializer(serializers.Serializer):
    current = money()
    previous = money()
    change_pct = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)


class LevelSerializer(serializers.Serializer):
    level = serializers.CharField()
    accounts = serializers.IntegerField()
    gross_profit_12m = money()


class RiskFiguresSerializer(serializers.Serializer):
    revenue = Money12Serializer()
    gross_profit = Money12Serializer()
    levels = LevelSerializer(many=True)
    at_stake = LevelSerializer()


class ProgrammeSerializer(serializers.Serializer):
    admitted = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    capacity = serializers.IntegerField()
    load_pct = serializers.IntegerField(allow_null=True)


class CoverageSerializer(serializers.Serializer):
    current = serializers.IntegerField()
    overdue = serializers.IntegerField()
    programme = serializers.IntegerField()
    current_pct = serializers.IntegerField(allow_null=True)


class MonthsSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.DateField())
    revenue = serializers.DictField(child=serializers.ListField(child=money()))
    gross_profit = serializers.DictField(child=serializers.ListField(child=money()))


class OwnerSerializer(serializers.Serializer):
    owner = PersonSerializer(allow_null=True)
    segments = serializers.DictField(child=serializers.IntegerField())
    coverage = CoverageSerializer()


class TrendPointSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    high_risk = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    as_of = serializers.DateField(allow_null=True, help_text="The nightly run read; null: none.")
    accounts = serializers.IntegerField()
    risk = RiskFiguresSerializer()
    programme = ProgrammeSerializer()
    coverage = CoverageSerializer()
    score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    score_before = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    months = MonthsSerializer(allow_null=True)
    owners = OwnerSerializer(many=True)
    trend = TrendPointSerializer(many=True)


def _data(board: Dashboard) -> dict[str, Any]:
    return {
        "as_of": board.run.as_of if board.run else None,
        "accounts": board.accounts, "risk": board.risk, "programme": board.programme,
        "coverage": board.coverage, "score": board.score, "score_before": board.score_before,
        "months": board.months, "owners": board.owners,
        "trend": [{"as_of": day, "high_risk": n} for day, n in board.trend],
    }  # fmt: skip


@extend_schema(tags=["dashboard"])
class DashboardViewSet(V1ViewSet):
    serializer_class = DashboardSerializer
    pagination_class = None  # one object

    @extend_schema(parameters=portfolio_parameters(), responses=DashboardSerializer)
    def retrieve(self, request: Request) -> Response:
        user = access.user_of(request)
        filters = portfolio_filters(request, user)
        board = dashboard(user=user, filters=filters, today=timezone.localdate())
        return Response(DashboardSerializer(_data(board)).data)
