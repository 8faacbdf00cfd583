from __future__ import annotations

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class WebConfig(AppConfig):
    name = "sharewise.web"
    label = "web"
    verbose_name = "Sharewise web pages"

    def ready(self) -> None:
        # Every save of a record checks its free text, whichever way it came in
        # (sharewise.storable); connected here, where the application starts.
        from sharewise import storable

        storable.connect()

        # The packs are loaded and linted when the application starts, so a pack that
        # cannot be decided with stops `sharewise serve` with the reasons, rather than
        # failing a practitioner halfway through a decision.
        from sharewise.guidance.lint import lint
        from sharewise.guidance.packs import pack_default_id, packs_all

        problems = [f"{pack.id}: {problem}" for pack in packs_all() for problem in lint(pack)]
        if problems:
            raise ImproperlyConfigured("The policy packs have problems:\n" + "\n".join(problems))
        pack_default_id()
