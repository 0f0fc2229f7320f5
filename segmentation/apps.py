from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentationConfig(AppConfig):
    name = "segmentation"
    verbose_name = _("Segmentation and churn risk")
