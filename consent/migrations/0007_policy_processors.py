"""PTI 2026.2: the authorisation names who processes the data for ProAlto and where.

The messages go through WhatsApp (Meta Platforms, Inc.) and, when the free-text recogniser is
an AI model, through its provider: both may process them outside Colombia (transfer abroad,
Ley 1581 art. 26). The earlier text named neither. Publishing a new version makes the bot ask
everyone again (a consent is to the version shown).
"""

from django.db import migrations
from django.utils import timezone

CONSENT_TEXT = (
    "ProAlto S.A.S. tratará tus datos personales (identificación, contacto, información de tus "
    "créditos y los documentos que nos envíes) para atender tus consultas y solicitudes por este "
    "canal, validar tu identidad, estudiar y gestionar tus créditos y contactarte sobre ellos. "
    "Para hacerlo, tus mensajes pasan por WhatsApp (Meta Platforms, Inc.) y pueden ser leídos por "
    "un proveedor de inteligencia artificial que nos ayuda a entenderlos; ambos actúan por encargo "
    "de ProAlto y pueden tratar los datos fuera de Colombia (transferencia internacional, Ley 1581). "
    "Puedes conocer, actualizar, rectificar y suprimir tus datos, y revocar esta autorización, "
    "cuando quieras escribiendo *privacidad*."
)


def publish(apps, schema_editor):
    PolicyVersion = apps.get_model("consent", "PolicyVersion")
    PolicyVersion.objects.get_or_create(
        version="2026.2",
        defaults={
            "consent_text": CONSENT_TEXT,
            "policy_url": "https://www.proalto.com.co/politica-de-tratamiento-de-informacion",
            "published_at": timezone.now(),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("consent", "0006_consent_records_append_only")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
