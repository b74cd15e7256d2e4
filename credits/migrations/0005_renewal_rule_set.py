"""Renewal rules editable in the admin (versioned), and the roles re-applied so Supervisors
get them and the list of messages the bot did not understand (escalations/roles.py)."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
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
        ("credits", "0004_portfolio_source"),
        ("conversations", "0009_unrecognised_message"),
        ("escalations", "0007_audit_entries_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RenewalRuleSet",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "min_paid_share",
                    models.DecimalField(
                        decimal_places=3,
                        help_text="Fracción de las cuotas pagadas para poder renovar, p. ej. 0,5 = 50 %.",
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("1")),
                        ],
                        verbose_name="porción mínima pagada",
                    ),
                ),
                (
                    "amount_factor",
                    models.DecimalField(
                        decimal_places=3,
                        help_text="Nuevo monto = monto desembolsado × multiplicador (hasta el monto máximo).",
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.1")),
                            django.core.validators.MaxValueValidator(Decimal("10")),
                        ],
                        verbose_name="multiplicador del monto",
                    ),
                ),
                (
                    "max_amount",
                    models.DecimalField(
                        decimal_places=0,
                        max_digits=14,
                        validators=[django.core.validators.MinValueValidator(Decimal("1"))],
                        verbose_name="monto máximo",
                    ),
                ),
                (
                    "monthly_rate",
                    models.DecimalField(
                        decimal_places=5,
                        help_text="Fracción mensual, p. ej. 0,018 = 1,8 % M.V.",
                        max_digits=6,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0")),
                            django.core.validators.MaxValueValidator(Decimal("0.1")),
                        ],
                        verbose_name="tasa mes vencida",
                    ),
                ),
                (
                    "term_months",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(180),
                        ],
                        verbose_name="plazo máximo (meses)",
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="motivo del cambio")),
                ("created_by_name", models.CharField(blank=True, max_length=150, verbose_name="usuario")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="vigente desde")),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="creada por",
                    ),
                ),
            ],
            options={
                "verbose_name": "versión de reglas de renovación",
                "verbose_name_plural": "reglas de renovación",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
    ]
