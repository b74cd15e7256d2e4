from django.apps import AppConfig
from django.core.signals import setting_changed


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = "Conversaciones"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from conversations.bot import receivers  # noqa: F401  (connects the bot's signal receivers)
        from conversations.bot.gauges import database_gauges
        from conversations.messaging import checks, whatsapp  # noqa: F401  (checks registers the deploy checks)
        from conversations.messaging.readiness import MetaToken
        from proalto.health import Readiness, readiness_check_add
        from proalto.metrics import scrape_collector_add

        # /metrics' database gauges and /readyz's token check. Not critical: the webhook keeps
        # storing messages without the token, and they are answered once it is renewed; taking
        # every instance out of the load balancer would only refuse them (the alert is the
        # proalto_whatsapp_token_valid metric).
        scrape_collector_add(database_gauges)
        readiness_check_add(Readiness("meta_token", MetaToken(), critical=False))

        def _reset_client(setting, **kwargs):
            if setting.startswith("WHATSAPP_"):
                whatsapp.reset_client()
            if setting == "CACHES":
                whatsapp.token_seen_forget()  # the memo mirrors what the cache holds

        setting_changed.connect(_reset_client, weak=False)
