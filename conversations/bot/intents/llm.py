"""The LLM backend: an OpenAI-compatible chat-completions endpoint names the intent."""

from __future__ import annotations

import json

import requests
from django.conf import settings

from conversations.bot.intents.base import INTENTS, IntentResult

_SYSTEM_PROMPT = """Eres el clasificador de intenciones del asistente de WhatsApp de ProAlto, \
una entidad colombiana de creditos de libranza (descuento por nomina o pension). \
Clasifica el mensaje del cliente en exactamente una de estas intenciones:
- saldo: saldo, cuanto debe, cuotas, valor de la cuota (si sigue igual o cambio), proximo descuento, estado \
de cuenta.
- estado_solicitud: estado de una solicitud de credito ya hecha, aprobacion, desembolso (si ya giraron, \
consignaron o desembolsaron la plata; si recibieron sus papeles o los datos que envio para pedirlo).
- paz_y_salvo: certificado de paz y salvo / de que ya pago toda la deuda.
- renovacion: renovar o ampliar el credito actual (retanqueo, ampliacion, novacion, refinanciar; un \
credito nuevo que pague o recoja el actual; un adicional sobre lo que ya debe).
- nuevo_credito: pedir un credito nuevo, requisitos, tasas, cuanto le prestan; tambien quien vio \
publicidad o recibio una oferta o un preaprobado y pregunta como tomarlo.
- asesor: hablar con una persona, asesor, agente, que lo llamen (tambien si dice que no sabe escribir bien).
- queja: queja, reclamo, PQR, fraude, robo, suplantacion, descuentos no reconocidos o de mas, un \
credito que no pidio (el o un familiar), un descuento o cobro que nunca autorizo ni pidio en el \
desprendible, la colilla, la pension o la cuenta (no un seguro o un valor de mas de su propio credito, que \
es una queja comun), alguien que uso sus datos o su informacion personal para \
sacar un credito, un link o pagina falsa para actualizar datos tras la cual aparecio un credito, alguien \
que pide dinero, depositos o claves en nombre de ProAlto (aunque luego resulte mentira), mala atencion \
(tambien sin decir "queja": lo trataron mal, no lo quisieron atender, lo mandan de un lado a otro, le \
cobran mas de lo pactado, un dano que sufrio por una demora).
- privacidad: politica de privacidad, habeas data; conocer, actualizar, corregir o borrar sus datos \
(direccion, correo, celular, nombre), revocar la autorizacion, de donde sacaron su numero, no recibir \
mas mensajes ni llamadas. Siempre con sus datos o el contacto como objeto: "no se escribir", "me pueden \
llamar" o "mi cuota cambio" no son privacidad.
- menu: saludo sin peticion (hola, buenas), menu, inicio, opciones, volver, me perdi, empezar de nuevo, \
que puede consultar o hacer por este chat; "devuelveme / llevame a las opciones" (no es un reembolso); no \
sabe que escribir o que hacer y pide las opciones.
- despedida: despedida o agradecimiento final (gracias, chao, eso es todo).
- desconocido: cualquier otra cosa, tambien tramites de otras entidades (EPS, operador de celular, \
transporte, pasaporte) aunque usen palabras como saldo, certificado o renovar, y servicios que ProAlto no \
ofrece (giros internacionales, seguros, cuentas de ahorro, CDT, tarjetas de credito, cambio de dolares), \
la clave de su correo o de sus redes, el telefono de otra entidad.
Si hay fraude o queja, elige queja. Responde solo JSON: {"intent": "<intencion>"}."""


class LLMError(Exception):
    """No usable answer (network, timeout, HTTP error, bad JSON, an intent not ours).

    The message says why, never what the customer wrote: it is logged.
    """


def recognise_llm(text: str) -> IntentResult:
    """The intent as the endpoint names it; raises LLMError on any failure."""
    base = str(getattr(settings, "OPENAI_BASE_URL", "")).rstrip("/")
    timeout = float(getattr(settings, "OPENAI_TIMEOUT_SECONDS", 4) or 4)
    payload = {
        "model": getattr(settings, "OPENAI_MODEL", "gpt-4o-mini"),
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": _SYSTEM_PROMPT},
            {"role": "user", "content": text},
        ],
    }
    try:
        response = requests.post(
            f"{base}/chat/completions",
            json=payload,
            headers={"Authorization": f"Bearer {settings.OPENAI_API_KEY}"},
            timeout=timeout,
        )
    except requests.Timeout:
        raise LLMError("timeout") from None
    except requests.RequestException as exc:
        raise LLMError(f"request failed ({type(exc).__name__})") from None
    if response.status_code != 200:
        raise LLMError(f"HTTP {response.status_code}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
        answer = json.loads(content)
        intent = str(answer["intent"]).strip().lower()
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMError("unparseable answer") from None
    if intent not in INTENTS:
        raise LLMError("answer is not a known intent")
    confidence = answer.get("confidence", 0.9) if isinstance(answer, dict) else 0.9
    try:
        confidence = min(1.0, max(0.0, float(confidence)))
    except (TypeError, ValueError):
        confidence = 0.9
    return IntentResult(intent, confidence, "llm")
