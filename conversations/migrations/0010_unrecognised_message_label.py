"""Supervisors label the messages the bot did not understand (issue 15), and the roles are
re-applied so Supervisors get conversations.change_unrecognisedmessage (escalations/roles.py)."""

import django.db.models.deletion
from django.conf import settings
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
        ("conversations", "0009_unrecognised_message"),
        # The latest migrations that applied the roles, so none of their permissions is missing here.
        ("credits", "0005_renewal_rule_set"),
        ("escalations", "0010_audit_renewal_rules_change"),
        ("api", "0003_leaddelivery_next_attempt_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="unrecognisedmessage",
            name="intent",
            field=models.CharField(
                blank=True,
                choices=[
                    ("saldo", "Saldo"),
                    ("estado_solicitud", "Estado de solicitud"),
                    ("paz_y_salvo", "Paz y salvo"),
                    ("renovacion", "Renovación"),
                    ("nuevo_credito", "Nuevo crédito"),
                    ("asesor", "Hablar con un asesor"),
                    ("queja", "Queja o reclamo"),
                    ("privacidad", "Privacidad / datos personales"),
                    ("menu", "Menú / saludo"),
                    ("despedida", "Despedida"),
                    ("desconocido", "Nada de lo anterior"),
                ],
                max_length=32,
                verbose_name="intención",
            ),
        ),
        migrations.AddField(
            model_name="unrecognisedmessage",
            name="labelled_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="etiquetado el"),
        ),
        migrations.AddField(
            model_name="unrecognisedmessage",
            name="labelled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="etiquetado por",
            ),
        ),
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
    ]
