"""ProAlto's customers, their libranza credits and their credit applications.

The bot's local copy of ProAlto's core system: loaded from its export (`manage.py
import_clients`) or pulled from it (`sync_portfolio`), each load recorded with its cut-off
(`PortfolioLoad`). Read only through `credits.selectors`, which dispatch to the source in
use (PORTFOLIO_SOURCE). With the core as source these rows are still the anchor of
sessions, tickets and certificates, the subscriptions' applications and the leads the bot
itself takes ("Nuevo crédito").
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from proalto.masking import mask_cedula


class Customer(models.Model):
    cedula = models.CharField(verbose_name="cédula", max_length=12, unique=True)
    full_name = models.CharField(verbose_name="nombre completo", max_length=200)
    # Registered mobile, E.164 digits without '+', as WhatsApp's wa_id.
    phone = models.CharField(verbose_name="celular registrado", max_length=20, db_index=True)
    birth_date = models.DateField(verbose_name="fecha de nacimiento", null=True, blank=True)
    cedula_issue_date = models.DateField(verbose_name="fecha de expedición", null=True, blank=True)
    # Set while a Ley 1266 reclamo is being handled ("reclamo en trámite").
    reclamo_en_tramite = models.BooleanField(verbose_name="reclamo en trámite", default=False)
    updated_at = models.DateTimeField(verbose_name="actualizado", auto_now=True)

    class Meta:
        verbose_name = "cliente"
        verbose_name_plural = "clientes"

    def __str__(self) -> str:
        return f"{self.full_name.split(' ')[0]} ({mask_cedula(self.cedula)})"


class Credit(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Activo"
        PAID = "paid", "Cancelado"
        ARREARS = "arrears", "En mora"

    customer = models.ForeignKey(Customer, verbose_name="cliente", on_delete=models.CASCADE, related_name="credits")
    number = models.CharField(verbose_name="número", max_length=32, unique=True)
    pagaduria = models.CharField(verbose_name="pagaduría", max_length=120)
    disbursed_amount = models.DecimalField(verbose_name="monto desembolsado", max_digits=14, decimal_places=2)
    balance = models.DecimalField(verbose_name="saldo", max_digits=14, decimal_places=2)
    installments_total = models.PositiveIntegerField(verbose_name="cuotas totales")
    installments_paid = models.PositiveIntegerField(verbose_name="cuotas pagadas")
    installment_amount = models.DecimalField(verbose_name="valor de la cuota", max_digits=14, decimal_places=2)
    next_deduction_date = models.DateField(verbose_name="próximo descuento", null=True, blank=True)
    status = models.CharField(verbose_name="estado", max_length=16, choices=Status.choices)

    class Meta:
        verbose_name = "crédito"
        verbose_name_plural = "créditos"

    def __str__(self) -> str:
        return self.number


class Application(models.Model):
    class Stage(models.TextChoices):
        RECEPCION = "recepcion", "Recepción"
        ESTUDIO = "estudio", "Estudio"
        APROBACION = "aprobacion", "Aprobación"
        DESEMBOLSO = "desembolso", "Desembolso"
        RECHAZADA = "rechazada", "Rechazada"

    class Origin(models.TextChoices):
        CORE = "core", "Sistema central"
        WHATSAPP = "whatsapp", "WhatsApp (Nuevo crédito)"

    # None only for a lead whose cédula is not (yet) a customer's registered to that chat.
    customer = models.ForeignKey(
        Customer, verbose_name="cliente", on_delete=models.CASCADE, related_name="applications", null=True, blank=True
    )
    number = models.CharField(verbose_name="número", max_length=32, unique=True)
    stage = models.CharField(verbose_name="etapa", max_length=16, choices=Stage.choices)
    updated_at = models.DateTimeField(verbose_name="actualizada", default=timezone.now)
    origin = models.CharField(verbose_name="origen", max_length=16, choices=Origin.choices, default=Origin.CORE)
    # A lead taken in the chat: the chat that submitted it (it may follow it without a
    # validated identity) and what the prospect told (city, pagaduría, documents' ids).
    contact = models.ForeignKey(
        "conversations.Contact",
        verbose_name="chat",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_applications",
    )
    details = models.JSONField(verbose_name="datos de la solicitud", default=dict, blank=True)
    # When staff last set the stage in the admin: an import or sync does not overwrite it
    # with data dated before that.
    stage_set_by_staff_at = models.DateTimeField(verbose_name="etapa fijada por personal", null=True, blank=True)

    class Meta:
        verbose_name = "solicitud"
        verbose_name_plural = "solicitudes"

    def __str__(self) -> str:
        return self.number


# Stages after which an application no longer moves (subscriptions to it end).
FINAL_STAGES = (Application.Stage.DESEMBOLSO, Application.Stage.RECHAZADA)
# The order an application moves in; "rechazada" may follow any stage.
STAGE_RANK = {
    Application.Stage.RECEPCION: 0,
    Application.Stage.ESTUDIO: 1,
    Application.Stage.APROBACION: 2,
    Application.Stage.DESEMBOLSO: 3,
    Application.Stage.RECHAZADA: 3,
}


class PortfolioLoad(models.Model):
    """One load of the local copy: a file import or a sync from the core, with the moment
    its data were taken (the cut-off a reply from the local copy states)."""

    class Kind(models.TextChoices):
        IMPORT = "import", "Archivo (import_clients)"
        SYNC = "sync", "Sincronización con el sistema central"

    kind = models.CharField(verbose_name="tipo", max_length=8, choices=Kind.choices)
    data_as_of = models.DateTimeField(verbose_name="corte de los datos")
    loaded_at = models.DateTimeField(verbose_name="cargado", default=timezone.now)
    # Sync only: the last (updated_at, key) read per relation, where the next run resumes.
    cursor = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(verbose_name="conteos", default=dict, blank=True)
    source_name = models.CharField(verbose_name="origen", max_length=255, blank=True)

    class Meta:
        verbose_name = "carga de cartera"
        verbose_name_plural = "cargas de cartera"
        indexes = [models.Index(fields=["kind", "-loaded_at"], name="portfolio_load_kind_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.data_as_of:%Y-%m-%d %H:%M}"


class ApplicationStageChange(models.Model):
    """A stage change seen on re-import or in the admin: what notifications react to."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(verbose_name="etapa anterior", max_length=16, blank=True)
    to_stage = models.CharField(verbose_name="etapa nueva", max_length=16)
    changed_at = models.DateTimeField(verbose_name="cambió", default=timezone.now)
    notified_at = models.DateTimeField(verbose_name="avisado", null=True, blank=True)

    class Meta:
        verbose_name = "cambio de etapa"
        verbose_name_plural = "cambios de etapa"

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} → {self.to_stage}"


class ApplicationSubscription(models.Model):
    """A WhatsApp contact who asked to be told when an application changes stage.

    Created by the "estado de solicitud" flow after identity validation; read by
    `credits.notifications.stage_changes_notify`. Deactivated once the application reaches
    a final stage (desembolso, rechazada).
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="subscriptions")
    contact = models.ForeignKey(
        "conversations.Contact", on_delete=models.CASCADE, related_name="application_subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=True)
    last_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "contact"], name="one_subscription_per_contact_and_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.contact}"


class RenewalRuleSet(models.Model):
    """One version of the renewal rules (credits.eligibility): the latest is in force, and
    with none the RENEWAL_* settings are. A version is never changed or deleted: a change is
    a new version, with who made it, when and why (the history is the audit trail)."""

    min_paid_share = models.DecimalField(
        verbose_name="porción mínima pagada",
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="Fracción de las cuotas pagadas para poder renovar, p. ej. 0,5 = 50 %.",
    )
    amount_factor = models.DecimalField(
        verbose_name="multiplicador del monto",
        max_digits=5,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10"))],
        help_text="Nuevo monto = monto desembolsado × multiplicador (hasta el monto máximo).",
    )
    max_amount = models.DecimalField(
        verbose_name="monto máximo", max_digits=14, decimal_places=0, validators=[MinValueValidator(Decimal("1"))]
    )
    monthly_rate = models.DecimalField(
        verbose_name="tasa mes vencida",
        max_digits=6,
        decimal_places=5,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.1"))],
        help_text="Fracción mensual, p. ej. 0,018 = 1,8 % M.V.",
    )
    term_months = models.PositiveSmallIntegerField(
        verbose_name="plazo máximo (meses)", validators=[MinValueValidator(1), MaxValueValidator(180)]
    )
    reason = models.CharField(verbose_name="motivo del cambio", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="creada por", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(verbose_name="usuario", max_length=150, blank=True)
    created_at = models.DateTimeField(verbose_name="vigente desde", default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "versión de reglas de renovación"
        verbose_name_plural = "reglas de renovación"

    def __str__(self) -> str:
        return f"Reglas de renovación v{self.pk}"
