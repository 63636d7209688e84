from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"

    def ready(self) -> None:
        from followups import checks  # noqa: F401 (registers the deploy check)
