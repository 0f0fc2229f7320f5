from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    """Pages that compose several apps (home pages, account list and page, dashboard): they sit
    above accounts, segmentation and assessments, so those never import each other's pages."""

    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from portfolio import signals  # noqa: F401  (connects the cache's version signals)
