"""What the API accepts and answers, field by field; errors in Spanish (DRF's own messages
are Spanish under LANGUAGE_CODE es-co; ours below)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.utils import timezone
from rest_framework import serializers

from credits import identity
from credits.models import Application
from proalto.colombia import normalize_mobile

from .lookup import CONSULTAS

EVENT_TYPES = ("solicitud.etapa", "credito.pago", "credito.estado", "cliente.contacto")
CREDIT_STATUSES = ("active", "paid", "arrears")


def _cedula(value: str) -> str:
    cedula = identity.parse_cedula(value)
    if cedula is None:
        raise serializers.ValidationError("Escriba la cédula con solo dígitos (entre 5 y 12).")
    return cedula


def _mobile(value: str) -> str:
    phone = normalize_mobile(value)
    if phone is None:
        raise serializers.ValidationError("No es un celular colombiano válido (por ejemplo 573001234567).")
    return phone


class LookupRequest(serializers.Serializer):
    cedula = serializers.CharField(max_length=20, help_text="Número de cédula, solo dígitos.")
    fecha_expedicion = serializers.CharField(
        max_length=10, help_text="Fecha de expedición de la cédula: AAAA-MM-DD o DD/MM/AAAA."
    )
    whatsapp = serializers.CharField(max_length=20, help_text="Celular del suscriptor ({{phone}} en ManyChat).")
    consulta = serializers.ChoiceField(choices=CONSULTAS)

    def validate_cedula(self, value: str) -> str:
        return _cedula(value)

    def validate_fecha_expedicion(self, value: str) -> date:
        value = value.strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return date.fromisoformat(value)
            if re.fullmatch(r"\d{2}/\d{2}/\d{4}", value):
                return datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError:
            pass
        raise serializers.ValidationError("Use una fecha válida con el formato AAAA-MM-DD o DD/MM/AAAA.")

    def validate_whatsapp(self, value: str) -> str:
        return _mobile(value)


class CreditAnswer(serializers.Serializer):
    numero = serializers.CharField()
    pagaduria = serializers.CharField()
    saldo = serializers.IntegerField(help_text="Pesos.")
    cuotas_pagadas = serializers.IntegerField()
    cuotas_total = serializers.IntegerField()
    valor_cuota = serializers.IntegerField(help_text="Pesos.")
    proximo_descuento = serializers.DateField(allow_null=True)
    en_mora = serializers.BooleanField()


class ApplicationAnswer(serializers.Serializer):
    numero = serializers.CharField()
    etapa = serializers.ChoiceField(choices=Application.Stage.values)
    etapa_texto = serializers.CharField()
    actualizado = serializers.DateTimeField()


class PazYSalvoAnswer(serializers.Serializer):
    disponible = serializers.BooleanField()
    codigo = serializers.CharField(required=False)
    url = serializers.URLField(required=False, help_text="Enlace firmado al PDF; vence en API_LINK_EXPIRY_SECONDS.")
    verificacion = serializers.URLField(required=False, help_text="Página pública /verificar/<código>/.")
    motivo = serializers.ChoiceField(
        choices=["sin_creditos", "saldo_pendiente", "verificacion_pendiente"], required=False
    )


class Customer(serializers.Serializer):
    nombre = serializers.CharField()


class LookupAnswer(serializers.Serializer):
    ok = serializers.BooleanField()
    consulta = serializers.ChoiceField(choices=CONSULTAS, required=False)
    error = serializers.ChoiceField(choices=["validacion_fallida", "bloqueado", "no_disponible"], required=False)
    cliente = Customer(required=False)
    creditos = CreditAnswer(many=True, required=False)
    solicitudes = ApplicationAnswer(many=True, required=False)
    paz_y_salvo = PazYSalvoAnswer(required=False)
    corte = serializers.DateTimeField(required=False, help_text="Momento de los datos (corte de la copia, o ahora).")
    texto = serializers.CharField(help_text="La respuesta del bot, lista para mostrar.")


class StageData(serializers.Serializer):
    numero = serializers.CharField(max_length=32)
    cedula = serializers.CharField(max_length=20)
    etapa = serializers.ChoiceField(choices=Application.Stage.values)

    def validate_cedula(self, value):
        return _cedula(value)


class PaymentData(serializers.Serializer):
    numero = serializers.CharField(max_length=32)
    saldo = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    cuotas_pagadas = serializers.IntegerField(min_value=0)
    proximo_descuento = serializers.DateField(required=False, allow_null=True)


class CreditStatusData(serializers.Serializer):
    numero = serializers.CharField(max_length=32)
    estado = serializers.ChoiceField(choices=CREDIT_STATUSES)


class ContactData(serializers.Serializer):
    cedula = serializers.CharField(max_length=20)
    celular = serializers.CharField(max_length=20)

    def validate_cedula(self, value):
        return _cedula(value)

    def validate_celular(self, value):
        return _mobile(value)


# How far ahead of this server's clock an event may be dated (clocks drift a little).
EVENT_CLOCK_SKEW = timedelta(minutes=5)

EVENT_DATA = {
    "solicitud.etapa": StageData,
    "credito.pago": PaymentData,
    "credito.estado": CreditStatusData,
    "cliente.contacto": ContactData,
}


class EventRequest(serializers.Serializer):
    id = serializers.CharField(max_length=100, help_text="Único por evento: un id repetido no cambia nada.")
    tipo = serializers.ChoiceField(choices=EVENT_TYPES)
    ocurrido = serializers.DateTimeField(help_text="ISO 8601 con zona horaria.")
    datos = serializers.DictField(help_text="Según el tipo (ver la documentación).")

    def validate_ocurrido(self, value):
        # An event dated ahead (a wrong clock or time zone at the sender) would make every later,
        # correct event about the same record "older" and ignored until that hour comes.
        if value > timezone.now() + EVENT_CLOCK_SKEW:
            raise serializers.ValidationError(
                "La fecha del evento está en el futuro. Revise el reloj y la zona horaria del sistema que lo envía."
            )
        return value

    def validate(self, attrs):
        data = EVENT_DATA[attrs["tipo"]](data=attrs["datos"])
        if not data.is_valid():
            raise serializers.ValidationError({"datos": data.errors})
        attrs["datos"] = dict(data.validated_data)
        return attrs


class EventAnswer(serializers.Serializer):
    ok = serializers.BooleanField()
    id = serializers.CharField()
    repetido = serializers.BooleanField()
    resultado = serializers.ChoiceField(
        choices=["aplicado", "sin_cambios", "ignorado_por_antiguo", "en_espera_del_nucleo"],
        help_text="`en_espera_del_nucleo` (solo con el sistema central como fuente): el núcleo aún no muestra el "
        "cambio; la sincronización lo trae, y avisa, cuando lo muestre.",
    )


class EventRefusal(serializers.Serializer):
    ok = serializers.BooleanField()
    error = serializers.ChoiceField(
        choices=["cliente_desconocido", "credito_desconocido", "de_otro_cliente", "nucleo_no_disponible"]
    )
    texto = serializers.CharField(help_text="Explicación en español.")


class LeadsQuery(serializers.Serializer):
    desde = serializers.DateTimeField(help_text="ISO 8601: solicitudes desde este momento.")


class LeadDocument(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="Enlace firmado; vence en API_LINK_EXPIRY_SECONDS.")


class Lead(serializers.Serializer):
    id = serializers.CharField()
    tipo = serializers.ChoiceField(choices=["nuevo_credito", "renovacion"])
    fecha = serializers.DateTimeField()
    solicitud = serializers.CharField(allow_blank=True)
    etapa = serializers.CharField(allow_blank=True)
    nombre = serializers.CharField(allow_blank=True)
    cedula = serializers.CharField(allow_blank=True)
    celular = serializers.CharField(allow_blank=True)
    ciudad = serializers.CharField(required=False, allow_blank=True)
    pagaduria = serializers.CharField(required=False, allow_blank=True)
    mejor_hora = serializers.CharField(required=False, allow_blank=True)
    oferta = serializers.DictField(required=False)
    documentos = LeadDocument(many=True)
