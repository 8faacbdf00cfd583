from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sharewise.web"
    label = "web"
    verbose_name = "Sharewise web pages"
