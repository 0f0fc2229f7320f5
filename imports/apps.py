from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """CSV imports in the browser and on the command line: the record of every import, the
    saved column mappings, the pages and the Celery tasks. Above accounts (whose pipeline it
    runs) and below the apps that compose pages."""

    name = "imports"
    verbose_name = "Imports"
