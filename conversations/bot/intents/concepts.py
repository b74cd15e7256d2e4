"""Concept rules: intents decided by how words combine, which the word lexicon cannot see.

They read the normalised text (accents, punctuation and chat spellings already handled)
and name a concept, never a particular sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LOAN = r"(credito|creditos|prestamo|prestamos|libranza|libranzas|obligacion)"


@lru_cache(maxsize=256)
def _starts(norm: str) -> frozenset[str]:
    """The first three and first four letters of every word. Most long patterns below need a
    word that begins a certain way; a set look-up rules them out far faster than they fail."""
    tokens = norm.split()
    return frozenset(t[:3] for t in tokens) | frozenset(t[:4] for t in tokens)


def _may(norm: str, starts: frozenset[str]) -> bool:
    return not starts.isdisjoint(_starts(norm))


def _mentions(norm: str, hints: tuple[str, ...]) -> bool:
    return any(hint in norm for hint in hints)


# A deduction or charge on the customer's payroll/pension.
_CHARGE = re.compile(
    r"\b(descont\w*|descuent\w*|cobr\w*|debit\w*|"
    r"(subieron|aumentaron|incrementaron|cambiaron) (la|el|los|las|mi|mis) (cuota|descuento|interes\w*|tasa|valor)|"
    r"(la|el|mi) (cuota|descuento|tasa|valor)( \w+){0,2} (subieron|aumentaron|incrementaron|cambiaron)|"
    r"(aparece|aparecen|apareciendo|figura|figuran|sale|salen|saliendo)( \w+){0,3} "
    r"(descuento|cobro|" + _LOAN[1:-1] + r"|deuda))\b"
)
# The loan is paid off ("ya pague", "termine de pagar", a paz y salvo already issued).
_PAID = re.compile(
    r"\b(ya (le |les |lo |la )?(pague|cancele|salde|termine|acabe)"
    r"(?! (la mitad|varias|unas|algunas|parte|\d+))|"
    r"(termine|acabe) de pagar|pague (todo|la totalidad|el total|la ultima)|"
    r"(lo|la) (tengo|tenia) (pago|paga|pagado|pagada|cancelado|cancelada)|"
    r"ya (esta|estaba|quedo|habia) (pago|paga|pagado|pagada|cancelad[oa]|terminad[oa])|"
    r"ya (le |les )?(pague|cancele)|ya no (le |les )?debo|"
    r"(despues del?|ya estoy a|estando a|quede a|ya tengo el|tengo el|me dieron el|"
    r"me expidieron el|con) paz y salvo|"
    r"(que|credito|libranza|prestamo) ya (pague|cancele|termine)|"
    r"ya (la |lo |le |les )?(habia|he|hemos|habiamos|tenia) (pagado|cancelado|saldado)|"
    r"(esta|este|estan|quedo|quede|queda|quedara) (saldad[oa]|pagad[oa]|cancelad[oa]|liquidad[oa]|cerrad[oa])|"
    r"no (le |les )?debo nada|libre de (deuda|deudas|obligacion\w*)|(deuda|saldo) en cero|"
    r"(cierre|cancelacion|liquidacion|terminacion) (de|del) (mi |el |la )?(" + _LOAN[1:-1] + r"|deuda|obligacion))"
)
# The customer does not recognise the charge.
_UNKNOWN = re.compile(
    r"\b((no|nunca|jamas|nadie) (\w+ ){0,2}(solicite|pedi|saque|autorice|reconozco|"
    r"corresponde\w*|debo|pacte|acorde|firme|explicaron|explico|informaron|informo|avisaron|aviso|"
    # ...or someone else did not ("mi mama nunca lo solicito", "ella nunca firmo nada").
    r"solicito|pidio|saco|autorizo|reconoce|firmo|pedido|solicitado|sacado|firmado|autorizado)|"
    r"(que|los|las) no (son|eran|es|era|corresponden)|"
    r"sin (mi )?(autorizacion|permiso|consentimiento)|sin (previo )?(avis\w*|explic\w*|inform\w*|consult\w*)|"
    r"sin (ninguna |ningun )?(razon|motivo|justificacion|causa)|injustificad\w*|"
    r"(no|nunca|jamas) (tengo|he tenido|tuve|he sacado|he pedido|he solicitado) (ningun |ninguna |ni un |ni una )?"
    + _LOAN
    + r")\b"
)
# More than agreed.
_EXTRA = re.compile(
    r"\b(de mas|demas|doble|dos veces|dos cuotas|mas de lo|excesiv\w*|injust\w*|"
    r"no es lo que|no era lo que|mas alto de lo|mas caro de lo)\b|"
    # Charged other than agreed ("me prometio una tasa y me cobraron otra").
    r"\b(cobr|descont|descuent)\w* (otra|otro|una diferente|uno diferente|algo diferente|distint\w*)\b"
)
# Charged, or called to pay, while up to date ("me llaman a cobrar si estoy al dia").
_UP_TO_DATE = re.compile(r"\b(si|y|pero|aunque|cuando) (ya )?(estoy|estamos|esta|voy|vamos|ando) al dia\b")
_CONTINUE = re.compile(r"\b(sigu\w+|continu\w+|todavia|aun|volvi\w* a|otra vez|estan|esta)\b")
_STOP_REQUEST = re.compile(r"\b(dejen de|deje de|dejar de|quit\w+|levant\w+|retir\w+|suspend\w+)\b")
# A loan on record that the customer says they never asked for.
_UNREQUESTED_LOAN = re.compile(
    r"\b(" + _LOAN[1:-1] + r"|deuda)\b.{0,50}\b(no|nunca|jamas) (\w+ ){0,2}(solicite|pedi|saque|autorice|"
    r"he pedido|he solicitado|he sacado|firme|adquiri|contraje|hice|tramite|pedido|solicitado|sacado|tramitado|"
    r"firmado|autorizado)\b|"
    # ...or more loans than the customer took ("me aparecen dos creditos y yo solo pedi uno")...
    r"\b(dos|tres|cuatro|\d+) (" + _LOAN[1:-1] + r")\b.{0,30}\b(solo|solamente|unicamente|nada mas) (\w+ )?"
    r"(pedi|saque|solicite|firme|tengo|tome|autorice) (uno|una|1)\b|"
    r"\b("
    + _LOAN[1:-1]
    + r"|deuda)\b.{0,30}\bque (\w+ ){0,2}(no|nunca|jamas) (re)?(conozco|conoce|conocemos|conocia)\b|"
    # ...or that a relative never asked for ("un credito que ella nunca solicito").
    r"\b(" + _LOAN[1:-1] + r"|deuda)\b.{0,30}\bque (\w+ ){0,2}(no|nunca|jamas) (\w+ ){0,2}(solicito|pidio|saco|"
    r"autorizo|firmo|hizo|adquirio|ha pedido|ha solicitado|ha sacado|pidieron|solicitaron)\b"
)
# "I never asked for a loan": fraud next to a charge or a loan on record, not from someone
# who has simply never borrowed ("yo nunca he sacado credito con ustedes, que necesito").
_NEVER_ASKED = re.compile(r"\b(nunca|jamas) (he )?(solicite|pedi|saque|solicitado|pedido|sacado) (\w+ ){0,2}" + _LOAN)
_ON_RECORD = re.compile(
    r"\b(aparec\w*|figur\w*|report\w*|registrad\w*|a mi nombre|cobr\w*|descont\w*|descuent\w*|deb\w*|"
    r"llego|llegan|sale|salen)\b"
)

# A sum of money ("300 mil", "2 millones", "50 lucas"), not an income ("2 millones de ingresos").
_SUM = r"\d+ ?(mil|millon|millones|pesos|lucas|barras)\b(?! de (ingreso|sueldo|salario|nomina|pension|cupo|capacidad))"
# What money is asked "for": "para (que me / poder) " + the approval or the payout of the loan.
_FOR = r"para (que me |que nos |poder |que (me |nos )?(puedan|pudieran) )?"
_RELEASE = r"(aprob\w*|desembols\w*|el desembolso|agiliz\w*|liberar|desbloquear)"
# Someone asks the customer for money (a classic scam in a lender's name).
_MONEY_REQUEST = re.compile(
    r"\b(pid(io|ieron|iendo|iendome|iendonos|e|en)|me piden|exig\w*|cobr(o|aron|aba|aban|ando)|"
    r"quer(ia|ian) que|(dijo|dijeron|dice|dicen) que (le |les )?(consignara|transfiriera|depositara|pagara|"
    r"girara|mandara|enviara|consigne|transfiera|deposite|pague))\b.{0,50}\b(plata|dinero|consign\w*|"
    r"transfer\w*|deposit\w*|seguro|estudio|"
    r"pag(ar|ara|aramos|ue|o)|adelant\w*|comision|nequi|daviplata|efecty|giro)\b|"
    r"\b(pid(io|ieron|iendo|iendome|e|en)|me piden|exig\w*|cobr(o|aron|aba|aban|ando))\b.{0,50}\b" + _SUM + r"\b|"
    r"\b(dijo|dijeron|dice|dicen|pidio|pidieron) que (le |les )?(consignara|transfiriera|depositara|girara|consigne|"
    r"transfiera|deposite|gire)\w*|"
    r"\b(consignar|consignara|consignacion|transferencia|depositar|deposito)\b"
    r".{0,40}\b" + _FOR + r"(" + _RELEASE[1:-1] + r"|sacar|el estudio)"
)
# The customer already paid someone (then it matters who, or what for).
_PAID_SOMEONE = re.compile(
    r"\b(consigne|consignamos|transferi|transferimos|deposite|depositamos|gire|le pague|les pague|le di|"
    r"les di|le mande|les mande|le envie|les envie)\b|"
    r"\b(pague|di|entregue)\b.{0,20}\b(a un|a una|al|a la|a ese|a esa) (asesor\w*|senor\w*|persona|muchach\w*|"
    r"tipo|man|funcionari\w*|emplead\w*|joven|chica|chico)\b"
)
# ...and then the person vanished: what a scammer does once paid.
_VANISHED = re.compile(
    r"\bno (volvio|volvieron) a (contestar|responder|aparecer|llamar|escribir)|\bdesapareci\w*|"
    r"\b(me )?bloque(o|aron)\b|\bno (me )?(volvio|volvieron) a (contestar|responder)"
)
# Someone says they are ProAlto (or an advisor) and is not.
_POSING = (
    r"\b((a|en) nombre de|de parte de) (proalto|ustedes|la empresa)|"
    r"\b(dicen|dice|dijo|decia|diciendo|dijeron)( por (telefono|whatsapp|mensaje|correo|chat))? (que )?(ser|era|eran|"
    r"es|son|que eran|"
    r"trabaj\w*)\b|\bcomo si (fuera|fueran|fuese|fuesen) (de )?(proalto|ustedes|la empresa|asesor\w*)\b|"
    r"\b(hizo|hacen|hacia|haciendose|haciendo|hicieron|se hace|se hacen) pasar\b|"
    r"\b(supuest[oa]s?|fals[oa]s?) (asesor\w*|funcionari\w*|emplead\w*|agente\w*|ejecutiv\w*|"
    r"trabajador\w*|proalto|gerente)\b|"
    # A fake channel: a page, profile or number that is not ProAlto's ("una pagina falsa de
    # proalto", "un perfil que parecia de ustedes").
    r"\b(pagina|perfil|cuenta|grupo|link|enlace|sitio|web|numero|chat|aplicacion|app|correo)s? (\w+ ){0,3}"
    r"(fals[oa]s?|falsificad\w*|fraudulent\w*|clonad[oa]s?|pirata|"
    r"que (parec\w*|simul\w*|imit\w*|dec\w*|dic\w*) (ser )?(de )?(ustedes|proalto|la empresa))\b"
)
_STRONG_IMPERSONATION = re.compile(_POSING)
# ...or just an unknown person who got in touch.
_IMPERSONATION = re.compile(
    _POSING + r"|"
    r"\b(un|una) (tipo|senor|senora|man|muchacho|muchacha|persona|senorita|joven|chica|"
    r"chico|hombre|mujer|numero|desconocid[oa]|tal)\b|\balguien (me|nos)\b|"
    r"\b(me|nos) (escribio|escribieron|llamo|llamaron|contacto|contactaron|llego)\b"
)
# Someone asks for the customer's secrets (a password, a one-time code, card data):
# nobody at a lender asks for them, so with an unknown caller it is phishing.
# Secrets nobody at a lender asks for, whoever asks (a one-time code may be a real check).
_BANK_SECRET_REQUEST = re.compile(
    r"\b(pid\w+|ped\w+|solicit\w+|exig\w+|me piden)\b.{0,60}\b((clave|contrasena|pin)s? (del|de mi|de la|de su) "
    r"(banco|cuenta|tarjeta|nequi|daviplata)|clave bancaria|datos bancarios|datos de (la |mi )?tarjeta|"
    r"numero de (la )?tarjeta)\b"
)
_SECRET_REQUEST = re.compile(
    r"\b(pid\w+|ped\w+|solicit\w+|exig\w+|me piden)\b.{0,40}\b(clave\w*|contrasena\w*|codigo\w*|"
    r"pin|token|otp|datos bancarios|datos de (la |mi )?(tarjeta|cuenta)|numero de (la )?tarjeta|tarjeta)\b"
)
_SCAM_PURPOSE = re.compile(
    r"\b" + _FOR + _RELEASE + r"|\bpara (que me )?(sacar|el estudio|estudio|salir)|"
    r"\bpor adelantado\b|\banticipad\w*\b|\bes (real|verdad|cierto|"
    r"confiable|legal|seguro|fraude|estafa)\b|\b(garantia|su cuenta|cuenta personal)\b|"
    r"\b(pagar|consignar|transferir|depositar|cancelar) (el |un |la )?(estudio|garantia)\b"
)
# Money the customer must pay, or paid, to get the loan released: a scam on its own.
_PAY_TO_RELEASE = re.compile(
    r"\b(debo|tengo que|toca|hay que|debia|tenia que|pague|consigne|transferi|deposite)\b.{0,40}"
    r"\b" + _FOR + _RELEASE + r"|"
    # ...the same, purpose first ("para desembolsarme tenia que consignarle 250 mil")...
    r"\b" + _FOR + _RELEASE + r".{0,40}\b(debo|debia|tengo que|tenia que|toca|tocaba|hay que|habia que) "
    r"(pagar|consignar|transferir|depositar|girar|dar|mandar|enviar)\w*|"
    # ...or first, before the money comes ("que debia pagar el seguro primero").
    r"\b(debo|tengo que|toca|hay que|debia|tenia que|tocaba|habia que) (pagar|consignar|transferir|depositar|girar)"
    r"\b.{0,30}\b(primero|antes|por adelantado|por anticipado)\b"
)
# What the customer handed over on a fake channel: money or their secrets.
# ...or what such a channel takes ("esta cobrando por los creditos").
_GAVE_AWAY = re.compile(
    r"\b(pague|pagamos|le pague|les pague|consigne|transferi|deposite|cobr(a|an|ando|o|aron|aba|aban)|"
    r"(me|nos) (quito|quitaron|robo|robaron|tumbo|tumbaron) (\d+|la|el|los|mi|mis|plata|"
    r"dinero)|"
    r"(puse|di|deje|entregue|envie|mande|ingrese|meti) (mis|mi|los|la|el) (datos|clave\w*|contrasena|"
    r"codigo\w*|tarjeta|cuenta|cedula|informacion))\b"
)

# Someone took a loan in the customer's name, or used their identity or personal data to
# get one: identity theft, an urgent fraud case (never a privacy request).
_IDENTITY_THEFT = re.compile(
    r"\b(suplant\w*|(robaron|robo|usurp\w*) (de )?(mi |la )?identidad|robo de identidad)\b|"
    r"\b(sac\w+|ped\w+|pid\w+|solicit\w+|hic\w+|us(aron|o|ando|an|ado|ada)|abr\w+|tom\w+|saca\w*)\b.{0,40}\b"
    r"(a mi nombre|a nombre (mio|mia|de mi \w+)|con mi (cedula|nombre|identidad|firma|documento|fotocopia|"
    r"informacion)|con mis (datos|documentos|papeles)|"
    r"con (una |la |las |mi |mis )?(fotocopia|copia|foto)s? (de )?(mi |la |su )?(cedula|documento|identidad)|"
    r"sin que (yo|ella|el|nosotros) (supiera|supieramos|"
    r"autorizara)|sin mi (permiso|autorizacion|"
    r"consentimiento))\b|"
    r"\b(usaron|utilizaron|cogieron|tomaron|uso|utilizo|usando|utilizando|usan|utilizan|usa|utiliza) (mis|mi) "
    r"(datos|cedula|documento|documentos|"
    r"identidad|nombre|firma)\b.{0,40}\b(" + _LOAN[1:-1] + r"|plata|dinero|deuda|pedir|sacar|solicitar)\b|"
    r"\b(perd\w+|extravi\w+|rob\w+|hurt\w+|se me (cayo|quedo))( \w+){0,3} (cedula|documento|documentos|"
    r"billetera|papeles)\b.{0,60}\b(sacaron|saco|pidieron|pidio|usaron|uso|utilizaron|utilizo|"
    r"solicitaron|abrieron|abrio|tramitaron|tramito|hicieron|hizo)\b|"
    r"\bfalsific\w*|\bfirma (falsa|falsificada|que no es mia)|\bno es mi firma\b|"
    r"\bfirma\b.{0,25}\b(es|esta|son|parece|salio) (falsa|falsificada|chimba|trucada|copiada)\b|"
    r"\b(alguien|otra persona|un tercero|estan|esta)\b.{0,20}\b(usando|utilizando|uso|utilizo|usa|utiliza) "
    r"(mi|mis) (cedula|identidad|nombre|documentos|firma)\b|"
    r"\b(imitaron|copiaron|falsearon) (mi |la )?firma\b|"
    r"\bfirma\w* (\w+ ){0,3}(que )?(yo )?(no|nunca) (hice|puse|es mia|reconozco)\b|"
    r"\b(hizo|hicieron|haciendose|haciendo|hace|hacen|hacerse) pasar por (mi|nosotros|el titular|"
    r"asesor\w*|funcionari\w*|emplead\w*|proalto|ustedes|(\w+ )?de (proalto|ustedes|la empresa))\b|"
    r"\b" + _LOAN + r"\b.{0,30}\bno (es|era) (mio|mia)\b|"
    # A loan taken out for someone who did not know ("le sacaron un prestamo y el ni sabia").
    r"\b(sacaron|pidieron|solicitaron|hicieron|abrieron|tomaron|tramitaron)\b( \w+){0,4} "
    + _LOAN
    + r"\b.{0,25}\b(y|pero|sin que) "
    r"(yo |el |ella |ellos |nosotros |mi \w+ )?(ni|no|nunca) (sabia|supo|supe|sabiamos|sabe|se entero|"
    r"me entere|nos enteramos|autorizo|autorice|dio permiso|firmo|firme|firmamos|pidio|pedi|solicito|solicite)\b"
)
# "hackearon" as normalise writes it ("k" before e/i becomes "qu"): "hacquearon", "haqueo".
_HACKED = r"hac?que\w*|hacke\w*"
# Money taken from the customer's account ("me vaciaron la cuenta"): a theft to report.
_EMPTIED = r"(vaciaron|desocuparon|limpiaron) (\w+ ){0,2}(cuenta|cuentas|ahorros|tarjeta)"
# Fraud words on their own (a scam, a theft, a stolen or cloned account).
_FRAUD_WORDS = re.compile(
    r"\b(fraude\w*|estaf\w*|robaron|robo|" + _HACKED + r"|clonaron|suplant\w*|" + _EMPTIED + r")\b"
)
# ...of which these report a fraud whatever else is asked ("me robaron el celular" may not).
_FRAUD_REPORT = re.compile(r"\b(fraude\w*|estaf\w*|" + _HACKED + r"|clonaron|suplant\w*|" + _EMPTIED + r")\b")
# Deductions or a debt from a lender the customer never had a loan with.
_NEVER_HAD_LOAN = re.compile(
    r"\b(no|nunca|jamas) (les |le )?(he |ha )?(tenido|tengo|tuve|sacado|saque|pedido|pedi|solicitado|solicite|"
    r"tiene|tuvo|saco|pidio|solicito|firmado|firme|firmo) "
    r"((ningun |ninguna |ni un |ni una )?("
    + _LOAN[1:-1]
    + r"|pagare|pagares|contrato|contratos)|(plata|dinero|nada)\b)"
)

# Closing talk that is the whole message: the customer has nothing more to ask.
_CLOSING = re.compile(
    r"^((ok|okey|listo|bueno|vale|perfecto|bien|no) )*(gracias )?"
    r"(eso (es|era|seria|fue) todo|es todo|era todo|nada mas|nada|ya no|ya no mas|"
    r"ya esta|por ahora no|nos hablamos|hablamos|quedo (muy )?(pendiente|atent[oa]))"
    r"( (gracias|muchas gracias|por hoy|por ahora|luego|despues|mas tarde|pronto))*$"
)
# Done, with thanks or a goodbye ("ya termine, gracias", "no, no mas, ya termine"): the
# conversation is over (not "ya termine de pagar").
_DONE = re.compile(
    r"^((no|ok|okey|listo|bueno|vale|no mas|nada mas|gracias|muchas gracias|mil gracias|chao) )*"
    r"ya (termine|acabe)( (gracias|muchas gracias|mil gracias|chao|por hoy|por ahora|por el momento))*$"
)
_DONE_WORDS = re.compile(r"\b(gracias|chao|no mas|nada mas)\b")
# Lost in the conversation, or asking to start over ("me perdi, vuelve al principio",
# "volvamos a empezar", "arranquemos de cero"): the menu.
_RESTART = re.compile(
    r"\b(me (perdi|enrede|confundi|embolate|revolvi)|estoy (perdid[oa]|enredad[oa]|confundid[oa]))\b"
    r"(?! (la|el|los|las|un|una|mi|mis|de|con|en)\b)|"
    r"\b((volv|vuelv|regres|devuelv|devolv|arranc|arranq|empez|empec|empiec|comenz|comienc|comenc|reinici|"
    r"inici)\w*|ir(me|nos)?)\b( \w+){0,3} (al |el |del |desde el |desde |de )?(principio|inicio|comienzo|cero|"
    r"empezar|comenzar|arrancar|menu|atras)\b"
)
# Words of a service request: a message with them is not (only) a restart.
_SERVICE_WORDS = re.compile(
    r"\b(" + _LOAN[1:-1] + r"|cuota\w*|saldo|deuda|paz y salvo|certificad\w*|solicitud|tramite|descuent\w*|"
    r"desembols\w*|plata|dinero|pago|pagar|renov\w*|datos|asesor\w*|persona)\b"
)
# The certificate and what it is for ("el paz y salvo para el banco").
_CERTIFICATE_FOR = re.compile(
    r"\b(paz y salvo|certificado|constancia)\b.{0,15}\bpara (\w+ )?(reclamar|presentar|tramitar|entregar|"
    r"llevar|mostrar|el banco|la pagaduria|el trabajo|la empresa)\b"
)
# A goodbye wish or "see you": closing talk even where a greeting word appears ("que tenga
# buena noche").
_FAREWELL = re.compile(
    r"\bque (tenga|tengan|tengas|pase|pasen|pases|este|esten|estes) (muy )?(un |una )?(buen|buena|buenas|feliz|"
    r"lindo|linda|bonito|bonita|excelente|bendecid[oa]|bien)\b|"
    r"\bhasta (luego|pronto|manana|la proxima|otro dia|despues|la vista|mas tarde|el lunes)\b"
)
# "I don't remember" (an answer the customer cannot give), not "no estoy de acuerdo".
_FORGOT = re.compile(
    r"^(no (me )?(acuerdo|recuerdo|la recuerdo|lo recuerdo|me la se|me lo se|la se|lo se|tengo idea)|"
    r"se me olvid\w+|(la |lo )?olvide)( de (eso|ella|la fecha|esa fecha))?$"
)
# The amount of the loan the customer has, raised ("que me suban el valor del credito actual").
_RAISE_LOAN = re.compile(
    r"\b(sub\w+|aument\w+|ampli\w+|increment\w+|eleva\w*) (el |mi |del )?(monto|cupo|valor del " + _LOAN[1:-1] + r")\b"
)
# More money on top of what the customer already owes or has.
_ON_TOP_OF_LOAN = re.compile(
    r"\b(sobre|encima de|ademas de) (el|la|lo|los|las|mi|mis)( \w+)? (que )?(ya )?(tengo|debo|llevo|tenia)\b|"
    r"\b" + _LOAN + r" (que )?ya (tengo|llevo|debo)\b|" + _RAISE_LOAN.pattern + r"|"
    r"\b(sum|agreg|anad|mete|meter)\w* (\w+ ){0,2}(a|al) (mi |el )?" + _LOAN + r"\b"
)
# The loan the customer is paying, referred to ("el que tengo", "el actual", "la deuda actual").
_CURRENT = (
    r"((el|la|lo) que (ya )?(tengo|tenia|debo|llevo|estoy pagando|estamos pagando|me falta)|"
    r"(el|la|del|mi) (" + _LOAN[1:-1] + r"|deuda|saldo) (actual|vigente|que tengo)|(el|la|del) actual|"
    r"(el|mi) saldo( (del|de mi) \w+)?|lo que (ya )?(debo|me falta)|(el|la|del) anterior)"
)
# Refinancing: a new loan that pays off the current one ("un credito nuevo que pague el que
# tengo y me quede un excedente", "que me recojan la deuda actual y me den otro").
_REFINANCE = re.compile(
    r"\b(pag\w*|cancel\w*|recog\w*|recoj\w*|absorb\w*|cubr\w*|sald\w*|unific\w*|compr\w*|cerr\w*|"
    r"liquid\w*|quit\w*)\b ((me|nos|le|les|todo|toda|con) )?" + _CURRENT + r"|"
    r"\b(pag\w*|cancel\w*|sald\w*|recog\w*|cerr\w*) (el|mi|la) (" + _LOAN[1:-1] + r"|deuda) "
    r"con (uno|otro|otra|un|una)\b"
)
_NEW_LOAN = re.compile(
    r"\b(nuev[oa]|otr[oa]|uno mas|una mas|mas (grande|plata|dinero)|excedente|diferencia|sobr\w+|adicional|"
    r"quede (algo|un|una|plata|dinero))\b"
)

# A payoff certificate: a document + the loan is paid.
_DOCUMENT = re.compile(r"\b(certifi\w*|constancia|carta|documento|soporte|paz y salvo)\b")

# How ProAlto treats the customer's personal data.
_DATA = re.compile(
    r"\bdatos\b|\b(mi|mis|la|su) informacion (personal|que (les |le )?(doy|di|damos|mando|"
    r"envio|entrego|dejo|suministro))|\b(mi|mis) informacion\b|\binformacion personal\b"
)
_DATA_USE = re.compile(
    r"\b(tengan|trat\w*|manej\w*|proteg\w*|protecc\w*|cuid\w*|usan|uso|utiliz\w*|compart\w*|"
    r"vend\w*|guard\w*|supresion|supri\w*|borr\w*|elimin\w*|segur\w*|confidencial\w*|"
    r"hacen con|tercer\w*|filtr\w*|almacen\w*|custodi\w*|privad\w*)\b"
)

# Habeas Data by what the holder does with one of their data fields (Ley 1581): know,
# update, correct, delete, revoke, stop being contacted, or ask where we got the data.
# A field is the data itself or a contact detail; "numero" only as a phone number, so the
# number of instalments or of an account is never personal data here.
_FIELD = (
    r"(datos|dato|(mi|mis|su|sus) informacion|informacion (personal|de contacto|registrada)|"
    r"direccion|correo|correos|email|e mail|mail|celular|telefono|whatsapp|contacto|"
    r"(mi|el|este|ese|su) numero|numero (de )?(celular|telefono|contacto|whatsapp)|"
    r"(mi|el|su) nombre|(mi|mis|el|los) apellidos?|residencia|domicilio|(mi|su) cedula|"
    r"fecha de (nacimiento|expedicion))"
)
_FIX = (
    r"(actualiz\w*|desactualizad\w*|cambi\w*|modific\w*|correg\w*|corrij\w*|correcc\w*|"
    r"rectific\w*|errad\w*|errone\w*|equivocad\w*|incorrect\w*|mal (escrit\w*|puest\w*|"
    r"registrad\w*)|(esta|estan|quedo|quedaron) (mal\w*|errad\w*|equivocad\w*|incorrect\w*)|"
    r"me equivoque|un error|(es|son) (otr[oa]s?|diferente|distint[oa])|"
    r"no es (mio|mia)|es de (mi|otra|otro) \w+|"
    r"ya no (es mio|es mia|es el mismo|es la misma|es ese|es esa|es correct[oa]|uso|lo uso|la uso|tengo|"
    r"lo tengo|la tengo|manejo|existe|sirve|funciona))"
)
_DATA_FIX = re.compile(
    r"\b" + _FIX + r"\b.{0,30}\b" + _FIELD + r"\b|\b" + _FIELD + r"\b.{0,30}\b" + _FIX + r"\b|"
    r"\b(nuev[oa]|otr[oa]) (direccion|correo|email|celular|telefono|numero)\b(?! de (la )?"
    r"(cuenta|cuota|credito|radicado|solicitud))|"
    r"\b(direccion|correo|email|celular|telefono) (nuev[oa]|diferente|distint[oa])\b"
)
_DATA_ERASE = re.compile(
    r"\b(borr\w*|elimin\w*|supr\w*|sac\w*|quit\w*)\b.{0,30}\b(mis datos|mi informacion|"
    r"mi (numero|celular|telefono|correo)|base de datos|(sus|su) (lista|listas|base))\b|"
    r"\b(revoc\w*|retir\w*|cancel\w*)\b.{0,30}\b(autorizacion|consentimiento|permiso)\b|"
    r"\bque me (borren|eliminen|supriman)\b|"
    r"\b(me|nos) (borr|elimin|supr|sac|saq|quit)\w*\b.{0,20}\b(sistema|base|lista|listas|registros?)\b|"
    # A copy of the authorisation the holder gave (a payroll deduction's is a charge).
    r"\b(autorizacion|consentimiento)\b.{0,25}\b(firme|di|otorgue|acepte)\b"
)
_DATA_ORIGIN = re.compile(
    r"\b(de donde|como|quien|por que|porque|con que permiso)\b.{0,30}\b(sacaron|consiguieron|consiguio|"
    r"obtuvieron|obtuvo|tienen|tenian|dio|dieron|paso|pasaron|regalo|vendio|vendieron)\b.{0,20}\b" + _FIELD + r"\b|"
    r"\b(que|cuales) (datos|informacion)\b.{0,30}\b(tienen|tiene|guardan|manejan|hay|"
    r"registr\w*|repos\w*|almacen\w*)\b|"
    r"\b(que|cuales) (datos|informacion) (mios|mia|de mi|personales)\b|"
    r"\b(por que|porque|como es que|de donde) (me|nos) (llegan|escriben|llaman|contactan|mandan|envian)\b|"
    # Contact the holder never authorised: "yo no les di autorizacion para escribirme",
    # "me llegan mensajes que no pedi".
    r"\b(no|nunca) (les )?(he )?(di|dado|autorice|autorizado|acepte|aceptado|permiti)\b.{0,30}"
    r"\b(escrib\w*|llam\w*|contact\w*|mensaj\w*|whatsapp)|"
    r"\b(mensaj\w*|llamad\w*|publicidad|correos|promocion\w*|whatsapps?)\b (\w+ ){0,3}(que )?"
    r"(no|nunca) (\w+ )?(pedi|solicite|autorice|acepte)\b"
)
# Asking not to be written to or called any more ("no me escriban mas", "dejen de
# llamarme"): the contact itself is what the holder no longer authorises.
_CONTACT = r"(escrib\w*|llam\w*|contact\w*|mand\w*|envi\w*|molest\w*|ofrec\w*|ofrezc\w*)"
_STOP_CONTACT = re.compile(
    r"\b(dejen|deje|dejar|dejaran|dejara|paren|pare|abstener\w*|absteng\w*|eviten|evitar) de (seguir )?"
    + _CONTACT
    + r"|"
    r"\bno (me |nos )?(sigan|siga|vuelvan a|vuelva a) " + _CONTACT + r"|"
    r"\bno (quiero|deseo|quisiera) que (me |nos )?(sigan |vuelvan a )?" + _CONTACT + r"|"
    r"\bno (me|nos) (escriban|llamen|contacten|manden|envien|molesten|ofrezcan|escriba|llame|"
    r"contacte|moleste)\b|"
    r"\bno (quiero|deseo|quisiera) (recibir|que me lleguen) (mas )?(mensaje\w*|llamad\w*|"
    r"publicidad|promocion\w*|correos|ofertas|informacion|notificacion\w*|sms)\b|"
    r"\b(desuscrib\w*|desinscrib\w*|suscripcion)\b|^(stop|unsubscribe|baja)$|"
    r"\b(dar|darme|me doy|den) de baja\b|\b(sac|saq|quit|borr|retir|elimin|exclu|desafili)\w* de (la|su|sus|esa|esta|"
    r"esas) (lista|base|listas|bases)\b"
)


# Every privacy pattern above needs one of these word beginnings: a cheap test first, as
# most messages name no data, no contact and no list.
_PRIVACY_PREFIXES = frozenset(
    """
    dato info dire corr emai mail celu tele what cont nume nomb apel resi domi cedu fech
    base list auto cons perm sist regi borr elim supr escr llam mens publ prom mand envi
    mole ofre ofer noti sms desu desi susc baja stop unsu
    """.split()
)


# The law by name: a "reclamo de habeas data" is a privacy claim, not a complaint.
_HABEAS_DATA = re.compile(
    r"\b(habeas|habeas data|ley 1581|proteccion de datos|supresion|revocatoria)\b|"
    r"\bderechos? (a|de) (la )?(supresion|rectificacion|actualizacion|conocer|acceso|revocar|suprimir|"
    r"rectificar|actualizar|olvido)\b"
)


# A phone plan's "datos" are megabytes, not personal data ("cambiar mi plan de datos").
_PHONE_PLAN = re.compile(
    r"\bplan(es)? (de |del )?(mi )?(datos|minutos|celular|telefonia|internet|pospago|prepago|claro|movistar|tigo|"
    r"wom)\b|"
    r"\b(paquete|paquetes|megas) de datos\b|\bdatos moviles\b|\brecarg\w*"
)


def _privacy_request(norm: str) -> bool:
    """A Habeas Data request named by what is done to which data, not by a set phrase."""
    if not _may(norm, _PRIVACY_PREFIXES):
        return False
    if _DOCUMENT.search(norm) or _CHARGE.search(norm):
        # "mandenme el certificado al correo", "quiten el descuento": a service, not data.
        return False
    return bool(
        _DATA_FIX.search(norm) or _DATA_ERASE.search(norm) or _DATA_ORIGIN.search(norm) or _STOP_CONTACT.search(norm)
    ) and not _PHONE_PLAN.search(norm)


# The money of an application is (or was promised to be) on its way.
_DISBURSEMENT = re.compile(
    r"\b(me|nos) ((van|iban|iba|va) a |(ha|han|habian|habia) )?"
    r"(consign|desembols|gir(ar|an|aban|aron|en|ado)|deposit)\w*|"
    r"\bno (me |nos )?(ha|han) (llegado|entrado|caido|consignado|desembolsado|girado|"
    r"depositado)( \w+){0,4} (plata|dinero|nada|cuenta|desembolso|platica|" + _LOAN[1:-1] + r")\b|"
    r"\b(van a|iban a|ya van a) (consignar|desembolsar|girar|depositar)\b|"
    r"\bya (me |nos )?(respondieron|contestaron|resolvieron)\b|\b(hay|tienen) (alguna )?respuesta\b|"
    r"\b(ya )?(habia|estaba|esta|estaria) (salido|aprobad[oa]|listo|lista|desembolsad[oa])"
    r"\b.{0,40}\b(pero|y) (no|nada|nunca|aun no|todavia no)\b"
)

# Who may borrow, by age: a question before applying.
_AGE = re.compile(r"\b(\d{2,3} anos|edad|tercera edad|adult[oa]s? mayor\w*|mayores de \d+|ancian\w*|viejit\w*)\b")
# Who may borrow ("prestan a personas reportadas", "hacen creditos para independientes").
_WHO_BORROWS = re.compile(
    r"\b(prestan|prestarian|presta|prestaria|dan (credito\w*|prestamo\w*)|hacen (credito\w*|prestamo\w*)|"
    r"financian) (a|para) (\w+ )?(personas|gente|alguien|empleados|trabajadores|independientes|"
    r"pensionados|docentes|militares|policias|reportad\w*)\b"
)
_LENDING = re.compile(r"\b(prest\w*|" + _LOAN[1:-1] + r"|financi\w*)\b")

# The customer asks for more money on the loan they already have.
_EXISTING_LOAN = re.compile(
    r"\b" + _LOAN + r" (que )?(tengo|llevo|vigente|actual)\b|"
    r"(?<!no )(?<!nunca )\b(tengo|llevo) (un |una |el |la |mi )?" + _LOAN + r"\b|"
    r"\bmi " + _LOAN + r"\b(?! (nuev[oa]))|"
    r"\b(voy a|estoy por|me falta poco para|estoy terminando de) (terminar|acabar)|"
    r"\bcasi (termino|acabo|termine|acabe|terminando|acabando)\b|"
    r"\b(voy|llevo|estoy|ando) (en|por) (la mitad|el \w+ ano|la cuota|\w+ cuotas)\b|"
    r"\bya (pague|he pagado|llevo|cancele) (la mitad|\d+|varias|unas|algunas|bastantes)\b|"
    r"\bsoy (cliente|client[ea] de ustedes)\b|"
    r"\b(estoy|sigo|ando|voy) pagando (un |una |el |la |mi )?" + _LOAN + r"\b|"
    r"\bsin (haber )?(terminar|terminado|acabar|acabado|pagar|pagado|cancelar|cancelado) (de pagar )?(el|la|mi) "
    r"(actual|" + _LOAN[1:-1] + r")\b|"
    r"\b(el|la) que (ya )?(tengo|llevo|estoy pagando)\b"
)
_MORE_MONEY = re.compile(
    r"\b(mas|otro|otra|otrico|poquito|extra|adicional|de nuevo|otra vez|volver a|"
    r"vuelvan a|unir|juntar|sumar|aumentar|ampliar|nuevo|uno nuevo)\b"
)

_BORROW = re.compile(r"\b(sacar|saco|pedir|pido|prest\w*|desembolso|plata|dinero)\b")
# A sum the customer wants ("necesito 10 millones prestados", "me prestan 8 millones?"): a
# loan to apply for, whatever else the message asks about the process.
_SUM_WANTED = re.compile(
    r"\b(necesito|necesitaba|quiero|queria|quisiera|requiero|busco|pedir|sacar|solicitar|prestan|presten|"
    r"prestarian|prestarme|prestenme|me dan|me darian)\b "
    # ...not a sum to pay ("quiero pagar 2 millones").
    r"((?!pag|abon|cancel|consign|deb)\w+ ){0,3}(\d+|un|dos|tres|cuatro|cinco|diez|veinte) "
    r"(mil|millon|millones|palos|lucas|barras)\b"
)
# Someone to talk to about the customer's case ("con quien puedo hablar de mi caso").
_WHO_TO_ASK = re.compile(
    r"\b(con|a) quien\b (\w+ ){0,3}(hablo|hablar|comunico|comunicarme|comunicar|pregunto|preguntar|"
    r"dirijo|dirigirme|acudo|acudir|escribo|escribir|llamo|llamar|consulto|consultar|trato|tratar)\b|"
    r"\bquien (\w+ ){0,2}(puede|podria|pueda|me va a) (ayudar|atender|colaborar|explicar|orientar|asesorar)\b"
)

# A report of what an advisor told the customer, not a request for one.
_ADVISOR_NARRATIVE = re.compile(
    # Not a "supuesta asesora" or "un tal asesor": who they are is the point of the story.
    r"(?<!supuesto )(?<!supuesta )(?<!falso )(?<!falsa )(?<!tal )(?<!supuesto)(?<!supuesta)(?<!falso)(?<!falsa)"
    r"(?<!tal)"
    r"\b(el|la|un|una|mi|su)? ?(asesor|asesora|ejecutivo|ejecutiva|funcionario|funcionaria|"
    r"agente|vendedor|vendedora|comercial|senorita|muchacha|muchacho)"
    r"(?= (me|nos|le) (dijo|dijeron|informo|explico|prometio|comento|aseguro|confirmo|"
    r"ofrecio|conto|indico)\b)"
)


# "que pasa" asks what is going on; "me pasa con..." (a transfer) needs a person after it.
_WHAT_IS_GOING_ON = re.compile(r"\bque (pasa|sucede|ocurre)\b(?! con (un|una|el|la|alguien))")


_NARRATIVE_HINTS = ("asesor", "ejecutiv", "funcionari", "agente", "vendedor", "comercial", "senorita", "muchach")
_GOING_ON_HINTS = ("pasa", "sucede", "ocurre")


def without_advisor_narrative(norm: str) -> str:
    """The text with "the advisor told me" and "que pasa" dropped, so an advisor is not
    taken as asked for."""
    if _mentions(norm, _NARRATIVE_HINTS):
        norm = _ADVISOR_NARRATIVE.sub("", norm)
    if _mentions(norm, _GOING_ON_HINTS):
        norm = _WHAT_IS_GOING_ON.sub("", norm)
    return norm


def concept_intent(norm: str) -> str | None:
    """An intent fixed by a combination of words, or None; it overrides the lexicon."""
    charge = _CHARGE.search(norm)
    if charge:
        unknown = (
            _UNKNOWN.search(norm) or _EXTRA.search(norm) or _NEVER_HAD_LOAN.search(norm) or _UP_TO_DATE.search(norm)
        )
        paid = _PAID.search(norm)
        if unknown:
            return "queja"
        if paid:
            # Paid, and asking for the deductions to stop: that is what the certificate
            # is for. Paid, and the deductions go on: a complaint.
            if not _STOP_REQUEST.search(norm) or _CONTINUE.search(norm):
                return "queja"
    if _unrequested(norm) or _identity_theft(norm):
        return "queja"
    if _scam(norm) or (_may(norm, _FRAUD_REPORT_STARTS) and _FRAUD_REPORT.search(norm)):
        return "queja"
    if _DOCUMENT.search(norm) and _PAID.search(norm) and "cuanto" not in norm.split():
        return "paz_y_salvo"
    if (
        (_DATA.search(norm) and _DATA_USE.search(norm) and not _PHONE_PLAN.search(norm))
        or _privacy_request(norm)
        or (_may(norm, _HABEAS_STARTS) and _HABEAS_DATA.search(norm))
    ) and not (_elsewhere(norm) and not _CONTACT_DETAIL.search(norm)):
        # ...but not the data another provider keeps ("mis datos en el sisben"), unless a
        # contact detail of the customer is named ("me cambie de claro, actualicen mi celular").
        return "privacidad"
    if _CLOSING.match(norm.strip()) or (
        " ya " in f" {norm} " and _DONE.match(norm.strip()) and _DONE_WORDS.search(norm)
    ):
        return "despedida"
    if (
        len(norm.split()) <= 9
        and _may(norm, _RESTART_STARTS)
        and _RESTART.search(norm)
        and not _SERVICE_WORDS.search(norm)
    ):
        return "menu"
    if _FORGOT.match(norm.strip()):
        return "desconocido"
    return None


# Word beginnings one of which each fraud pattern needs (see _starts).
_THEFT_STARTS = frozenset(
    "supl iden nomb cedu firm docu foto info dato pape supi auto perm cons bill fals pasa mio mia"
    " saca pidi soli hici abri toma tram".split()
)
_SCAM_STARTS = frozenset(
    """
    plat dine cons tran depo segu estu pag adel comi nequ davi efec gir di mand envi apro dese agil libe desb
    clav cont codi pin toke otp dato tarj mil mill peso luca barr cobr cuen cedu info entr quit robo roba tumb
    daba doy dier
    """.split()
)
_UNREQUESTED_STARTS = frozenset("no nunc jama solo sola unic nada".split())
_FRAUD_REPORT_STARTS = frozenset("frau esta hac haq clon supl vaci deso limp".split())
_HABEAS_STARTS = frozenset("habe 1581 prot supr revo dere".split())


def _unrequested(norm: str) -> bool:
    """A loan the customer (or a relative) never asked for."""
    if not _may(norm, _UNREQUESTED_STARTS):
        return False
    return bool(_UNREQUESTED_LOAN.search(norm) or (_NEVER_ASKED.search(norm) and _ON_RECORD.search(norm)))


def _identity_theft(norm: str) -> bool:
    return _may(norm, _THEFT_STARTS) and bool(_IDENTITY_THEFT.search(norm))


# The loan or the payout offered on condition that the customer pays ("me ofrecio un
# credito si le daba 100 mil"), or sends a code to someone posing as ProAlto ("me
# consignaban hoy si les mandaba el codigo").
_IF_YOU = (
    r"\bsi (le |les )?(daba|doy|diera|pagaba|pago|pagara|consignaba|consigno|consignara|mandaba|mando|mandara|"
    r"enviaba|envio|enviara|transferia|transfiriera|giraba|girara)\b.{0,25}\b"
)
_IF_YOU_PAY = re.compile(_IF_YOU + r"(" + _SUM + r"|plata|dinero|seguro|estudio|comision|adelant\w*)")
_IF_YOU_SEND_A_CODE = re.compile(_IF_YOU + r"(codigo\w*|clave\w*|contrasena\w*|pin)\b")
_LOAN_OR_PAYOUT = re.compile(r"\b(" + _LOAN[1:-1] + r"|desembols\w*|consign\w*|aprob\w*)\b")
# Someone got in touch, or spoke for ProAlto.
_CONTACTED = re.compile(
    r"\b(llam\w*|escrib\w*|mensaj\w*|link|enlace|correo|whatsapp|asesor\w*|proalto|ustedes|alguien|senor\w*|"
    r"persona|funcionari\w*)\b"
)


def _scam(norm: str) -> bool:
    """Money asked for in ProAlto's name or "to approve the loan", or secrets asked for by
    someone posing as ProAlto."""
    if not _may(norm, _SCAM_STARTS):
        return False
    if _MONEY_REQUEST.search(norm) and (_IMPERSONATION.search(norm) or _SCAM_PURPOSE.search(norm)):
        return True
    if _PAID_SOMEONE.search(norm) and (
        _STRONG_IMPERSONATION.search(norm) or _SCAM_PURPOSE.search(norm) or _VANISHED.search(norm)
    ):
        return True
    if _IF_YOU_PAY.search(norm) and (_IMPERSONATION.search(norm) or _LOAN_OR_PAYOUT.search(norm)):
        return True
    if _IF_YOU_SEND_A_CODE.search(norm) and _STRONG_IMPERSONATION.search(norm):
        return True
    if _BANK_SECRET_REQUEST.search(norm) and _CONTACTED.search(norm):
        # "un asesor de proalto me pidio la clave del banco", "una llamada pidiendo los datos
        # de la tarjeta".
        return True
    if _PAY_TO_RELEASE.search(norm):
        return True
    if _GAVE_AWAY.search(norm) and _STRONG_IMPERSONATION.search(norm):
        # "cai en una pagina falsa de proalto y les pague el estudio", "un perfil falso que
        # esta cobrando por los creditos".
        return True
    return bool(_SECRET_REQUEST.search(norm) and _STRONG_IMPERSONATION.search(norm))


def is_fraud(norm: str) -> bool:
    """A complaint that is fraud (urgent): identity theft, a loan the customer never asked
    for, money asked for in ProAlto's name, or the fraud words themselves."""
    return bool(
        _identity_theft(norm)
        or _unrequested(norm)
        or _scam(norm)
        or _FRAUD_WORDS.search(norm)
        or (_CHARGE.search(norm) and _NEVER_HAD_LOAN.search(norm))
        or re.search(r"\bno reconozco\b", norm)
    )


# What the customer still owes (not "ya no debo nada"): a balance, not a certificate.
_OWING = re.compile(r"\b(debo|debe|debemos|debiendo|adeudo|deuda|saldo)\b")
_NOT_OWING = re.compile(r"\b(no|nada|ninguna|cero|sin) (\w+ ){0,2}(debo|debe|debemos|debiendo|adeudo|deuda|saldo)\b")
_AMOUNT = re.compile(r"\b(cuanto|cuantos|monto|valor|total|cifra)\b")
# The stage of an application ("en que etapa va", "estado de mi solicitud"); a statement
# of account ("estado de cuenta") is a balance.
_STAGE = re.compile(
    r"\b(etapa|fase|en que (paso|punto|parte|proceso) (va|esta|quedo|anda)|"
    r"estado (de|del|en que) (mi |la |el )?(solicitud|tramite|peticion|proceso|estudio|desembolso|"
    + _LOAN[1:-1]
    + r"))\b"
)
# How much the customer owes, asked outright ("cuanto debo del credito que me dieron").
_HOW_MUCH_OWED = re.compile(r"\bcuanto (\w+ ){0,2}(debo|debemos|debe|adeudo|quedo debiendo|estoy debiendo)\b")
# The customer already handed in an application (so it is under way), was promised an
# answer that did not come, or asks how long until the money: status, not a new credit.
_SUBMITTED = re.compile(
    r"\b(entregue|entregamos|pase|pasamos|envie|enviamos|mande|mandamos|radique|radicamos|lleve|"
    r"llevamos|subi|subimos|adjunte|presente|diligencie|llene|(volvi|volvimos) a (enviar|mandar|entregar|radicar|"
    r"subir|pasar|llevar|adjuntar)) (\w+ ){0,2}(papeles|papeleria|documentos|"
    r"documentacion|solicitud|formulario|requisitos|desprendibles|colillas|informacion|soportes|fotos)\b"
)
# Applied, and no news since ("hace un mes radique y no se nada").
_NO_NEWS = re.compile(
    r"\b(radique|radicamos|aplique|hice la solicitud|mande la solicitud|envie la solicitud)\b.{0,30}"
    r"\b(no se nada|no sabemos nada|nada|no me (han|dicen|responden|contestan)|sin respuesta|no he sabido)\b"
)
_PROMISE_UNKEPT = re.compile(
    r"\b(me|nos) (dijeron|dijo|prometieron|prometio|aseguraron|aseguro|quedaron|quedo)\b.{0,50}"
    r"\b(y|pero) (nada|no|nunca|todavia no|aun no|ni)\b"
)
# Nobody called or wrote back about an application step ("no me han llamado para la firma").
_NOT_CONTACTED = re.compile(
    r"\bno (me |nos )?(han|ha) (llamado|contactado|escrito|respondido|contestado|avisado)\b.{0,30}"
    r"\b(firma|firmar|desembolso|solicitud|aprobacion|estudio|" + _LOAN[1:-1] + r")\b"
)
# Called, or to be called, for a step of the application ("ya me llamaron para firmar?").
_STEP_CALL = re.compile(
    r"\b(llamaron|llamo|llaman|llamarian|van a llamar|contactaron|citaron|citan|escribieron)\b.{0,15}\bpara (la |el )?"
    r"(firma|firmar|desembols\w*|desembolso|aprobacion|estudio|entrevista|verificacion|validacion)\b"
)
_WAITING = re.compile(
    r"\bfalta\w* para (que )?(me |nos )?(el |la )?(desembols|consign|gir|aprueb|aprob|respond|salga|firma)\w*"
)
# Money on top of the current loan: "otro desembolso sobre mi credito".
_ON_THE_LOAN = re.compile(r"\b(sobre|encima de|ademas de) (el|la|mi|lo de mi) " + _LOAN + r"\b")
# How ProAlto serves, judged: a complaint even without a complaint word.
_BAD_SERVICE = re.compile(
    r"\b(pesim\w*|malisim\w*|terribl\w*|horribl\w*|desastr\w*|verguenza|vergonzos\w*|"
    r"mediocr\w*|irrespetuos\w*|groser\w*|descarad\w*|abusiv\w*|indignad\w*|inconform\w*|"
    r"decepcionad\w*|furios\w*|burla|porqueria|mal servicio|mala atencion|mal trato|maltrato|"
    r"enganaron|engano|mintieron|mintio|(dio|dieron|informo|informaron|explico|explicaron) mal|"
    r"nadie (me )?(responde|contesta|atiende|soluciona|ayuda))\b"
)
_THANKS = re.compile(r"\b(gracias|agradezco|agradecid[oa]s?|agradecemos)\b")
# Asking to be put through to someone.
_ADVISOR_REQUEST = re.compile(
    r"\b(hablar|comunic\w*|pas(e|a|en|ame|enme|eme)|llam(en|e|ar|enme|eme)|atiend\w*|quiero|necesito|"
    r"requiero|deseo|prefiero)\b"
)
# What the bot can do for the customer: the menu.
_OPTIONS = re.compile(
    r"\b(opciones|servicios|menu)\b|\ben que (me |nos )?(pueden|puede|podrian|podria) "
    r"(ayudar|colaborar|servir)\b|\bque (mas )?(ofrecen|ofrece|manejan|maneja)\b|"
    r"\bque (hago|puedo hacer|se puede hacer|se hace|hace)( \w+){0,2} (aqui|aca|chat|bot|whatsapp|medio|esto)\b"
)


# Someone who never borrowed from ProAlto, asking how to.
_FIRST_TIME = re.compile(
    r"\b(nunca|jamas|no) (he )?(tenido|sacado|pedido|solicitado|tengo) (\w+ ){0,2}" + _LOAN + r"\b"
)
_HOW_TO = re.compile(
    r"\b(que necesito|que debo|como (hago|puedo|es|se hace)|requisitos|puedo|quiero|quisiera|me gustaria|"
    r"me interesa|seria (mi|el) primer\w*|por primera vez)\b"
)
# Answers about a loan that a more specific reading of the same loan words may replace.
_LOAN_INTENTS = (None, "nuevo_credito", "saldo", "paz_y_salvo", "estado_solicitud")


# Another provider's business: a health insurer, a tax office, a phone company, transport,
# school, a recipe, a divorce. A service word next to one of them ("el certificado de la
# eps", "el saldo de la tarjeta del transmilenio", "renovar el pasaporte") is not a request
# to ProAlto, unless the message also names ProAlto's own things (the loan, its deduction).
_ELSEWHERE = re.compile(
    r"\b(saldo|extracto|movimientos|cupo) (de|del|en) (mi |mis |la |el |las )?(cuenta de ahorros|cuenta corriente|"
    r"tarjeta|celular|nequi|daviplata|banco|cesantias)|"
    r"\bcertificad\w* (de|del) (estudio|estudios|notas|bachiller|grado|vacunacion|antecedentes|residencia)\b|"
    r"\b(renov|renuev)\w* (el |la |mi |su )?(cedula|pasaporte|licencia|visa|contrato|suscripcion|membresia|matricula|"
    r"soat|tarjeta)\b|"
    r"\b(eps|sisben|dian|registraduria|afiliacion|cajas? de compensacion|arl|notaria|pasaporte|visa|"
    r"(administracion|administrador\w*) (del|de la|de mi) (conjunto|edificio|unidad|casa)|conjunto residencial|"
    r"gimnasio|wifi|biblioteca|operador (de|del) (celular|telefonia|internet|movil)|"
    r"licencia de (conduccion|conducir|transito)|"
    r"pase de conduccion|soat|runt|simit|comparendo\w*|tecnomecanica|"
    r"transmilenio|tullave|sitp|tiquete\w*|pasaje\w*|vuelo\w*|"
    r"(de|del|en|con|a|al) (claro|movistar|tigo|wom|etb)|plan(es)? (de|del) (mi )?(datos|minutos|celular|"
    r"telefonia|internet|claro|movistar|tigo|wom)|paquete de datos|recarga\w*|netflix|dolar|dolares|euro|euros|trm|"
    r"(recibo|factura)s? de (la )?(luz|agua|gas|celular|internet)|servicios publicos|"
    r"icetex|matricula|tarea|receta\w*|pizza\w*|almuerzo|restaurante\w*|"
    r"divorcio|custodia|cuota alimentaria|herencia|sucesion|cita medica|medicamento\w*|drogueria|farmacia|"
    r"loteria|partido de \w+)\b"
)
# Word beginnings one of which _RESTART, _RAISE_LOAN, _ELSEWHERE need (see _starts).
_RESTART_STARTS = frozenset(
    "perd enre conf embo revo volv vuel regr devu devo arra empe empi come comi rein inic ir irm irn".split()
)
_RAISE_STARTS = frozenset("sub aume ampl incr elev".split())
_ELSEWHERE_STARTS = frozenset(
    """
    cuen tarj celu nequ davi banc cesa eps sisb dian regi nota pasa visa lice pase soat runt simi comp tecn tran
    tull sitp tiqu vuel clar tigo wom etb plan paqu reca netf dola euro trm reci fact serv icet matr tare rece
    pizz almu rest divo cust alim here suce cita medi drog farm lote part reno renu cert afil caja arl admi conj
    gimn wifi bibl oper
    """.split()
)
# ProAlto's own things, or money: with them the message is about a loan after all ("plata
# para la matricula").
_OURS = re.compile(
    r"\b(" + _LOAN[1:-1] + r"|prest\w*|plata|platica|dinero|cuota|cuotas|descuent\w*|descont\w*|desembols\w*|"
    r"deuda|proalto|nomina|pagaduria|"
    r"desprendible\w*|retanqu\w*|pension\w*|ustedes)\b(?! alimentari)"
)
# Handing over a thing ("me pasas la receta", "pasame el numero de la pizzeria") is not
# putting the customer through to someone.
_HAND_OVER = re.compile(r"\bpas(a|as|e|en|ame|eme|enme|ar|arme)\b (el|la|los|las|un|una) ")
_PERSON = re.compile(
    r"\b(asesor\w*|persona\w*|humano|agente|funcionari\w*|encargad\w*|supervisor\w*|alguien|jefe|gerente|"
    r"operador\w*|ejecutiv\w*|atencion|servicio al cliente|linea|llam\w*|habl\w*|comunic\w*|contact\w*)\b"
)


def concept_after_lexicon(intent: str | None, norm: str) -> str | None:
    """An intent that replaces a vague lexicon answer (none, a new credit, a greeting, an
    advisor), or None.

    Money promised or on its way is about an application already made; lending by age is
    a new-credit question; more money on the loan the customer has is a renewal.
    """
    if intent not in (None, "desconocido") and _elsewhere(norm):
        return "desconocido"
    vague = intent in (None, "nuevo_credito", "menu", "despedida", "asesor")
    if vague and _DISBURSEMENT.search(norm):
        return "estado_solicitud"
    if intent in _LOAN_INTENTS and _NEW_LOAN.search(norm) and _REFINANCE.search(norm):
        # A new loan that pays off the current one is a renewal, whatever words it uses.
        return "renovacion"
    if intent == "saldo" and _may(norm, _RAISE_STARTS) and _RAISE_LOAN.search(norm):
        return "renovacion"
    if vague and ((_AGE.search(norm) and _LENDING.search(norm)) or _WHO_BORROWS.search(norm)):
        return "nuevo_credito"
    if intent == "nuevo_credito" and _MORE_MONEY.search(norm) and _EXISTING_LOAN.search(norm):
        return "renovacion"
    if intent == "saldo" and _MORE_MONEY.search(norm) and _BORROW.search(norm) and _EXISTING_LOAN.search(norm):
        # "ya casi termino de pagar, puedo volver a sacar?": borrowing again, not the balance.
        return "renovacion"
    if intent in (None, "nuevo_credito") and _ON_TOP_OF_LOAN.search(norm):
        return "renovacion"
    if (
        intent in (None, "nuevo_credito", "estado_solicitud")
        and _ON_THE_LOAN.search(norm)
        and _MORE_MONEY.search(norm)
    ):
        return "renovacion"
    if (
        intent in (None, "estado_solicitud")
        and _SUM_WANTED.search(norm)
        and not (_STAGE.search(norm) or _SUBMITTED.search(norm) or _EXISTING_LOAN.search(norm))
    ):
        return "nuevo_credito"
    if (
        intent == "estado_solicitud"
        and _HOW_MUCH_OWED.search(norm)
        and not (_DISBURSEMENT.search(norm) or _STAGE.search(norm) or _WAITING.search(norm))
    ):
        # "cuanto debo" asked outright is the balance, whatever else names the loan.
        return "saldo"
    if intent in (None, "nuevo_credito") and (_STAGE.search(norm) or _SUBMITTED.search(norm) or _NO_NEWS.search(norm)):
        return "estado_solicitud"
    if (intent is None and _PROMISE_UNKEPT.search(norm)) or (intent in (None, "saldo") and _WAITING.search(norm)):
        return "estado_solicitud"
    if intent in (None, "asesor", "nuevo_credito", "privacidad") and (
        _NOT_CONTACTED.search(norm) or _STEP_CALL.search(norm)
    ):
        # "no me han escrito sobre mi solicitud" waits for a call; it stops none.
        return "estado_solicitud"
    if (
        intent == "paz_y_salvo"
        and _OWING.search(norm)
        and not (_NOT_OWING.search(norm) or _DOCUMENT.search(norm) or _PAID.search(norm))
    ):
        return "saldo"
    if intent is None and _OWING.search(norm) and _AMOUNT.search(norm) and not _NOT_OWING.search(norm):
        # "el monto que adeudo": how much is owed, in words the phrases do not use.
        return "saldo"
    if _BAD_SERVICE.search(norm) and (
        intent in (None, "menu", "despedida") or (intent == "asesor" and not _ADVISOR_REQUEST.search(norm))
    ):
        # Also how an advisor treated the customer ("la asesora me trato horrible").
        return "queja"
    if intent is None and _OPTIONS.search(norm):
        return "menu"
    if (intent in (None, "menu", "despedida") or (intent == "nuevo_credito" and _EXISTING_LOAN.search(norm))) and (
        _WHO_TO_ASK.search(norm)
    ):
        # Who can see to the customer's case: a person, even about "mi credito".
        return "asesor"
    if intent == "queja" and _FIRST_TIME.search(norm) and _HOW_TO.search(norm) and not _ON_RECORD.search(norm):
        # "yo nunca he sacado credito con ustedes, que necesito": a first loan, not a complaint.
        return "nuevo_credito"
    if intent == "queja" and _CERTIFICATE_FOR.search(norm) and not _CHARGE.search(norm):
        # "el paz y salvo para reclamar la devolucion": the certificate is what is asked for.
        return "paz_y_salvo"
    if intent in (None, "menu") and _FAREWELL.search(norm):
        return "despedida"
    if intent is None and _THANKS.search(norm):
        # Thanks with words the phrases do not know ("mil gracias por la colaboracion").
        return "despedida"
    return None


_CONTACT_DETAIL = re.compile(r"\b(celular|telefono|numero|correo|email|direccion|whatsapp)\b")


def _elsewhere(norm: str) -> bool:
    """Another provider's business and nothing of ProAlto's (a credit card is not a loan)."""
    if not (_may(norm, _ELSEWHERE_STARTS) and _ELSEWHERE.search(norm)):
        return False
    return not _OURS.search(norm.replace("tarjeta de credito", "tarjeta"))


def hands_over_a_thing(norm: str) -> bool:
    """ "Pasame el/la <thing>" with nobody to be put through to: not a request for an advisor."""
    return bool(_HAND_OVER.search(norm)) and not _PERSON.search(norm)


def mentions_existing_loan(content: list[str]) -> bool:
    """The customer says they already have a loan ("tengo", "llevo", "vigente"; not negated)."""
    for index, token in enumerate(content):
        if token in ("tengo", "llevo", "actual", "vigente") and (
            index == 0 or content[index - 1] not in ("no", "nunca")
        ):
            return True
    return False
