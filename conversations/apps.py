from django.apps import AppConfig
from django.core.signals import setting_changed


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = "Conversaciones"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conversations.bot import receivers  # noqa: F401  (connects the bot's signal receivers)
        from conversations.messaging import checks, whatsapp  # noqa: F401  (checks registers the deploy checks)

        def _reset_client(setting, **kwargs):
            if setting.startswith("WHATSAPP_"):
                whatsapp.reset_client()

        setting_changed.connect(_reset_client, weak=False)
