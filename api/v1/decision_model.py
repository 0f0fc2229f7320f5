"""The strategic decision model (admins): its versions, saving a new one, and previewing a
change against the latest complete run. Checked by the page's own form, written by
segmentation's services. A new version must name, in If-Match, the newest version it was
based on (the ETag of the list): two admins saving at once cannot silently overwrite."""

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.v1 import access
from api.v1.base import V1ViewSet
from api.v1.concurrency import etag_of, require_if_match, with_etag
from api.v1.errors import form_errors
from segmentation.enums import QualifyMode, Segment
from segmentation.models import DecisionModelVersion
from segmentation.segments.decision import MEASURES, model_errors
from segmentation.segments.forms import DecisionModelForm
from segmentation.segments.preview import decision_model_preview
from segmentation.segments.selectors import decision_version_latest
from segmentation.segments.services import decision_version_create


class VersionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True)
    weights = serializers.DictField(child=serializers.FloatField())
    thresholds = serializers.DictField(child=serializers.CharField())

    class Meta:
        model = DecisionModelVersion
        fields = [
            "number",
            "mode",
            "percentile",
            "weights",
            "thresholds",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ModelRequestSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=QualifyMode.choices)
    percentile = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    weights = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=3))
    thresholds = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True),
        required=False,
    )


class ShownAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    name = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    segment = serializers.ChoiceField(choices=Segment.choices)
    before = serializers.IntegerField()
    after = serializers.IntegerField()
    entering = serializers.IntegerField(source="entering_count")
    leaving = serializers.IntegerField(source="leaving_count")
    shown_entering = ShownAccountSerializer(many=True)
    shown_leaving = ShownAccountSerializer(many=True)


class PreviewSerializer(serializers.Serializer):
    as_of = serializers.DateField(allow_null=True, help_text="The run compared with; null: none.")
    changed = serializers.IntegerField()
    changes = ChangeSerializer(many=True)


def versions_etag() -> str:
    latest = decision_version_latest()
    return etag_of("decision-model", latest.number if latest else 0)


def model_form(body: Any) -> DecisionModelForm:
    """The page's form from the body: {"mode", "percentile", "weights": {measure: n},
    "thresholds": {measure: n}}; a measure left out weighs 0 and has no threshold."""
    body = body if isinstance(body, dict) else {}
    weights = body.get("weights") if isinstance(body.get("weights"), dict) else {}
    thresholds = body.get("thresholds") if isinstance(body.get("thresholds"), dict) else {}
    data = {"mode": body.get("mode") or "", "percentile": _text(body.get("percentile"))}
    for m in MEASURES:
        data[f"weight_{m}"] = _text(weights.get(m, 0))
        data[f"threshold_{m}"] = _text(thresholds.get(m))
    return DecisionModelForm(data)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _body_name(name: str) -> str:
    """weight_x -> weights.x, threshold_x -> thresholds.x, as the body names them."""
    return name.replace("weight_", "weights.", 1).replace("threshold_", "thresholds.", 1)


def _valid(request: Request) -> DecisionModelForm:
    form = model_form(request.data)
    if form.is_valid():
        return form
    errors = form_errors(form, _body_name)
    if set(errors) == {"non_field_errors"}:
        # The model's own rule (decision.model_errors) refused it; the form shows that above
        # its fields, the API names the part of the body: weights, thresholds.
        data = form.cleaned_data
        keyed = model_errors(
            weights={m: data.get(f"weight_{m}") for m in MEASURES},
            mode=data.get("mode", ""),
            percentile=data.get("percentile"),
            thresholds={m: data.get(f"threshold_{m}") for m in MEASURES},
        )
        errors = {_body_name(key): [message] for key, message in keyed.items()} or errors
    raise serializers.ValidationError(errors)


@extend_schema(tags=["segments"])
class DecisionModelVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, V1ViewSet):
    """/api/v1/decision-model/versions/ (admins only)."""

    serializer_class = VersionSerializer
    lookup_field = "number"

    def get_queryset(self) -> Any:
        access.admin_of(self.request)
        return DecisionModelVersion.objects.select_related("created_by").order_by("-number")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return with_etag(super().list(request, *args, **kwargs), versions_etag())

    @extend_schema(request=ModelRequestSerializer, responses={201: VersionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Save a new version (the next nightly run uses it). If-Match: the list's ETag."""
        user = access.admin_of(request)
        with transaction.atomic():
            DecisionModelVersion.objects.select_for_update().order_by("-number").first()
            require_if_match(request, versions_etag())
            version = decision_version_create(model=_valid(request).model(), by=user)
        response = Response(self.get_serializer(version).data, status=status.HTTP_201_CREATED)
        return with_etag(response, versions_etag())

    @extend_schema(request=ModelRequestSerializer, responses=PreviewSerializer)
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        """What the model would change in the latest complete run's segments; writes nothing."""
        user = access.admin_of(request)
        preview = decision_model_preview(model=_valid(request).model(), user=user)
        if preview is None:
            return Response({"as_of": None, "changed": 0, "changes": []})
        changes = [
            {
                "segment": c.segment, "before": c.before, "after": c.after,
                "entering_count": len(c.entering), "leaving_count": len(c.leaving),
                "shown_entering": c.shown_entering, "shown_leaving": c.shown_leaving,
            }
            for c in preview.changes
        ]  # fmt: skip
        data = {"as_of": preview.run.as_of, "changed": preview.changed, "changes": changes}
        return Response(PreviewSerializer(data).data)
