from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AgenciesConfig(AppConfig):
    name = "sharewise.agencies"
    label = "agencies"
    verbose_name = "Agencies, teams and roles"

    def ready(self) -> None:
        from .models import Membership
        from .selectors import memberships_changed

        # A user object's cached memberships (selectors._memberships) are read again after
        # any membership changes in this process.
        post_save.connect(memberships_changed, sender=Membership, dispatch_uid="memberships")
        post_delete.connect(memberships_changed, sender=Membership, dispatch_uid="memberships")
