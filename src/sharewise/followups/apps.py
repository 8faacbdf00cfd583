from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "sharewise.followups"
    label = "followups"
    verbose_name = "Follow-ups and meetings"
