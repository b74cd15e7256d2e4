"""Advisors read only the chats of the tickets they hold: the permission for the roles that read
any chat (view_all_chats, granted to Supervisor and Cumplimiento by re-applying
escalations/roles.py), and the audit action for listing messages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def apply_roles(apps, schema_editor):
    from escalations.roles import roles_apply

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_apply(group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("escalations", "0005_spanish_labels"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="ticket",
            options={
                "ordering": ["priority", "created_at"],
                "permissions": [
                    ("take_ticket", "Puede tomar tickets y responder al cliente"),
                    ("assign_ticket", "Puede reasignar tickets a otro asesor"),
                    ("view_full_personal_data", "Puede ver cédulas y teléfonos completos"),
                    ("view_all_documents", "Puede descargar documentos de cualquier chat"),
                    ("view_all_chats", "Puede leer los chats de cualquier cliente"),
                    ("view_metrics", "Puede ver las métricas de atención"),
                ],
                "verbose_name": "ticket",
                "verbose_name_plural": "tickets",
            },
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("view_chat", "Abrió el chat de un ticket"),
                    ("view_customer", "Abrió la ficha de un cliente"),
                    ("view_contact", "Abrió la ficha de un contacto"),
                    ("view_message", "Abrió un mensaje"),
                    ("view_message_list", "Abrió una lista de mensajes"),
                    ("download_document", "Descargó un documento"),
                    ("send_message", "Escribió al cliente"),
                    ("take_ticket", "Tomó un ticket"),
                    ("assign_ticket", "Reasignó un ticket"),
                    ("close_ticket", "Cerró un ticket"),
                    ("export_consents", "Exportó consentimientos"),
                    ("publish_policy", "Publicó una versión de la PTI"),
                    ("erase_personal_data", "Suprimió los datos de un titular"),
                ],
                max_length=32,
                verbose_name="acción",
            ),
        ),
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
    ]
