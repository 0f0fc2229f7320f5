from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class SegmentationConfig(AppConfig):
    name = "segmentation"
    verbose_name = _("Segmentation and churn risk")

    def ready(self) -> None:
        from segmentation.checks import nightly_steps_check  # checks read settings: at ready

        checks.register(nightly_steps_check)
