"""Nightly runs (admins): the list, one run, and starting a run now. Starting goes through
segmentation.pipeline; without a broker the run completes (or fails) before the answer, with
one it is still running and the client polls the run."""

from typing import Any

import django_filters
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1 import access
from api.v1.base import V1ViewSet
from api.v1.errors import ApiError, Conflict
from api.v1.schema import ErrorSerializer
from kam_portal.limits import validate_date_in_range
from segmentation import pipeline
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun


class RunSerializer(serializers.ModelSerializer):
    class Meta:
        model = NightlyRun
        fields = [
            "id", "as_of", "status", "started_at", "finished_at", "heartbeat_at", "chunks",
            "customers", "flagged", "high_risk", "error", "timings", "pruned_at",
        ]  # fmt: skip
        read_only_fields = fields


class RunStartSerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False,
        validators=[validate_date_in_range],
        help_text="The date to compute as of; yesterday when left out.",
    )


class RunFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)

    class Meta:
        model = NightlyRun
        fields = ["status"]


@extend_schema(tags=["nightly runs"])
class NightlyRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/nightly-runs/ (admins only)."""

    serializer_class = RunSerializer
    queryset = NightlyRun.objects.none()  # for the schema; get_queryset is the rule
    filter_backends = [DjangoFilterBackend]
    filterset_class = RunFilter

    def get_queryset(self) -> Any:
        access.admin_of(self.request)
        return NightlyRun.objects.order_by("-started_at", "-id")

    @extend_schema(
        request=RunStartSerializer,
        responses={
            201: RunSerializer,
            503: OpenApiResponse(ErrorSerializer, description="The task broker is unreachable."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start a run now. 409 while another runs; 503 when the broker cannot be reached."""
        access.admin_of(request)
        body = RunStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        before = NightlyRun.objects.order_by("-id").values_list("id", flat=True).first() or 0
        try:
            run = pipeline.nightly_run_start(as_of=body.validated_data.get("as_of"))
        except pipeline.RunAlreadyRunning as exc:
            raise Conflict(str(exc), code="already_running") from None
        except pipeline.BrokerUnavailable as exc:
            raise ApiError(status_code=503, detail=str(exc), code="broker_unavailable") from None
        except Exception:  # in process, this run failed and is recorded: say why
            failed = NightlyRun.objects.filter(status=RunStatus.FAILED, id__gt=before).first()
            if failed is None:
                raise  # it failed before it was claimed: a fault, not a run's failure
            reason = (failed.error.strip().splitlines() or [""])[-1]
            detail = _("Run %(id)s failed: %(error)s") % {"id": failed.pk, "error": reason}
            raise Conflict(detail, code="run_failed") from None
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)
