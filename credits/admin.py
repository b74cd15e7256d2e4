"""Customers, credits and applications in the admin: read-only copies of the core system,
masked by role (escalations/privacy.py); opening a customer is written to the audit log.
Only an application's stage can be changed here, through credits.services, and with the
core as source (PORTFOLIO_SOURCE=core) only that of a lead the bot took itself: the core
owns the others. A customer's credits and applications are read through
`credits.selectors.customer_panel`, from the source in use, with the data's cut-off."""

from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html, format_html_join

from credits import eligibility, selectors, services
from credits.models import Application, ApplicationStageChange, Credit, Customer, RenewalRuleSet
from escalations import privacy
from escalations.audit import AuditAction
from escalations.services import audit_record
from proalto.admin import ReadOnlyAdminMixin
from proalto.colombia import format_cop, format_date_long, format_time
from proalto.http import client_ip
from proalto.masking import mask_cedula, mask_phone


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "cedula_masked", "phone_masked", "reclamo_en_tramite", "updated_at"]
    list_filter = ["reclamo_en_tramite"]
    # Exact matches only: a search must not list customers by partial cédula or phone.
    search_fields = ["=cedula", "=phone", "full_name"]

    @admin.display(description="cédula", ordering="cedula")
    def cedula_masked(self, customer):
        return mask_cedula(customer.cedula)

    @admin.display(description="celular")
    def phone_masked(self, customer):
        return mask_phone(customer.phone)

    def get_fields(self, request, obj=None):
        fields = ["full_name", "cedula_shown", "phone_shown", "reclamo_en_tramite", "updated_at"]
        if privacy.sees_full_data(request.user):
            # Identity-validation answers: never shown to advisors (social engineering).
            fields[3:3] = ["birth_date", "cedula_issue_date"]
        return [*fields, "data_source", "credits_panel", "applications_panel"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_object(self, request, object_id, from_field=None):
        customer = super().get_object(request, object_id, from_field)
        if customer is not None:
            customer.shown = {
                "cedula": privacy.cedula_for(request.user, customer.cedula),
                "phone": privacy.phone_for(request.user, customer.phone),
            }
        return customer

    def _panel(self, customer) -> dict:
        panel = getattr(customer, "panel", None)
        if panel is None:
            panel = customer.panel = selectors.customer_panel(customer=customer)
        return panel

    @admin.display(description="origen de los datos")
    def data_source(self, customer):
        panel = self._panel(customer)
        if panel["error"]:
            return "El sistema central no responde en este momento: no se muestran créditos ni solicitudes."
        if panel["live"]:
            return "Sistema central de ProAlto, consultado en vivo."
        if panel["as_of"] is None:
            return "Copia local (nunca cargada)."
        as_of = panel["as_of"]
        return f"Copia local con corte al {format_date_long(as_of)}, {format_time(as_of)}"

    @admin.display(description="créditos")
    def credits_panel(self, customer):
        rows = self._panel(customer)["credits"]
        if not rows:
            return "—"
        return _table(
            ["Número", "Pagaduría", "Saldo", "Cuotas", "Próximo descuento", "Estado"],
            (
                (
                    c.number,
                    c.pagaduria,
                    format_cop(c.balance),
                    f"{c.installments_paid} de {c.installments_total}",
                    format_date_long(c.next_deduction_date) if c.next_deduction_date else "—",
                    Credit.Status(c.status).label,
                )
                for c in rows
            ),
        )

    @admin.display(description="solicitudes")
    def applications_panel(self, customer):
        rows = self._panel(customer)["applications"]
        if not rows:
            return "—"
        return _table(
            ["Número", "Etapa", "Actualizada", "Origen"],
            (
                (a.number, Application.Stage(a.stage).label, format_date_long(a.updated_at), _origin_label(a.origin))
                for a in rows
            ),
        )

    @admin.display(description="cédula")
    def cedula_shown(self, customer):
        return customer.shown["cedula"][0]

    @admin.display(description="celular")
    def phone_shown(self, customer):
        return customer.shown["phone"][0]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            full = privacy.sees_full_data(request.user)
            seen = ["nombre", "créditos", "solicitudes"]
            seen += (
                ["cédula completa", "celular completo", "fecha de nacimiento", "fecha de expedición"]
                if full
                else ["cédula enmascarada", "celular enmascarado"]
            )
            audit_record(
                user=request.user,
                action=AuditAction.VIEW_CUSTOMER,
                object_type="credits.customer",
                object_id=object_id,
                fields=seen,
                ip=client_ip(request),
            )
        return response


BEST_TIMES = {"manana": "En la mañana", "tarde": "En la tarde", "cualquier_hora": "A cualquier hora"}


def _origin_label(origin: str) -> str:
    return Application.Origin(origin).label


def _table(headers: list[str], rows) -> str:
    return format_html(
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<th>{}</th>", ((h,) for h in headers)),
        format_html_join(
            "", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((v,) for v in row)),) for row in rows)
        ),
    )


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_filter = ["status", "pagaduria"]
    search_fields = ["=number"]
    list_select_related = ["customer"]
    MONEY = ("disbursed_amount", "balance", "installment_amount")

    def _money(self, request, field: str):
        """A money column as staff read it ($8.250.000), masked by role like the chat's panel."""

        @admin.display(description=Credit._meta.get_field(field).verbose_name, ordering=field)
        def shown(credit):
            return privacy.amount_for(request.user, format_cop(getattr(credit, field)))[0]

        shown.__name__ = field
        return shown

    def get_list_display(self, request):
        columns = ["number", "customer", "pagaduria", "balance", "installments_paid", "installments_total", "status"]
        return [self._money(request, c) if c in self.MONEY else c for c in columns]

    def get_fields(self, request, obj=None):
        names = [f.name for f in Credit._meta.fields if f.name != "id"]
        return [self._money(request, n) if n in self.MONEY else n for n in names]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


class StageChangeInline(ReadOnlyInline):
    model = ApplicationStageChange
    fields = ["from_stage", "to_stage", "changed_at", "notified_at"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["number", "customer", "stage", "updated_at"]
    list_filter = ["stage"]
    search_fields = ["=number"]
    list_select_related = ["customer"]
    fields = ["number", "customer", "stage", "updated_at", "origin", "details_shown"]
    readonly_fields = ["number", "customer", "updated_at", "origin", "details_shown"]
    inlines = [StageChangeInline]

    @admin.display(description="datos de la solicitud")
    def details_shown(self, application):
        # What the prospect told in "Nuevo crédito" (the ticket shows it masked by role).
        details = application.details or {}
        if not details:
            return "—"
        rows = [
            ("Nombre", details.get("full_name", "")),
            ("Ciudad", details.get("city", "")),
            ("Pagaduría", details.get("pagaduria", "")),
            ("Horario para llamar", BEST_TIMES.get(details.get("best_time", ""), details.get("best_time", ""))),
            ("Documentos", str(len(details.get("documents", [])))),
        ]
        return _table(["Dato", "Valor"], rows)

    def get_readonly_fields(self, request, obj=None):
        # With the core as source, the core owns a stage; only the bot's own leads are set here.
        if settings.PORTFOLIO_SOURCE == "core" and (obj is None or obj.origin == Application.Origin.CORE):
            return [*self.readonly_fields, "stage"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service: it records the ApplicationStageChange the notifications react to.
        if "stage" in form.changed_data:
            services.application_stage_set(application=obj, stage=form.cleaned_data["stage"])
            self.message_user(request, f"La solicitud {obj.number} pasó a {obj.get_stage_display()}.", messages.INFO)


def _rule_column(name: str, label: str):
    @admin.display(description=label, ordering=name)
    def column(rules):
        return services.renewal_rule_shown(name, getattr(rules, name))

    return column


@admin.register(RenewalRuleSet)
class RenewalRuleSetAdmin(admin.ModelAdmin):
    """The renewal rules a Supervisor sets: each save publishes a new version (in force from
    then on); versions are never edited or deleted, so the list is the history of changes."""

    # The values as the audit log shows them (Colombian formats: 50 %, $60.000.000, 1,8 %).
    list_display = [
        "created_at",
        *(_rule_column(name, label) for name, (label, _) in services.RENEWAL_RULE_LABELS.items()),
        "created_by_name",
        "reason",
    ]
    list_display_links = ["created_at"]
    fields = ["min_paid_share", "amount_factor", "max_amount", "monthly_rate", "term_months", "reason"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.fields, "created_by_name", "created_at"] if obj is not None else []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField):
            # Shown and typed as staff write them and the help texts say ("0,5"); a number
            # input shows "0.5". A point is still read as the decimal separator.
            kwargs["localize"] = True
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        return [*self.fields, "created_by_name", "created_at"] if obj is not None else self.fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        # A new version starts from the rules in force (the latest version, or the settings).
        rules = eligibility.renewal_rules()
        return {
            "min_paid_share": rules.min_paid_share,
            "amount_factor": rules.amount_factor,
            "max_amount": rules.max_amount,
            "monthly_rate": rules.monthly_rate,
            "term_months": rules.term_months,
        }

    def save_model(self, request, obj, form, change):
        published = services.renewal_rules_publish(
            user=request.user, ip=client_ip(request), **{name: form.cleaned_data[name] for name in self.fields}
        )
        obj.pk = published.pk  # the admin's messages and redirect name the version saved
