"""The first published PTI, so a fresh installation can ask for consent from day one.

Compliance publishes later versions in the admin; each new one makes the bot ask again.
"""

from django.db import migrations
from django.utils import timezone

CONSENT_TEXT = (
    "ProAlto S.A.S. tratará tus datos personales (identificación, contacto, información de tus "
    "créditos y los documentos que nos envíes) para atender tus consultas y solicitudes por este "
    "canal, validar tu identidad, estudiar y gestionar tus créditos y contactarte sobre ellos. "
    "Puedes conocer, actualizar, rectificar y suprimir tus datos, y revocar esta autorización, "
    "cuando quieras escribiendo *privacidad*."
)


def create_policy(apps, schema_editor):
    PolicyVersion = apps.get_model("consent", "PolicyVersion")
    PolicyVersion.objects.get_or_create(
        version="2026.1",
        defaults={
            "consent_text": CONSENT_TEXT,
            "policy_url": "https://www.proalto.com.co/politica-de-tratamiento-de-informacion",
            "published_at": timezone.now(),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]
    operations = [migrations.RunPython(create_policy, migrations.RunPython.noop)]
