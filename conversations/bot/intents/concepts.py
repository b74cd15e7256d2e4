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
    # (map over a bound method: no Python frame per hint, unlike a generator expression.)
    return any(map(norm.__contains__, hints))


# A deduction or charge on the customer's payroll/pension.
_CHARGE = re.compile(
    r"\b(descont\w*|descuent\w*|cobr\w*|debit\w*|"
    r"(subieron|aumentaron|incrementaron|cambiaron|corrieron|movieron) (la|el|los|las|mi|mis) (cuota|descuento|"
    r"interes\w*|"
    r"tasa|valor|fecha|plazo)|"
    r"(la|el|mi) (cuota|descuento|tasa|valor)( \w+){0,2} (subieron|aumentaron|incrementaron|cambiaron|subio|aumento|"
    r"incremento|cambio)|"
    r"(pusieron|cobraron|cargaron|metieron|impusieron) (una |un )?(multa|sancion|penalidad|recargo|cargo)|"
    r"(aparece|aparecen|apareciendo|figura|figuran|sale|salen|saliendo)( \w+){0,3} "
    r"(descuento|cobro|" + _LOAN[1:-1] + r"|deuda)|"
    r"(colilla|desprendible|pension|nomina|extracto|cuenta) (\w+ ){0,2}(aparece|aparecen|sale|salen|figura|figuran) "
    r"(proalto|ustedes))\b"
)
# Money taken from the payroll ("me quitaron plata de la nomina"): a charge too.
_PAYROLL_TAKEN = re.compile(
    r"\b(quitaron|quito|sacaron|saco|rebajaron|rebajo) (\w+ ){0,2}(de la|del|de mi) (nomina|pension|sueldo|salario|"
    r"mesada)\b"
)
_PAYROLL_TAKEN_STARTS = frozenset("quit saca saco reba".split())
# The loan is paid off ("ya pague", "termine de pagar", a paz y salvo already issued).
_PAID = re.compile(
    r"\b(ya (le |les |lo |la )?(pague|cancele|salde|termine|acabe)"
    r"(?! (la mitad|varias|unas|algunas|parte|casi|\d+))|"
    r"(termine|acabe) de pagar|pague (todo|la totalidad|el total|la ultima)|"
    r"(lo|la) (tengo|tenia) (pago|paga|pagado|pagada|cancelado|cancelada)|"
    r"ya (esta|estaba|quedo|habia) (pago|paga|pagado|pagada|cancelad[oa]|terminad[oa])|"
    r"ya (le |les )?(pague|cancele)|ya no (le |les )?debo|"
    r"(despues del?|ya estoy a|estando a|quede a|ya tengo el|tengo el|me dieron el|"
    r"me expidieron el|con) paz y salvo|"
    r"(que|credito|libranza|prestamo) ya (pague|cancele|termine)|"
    r"(pague|cancele|salde|liquide) (todo |toda |totalmente |completamente )?(el|la|mi) ("
    + _LOAN[1:-1]
    + r"|deuda|obligacion)(?! (de|del) (otro|otra|la|el))|"
    r"ya (la |lo |le |les )?(habia|he|hemos|habiamos|tenia) (pagado|cancelado|saldado)|"
    r"(esta|este|estan|quedo|quede|queda|quedara) (saldad[oa]|pagad[oa]|cancelad[oa]|liquidad[oa]|cerrad[oa])|"
    r"no (le |les )?debo nada|libre de (deuda|deudas|obligacion\w*)|(deuda|saldo) en cero|"
    r"ya no (tengo|tenemos) (ningun |ninguna )?(" + _LOAN[1:-1] + r"|deuda|deudas)|"
    r"(quede|quedo|estoy|estar|quedar) sin (deudas?|obligacion\w*|saldo|nada)( pendientes?)?( con ustedes)?|"
    r"sin (deudas?|obligacion\w*|saldos?) pendientes?|"
    r"(cierre|cancelacion|liquidacion|terminacion) (de|del) (mi |el |la )?(" + _LOAN[1:-1] + r"|deuda|obligacion)|"
    # The last payment made, in any order ("ya hice el ultimo pago", "la ultima cuota ya la pague",
    # "me descontaron la ultima cuota").
    r"(hice|realice|pague|cancele|consigne|di|deposite|transferi|abone|descontaron|desconto|debitaron|"
    r"hicimos|pagamos) (el |la |mi )?(ultim[oa]|final) (pago|cuota|abono|consignacion|descuento|pag[oa])|"
    r"(ultim[oa]) (pago|cuota|abono|consignacion|descuento) (ya )?(\w+ ){0,2}(la |lo )?(hice|realice|pague|cancele|"
    r"consigne|pagamos|hicimos|descontaron|desconto|debitaron|quedo|salio|se hizo|se pago|fue pagad[oa]|"
    r"esta pagad[oa]))"
)
# The customer does not recognise the charge.
_UNKNOWN = re.compile(
    r"\b(desconozco|desconocid[oa]s?|(no|nunca|jamas|nadie) (\w+ ){0,2}(solicite|pedi|saque|autorice|reconozco|"
    r"conozco|"
    r"corresponde\w*|debo|pacte|acorde|firme|explicaron|explico|informaron|informo|avisaron|aviso|menciono|"
    r"mencionaron|advirtio|advirtieron|"
    # ...or someone else did not ("mi mama nunca lo solicito", "ella nunca firmo nada").
    r"solicito|pidio|saco|autorizo|reconoce|firmo|pedido|solicitado|sacado|firmado|autorizado)|"
    r"(que|los|las) no (son|eran|es|era|corresponden)|"
    r"sin (mi )?(autorizacion|permiso|consentimiento)|sin (previo |ningun |ninguna )?(avis\w*|explic\w*|inform\w*|"
    r"consult\w*)|"
    r"sin que (me |nos )?(avisaran|avisen|informaran|informen|explicaran|expliquen|consultaran|dijeran|preguntaran|"
    r"autorizara|autorizaramos|supiera)|"
    r"sin (ninguna |ningun )?(razon|motivo|justificacion|causa)|injustificad\w*|que no (entiendo|comprendo)|"
    r"no (se|sabemos) (por que|de que es|de donde (sale|salio|viene))|"
    r"que (no|nunca) (uso|use|utilizo|utilice|queria|quise|necesito|necesite)|"
    r"(no|nunca|jamas) (tengo|he tenido|tuve|he sacado|he pedido|he solicitado) (ningun |ninguna |ni un |ni una )?"
    + _LOAN
    + r")\b"
)
# More than agreed.
_EXTRA = re.compile(
    r"\b(de mas|demas|doble|dos veces|dos cuotas|mas de lo|excesiv\w*|injust\w*|no es justo|usura|ilegal\w*|"
    r"al mismo tiempo|por partida doble|por los dos lados|penalidad\w*|penalizacion\w*|sancion\w*|multa\w*|"
    r"intereses sobre intereses|"
    r"por encima de lo (legal|permitido|pactado|acordado|firmado)|abusiv\w*|"
    r"no (coincide|coinciden|cuadra|cuadran|concuerda|concuerdan)|"
    r"(dos|tres|2|3) (descuentos|cobros|debitos|cargos|cuotas)|"
    r"no es lo que|no era lo que|mas alto de lo|mas caro de lo|antes de (tiempo|la fecha|lo acordado|lo pactado))\b|"
    # Charged other than agreed ("me prometio una tasa y me cobraron otra").
    r"\b(cobr|descont|descuent)\w* (otra|otro|una diferente|uno diferente|algo diferente|distint\w*)\b|"
    r"\b(cobr|descont|descuent)\w* (de )?mas\b(?! (plata|dinero|credito|prestamo))"
)
# ...and the loan never came ("me cobraron el estudio y nunca me lo aprobaron").
_NEVER_GOT = re.compile(
    r"\b(nunca|jamas|no) (me |nos )?(lo |la )?(aprobaron|desembolsaron|consignaron|entregaron|dieron el (credito|"
    r"prestamo|desembolso))\b|\b(me |nos )?(lo|la) (negaron|rechazaron)\b|"
    r"\b(nunca|jamas|no) (me |nos )?(ha |han )?(llego|llegado|entro|entrado|cayo|caido) (el |la )?(dinero|plata|"
    r"platica|"
    r"desembolso|" + _LOAN[1:-1] + r")\b"
)
# In arrears, though the customer or the payroll paid ("me cobraron mora cuando fue la pagaduria la
# que no pago", "la pagaduria me desconto pero dicen que estoy en mora"): a complaint.
_ARREARS = re.compile(r"\b(mora|moroso|morosa|morosos|atrasad[oa]s?|atraso|vencid[oa]s?)\b")
_BUT_PAID = re.compile(
    r"\b(ya pague|pague|pagamos|la pagaduria|el pagador|la empresa|me desconto|me descontaron|me descuentan|"
    r"estoy al dia|a tiempo|puntual\w*|cumplid[oa])\b"
)
# Charged though a payment was made first ("aunque ya habia hecho un abono extraordinario").
_DESPITE_PAYING = re.compile(
    r"\b(aunque|pero|si|y|a pesar de que) (ya )?(habia|he|hice|hicimos|habiamos|tenia) (hecho |realizado )?"
    r"(un |el |una |mi )?(abono|pago|prepago|consignacion)\w*"
)
# Charged, or called to pay, while up to date ("me llaman a cobrar si estoy al dia").
_UP_TO_DATE = re.compile(
    r"\b(si|y|pero|aunque|cuando) (ya )?(estoy|estamos|esta|voy|vamos|ando) al dia\b|"
    # ...in any words ("estando al dia", "sigo al dia con las cuotas", "tengo todo al dia", "pago
    # puntual", "al corriente"), not catching up ("para ponerme al dia").
    r"\b(a pesar de|pese a|aun|sin) (estar|ir|andar) al dia\b|"
    r"\b(estando|estoy|estamos|ando|voy|vamos|estaba|estabamos|sigo|seguimos|quede|quedamos|llevo|tengo|tenemos|"
    r"pague|pagamos) ((?!poner|para|quedar|estar|salir)\w+ ){0,3}(al dia|al corriente|a paz y salvo)\b(?! siguiente)"
    r"(?! (con|de) (mis|los|las) (datos|documentos))|"
    r"\bal dia (con|en) (mis|los|las|el|la|todos?|todas?) ?(\w+ )?(pagos?|cuotas?|"
    + _LOAN[1:-1]
    + r"|obligacion\w*)\b|"
    r"\b(?<!si )(pago|pagamos|he pagado|hemos pagado|siempre pago|siempre he pagado) (siempre )?"
    r"(puntual\w*|cumplid\w*|a tiempo|sin falta)\b|"
    r"\b(nunca|jamas|no) (me )?(he|ha|hemos|e) (retrasado|atrasado|colgado|dejado de pagar|"
    r"fallado (un|una|ningun|ninguna) (pago|cuota|mes))\b|"
    r"\b(tengo|tenemos|llevo) (la |las |mis |el |los )?(cuota|cuotas|pagos|credito) al dia\b|"
    # ...or never behind ("me llaman a cobrar y nunca me he atrasado").
    r"\b(nunca|jamas|no) (me )?(he|ha|hemos) (atrasado|quedado mal|incumplido|fallado)\b|"
    r"\bno (estoy|estamos|ando) (atrasad[oa]s?|en mora)\b"
)
# The last instalment paid or deducted, and the certificate asked ("me descontaron la ultima cuota,
# como saco el paz y salvo").
_LAST_PAID_DOCUMENT = re.compile(
    r"^(?=.*\bultim[oa] (pago|cuota|descuento|abono)\b)(?=.*\b(certifi\w*|constancia|carta|paz y salvo)\b)"
)
# Chased for payment ("me llaman como si debiera", "me cobran").
_CHASED = re.compile(
    r"\b(llam\w*|cobr\w*|mora|reportad\w*|report\w+|centrales|datacredito|cifin|acos\w*|"
    r"persig\w*|jodiendo|molest\w*|como si (debiera|debieramos|estuviera atrasad[oa]))\b"
)
_CONTINUE = re.compile(r"\b(sigu\w+|continu\w+|todavia|aun|volvi\w* a|otra vez|estan|esta)\b")
_STOP_REQUEST = re.compile(r"\b(dejen de|deje de|dejar de|quit\w+|levant\w+|retir\w+|suspend\w+|cerrar|cierren)\b")
# A loan on record that the customer says they never asked for.
_UNREQUESTED_LOAN = re.compile(
    r"\b(" + _LOAN[1:-1] + r"|deuda)\b.{0,50}\b(no|nunca|jamas) (\w+ ){0,2}(solicite|pedi|saque|autorice|"
    r"he pedido|he solicitado|he sacado|firme|adquiri|contraje|hice|tramite|tome|he tomado|pedido|solicitado|sacado|"
    r"tramitado|tomado|di (mis |mi )?(datos|cedula|papeles|documentos|autorizacion|permiso)|"
    r"firmado|autorizado)\b|"
    # ...or more loans than the customer took ("me aparecen dos creditos y yo solo pedi uno")...
    r"\b(dos|tres|cuatro|\d+) (" + _LOAN[1:-1] + r")\b.{0,30}\b(solo|solamente|unicamente|nada mas) (\w+ )?"
    r"(pedi|saque|solicite|firme|tengo|tome|autorice) (uno|una|1)\b|"
    r"\b("
    + _LOAN[1:-1]
    + r"|deuda)\b.{0,30}\bque (\w+ ){0,2}(no|nunca|jamas) (re)?(conozco|conoce|conocemos|conocia)\b|"
    # ...or never received ("me estan cobrando un prestamo que nunca recibi"; not "el credito que pedi
    # nunca lo recibi", a payout awaited).
    r"\b(un|una|otro|otra) ("
    + _LOAN[1:-1]
    + r"|deuda) (\w+ ){0,2}que (yo )?(no|nunca|jamas) (recibi|he recibido|me llego|me llegaron|tuve|he tenido)\b|"
    # ...or that the customer does not have ("me estan cobrando una deuda que no tengo").
    r"\b(" + _LOAN[1:-1] + r"|deuda)\b (\w+ )?que (yo )?(no|nunca|jamas) (tengo|tenia|he tenido|adquiri|contraje)\b"
    r"(?! (como|con que|para|plata|dinero|forma|manera|tiempo|cuando|de donde))|"
    # ...or for more than the customer asked ("un credito de 8 millones pero yo solo pedi 3").
    r"\b(" + _LOAN[1:-1] + r"|deuda) (de|por) (\d+|\w+) (millones|millon|mil)\b.{0,40}\b(solo|solamente|unicamente|"
    r"nada mas) (pedi|saque|solicite|firme|recibi|me dieron|me desembolsaron|me consignaron) (\d+|uno|dos|tres|cuatro|"
    r"cinco|seis|siete)\b|"
    # ...or that a relative never asked for ("un credito que ella nunca solicito").
    r"\b(" + _LOAN[1:-1] + r"|deuda)\b.{0,30}\bque (\w+ ){0,2}(no|nunca|jamas) (\w+ ){0,2}(solicito|pidio|saco|"
    r"autorizo|firmo|hizo|adquirio|ha pedido|ha solicitado|ha sacado|pidieron|solicitaron)\b"
)
# "I never asked for a loan": fraud next to a charge or a loan on record, not from someone
# who has simply never borrowed ("yo nunca he sacado credito con ustedes, que necesito").
_NEVER_ASKED = re.compile(
    r"\b(nunca|jamas) (he |ha |han |hemos |habia )?(solicite|pedi|saque|solicitado|pedido|sacado|solicito|pidio|saco) "
    r"(\w+ ){0,2}" + _LOAN
)
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
    # (Papers asked "para el estudio" are no money asked.)
    r"transfer\w*|deposit\w*|seguro|(?<!para el )(?<!para )estudio|doble|triple|"
    r"pag(ar|ara|aramos|ue|o|os)|adelant\w*|comision|nequi|daviplata|efecty|giro)\b|"
    r"\b(pid(io|ieron|iendo|iendome|e|en)|me piden|exig\w*|cobr(o|aron|aba|aban|ando))\b.{0,50}\b" + _SUM + r"\b|"
    # ...or for a step of the loan ("me cobro por tramitarme el credito").
    r"\b(cobr(o|aron|aba|aban|ando|a|an)|pidi(o|eron)) (\w+ )?(por|para) (tramit|agiliz|sac|desembols|"
    r"aprob)\w*|"
    r"\b(dijo|dijeron|dice|dicen|pidio|pidieron) que (le |les )?(consignara|transfiriera|depositara|girara|consigne|"
    r"transfiera|deposite|gire)\w*|"
    # ...with its purpose ("me llamo para que le girara un deposito"), or made to pay, or told
    # to ("y que pagara el estudio").
    r"\bque (le |les )?(consignara|transfiriera|depositara|girara|pagara|mandara)\b|"
    r"\bque (le |les )?diera (\w+ )?(plata|dinero|platica|\d+)|"
    # ...given to someone, a sum, a share or a tip ("le diera el 5 por ciento", "una propina").
    r"\b(le|les) (diera|dieramos|pagara|pagaramos|consignara|transfiriera|girara|entregara) (\w+ ){0,2}(plata|dinero|"
    r"platica|\d+|comision\w*|propina|porcentaje)\b|"
    r"\b(pid\w+|exig\w+|cobr\w+|me piden) (una |un |su |la |el )?(propina|soborno|coima|mordida|porcentaje|"
    r"comision por fuera)\b|"
    r"\bpara que (le |les )?(consignara|consignaramos|transfiriera|depositara|girara|pagara|mandara|enviara)\b|"
    r"\b(me|nos) (hicieron|hizo|pusieron|puso) (a )?(pagar|consignar|transferir|depositar|girar)\b|"
    r"\bque (le |les )?(hiciera|haga|hicieramos|hagamos) (un |una |el |la )?(deposito|consignacion|transferencia|pago|"
    r"giro)\b|"
    r"\b(consignar|consignara|consignacion|transferencia|depositar|deposito)\b"
    r".{0,40}\b" + _FOR + r"(" + _RELEASE[1:-1] + r"|sacar|el estudio)"
)
# The customer already paid someone (then it matters who, or what for).
_PAID_SOMEONE = re.compile(
    r"\b(consigne|consignamos|transferi|transferimos|deposite|depositamos|gire|le pague|les pague|le di|"
    r"les di|le mande|les mande|le envie|les envie|le entregue|les entregue|le pase|les pase|le gire|les gire)\b|"
    r"\b(pague|di|entregue|pagarle|darle)\b.{0,30}\b(a un|a una|al|a la|a ese|a esa) (asesor\w*|senor\w*|persona|"
    r"muchach\w*|tipo|man|funcionari\w*|emplead\w*|joven|chica|chico|intermediari\w*|tramitador\w*|comisionista)\b"
)
# Told the loan is approved, and that money must be paid first ("que tenia un credito aprobado
# y que debia consignar el 10 por ciento"); not an instalment.
_APPROVED_BUT_PAY = re.compile(
    r"\b(aprobad\w*|preaprobad\w*)\b.{0,60}\b(debia|debo|tenia que|tengo que|tocaba|toca|habia que|hay que|deberia) "
    r"(consignar|pagar|transferir|depositar|girar|dar|mandar)\b(?! (la |las |una |mi |el )?(primera )?(cuota|cuotas))"
)
# A forged transfer, or money "sent by mistake" to be returned: a scam.
_FAKE_TRANSFER = re.compile(
    r"\b(transferencia|consignacion|deposito|comprobante|pago)s? (\w+ )?(fals[oa]s?|falsificad\w*|trucad\w*)\b|"
    r"\b(consignaron|depositaron|transfirieron|giraron) por error\b.{0,40}\bdevolv\w*"
)
# The customer told to pay, deposit or transfer money to someone (not charged by ProAlto).
_ASKED_TO_PAY = re.compile(
    r"\bpara que (le |les )?(consignara|consignaramos|transfiriera|depositara|girara|pagara|mandara|enviara)\b|"
    r"\bque (le |les )?(hiciera|haga|hicieramos|hagamos) (un |una |el |la )?(deposito|consignacion|transferencia|pago|"
    r"giro)\b|"
    r"\b(me|nos) (hicieron|hizo|pusieron|puso) (a )?(pagar|consignar|transferir|depositar|girar)\b|"
    r"\b(pid\w+|me piden|exig\w+)\b.{0,30}\b(consign|transfer|deposit|gir|pag)\w*|"
    r"\b(dijo|dijeron|dice|dicen) que (le |les )?(consignara|transfiriera|depositara|girara|mandara|enviara|"
    r"consigne|transfiera|deposite|gire)\b"
)
# ...or the whole thing turned out to be a lie ("y resulto ser mentira", "todo era falso").
_WAS_A_LIE = re.compile(
    r"\b(era|eran|fue|resulto|resultaron|todo (era|fue)|resulto ser|resultaron ser) (una |un |todo )?"
    r"(mentira|falso|falsa|falsos|engano|trampa|cuento|montaje|robo|fraude|estafa)\b"
)
# ...and then the person vanished: what a scammer does once paid.
_VANISHED = re.compile(
    r"\bno (volvio|volvieron) a (contestar|responder|aparecer|llamar|escribir)|\bdesapareci\w*|"
    r"\b(no|nunca) (lo|la|los|las) (volvi|volvimos) a ver\b|\bnunca mas (contesto|contestaron|respondio|"
    r"respondieron|aparecio|aparecieron|supe|supimos)\b|\bno (he|hemos) vuelto a saber\b|"
    r"\b(me )?bloque(o|aron)\b|\bno (me )?(volvio|volvieron) a (contestar|responder)|"
    r"\b(nunca|no) (mas )?(volvio|volvieron|regreso|regresaron|aparecio|aparecieron)\b"
)
# Someone says they are ProAlto (or an advisor) and is not.
_POSING = (
    r"\b((a|en) nombre de|de parte de) (proalto|ustedes|la empresa)|"
    r"\b(numero|correo|pagina|cuenta|perfil|whatsap\w*|link|enlace)s? (\w+ ){0,2}que no (es|era|son|eran) "
    r"(el |la |los |las )?(de )?(ustedes|proalto|la empresa|oficial\w*)\b|"
    r"\b(con|usando|utilizando|usan|utilizan) (el |la |su |las |sus )?(logo|logotipo|nombre|marca|imagen|imagenes|"
    r"fotos?|razon social)( de la oficina| de las oficinas)? de "
    r"(proalto|ustedes|la empresa)\b|"
    r"\b(correo|mensaje|llamada|link|enlace|pagina|numero|sms|whatsap\w*)s? (\w+ ){0,3}(raro|rara|raros|raras|"
    r"extran[oa]s?|sospechos[oa]s?|dudos[oa]s?)\b|"
    r"\b(dicen|dice|dijo|decia|decian|diciendo|diciendole|diciendoles|diciendome|diciendonos|dijeron)"
    r"( por (telefono|whatsap\w*|mensaje|correo|chat))? (que )?"
    r"(ser|era|eran|es|son|que eran|"
    r"trabaj\w*)\b|\bcomo si (fuera|fueran|fuese|fuesen) (de )?(proalto|ustedes|la empresa|asesor\w*)\b|"
    r"\b(hizo|hacen|hacia|haciendose|haciendo|hicieron|se hace|se hacen) pasar\b|"
    r"\bse (hace|hacen|hacia|hacian|hizo) llamar\b|"
    r"\b(app|aplicacion|pagina|perfil|cuenta|numero|grupo)s? que se (llama|llaman|llamaba) (proalto|igual)\b|"
    r"\b(se|me|nos) (presento|presentaron|identifico|identificaron) (\w+ ){0,4}como\b|\bdizque\b|"
    r"\b(supuest[oa]s?|fals[oa]s?) (asesor\w*|funcionari\w*|emplead\w*|agente\w*|ejecutiv\w*|"
    r"trabajador\w*|proalto|gerente|credito\w*|prestamo\w*|oferta\w*|pagina\w*|perfil\w*|link\w*|enlace\w*|"
    r"mensaje\w*|correo\w*|abogad\w*|cobrador\w*|gestor\w*|representante\w*)\b|"
    # ...any role, "de proalto" ("un supuesto abogado de proalto").
    r"\b(supuest[oa]s?|fals[oa]s?|tal) \w+ (de|del) (proalto|ustedes|la empresa|la entidad)\b|"
    # ...in either order ("un asesor falso"), or "supuestamente de proalto".
    r"\b(asesor|asesora|funcionari[oa]|emplead[oa]|agente|ejecutiv[oa]|gerente)s? (fals[oa]s?|supuest[oa]s?|"
    r"de mentiras|trucho\w*|pirata)\b|\bsupuestamente (de|era|eran|que era|que eran) (proalto|ustedes|la empresa|"
    r"asesor\w*|funcionari\w*|la entidad)\b|"
    # A fake channel: a page, profile or number that is not ProAlto's ("una pagina falsa de
    # proalto", "un perfil que parecia de ustedes").
    r"\b(pagina|perfil|cuenta|grupo|link|enlace|sitio|web|numero|chat|aplicacion|app|correo|formulario|mensaje|"
    r"llamada|sms|whatsap|anuncio|publicidad|oferta|promocion|credito|prestamo)s? (\w+ ){0,3}"
    r"(fals[oa]s?|falsificad\w*|fraudulent\w*|clonad[oa]s?|pirata|"
    r"que (parec\w*|simul\w*|imit\w*|dec\w*|dic\w*) (ser )?(de )?(ustedes|proalto|la empresa)|"
    r"(identic[oa]|igualit[oa]|parecid[oa]|igual) (a|al) (la|el|los|las)? ?(de )?(ustedes|proalto|la empresa))\b"
)
_STRONG_IMPERSONATION = re.compile(_POSING)
# A fake page, profile, link, message or loan offer in ProAlto's name, reported: fraud even
# before anything was lost ("me mandaron un link ... y resulto ser una pagina falsa").
_FAKE_CHANNEL = re.compile(
    r"\b(pagina|perfil|cuenta|grupo|link|enlace|sitio|web|numero|chat|aplicacion|app|correo|formulario|mensaje|"
    r"sms|anuncio|publicidad|oferta|promocion|credito|prestamo|libranza|descuento|cobro|asesor|asesora|funcionari[oa]|"
    r"emplead[oa]|agente|ejecutiv[oa]|gerente|abogad[oa])s? (\w+ ){0,3}(fals[oa]s?|falsificad\w*|"
    r"fraudulent\w*|clonad[oa]s?|pirata)\b|"
    r"\bfals[oa]s? (pagina|perfil|link|enlace|sitio|credito|prestamo|oferta|mensaje|correo|numero|grupo|app|"
    r"aplicacion|asesor|funcionari|emplead|agente|ejecutiv|gerente|abogad|libranza)\w*"
)
# Money taken from the customer ("me quitaron plata con un cuento"), not a payroll deduction.
_TOOK_MY_MONEY = re.compile(
    r"\b(me|nos) (quito|quitaron|tumbo|tumbaron|sacaron|saco) (la |mi |mis |el |los )?(plata|dinero|platica|ahorros|"
    r"\d+ ?(mil|millon|millones|lucas|palos))\b"
)
# ...or made off with it ("se llevo mis papeles y mi plata"), told of someone who got in touch.
_MADE_OFF = re.compile(
    r"\bse (llevo|llevaron|robo|robaron|quedo con|quedaron con|alzo con|alzaron con) (\w+ ){0,4}(la |mi |mis |el |"
    r"los |nuestra )?"
    r"(plata|dinero|platica|ahorros|\d+ ?(mil|millon|millones|lucas|palos)|cedula|documentos|papeles|tarjeta|"
    r"tarjetas)\b"
)
_FAKE_HINTS = ("fals", "fraudulent", "clonad", "pirata")
_SECRET_HINTS = ("clave", "contrasena", "pin", "token")
_TOOK_STARTS = frozenset("quit tumb saca saco llev robo roba qued alzo alza".split())
_PAYROLL = re.compile(r"\b(nomina|pension|sueldo|salario|desprendible|colilla|descuent\w*|descont\w*|cuota)\b")
# ...or just an unknown person who got in touch.
_IMPERSONATION = re.compile(
    _POSING + r"|"
    r"\b(un|una) (tipo|senor|senora|man|muchacho|muchacha|persona|senorita|joven|chica|"
    r"chico|hombre|mujer|numero|desconocid[oa]|tal)\b|\balguien (me|nos)\b|"
    r"\b(me|nos) (escribio|escribieron|llamo|llamaron|contacto|contactaron|llego)\b|"
    # ...or offered a loan out of the blue, or on a social network ("me ofrecieron un credito por
    # facebook").
    r"\b(me|nos) (ofrecieron|ofrecio|ofrecian|ofrecia)\b|"
    r"\b(por|en|de) (facebook|instagram|tiktok|telegram|redes|las redes|marketplace)\b"
)
# Someone asks for the customer's secrets (a password, a one-time code, card data):
# nobody at a lender asks for them, so with an unknown caller it is phishing.
# Secrets nobody at a lender asks for, whoever asks (a one-time code may be a real check).
_BANK_SECRET_REQUEST = re.compile(
    r"\b(pid\w+|ped\w+|solicit\w+|exig\w+|me piden)\b.{0,60}\b((clave|contrasena|pin)s? "
    r"(de (la |mi |su )?(app|aplicacion|sucursal virtual|banca movil|banca virtual) )?(del|de mi|de la|de su|de) "
    r"(banco|cuenta|tarjeta|nequi|daviplata)|clave bancaria|datos bancarios|datos de (la |mi )?tarjeta|"
    r"numero de (la )?tarjeta)\b"
)
# ...which nobody needs in order to pay the customer ("para depositarme el prestamo").
_TO_PAY_YOU = re.compile(r"\bpara (depositar|consignar|desembolsar|girar|transferir|abonar)\w*")
# The customer told to hand over a password or a PIN ("que diera mi clave"): phishing, whoever
# asks (not a one-time code, which ProAlto's own signing may send).
_GIVE_SECRET = re.compile(
    r"\bque (le |les )?(diera|de|enviara|mandara|compartiera|pasara|dictara|diga|dijera|ingresara|pusiera) "
    r"(mi |la |el |su |sus |mis )?(clave|claves|contrasena|pin|token)\b"
)
_GIVE_CODE = re.compile(
    r"\bque (le |les )?(diera|de|enviara|mandara|pasara|dictara|dijera) (mi |la |el |su |los )?codigos?\b"
)
_SECRET_REQUEST = re.compile(
    r"\b(pid\w+|ped\w+|solicit\w+|exig\w+|me piden)\b.{0,40}\b(clave\w*|contrasena\w*|codigo\w*|"
    r"pin|token|otp|datos bancarios|datos de (la |mi )?(tarjeta|cuenta)|numero de (la )?tarjeta|tarjeta|"
    # ...or the personal data and a copy of the ID, asked by someone posing as ProAlto.
    r"(mis |sus |los )?datos( personales)?|(una |la )?(foto|fotos|copia|fotocopia)s? (de )?(la |mi |su )?cedula|"
    r"acceso a (mis |mi |sus |su |los |las )?(contactos|fotos|galeria|archivos|datos|cuenta|celular))\b"
)
_SCAM_PURPOSE = re.compile(
    r"\b" + _FOR + _RELEASE + r"|\bpara (que me )?(sacar|el estudio|estudio|salir|salga|saliera)|"
    r"\bpor adelantado\b|\banticipad\w*\b|\bque no (era|es|eran|son) (de )?(ustedes|proalto|la empresa)\b|"
    r"\bes (real|verdad|cierto|"
    r"confiable|legal|seguro|fraude|estafa)\b|\b(garantia|su cuenta|cuenta personal)\b|"
    r"\b(su|sus) (nequi|daviplata)\b|\b(nequi|daviplata|numero) personal\b|"
    r"\b(pagar|consignar|transferir|depositar|cancelar) (el |un |la )?(estudio|garantia)\b|"
    r"\bpor (aprobar|agilizar|desembolsar)\b|"
    # ...or to the person, not to ProAlto ("que le pagara a el directamente").
    r"\ba (el|ella) directamente\b|\bdirectamente a (el|ella|su)\b|\ben efectivo a (el|ella)\b|"
    r"\ba su (nombre|cuenta)\b"
)
# Money the customer must pay, or paid, to get the loan released: a scam on its own.
_PAY_TO_RELEASE = re.compile(
    r"\b(debo|tengo que|toca|toco|hay que|debia|tenia que|tuve que|pague|consigne|transferi|deposite)\b.{0,40}"
    r"\b" + _FOR + _RELEASE + r"|"
    # ...the same, purpose first ("para desembolsarme tenia que consignarle 250 mil")...
    r"\b" + _FOR + _RELEASE + r".{0,40}\b(debo|debia|tengo que|tenia que|toca|tocaba|hay que|habia que) "
    r"(pagar|consignar|transferir|depositar|girar|dar|mandar|enviar)\w*|"
    # ...or first, before the money comes ("que debia pagar el seguro primero").
    r"\b(debo|tengo que|toca|hay que|debia|tenia que|tocaba|habia que) (pagar|consignar|transferir|depositar|girar)"
    r"\b.{0,30}\b(primero|antes|por adelantado|por anticipado)\b|"
    # ...in either order ("pero primero tenia que pagar el seguro").
    r"\b(primero|antes) (me )?(debo|tengo que|toca|hay que|debia|tenia que|tocaba|habia que|tuve que) "
    r"(pagar|consignar|transferir|depositar|girar)\b"
)
# What the customer handed over on a fake channel: money or their secrets.
# ...or what such a channel takes ("esta cobrando por los creditos").
_GAVE_AWAY = re.compile(
    r"\b(pague|pagamos|le pague|les pague|consigne|transferi|deposite|cobr(a|an|ando|o|aron|aba|aban)|"
    r"(me|nos) (quito|quitaron|robo|robaron|tumbo|tumbaron) (\d+|la|el|los|mi|mis|plata|"
    r"dinero)|"
    r"(puse|di|deje|entregue|envie|mande|ingrese|meti|actualice|registre|digite|escribi) (mis|mi|los|la|el) "
    r"(datos|clave\w*|contrasena|codigo\w*|tarjeta|cuenta|cedula|informacion)|"
    r"(llene|diligencie|complete)\b.{0,40}\bcon (mis|mi) (datos|informacion|clave\w*|tarjeta|cedula))\b"
)
# A message, link or call asking to update or confirm the customer's data ("un link para
# actualizar la informacion"): what a phishing story starts with.
_LURE_CHANNEL = r"(link|enlace|mensaje|correo|pagina|formulario|llamada|whatsap\w*|sms|facebook|instagram|web)"
_DATA_GIVEN = (
    r"(actualiz\w*|verific\w*|valid\w*|confirm\w*|llen\w*|pus\w*|ingres\w*|diligenci\w*|registr\w*|digit\w*|"
    r"di|le di|les di|deje|mande|envie|pase|le pase|les pase|comparti|entregue) (mis |unos |los |sus |la |mi )?"
    r"(datos|informacion)|"
    # ...or an account or an identity "verified" on it ("un correo para verificar mi cuenta").
    r"(verific|valid|confirm|actualiz)\w* (mi |mis |la |su |tu )?(cuenta|identidad|clave|usuario)"
)
_DATA_LURE = re.compile(
    r"\b" + _LURE_CHANNEL + r"\b.{0,40}\b" + _DATA_GIVEN + r"\b|"
    r"\b" + _DATA_GIVEN + r"\b.{0,40}\b" + _LURE_CHANNEL + r"\b|"
    # ...or the data leaked or stolen ("se filtraron mis datos y ahora tengo una deuda")...
    r"\b(filtr\w*|robaron|hac?que\w*|hacke\w*) (mis |los |mi )?(datos|informacion|cedula|documentos)\b|"
    r"\b(mis |los )?(datos|informacion) (se )?(filtr\w*|los robaron)|"
    # ...or a code or a password handed over ("pa que les diera el codigo que me llego").
    r"\b(di|diera|le di|les di|le diera|les diera|dar|darle|darles|mande|envie|pase|dicte|entregue) "
    r"(el |la |mi |mis |los |las )?(codigo|codigos|clave|claves|contrasena|pin|token)\b|"
    r"\b(pidieron|pidio|pidiendo|pidiendome|pidiendonos) (el |la |mi |mis |los |las )?(codigo|codigos|clave|claves|"
    r"contrasena|pin|token)\b|"
    r"\b(pidieron|pidio|pidiendo|pidiendome|mande|envie|di) (una |la |mi )?(foto|copia|fotocopia)s? (de )?(la |mi )?"
    r"(cedula|documento)\b"
)
# A loan or a deduction that appeared afterwards ("y ahora tengo un credito", "y me sacaron
# una libranza"): with a fake channel in the story, the data it took was used.
_LOAN_APPEARED = re.compile(
    r"\b(ahora|despues|luego|y)\b.{0,25}\b(tengo|tenia|aparec\w*|aparez\w*|figur\w*|me (sale|salio|llego|llega|"
    r"sacaron|saco|hicieron|hizo|descuentan|descontaron|cobran|cobraron|estan cobrando|estan descontando)|sacaron|"
    r"saco)\b"
    r".{0,25}\b(" + _LOAN[1:-1] + r"|deudas?|cuotas?|descuentos?)\b|"
    r"\b(ahora|despues|luego|y)\b.{0,25}\b(empezaron|comenzaron|empezo|comenzo) a (descont|cobr)\w*"
)

# The customer's identity papers or data ("mis datos personales", "la copia de mi cedula").
_MY_ID = (
    r"((mi|mis) (datos( personales)?|informacion( personal)?|cedula|documentos?|papeles|identidad|nombre|firma|"
    r"huella)|"
    r"(la |una |las |unas )?(foto|fotos|copia|copias|fotocopia|fotocopias) (de )?(mi|la) (cedula|documento|identidad))"
)
# Someone took a loan in the customer's name, or used their identity or personal data to
# get one: identity theft, an urgent fraud case (never a privacy request).
_IDENTITY_THEFT = re.compile(
    r"\b(suplant\w*|(robaron|robo|usurp\w*) (de )?(mi |la )?identidad|robo de identidad)\b|"
    # (Not the customer's own application: "puedo sacar un credito solo con mi cedula".)
    r"\b(?!(sacar|pedir|solicitar|abrir|tomar|saque|pedi|solicite|abri|tome|pido|tramitar|tramite)\b)"
    r"(sac\w+|ped\w+|pid\w+|solicit\w+|hic\w+|haciendo|us(aron|o|ando|an|ado|ada)|abr\w+|tom\w+|saca\w*|tramit\w+)\b"
    r".{0,40}\b"
    r"(a mi nombre|en mi nombre|a nombre (mio|mia|de mi \w+)|"
    r"con mi (cedula|nombre|identidad|firma|documento|fotocopia|informacion)|con mis (datos|documentos|papeles)|"
    r"con (una |la |las |mi |mis )?(fotocopia|copia|foto)s? (de )?(mi |la |su )?(cedula|documento|identidad)|"
    r"sin que (yo|ella|el|nosotros) (supiera|supieramos|"
    r"autorizara)|sin (mi )?(permiso|autorizacion|"
    r"consentimiento|firma))\b|"
    r"\b(usaron|utilizaron|cogieron|tomaron|uso|utilizo|usando|utilizando|usan|utilizan|usa|utiliza|"
    r"(se )?(valieron|valio|valiendose|aprovecharon|aprovecho|abusaron|abuso) de) "
    r"(mis|mi|la|una|las) (datos|cedula|documento|documentos|identidad|nombre|firma|informacion|papeles|huella|"
    r"(foto|fotos|copia|fotocopia) de (mi|la) (cedula|documento))\b.{0,40}\b("
    + _LOAN[1:-1]
    + r"|plata|dinero|deuda|pedir|sacar|solicitar|tramitar|abrir|endeud\w*)\b|"
    r"\b(perd\w+|extravi\w+|rob\w+|hurt\w+|quit\w+|se me (cayo|quedo))( \w+){0,3} (cedula|documento|documentos|"
    r"billetera|papeles)\b.{0,60}\b(sacaron|saco|pidieron|pidio|usaron|uso|utilizaron|utilizo|"
    r"solicitaron|abrieron|abrio|tramitaron|tramito|hicieron|hizo)\b|"
    r"\bfalsific\w*|\bfirma (falsa|falsificada|que no es mia)|\bno es mi firma\b|"
    r"\bfirma\w* .{0,30}\bno (coincide|corresponde|se parece|es igual) (con|a) (la mia|mi firma)\b|"
    r"\b("
    + _LOAN[1:-1]
    + r"|deuda) (\w+ ){0,3}(a mi nombre|en mi nombre)\b.{0,40}\b((y|pero) yo (no|nunca|jamas|estaba)|"
    r"que yo no|sin que yo)\b|"
    # The payout of a loan given to someone else ("la plata se la dieron a otra persona").
    r"\b(dieron|entregaron|consignaron|giraron|desembolsaron|depositaron|transfirieron) (\w+ ){0,2}(a|"
    r"en) (otra persona|"
    r"alguien|un tercero|una cuenta que no es mia|otra cuenta|una cuenta ajena)\b|"
    r"\bfirma\b.{0,25}\b(es|esta|son|parece|salio) (falsa|falsificada|chimba|trucada|copiada)\b|"
    r"\bfirmas?\b.{0,30}\bno (es|son|era|eran) (la |las )?(mia|mias)\b|"
    r"\b(alguien|otra persona|un tercero|estan|esta)\b.{0,20}\b(usando|utilizando|uso|utilizo|usa|utiliza) "
    r"(mi|mis) (cedula|identidad|nombre|documentos|firma|fotos?|imagen|imagenes)\b|"
    r"\b(imitaron|copiaron|falsearon) (mi |la )?firma\b|"
    r"\bfirma\w* (\w+ ){0,5}(que )?(yo )?(no|nunca) (hice|puse|es mia|reconozco|firme|he firmado)\b|"
    # Someone else lent money with the customer's ID ("le prestaron plata a alguien con mi cedula").
    r"\b(prestaron|dieron|desembolsaron|aprobaron|otorgaron|hicieron) (\w+ ){0,3}a (alguien|otra persona|otro|otra|"
    r"un tercero|una persona|un desconocido|una desconocida)\b.{0,30}\bcon (mi|mis) (cedula|nombre|datos|documentos|"
    r"firma)\b|"
    r"\b(hizo|hicieron|haciendose|haciendo|hace|hacen|hacerse) pasar por (mi|nosotros|el titular|"
    r"asesor\w*|funcionari\w*|emplead\w*|proalto|ustedes|(\w+ )?de (proalto|ustedes|la empresa))\b|"
    r"\b(" + _LOAN[1:-1] + r"|deuda|deudas)\b.{0,30}\bno (es|era|son|eran) (mio|mia|mios|mias)\b|"
    # A loan taken out for someone who did not know ("le sacaron un prestamo y el ni sabia").
    r"\b(sacaron|pidieron|solicitaron|hicieron|abrieron|tomaron|tramitaron)\b( \w+){0,4} "
    + _LOAN
    + r"\b.{0,25}\b((y|pero|sin que) (yo |el |ella |ellos |nosotros |mi \w+ )?|(yo|el|ella|ellos) )(ni|no|nunca) "
    r"(sabia|supo|supe|sabiamos|sabe|se entero|me entere|nos enteramos|autorizo|autorice|dio permiso|firmo|firme|"
    r"firmamos|pidio|pedi|solicito|solicite)\b|"
    # A loan the customer did not know of ("no sabia que tenia un credito con ustedes").
    r"\bno (sabia|sabiamos|tenia idea|tenia conocimiento) (de )?que (tenia|tengo|teniamos|habia|existia) (un |una )?"
    + _LOAN
    + r"\b|"
    # Someone else borrowed with the customer's e-mail, phone or data ("alguien hizo un credito con mi correo").
    r"\b(alguien|otra persona|un tercero|una persona|un desconocido) (\w+ ){0,2}(hizo|saco|pidio|solicito|abrio|"
    r"tramito)\b.{0,30}\bcon (mi|mis) (correo|celular|telefono|numero|datos|cedula|nombre|fotos?)\b|"
    # A loan taken out on the customer ("me sacaron un prestamo"; not "el credito", their own).
    r"\b(me|nos|le|les) sacaron (un|una|otro|otra) " + _LOAN + r"\b|"
    # Someone signed for the customer ("alguien firmo por mi un pagare").
    r"\b(alguien|otra persona|un tercero|otro|otra) (firmo|firmaron|firma) (por mi|a nombre mio|en mi nombre)\b|"
    r"\bfirmaron por mi\b"
)
# "hackearon" as normalise writes it ("k" before e/i becomes "qu"): "hacquearon", "haqueo".
_HACKED = (
    r"hac?que\w*|hacke\w*|"
    # ...or broken into ("se metieron a mi cuenta", "entraron a mi correo").
    r"(se metieron|entraron|ingresaron|accedieron) (a|en) (mi|mis) (cuenta|cuentas|correo|celular|whatsap\w*|app|"
    r"aplicacion|perfil|banca)"
)
# A promissory note or paper signed blank ("me hicieron firmar un pagare en blanco"): it can be
# filled in with any sum.
_BLANK_NOTE = (
    r"(pagare|pagares|letra|letras|documento|documentos|hoja|hojas|papel|papeles) (\w+ )?en blanco|"
    # ...phishing by name, a ghost loan ("un credito fantasma").
    r"phishing|smishing|vishing|(" + _LOAN[1:-1] + r"|deuda|deudas|descuento|descuentos|cobro|cobros)s? fantasmas?"
)
# Money taken from the customer's account ("me vaciaron la cuenta"): a theft to report.
_EMPTIED = (
    r"(vaciaron|desocuparon|limpiaron) (\w+ ){0,2}(cuenta|cuentas|ahorros|tarjeta)|"
    r"(cuenta|cuentas|ahorros|nequi|daviplata) (\w+ ){0,3}(me )?(la |lo |las |los )?(vaciaron|desocuparon|limpiaron)"
)
# Fraud words on their own (a scam, a theft, a stolen or cloned account).
_FRAUD_WORDS = re.compile(
    # ("esto es un robo", "que robo": a price judged, not a theft.)
    r"\b(fraude\w*|estaf\w*|robaron|(?<!es un )(?<!que )robo|timaron|timo|tumbaron|embaucaron|"
    + _HACKED
    + r"|clonaron|suplant\w*|"
    + _EMPTIED
    + r"|"
    + _BLANK_NOTE
    + r")\b"
)
# ...of which these report a fraud whatever else is asked ("me robaron el celular" may not).
_FRAUD_REPORT = re.compile(
    r"\b(fraude\w*|estaf\w*|timaron|tumbaron|embaucaron|"
    + _HACKED
    + r"|clonaron|suplant\w*|"
    + _EMPTIED
    + r"|"
    + _BLANK_NOTE
    + r")\b"
)
# Deductions or a debt from a lender the customer never had a loan with.
_NEVER_HAD_LOAN = re.compile(
    r"\b(no|nunca|jamas) (les |le )?(he |ha )?(tenido|tengo|tuve|sacado|saque|pedido|pedi|solicitado|solicite|"
    r"tiene|tuvo|saco|pidio|solicito|firmado|firme|firmo|hice|hecho|hizo|tomado|tome|tomo) "
    r"((ningun |ninguna |ni un |ni una )?("
    + _LOAN[1:-1]
    + r"|pagare|pagares|contrato|contratos)|(plata|dinero|nada)\b)|"
    r"\b(nunca|no|jamas) (he|ha|hemos|e) sido (cliente|clienta|clientes|afiliad\w*|usuari\w*)\b|"
    r"\b(ni|no) (los|las|lo) (conozco|conocia|conocemos)\b|\bno tengo nada que ver con (ustedes|proalto)\b|"
    r"\bsin (yo )?(haber )?(yo )?(pedido|solicitado|sacado|firmado|autorizado|tenido) "
    r"(ningun |ninguna |ni un |ni una )?(" + _LOAN[1:-1] + r"|pagare|contrato|plata|dinero|nada)\b"
)

# Closing talk that is the whole message: the customer has nothing more to ask.
_CLOSING = re.compile(
    r"^((ok|okey|listo|bueno|vale|perfecto|bien|no|entonces) )*(gracias )?"
    r"(eso (es|era|seria|fue) todo|es todo|era todo|nada mas|nada|ya no|ya no mas|"
    r"ya esta|por ahora no|nos hablamos|hablamos|quedo (muy )?(pendiente|atent[oa])|eso era|eso seria|era eso|"
    r"adios|me voy|me despido|cualquier cosa (le |les )?(escribo|vuelvo a escribir|llamo|aviso)|"
    r"(luego|despues|mas tarde) (le |les )?(escribo|vuelvo a escribir|llamo))"
    r"( (gracias|muchas gracias|por hoy|por ahora|luego|despues|mas tarde|pronto|me voy|me despido|adios|chao|"
    r"bendiciones|(que (tenga|tengas|tengan) )?(buena|buenas|feliz|buen|buenos) "
    r"(noche|noches|tarde|tardes|dia|dias)))*$"
)
# Thanks, the matter is resolved ("gracias, ya me resolvieron", "listo, ya entendi, gracias").
_RESOLVED = re.compile(
    r"^((ok|okey|listo|bueno|vale|perfecto|bien|gracias|muchas gracias|mil gracias|entonces) )*"
    r"(ya )?(me )?(resolvieron|resolvio|ayudaron|ayudo|solucionaron|soluciono|explicaron|explico|aclararon|aclaro|"
    r"quedo claro|quedo todo claro|entendi|comprendi)( todo)?( (gracias|muchas gracias|mil gracias|chao|listo))*$"
)
# Done, with thanks or a goodbye ("ya termine, gracias", "no, no mas, ya termine"): the
# conversation is over (not "ya termine de pagar").
_DONE = re.compile(
    r"^((no|ok|okey|listo|bueno|vale|no mas|nada mas|gracias|muchas gracias|mil gracias|chao) )*"
    r"ya (termine|acabe)( (gracias|muchas gracias|mil gracias|chao|por hoy|por ahora|por el momento|por aqui|por aca|"
    r"aqui|aca))*$"
)
_DONE_WORDS = re.compile(r"\b(gracias|chao|no mas|nada mas)\b")
# Thanks with only closing talk around it ("gracias, buena noche", "mil gracias, feliz tarde"):
# a goodbye, though "buenas noches" alone greets.
_CLOSING_WORDS = frozenset(
    """
    gracias muchas mil muchisimas ok okey listo bueno vale perfecto super y muy por todo la su tu ayuda atencion
    que tenga tengas tengan buen buena buenas feliz lindo linda excelente noche noches tarde tardes dia dias
    chao bendiciones dios le te bendiga senor senora senorita sumerce amable
    """.split()
)
# Greeting or checking someone is there, and nothing else ("que mas pues", "como estan", "alo",
# "hola hola, hay alguien?"): the menu, not an advisor asked for.
_GREETING_WORDS = frozenset(
    """
    hola ola holi holis hello hi hey alo aló buenas buenos buen buena dia dias tarde tardes noche noches que mas
    pues como esta estan estas estamos le les va vas van hubo quiubo quihubo tal saludos saludo sumerce senor senora
    senorita don dona todo bien muy y usted ustedes parce parcero amigo amiga vecino vecina hay alguien ahi aca
    aqui por alla joven mi ole oe oiga
    """.split()
)
_GREETING = re.compile(
    r"\b(hola|ola|holi|holis|hello|hi|hey|alo|buenas|buenos|buen dia|que mas|que hubo|quiubo|quihubo|que tal|"
    r"como (esta|estan|estas|le va|les va|va|vas|van)|saludos|hay alguien)\b"
)
# Lost in the conversation, or asking to start over ("me perdi, vuelve al principio",
# "volvamos a empezar", "arranquemos de cero"), or to be taken back to a screen of the chat
# ("devuelveme a las opciones anteriores", "llevame al menu", "regresame al paso anterior"):
# the menu. (A refund, "devuelvanme la plata", names money, not a place in the chat.)
_RESTART = re.compile(
    r"\b(me (perdi|enrede|confundi|embolate|revolvi)|estoy (perdid[oa]|enredad[oa]|confundid[oa]))\b"
    r"(?! (la|el|los|las|un|una|mi|mis|de|con|en)\b)|"
    r"\b((volv|vuelv|regres|devuelv|devolv|arranc|arranq|empez|empec|empiec|comenz|comienc|comenc|reinici|"
    r"inici|llev|mostr|muestr|repet|repit)\w*|ir(me|nos)?|(mand|pon|pas)(ame|eme|enme|ar(me|nos)))\b( \w+){0,3} "
    r"(al |el |del |desde el |desde |de |a (la |las |los )?)?(principio|inicio|comienzo|cero|"
    r"empezar|comenzar|arrancar|menu|atras|opciones|opcion|paso anterior|pantalla anterior|"
    r"parte anterior)\b|"
    # ...or started again ("empecemos otra vez", "arranquemos de nuevo").
    r"\b(empez|empec|empiec|comenz|comienc|comenc|arranc|arranq|inici|reinici)\w* (otra vez|de nuevo|nuevamente|"
    r"de cero|desde cero)\b|"
    # ...a bare "back" ("devuelvase", "regresemos"), or a wrong option taken ("me equivoque de opcion").
    r"^(volver|volvamos|vuelve|vuelva|vuelvase|regresa|regresar|regrese|regresemos|regresate|regresese|devuelvase|"
    r"devuelvete|devolverse|devolvamonos|devolvamos|atras|anterior)( (atras|por favor|porfa|porfavor))?$|"
    r"\b(me equivoque|me confundi|me enrede) (de|con la|con el) (opcion|boton|menu)\b|"
    r"\b(opcion|boton) (equivocad[oa]|incorrect[oa])\b|"
    r"\b(escogi|elegi|marque|oprimi|seleccione|puse|toque|di) (la |el |otra |otro )?(opcion|boton) (equivocad[oa]|"
    r"incorrect[oa]|que no era|mal)\b"
)
# At a loss for what to write or do in the chat ("no se que escribir", "no se que hacer, que
# opciones hay", "no entiendo como es esto"): the options are the answer, not a person
# (unless one is asked for) and not a privacy request ("escribir" is the customer's own).
_AT_A_LOSS = re.compile(
    r"\bno (se|sabia|sabria|entiendo|encuentro|veo) (bien )?(que|como|cual|donde|por donde|a donde|que mas) "
    r"(mas )?(escribir|escribo|escribirles|hacer|hago|poner|pongo|preguntar|pregunto|pedir|pido|marcar|marco|elegir|"
    r"escoger|escojo|responder|contestar|digitar|seleccionar|opcion|empezar|arrancar|seguir|sigue|le hago|"
    r"funciona esto|es esto|se hace aqui|se hace aca)\b"
)
# Words of a service request: a message with them is not (only) a restart.
_SERVICE_WORDS = re.compile(
    r"\b(" + _LOAN[1:-1] + r"|cuota\w*|saldo|deuda|paz y salvo|certificad\w*|solicitud|tramite|descuent\w*|"
    r"desembols\w*|plata|dinero|pago|pagar|renov\w*|datos|asesor\w*|persona)\b"
)
# What the customer can do or ask here, with nothing asked yet ("que cosas puedo consultar por
# aca", "que te puedo preguntar", "para que sirve este chat"): the menu.
_WHAT_CAN_I = re.compile(
    r"\bque (cosas |gestiones |tramites |consultas |servicios |informacion |opciones |preguntas |otra cosa |"
    r"otras cosas |mas cosas |tipo de consultas |tipo de cosas |tipo de tramites |tipo de preguntas |"
    r"clase de consultas |clase de cosas )?(mas )?"
    r"(me |le |te |les )?(puedo|podemos|puede|pueden|se puede|se pueden|me puedes|me puede|me pueden|puedes|"
    r"podria|podrian|alcanzo a) (hacer|consultar|preguntar|gestionar|tramitar|pedir|solicitar|averiguar|revisar|"
    r"ver|dar|saber|ofrecer|resolver|realizar|decir|contar|informar|explicar)"
    r"( (por|en|con|desde|mediante|a traves de) (aqui|aca|este \w+|esta \w+|el \w+|la \w+|whatsap\w*|ustedes)|"
    r" aqui| aca)?"
    r"( (contigo|con ustedes|con usted))?$|"
    r"\bpara que (me |nos )?(sirve|funciona|es) (este|esta|el|la) (chat|bot|whatsap\w*|numero|canal|medio|linea|"
    r"asistente)$|"
    r"\bcomo (funciona|es que funciona|es|se usa|uso) (esto|este (chat|bot|servicio|whatsap\w*)|el (chat|bot))$|"
    # Help with the chat itself ("necesito ayuda con este chat, como se usa").
    r"\b(ayuda|ayudame|ayudeme|explicame|expliqueme|explicarme) (con|a usar|como usar|como funciona|como se usa) "
    r"(este|el|esta|la) (chat|bot|whatsap\w*|sistema|asistente|conversacion|pagina)\b|"
    r"\bque (cosas |mas )?(haces|sabes hacer|hace este (chat|bot)|hacen ustedes)$|"
    r"\bque (tienes|tienen|hay) para (mi|ofrecerme)$|"
    # ...or what to do now, nothing asked ("y ahora que hago").
    r"^(y |bueno |ok |listo )?(ahora |entonces )?(que|como) (le |les )?(hago|hacemos|debo hacer|sigo|escribo|pongo|"
    r"digo|marco|respondo|contesto|pregunto)( ahora| entonces| aqui| aca)?$|"
    # A bare call for help or information, nothing asked yet ("ayudame", "necesito informacion").
    r"^((hola|buenas|buenos dias|buenas tardes|buenas noches|por favor|porfa|porfavor|senores|senor|senora) )*"
    r"(ayuda|ayudame|ayudeme|ayudenme|me ayudas|me ayuda|me pueden ayudar|me puedes ayudar|necesito ayuda|"
    r"colaborame|me colaboras|necesito informacion|quiero informacion|informacion|info)"
    r"( (por favor|porfa|porfavor|gracias))?$"
)
_WHAT_CAN_I_HINTS = (
    "pued", "pod", "alcanzo", "sirve", "funciona", "para que es", "como es", "se usa", "como uso", "haces", "sabes",
    "hace este", "hacen", "para mi", "para ofrecer", "ayud", "colabor", "info", "hago", "hacemos", "debo hacer",
    "sigo", "escribo", "pongo", "digo", "marco", "respondo", "contesto", "pregunto", "explica",
)  # fmt: skip
_WHAT_CAN_I_STARTS = frozenset("que para como ayud nece quie info cola expl".split())
# An advert or an offer received, and how to take it ("me llego publicidad de ustedes, como
# accedo al credito", "tengo un preaprobado, como lo hago efectivo"): an application, not a
# privacy request about the advert.
_ADVERT = re.compile(
    r"\b(publicidad|anuncio\w*|oferta\w*|promocion\w*|propaganda|volante\w*|preaprobad\w*|pre aprobad\w*)\b"
)
_TAKE_IT = re.compile(
    r"\b(como|donde|que hago para|que debo hacer para) (\w+ )?(accedo|acceder|aplico|aplicar|pido|pedir|solicito|"
    r"solicitar|tomo|tomar\w*|saco|sacar\w*|obtengo|obtener\w*|adquiero|reclamo|reclamar\w*|hago efectiv\w*|"
    r"hacer\w* efectiv\w*)\b|\bme interesa\w*\b|"
    r"\b(quiero|quisiera|deseo|me gustaria) (\w+ ){0,2}(pedir\w*|solicitar\w*|sacar\w*|acceder|tomar\w*|"
    r"aprovechar\w*|aplicar|adquirir\w*|aceptar\w*)\b|\bla acepto\b|"
    r"\b(quiero|quisiera|necesito|deseo|me gustaria) (un |una |el |la )?(" + _LOAN[1:-1] + r")\b|"
    # ...or what it takes ("que necesito pa un prestamo", "nesecito" as typed).
    r"\bque (ne[cs]{1,2}e[cs]{1,2}it\w*|se ne[cs]{1,2}e[cs]{1,2}ita|piden|me piden|debo tener)\b|\brequisitos\b|"
    r"\bcomo funciona (el|un|ese|su) (" + _LOAN[1:-1] + r")\b|"
    r"\b(explic\w*|informacion|info) (\w+ )?(del|el|sobre el|de los|los|un|su|sobre los) (" + _LOAN[1:-1] + r")\b"
)
_ADVERT_STARTS = frozenset("publ anun ofer prom prop vola prea apro".split())
_RENEWAL_WORDS = re.compile(r"\b(renov\w*|renuev\w*|retanqu\w*|ampli\w*|refinanc\w*)\b")
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
    r"\b(sub\w+|aument\w+|ampli\w+|increment\w+|eleva\w*) (el |mi |del )?(monto|cupo|valor del "
    + _LOAN[1:-1]
    + r")\b|"
    # ...or the loan the customer has, "por un valor mayor".
    r"\b(" + _LOAN[1:-1] + r") (que tengo |actual |vigente )?(por|a) (un )?(valor|monto) (mayor|mas alto|superior)\b"
)
# More money on top of what the customer already owes or has.
_ON_TOP_OF_LOAN = re.compile(
    r"\b((sobre|encima de|ademas de|adicional a|aparte de) (el|la|lo|los|las|mi|mis)( \w+)?|"
    r"encima del|ademas del|adicional al) (que )?(ya )?"
    r"(tengo|debo|llevo|tenia|adeudo|estoy debiendo|estoy pagando)\b|"
    # ("otro credito aparte del que tengo" is a second, separate loan: a new credit.)
    r"\b(adicional (a|al)|encima (de|del)) (mi |el |la )?(" + _LOAN[1:-1] + r"|deuda|saldo)\b|"
    r"\b(encima|ademas|adicional|sobre) (del|al|el|de lo) (actual|vigente)\b|"
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
    r"liquid\w*|quit\w*|unir|une|unan|junt\w*|consolid\w*)\b ((me|nos|le|les|todo|toda|con) )?" + _CURRENT + r"|"
    r"\b(pag\w*|cancel\w*|sald\w*|recog\w*|cerr\w*|unir|junt\w*|unific\w*|consolid\w*) (el|mi|la) ("
    + _LOAN[1:-1]
    + r"|deuda) con (uno|otro|otra|un|una)\b"
)
_NEW_LOAN = re.compile(
    r"\b(nuev[oa]|otr[oa]|uno mas|una mas|mas (grande|plata|dinero)|excedente|diferencia|sobr\w+|adicional|"
    r"quede (algo|un|una|plata|dinero))\b"
)

# A payoff certificate: a document + the loan is paid.
_DOCUMENT = re.compile(
    r"\b(certifi\w*|constancia|carta|documento|soporte|paz y salvo|demostrar|demuestre|demuestra|comprobar|"
    r"compruebe|acreditar|acredite)\b"
)

# How ProAlto treats the customer's personal data.
_DATA = re.compile(
    r"\bdatos\b|\b(mi|mis|la|su) informacion (personal|que (les |le )?(doy|di|damos|mando|"
    r"envio|entrego|dejo|suministro))|\b(mi|mis) informacion\b|\binformacion personal\b|"
    # ...or the customers' in general ("venden la informacion de los clientes").
    r"\b(la )?informacion (de|del) (los |sus )?(clientes|usuarios|afiliados|deudores)\b"
)
_DATA_USE = re.compile(
    r"\b(tengan|trat\w*|manej\w*|proteg\w*|protecc\w*|cuid\w*|usan|uso|usaron|usado|utiliz\w*|compart\w*|"
    r"vend\w*|guard\w*|supresion|supri\w*|borr\w*|elimin\w*|segur\w*|confidencial\w*|"
    r"hacen con|tercer\w*|filtr\w*|almacen\w*|custodi\w*|privad\w*)\b"
)

# Habeas Data by what the holder does with one of their data fields (Ley 1581): know,
# update, correct, delete, revoke, stop being contacted, or ask where we got the data.
# A field is the data itself or a contact detail; "numero" only as a phone number, so the
# number of instalments or of an account is never personal data here.
_FIELD = (
    r"(datos|dato|(mi|mis|su|sus) informacion|informacion (personal|de contacto|registrada)|"
    r"direccion|correo|correos|email|e mail|mail|celular|telefono|(mi|su|el|este|ese|otro|nuevo) whatsap\w*|contacto|"
    r"(mi|el|este|ese|su) numero|numero (de )?(celular|telefono|contacto|whatsap\w*)|"
    r"(mi|el|su) nombre|(mi|mis|el|los) apellidos?|residencia|domicilio|(mi|su) cedula|"
    r"fecha de (nacimiento|expedicion))"
)
_FIX = (
    r"(actualiz\w*|actualic\w*|desactualizad\w*|cambi\w*|modific\w*|correg\w*|corrij\w*|correcc\w*|"
    r"rectific\w*|errad\w*|errone\w*|equivocad\w*|incorrect\w*|mal (escrit\w*|puest\w*|"
    r"registrad\w*)|(esta|estan|quedo|quedaron) (mal\w*|errad\w*|equivocad\w*|incorrect\w*)|"
    r"me equivoque|un error|(es|son) (otr[oa]s?|diferente|distint[oa])|ya no vivo|vivo en otr[oa]|me mude|"
    r"me cambie de (casa|ciudad|barrio|apartamento|residencia)|"
    r"no es (el |la )?(mio|mia)|es de (mi|otra|otro) \w+|"
    r"ya no (es mio|es mia|es el mismo|es la misma|es ese|es esa|es este|es esta|es correct[oa]|uso|lo uso|la uso|"
    r"tengo|"
    r"lo tengo|la tengo|manejo|existe|sirve|funciona))"
)
_DATA_FIX = re.compile(
    r"\b" + _FIX + r"\b.{0,30}\b" + _FIELD + r"\b|\b" + _FIELD + r"\b.{0,30}\b" + _FIX + r"\b|"
    # Moved, and asking to update it ("me cambie de ciudad, ahora vivo en cali, actualicen eso").
    r"\b(me mude|me cambie de (casa|ciudad|barrio|apartamento|residencia)|ahora vivo en|ya no vivo en)\b.{0,40}"
    r"\b(actualic\w*|actualiz\w*|anot\w*|registr\w*|cambi(en|ar|enlo|arlo))\b|"
    r"\b(nuev[oa]|otr[oa]) (direccion|correo|email|celular|telefono|numero)\b(?! de (la )?"
    r"(cuenta|cuota|credito|radicado|solicitud))|"
    r"\b(direccion|correo|email|celular|telefono) (nuev[oa]|diferente|distint[oa])\b"
)
_DATA_ERASE = re.compile(
    r"\b(borr\w*|elimin\w*|supr\w*|sac\w*|quit\w*)\b.{0,30}\b(mis datos|mi informacion|"
    r"mi (numero|celular|telefono|correo)|base de datos|(sus|su) (lista|listas|base))\b|"
    # ...in either order ("les dio mi numero sin permiso, borrenlo").
    r"\b(mis datos|mi informacion|mi (numero|celular|telefono|correo))\b.{0,40}\b(borr|elimin|supr|quit)\w*(lo|la|los|"
    r"las)\b|"
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
    r"\b(escrib\w*|llam\w*|contact\w*|mensaj\w*|whatsap\w*)|"
    # ...or consulted at a credit bureau without authorisation.
    r"\b(no|nunca) (les |le )?(he )?(autorice|autorizado|di permiso)\b.{0,30}\bconsult\w*|"
    r"\bconsult\w* (\w+ ){0,3}(centrales de riesgo|datacredito|cifin|transunion)\b.{0,30}\bsin (mi )?"
    r"(autorizacion|permiso|consentimiento)\b|"
    r"\b(mensaj\w*|llamad\w*|publicidad|correos|promocion\w*|whatsap\w*)\b (\w+ ){0,3}((que )?"
    r"(no|nunca) (\w+ )?(pedi|solicite|autorice|acepte)|sin (haberl\w+ |haber )?(pedido|pedirlos|pedirlas|"
    r"solicitado|autorizado|aceptado)|sin (mi )?(autorizacion|permiso|consentimiento))\b"
)
# Asking not to be written to or called any more ("no me escriban mas", "dejen de
# llamarme"): the contact itself is what the holder no longer authorises.
# ("yamarme": "ll" written "y", as it is said.)
_CONTACT = r"(escrib\w*|llam\w*|yam\w*|contact\w*|mand\w*|envi\w*|molest\w*|ofrec\w*|ofrezc\w*)"
_STOP_CONTACT = re.compile(
    r"\b(dejen|deje|dejar|dejaran|dejara|paren|pare|abstener\w*|absteng\w*|eviten|evitar) de (seguir )?"
    + _CONTACT
    + r"|"
    r"\bno (me |nos )?(sigan|siga|vuelvan a|vuelva a) " + _CONTACT + r"|"
    r"\b(prohib\w*|exijo|exigo) (que )?(no )?(me |nos )?(sigan |vuelvan a )?" + _CONTACT + r"|"
    # ...nor the people the customer gave as references ("no llamen a mis referencias").
    r"\bno (le |les )?(sigan |vuelvan a )?(llamen|llamar|escriban|contacten|molesten|busquen) (a )?(mis|mi) "
    r"(referencias|referencia|familia\w*|contactos|hijos|hijas|hijo|hija|esposa|esposo|mama|papa|jefe|trabajo|"
    r"vecinos|companeros|conocidos)\b|"
    r"\bno (quiero|deseo|quisiera) que (me |nos )?(sigan |vuelvan a )?" + _CONTACT + r"|"
    # ...or forbidden ("no autorizo que me llamen").
    r"\bno (autorizo|autorice|permito|acepto|doy permiso para) que (me |nos )?(sigan |vuelvan a )?" + _CONTACT + r"|"
    r"\bno (me|nos) (escriban|llamen|contacten|manden|envien|molesten|ofrezcan|escriba|llame|"
    r"contacte|moleste)\b|"
    r"\bno (quiero|deseo|quisiera) (recibir|que me lleguen) (mas )?(mensaje\w*|llamad\w*|"
    r"publicidad|promocion\w*|correos|ofertas|informacion|notificacion\w*|sms)\b|"
    r"\bno (quiero|deseo|quisiera) mas (mensaje\w*|llamad\w*|publicidad|promocion\w*|correos|ofertas|"
    r"notificacion\w*|sms|whatsap\w*)\b|"
    r"\b(desuscrib\w*|desinscrib\w*|suscripcion)\b|^(stop|unsubscribe|baja)$|"
    r"\b(dar|darme|me doy|den) de baja\b|\b(sac|saq|quit|borr|retir|elimin|exclu|desafili|salgo|salir)\w* de (la|su|"
    r"sus|esa|esta|esas) (lista|base|listas|bases)\b"
)


# Every privacy pattern above needs one of these word beginnings: a cheap test first, as
# most messages name no data, no contact and no list.
_PRIVACY_PREFIXES = frozenset(
    """
    dato info dire corr emai mail celu tele what cont nume nomb apel resi domi cedu fech
    base list auto cons perm sist regi borr elim supr escr llam mens publ prom mand envi
    mole ofre ofer noti sms desu desi susc baja stop unsu yam actu mude vivo
    """.split()
)


# The password or user of the customer's own e-mail, social network or phone account ("como
# cambio la clave de mi correo de gmail"): another provider's business.
_ACCOUNT_ELSEWHERE = re.compile(
    r"\b(clave|claves|contrasena|contrasenas|usuario|pin)\b (\w+ ){0,2}(de|del|en) (mi |el |la |su )?(correo|email|"
    r"gmail|"
    r"hotmail|outlook|yahoo|icloud|facebook|instagram|tiktok|whatsap\w*|celular|telefono|wifi)\b"
)
_SECRET_OF_HINTS = ("clave", "contrasena", "usuario", "pin ")


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
    r"\b(paquete|paquetes|megas) de datos\b|\bdatos moviles\b|\brecarg\w*|\bsenal\b|\bcobertura\b"
)


# What a privacy request is about: personal data, a contact detail, the holder's consent, the
# contact itself stopped. A verb alone is the customer speaking of themself or of the loan in
# passing ("no se escribir bien", "mi cuota cambio este ano", "me pueden llamar?"), not a
# request about their data.
# The words, as the lexicon's vocabulary (so a typo, "abeas", "celuar", still names them):
PERSONAL_DATA_WORDS = frozenset(
    """
    datos dato informacion habeas privacidad politica politicas tratamiento 1581 base bases lista listas
    autorizacion autorizo autorice autorizado consentimiento permiso numero celular telefono correo email mail
    direccion residencia domicilio nombre apellido apellidos cedula publicidad promociones
    propaganda ofertas mensajes spam sms notificaciones supresion suprimir rectificar rectificacion revocar
    revocatoria terceros referencias
    """.split()
)
_PERSONAL_DATA = re.compile(
    r"\b(" + "|".join(sorted(PERSONAL_DATA_WORDS)) + r"|autoriz\w*|promocion\w*|mensaje\w*|notificacion\w*|"
    r"supri\w*|rectific\w*|revoc\w*|tercer\w*|correos|numeros|contacto|contactos|de baja)\b|"
    # (A verb of contact, "me contacte", or the app, "por whatsapp", is not data: "mi whatsapp" is.)
    r"\b(mi|su|el|este|ese|otro|nuevo) whatsap\w*|"
    # ...or being written to or called, stopped ("no me escriban", "dejen de llamarme").
    r"\bno (me |nos )?(vuelvan a |vuelva a |sigan |siga )?(escriban|escriba|escribas|llamen|llame|llames|contacten|"
    r"contacte|manden|mande|envien|molesten|moleste|escribirme|llamarme|contactarme)\b|"
    r"\b(dejen|deje|dejar|paren|pare) de (escrib|llam|yam|contact|mand|envi|molest)\w*"
)


def names_personal_data(norm: str) -> bool:
    """Whether a message names what a Habeas Data request is about (see _PERSONAL_DATA)."""
    return bool(_PERSONAL_DATA.search(norm))


_COLLECTION = re.compile(r"\b(cobranza\w*|cobrador\w*)\b")


def _privacy_request(norm: str) -> bool:
    """A Habeas Data request named by what is done to which data, not by a set phrase."""
    if not _may(norm, _PRIVACY_PREFIXES):
        return False
    if _DOCUMENT.search(norm) or _CHARGE.search(_COLLECTION.sub(" ", norm) if "cobra" in norm else norm):
        # "mandenme el certificado al correo", "quiten el descuento": a service, not data
        # (collection calls, "llamadas de cobranza", are contact, not a charge).
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

# Whether the money of an application was sent ("la plata ya la giraron?", "el dinero ya fue
# enviado a mi cuenta?"): its status, when the money or the loan is named.
_PAYOUT_SENT = re.compile(
    r"\bya (me |nos )?(la |lo |las |los )?(me |nos )?(giraron|consignaron|depositaron|desembolsaron|transfirieron|"
    r"mandaron|enviaron|abonaron|pasaron|soltaron)\b|"
    r"^(me|nos) (giraron|consignaron|depositaron|desembolsaron|transfirieron)\b|"
    r"\b(la|lo|me la|me lo) (giraron|consignaron|depositaron|desembolsaron|transfirieron)\b|"
    r"\b(plata|dinero|desembolso|platica) (ya )?(esta|estara|estaria) disponible\b|"
    r"\bya (esta|estara|llego|salio) (mi |la |el )(plata|platica|dinero|desembolso)\b|"
    r"\b(puedo|se puede|podria) (ya )?(retirar|cobrar) (la plata|el dinero|el desembolso|la platica)\b"
    r"(?! (de|del) (mis|mi|las|los|la|el) (?!credito|prestamo|libranza))|"
    r"\bya (esta|estaria|estan|llego|cayo|entro) (en|a) (mi|la) cuenta\b|"
    r"\bya (me |nos )?(cayo|llego|entro) (la |el )?(plata|platica|dinero|desembolso|" + _LOAN[1:-1] + r")\b|"
    r"\b(hicieron|hacen|hagan|realizaron|realizan|van a hacer) (la |el )?(transferencia|consignacion|giro|deposito|"
    r"desembolso)\b|"
    r"\b(fue|fueron|esta|estan|ha sido|han sido) (enviad|girad|consignad|depositad|desembolsad|transferid)[oa]s?\b"
)
_PAYOUT_MONEY = re.compile(
    r"\b(plata|platica|dinero|desembolso|giro|consignacion|transferencia|deposito|" + _LOAN[1:-1] + r")\b"
)
# Every _PAYOUT_SENT alternative holds one of these.
_PAYOUT_HINTS = (
    "giraron", "consignaron", "depositaron", "desembolsaron", "transfirieron", "mandaron", "enviaron", "abonaron",
    "pasaron", "soltaron", "disponible", "retirar", "cobrar", "cuenta", "cayo", "llego", "entro", "transferencia",
    "consignacion", "giro", "deposito", "desembolso", "enviad", "girad", "consignad", "depositad", "desembolsad",
    "transferid", "ya esta mi", "ya esta la", "ya esta el", "salio",
)  # fmt: skip
_PAYOUT_STARTS = frozenset(
    "ya fue esta ha han gira cons depo dese tran envi hici hace haga real van me nos pued pode".split()
)
_INSTALMENT_WORDS = re.compile(r"\b(cuota|cuotas|pago|abono|descuento)\b")
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
    r"\bya (pague|he pagado|llevo|cancele) (la mitad|\d+|varias|unas|algunas|bastantes|casi)\b|"
    r"\bsoy (cliente|client[ea] de ustedes)\b|"
    r"\b(estoy|sigo|ando|voy) pagando (un |una |el |la |mi )?" + _LOAN + r"\b|"
    r"\b(todavia|aun|sigo) (estoy |ando )?pagando\b|\b(todavia|aun) (le |les )?(debo|estoy debiendo)\b|"
    r"\bllevo (\w+ ){0,3}pagando\b|"
    r"\b(me|nos) (faltan|quedan|falta|queda) (\w+ )?(cuotas|cuoticas|mesecitos|meses|mes|ano|anos|cuota)\b|"
    r"\b(me|nos) (queda|falta) (muy )?(poco|poquito|poquitico)\b|"
    r"\bsin (haber )?(terminar|terminado|acabar|acabado) de pagar\b|"
    r"\bsin (haber )?(terminar|terminado|acabar|acabado|pagar|pagado|cancelar|cancelado) (de pagar )?((el|la|mi) "
    r"(actual|" + _LOAN[1:-1] + r")|este|esta|ese|esa|el que tengo|lo que debo)\b|"
    r"\b(el|la) que (ya )?(tengo|llevo|estoy pagando)\b|"
    r"\b(la misma|el mismo) (cuota|descuento|libranza|credito|prestamo|pagaduria)\b|"
    # ...or the loan being paid ("el credito que estoy pagando", "el prestamo que debo").
    r"\b"
    + _LOAN
    + r" (que |q )?(ya )?((estoy|estamos|sigo|seguimos|vengo|ando) pagando|debo|adeudo|tengo con ustedes)\b"
)
# A top-up on the loan being paid ("un refuerzo al credito", "extender mi credito y recibir un
# excedente", "una ampliacion", "una adicion"): a renewal, in any order.
_TOP_UP = re.compile(
    r"\b(refuerz\w*|reforz\w*|refuerc\w*|refuers\w*|excedente\w*|ampliaci\w*|ampli(ar|en|e|an|amos|arme|enme|ara|aran)|"
    r"adicion|adiciones|adicionar\w*|adicionen|extend\w*|extension|extiend\w*|alarg\w*|estir\w*|engord\w*|"
    r"recarg(ar|uen|ue|arle)|inyecci\w*|empuj[oe]ncito|empujon)\b"
)
_LOAN_REFERRED = re.compile(
    r"\b(al|del|el|mi|a mi|sobre el|sobre mi|en el|en mi|ese|este|esa|esta) (" + _LOAN[1:-1] + r")\b"
)
_TOP_UP_STARTS = frozenset("refu refo exce ampl adic exte exti alar esti engo reca inye empu".split())
_REFUND_WORDS = re.compile(r"\b(devol\w*|devuelv\w*|reintegr\w*|a favor|reembols\w*|cobr\w*|descont\w*|descuent\w*)\b")
_MORE_MONEY = re.compile(
    r"\b(mas|otro|otra|otrico|poquito|extra|adicional|de nuevo|otra vez|volver a|"
    r"vuelvan a|volvieran a|vuelva a|volviera a|unir|juntar|sumar|aumentar|ampliar|nuevo|uno nuevo)\b"
)

# What the customer has paid, lent again ("me pueden prestar lo que ya he pagado"): a renewal.
_RELEND = re.compile(
    r"\b(prest\w*|pedir|pido|sacar|saco|dar|den|desembols\w*|volver a sacar)\b (\w+ ){0,2}lo que (ya )?(les |le )?"
    r"(he pagado|pague|abone|he abonado|llevo pagado|llevo abonado|he cancelado|cancele)\b"
)
# A loan granted long ago ("me aprobaron un credito hace un ano"): the loan the customer has.
_LONG_AGO_LOAN = re.compile(
    r"\b(me|nos) (aprobaron|dieron|desembolsaron|prestaron|hicieron) (un |el |una |la )?(" + _LOAN[1:-1] + r") hace "
    r"(\w+ ){1,2}(meses|mes|ano|anos)\b"
)
_ANOTHER_PAYOUT = re.compile(r"\b(otro|nuevo|un segundo) desembolso\b|\bdesembolso adicional\b")
_RECOMPRA = re.compile(r"\brecompr\w*")
_WANT_ANOTHER = re.compile(
    r"\b(quiero|quisiera|necesito|me dan|me darian|puedo (pedir|sacar|tener)) (otro|otra|uno nuevo|una nueva)\b"
)
# Money given to the customer ("me pueden dar", "me prestan"), not owed by them.
_LEND = re.compile(r"\b(dar|darme|den|dan|darian|prest\w*|desembols\w*|sacar)\b")
_BORROW = re.compile(
    r"\b(sacar|saco|pedir|pido|prest\w*|desembolso|plata|dinero)\b|"
    # ...or another one made or given ("me pueden hacer otro", "me dan otro").
    r"\b(hacer|hacen|hagan|hacerme|haganme|dar|darme|den|dan|denme) (me )?(otro|otra|uno nuevo|una nueva)\b"
)
# Lent again ("me pueden prestar otra vez", "me vuelven a prestar"): the customer has borrowed
# before, a renewal (a lexicon menu phrase, "que servicios prestan", shares the verb).
_LEND_AGAIN = re.compile(
    r"\b(prest\w*|desembols\w*)\b (\w+ ){0,2}(otra vez|de nuevo|nuevamente)\b|"
    r"\b(vuelv\w*|volv\w*) a (prestar|desembolsar)\b"
)
# A sum the customer wants ("necesito 10 millones prestados", "me prestan 8 millones?"): a
# loan to apply for, whatever else the message asks about the process.
_SUM_WANTED = re.compile(
    r"\b(necesito|necesitaba|quiero|queria|quisiera|requiero|busco|pedir|sacar|solicitar|prestan|presten|"
    r"prestarian|prestarme|prestenme|me dan|me darian)\b "
    # ...not a sum to pay ("quiero pagar 2 millones").
    r"((?!pag|abon|cancel|consign|deb)\w+ ){0,3}(\d+|un|dos|tres|cuatro|cinco|diez|veinte) "
    r"(mil|millon|millones|palos|lucas|barras)\b"
)
# A department to be put through to ("quiero hablar con el area juridica").
_DEPARTMENT = re.compile(
    r"\b(hablar|hablo|comunicarme|comunicar|comuniqueme|comunicame|contactar|pasar|pasen|paseme|pasame) con "
    r"(el |la |alguien del |alguien de la |alguien de )?(area|departamento|oficina|dependencia|seccion|gerencia)\b"
)
# Asking to be contacted ("necesito que me contacten urgente"; "no me contacten" stops it).
_CALL_ME = re.compile(
    r"\b(?<!no )(necesito|quiero|quisiera|deseo|favor|porfa|prefiero|preferiria|mejor|ojala) (de )?que "
    r"((un|una|el|la) \w+ )?(me )?(contacten|contacte|llamen|llame|comuniquen|comunique|atiendan|atienda|"
    r"devuelvan la llamada)\b|"
    # ...or visited ("es posible que alguien me visite en la casa").
    r"\b(me|nos) (visite|visiten|visitara|visitaran|visita|visitan)\b|\bvisita domiciliaria\b|"
    # ...or to be rung ("me pueden marcar?", "timbrenme").
    r"\b(?<!no )(?<!de )(?<!a )(marquen|marqueme|marquenme|marcame|timbrenme|timbreme|llamame|llameme|llamenme|"
    r"llamarme|yamame|yamenme)\b|"
    r"\b(me|nos) (pueden|puede|podrian|podria|pudieran) (marcar|timbrar)\b|"
    # ...by anyone, whatever else is said ("me hace el favor y me llama alguien, es urgente", "que me
    # llamen", "alguien que me marque").
    r"\b(?<!no )(?<!nunca )(me|nos) (llama|llame|llamen|llaman|contacta|contacte|contacten|contactan|marca|marque|"
    r"marquen|marcan|timbra|timbre|"
    r"timbren|devuelve la llamada|devuelvan la llamada|pueden llamar|puede llamar|podrian llamar|podria llamar) "
    r"(\w+ )?(alguien|un asesor|una asesora|un funcionario|"
    r"una funcionaria|una persona|un humano|un agente|por favor|por fa|porfa|porfavor|urgente|pronto|hoy|ahora|ya)\b|"
    r"\balguien (que )?(me|nos) (llame|llama|contacte|contacta|marque|marca|timbre|atienda|devuelva la llamada)\b|"
    r"(?<!no )\bque (me|nos) (llamen|llame|contacten|contacte|marquen|marque|timbren)\b"
    r"(?! (a cobrar|para cobrar|tanto|"
    r"mas|a toda hora))"
)
_THEFT_OF_A_THING = re.compile(
    r"\b(me |nos )?(robaron|robo|hurtaron|raparon|quitaron) (el |la |mi |los |las |mis )?(celular|telefono|moto|carro|"
    r"bicicleta|cicla|bolso|maleta|reloj|computador|portatil)\b|"
    r"\b(hubo|hay) (un )?robo en (mi |la )?(casa|barrio|cuadra)\b"
)
_ID_OR_ACCOUNT = re.compile(
    r"\b(cedula|documentos?|datos|tarjeta|clave|cuenta|credito|prestamo|libranza|firma|whatsap\w*)\b"
)
_CHANGE_ADVISOR = re.compile(
    r"\b(cambiar|cambien|cambie|cambio|otro|otra) (de |el |la |mi )?(asesor\w*|ejecutiv\w*)\b.{0,30}\b"
    r"(porque|ya que|pues|no me|nunca|mal\w*|pesim\w*|groser\w*)"
)
_LEND_A_THING = re.compile(
    r"\b(prestas|prestame|presteme|prestarias|me presta|prestar|prestarme) (tu|su|el|la|los|las) "
    r"(?!(plata|dinero|platica|plaza|credito|prestamo|saldo|monto|valor|cupo|resto|doble|mismo|misma|total|maximo|"
    r"minimo|\d))\w+\b"
)
_TALK_TO_FAMILY = re.compile(
    r"\bhablar con (mi|mis) (hijo|hija|hijos|hijas|mama|papa|esposo|esposa|familia|hermano|hermana|novio|novia|abuela|"
    r"abuelo|tia|tio|primo|prima|amigo|amiga|jefe|vecino|vecina)\b"
)
_INSTALMENT_DUE = re.compile(
    r"\b(me toca|nos toca|tengo que|tenemos que|debo|hay que) (pagar|consignar|abonar) (la |mi |esta |el )?"
    r"(cuota|mes)\b"
)
_CATCH_UP = re.compile(r"\b(ponerme|ponernos|quedar|quedarme|estar|colocarme|poner) al dia\b")
_WRONG_HINTS = ("error", "mal", "errad", "equivocad", "incorrect", "inconsistenc")
_DOC_WRONG = re.compile(
    r"\b(paz y salvo|certificado|extracto|constancia|carta|desprendible|colilla|contrato|pagare)\b.{0,40}\b("
    r"(tiene|trae|vino con|salio con|tenia|llego con) (un |unos |varios |muchos )?"
    r"(error|errores|fallas|inconsistencias)|"
    r"(esta|vino|salio|llego|quedo) (mal|errad[oa]|equivocad[oa]|incorrect[oa])|"
    r"con (el|la|los|las|un|una|mi) (\w+ ){0,2}(mal escrit\w*|mal puest\w*|errad[oa]|equivocad[oa]|incorrect[oa]))\b"
)
_FED_UP_HINTS = ("cansad", "hart", "jart", "aburrid", "fastidiad", "mamad")
_TOLD_HINTS = ("dij", "promet", "ofrec", "acord", "pact", "quedamos", "hablamos", "firm")
# Fed up ("ya estoy cansado de que me llamen a cobrar"): a complaint, not a call asked for.
_FED_UP = re.compile(r"\b(cansad[oa]s?|hart[oa]s?|jart[oa]s?|aburrid[oa]s?|fastidiad[oa]s?|mamad[oa]s?) (de|con)\b")
# The application not out yet ("que pasa con mi prestamo que no sale"): its status.
_NOT_OUT_YET = re.compile(
    r"\b("
    + _LOAN[1:-1]
    + r"|solicitud|desembolso)\b (\w+ )?(que )?(no|nunca|todavia no|aun no) (me |nos )?(sale|salio|"
    r"ha salido|han sacado|sacan|desembolsan|han desembolsado|llega|ha llegado)\b"
)
# When the loan or its money comes ("cuando sale mi prestamo", "cuando me consignan la plata").
_WHEN_OUT = re.compile(
    r"\bcuando (me |nos )?(sale|saldra|salga|sacan|llega|llegara|desembolsan|consignan|giran|aprueban|depositan)\b "
    r"(\w+ )?(mi |el |la |lo )?(" + _LOAN[1:-1] + r"|desembolso|plata|dinero|platica|solicitud)\b|"
    r"\b(mi|el|la) (" + _LOAN[1:-1] + r"|desembolso|plata|dinero|solicitud) (\w+ )?para cuando\b"
)
_AGAIN_HINTS = ("otra vez", "de nuevo", "nuevamente", "volv", "vuelv")
_ON_TOP_HINTS = ("sobre", "encima", "ademas")
# Borrowing on the loan the customer has ("puedo pedir sobre mi credito"): a renewal.
_BORROW_ON_LOAN = re.compile(
    r"\b(pedir|pido|sacar|saco|prest\w*|dar|den|desembols\w*)\b (\w+ ){0,3}(sobre|encima de|encima del|ademas de) "
    r"(el|la|mi|lo de mi|del|ese|este|esa|esta)( mismo| misma)? (" + _LOAN[1:-1] + r"|deuda)\b"
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
    r"(?= (nunca |no |jamas |tampoco )?(me|nos|le) (dijo|dijeron|informo|explico|prometio|comento|aseguro|confirmo|"
    r"ofrecio|conto|indico|menciono)\b)"
)


# ...the advisor named after what they did ("el retanqueo que me ofrecio el asesor").
_ADVISOR_AFTER_VERB = re.compile(
    r"\b((me|nos|le) (dijo|ofrecio|explico|informo|prometio|recomendo|comento|conto|aseguro|confirmo|indico)) "
    r"(el|la|un|una|mi|su) (asesor|asesora|ejecutivo|ejecutiva|funcionario|funcionaria|agente|vendedor|vendedora)\b"
)


# "que pasa" asks what is going on; "me pasa con..." (a transfer) needs a person after it.
_WHAT_IS_GOING_ON = re.compile(r"\bque (pasa|sucede|ocurre)\b(?! con (un|una|el|la|alguien|ustedes|usted|uds)\b)")


_NARRATIVE_HINTS = ("asesor", "ejecutiv", "funcionari", "agente", "vendedor", "comercial", "senorita", "muchach")
_GOING_ON_HINTS = ("pasa", "sucede", "ocurre")


# The customer introducing themself ("mi nombre es luz marina"): their name is not "a mi nombre".
_MY_NAME_IS = re.compile(r"\b(mi nombre es|mi nombre completo es)\b")


# "mismo" as emphasis ("hoy mismo", "ya mismo", "yo misma"), not "el mismo credito".
_EMPHATIC_SAME = re.compile(
    r"\b(hoy|ahora|ya|aqui|aca|alli|ahi|yo|asi|usted|ustedes|ella|el mes|la semana) mism[oa]s?\b"
)


def without_advisor_narrative(norm: str) -> str:
    """The text with "the advisor told me", "que pasa" and "mi nombre es" dropped, so an
    advisor is not taken as asked for, nor a name as identity theft."""
    if "nombre es" in norm:
        norm = _MY_NAME_IS.sub("", norm)
    if "mism" in norm:
        norm = _EMPHATIC_SAME.sub(r"\1", norm)
    if _mentions(norm, _NARRATIVE_HINTS):
        norm = _ADVISOR_NARRATIVE.sub("", norm)
        norm = _ADVISOR_AFTER_VERB.sub(r"\1", norm)
    if _mentions(norm, _GOING_ON_HINTS):
        norm = _WHAT_IS_GOING_ON.sub("", norm)
    return norm


def concept_intent(norm: str) -> str | None:
    """An intent fixed by a combination of words, or None; it overrides the lexicon."""
    charge = _CHARGE.search(norm) or (_may(norm, _PAYROLL_TAKEN_STARTS) and _PAYROLL_TAKEN.search(norm))
    if charge:
        unknown = (
            _UNKNOWN.search(norm)
            or _EXTRA.search(norm)
            or _NEVER_HAD_LOAN.search(norm)
            or _UP_TO_DATE.search(norm)
            or _NEVER_GOT.search(norm)
            or (_ARREARS.search(norm) and _BUT_PAID.search(norm))
            or _DESPITE_PAYING.search(norm)
        )
        paid = _PAID.search(norm)
        if unknown:
            return "queja"
        if paid:
            # Paid, and asking for the deductions to stop: that is what the certificate
            # is for. Paid, and the deductions go on: a complaint.
            # (The last instalment deducted and the certificate asked: the paz y salvo.)
            if _CONTINUE.search(norm) or not (_STOP_REQUEST.search(norm) or _LAST_PAID_DOCUMENT.search(norm)):
                return "queja"
    if _unrequested(norm) or _identity_theft(norm) or _never_a_client_on_record(norm):
        return "queja"
    if _scam(norm) or (_may(norm, _FRAUD_REPORT_STARTS) and _FRAUD_REPORT.search(norm)):
        return "queja"
    if (
        _may(norm, _THEFT_WORD_STARTS)
        and _FRAUD_WORDS.search(norm)
        and (_DATA_LURE.search(norm) or _STRONG_IMPERSONATION.search(norm))
    ):
        # "me enviaron un link para actualizar datos y despues me robaron".
        return "queja"
    if _DOCUMENT.search(norm) and _PAID.search(norm) and "cuanto" not in norm.split() and not _strong_grievance(norm):
        return "paz_y_salvo"
    if (
        _may(norm, _ADVERT_STARTS)
        and _ADVERT.search(norm)
        and _TAKE_IT.search(norm)
        and not (_STOP_CONTACT.search(norm) or _DATA_ERASE.search(norm) or _DATA_ORIGIN.search(norm))
        and not (_RENEWAL_WORDS.search(norm) or _EXISTING_LOAN.search(norm))
    ):
        return "nuevo_credito"
    if _mentions(norm, _SECRET_OF_HINTS) and _ACCOUNT_ELSEWHERE.search(norm) and not _OURS.search(norm):
        # "como cambio la clave de mi correo": another provider's account, not the data we keep.
        return "desconocido"
    if (
        (_DATA.search(norm) and _DATA_USE.search(norm) and not _PHONE_PLAN.search(norm))
        or _privacy_request(norm)
        or (_may(norm, _HABEAS_STARTS) and _HABEAS_DATA.search(norm))
    ) and not (_elsewhere(norm) and not _CONTACT_DETAIL.search(norm)):
        # ...but not the data another provider keeps ("mis datos en el sisben"), unless a
        # contact detail of the customer is named ("me cambie de claro, actualicen mi celular").
        return "privacidad"
    if (
        _CLOSING.match(norm.strip())
        or ("gracias" in norm and _RESOLVED.match(norm.strip()))
        or (" ya " in f" {norm} " and _DONE.match(norm.strip()) and _DONE_WORDS.search(norm))
        or ("gracias" in norm and _CLOSING_WORDS.issuperset(norm.split()))
    ):
        return "despedida"
    if len(norm.split()) <= 8 and _GREETING_WORDS.issuperset(norm.split()) and _GREETING.search(norm):
        return "menu"
    if (
        len(norm.split()) <= 14
        and _may(norm, _WHAT_CAN_I_STARTS)
        and _mentions(norm, _WHAT_CAN_I_HINTS)
        and _WHAT_CAN_I.search(norm.strip())
        and not _SERVICE_WORDS.search(norm)
    ):
        return "menu"
    if (
        len(norm.split()) <= 9
        and _may(norm, _RESTART_STARTS)
        and _RESTART.search(norm)
        and not _SERVICE_WORDS.search(norm)
    ):
        return "menu"
    if (
        len(norm.split()) <= 14
        and "no " in norm
        and _AT_A_LOSS.search(norm)
        and not (_SERVICE_WORDS.search(norm) or _PERSON.search(norm))
    ):
        return "menu"
    if _FORGOT.match(norm.strip()):
        return "desconocido"
    return None


# Word beginnings one of which each fraud pattern needs (see _starts).
_THEFT_STARTS = frozenset(
    "supl iden nomb cedu firm docu foto info dato pape supi auto perm cons bill fals pasa mio mia"
    " saca pidi soli hici abri toma tram sabi algu hizo".split()
)
_SCAM_STARTS = frozenset(
    """
    plat dine cons tran depo segu estu pag adel comi nequ davi efec gir di mand envi apro dese agil libe desb
    clav cont codi pin toke otp dato tarj mil mill peso luca barr cobr cuen cedu info entr quit robo roba tumb
    daba doy dier abon anti pid pide exig self llev qued alzo alza docu pape
    """.split()
)
_UNREQUESTED_STARTS = frozenset("no nunc jama solo sola unic nada".split())
_FRAUD_REPORT_STARTS = frozenset(
    "frau esta hac haq clon supl vaci deso limp tima tumb emba blan phis smis vish fant meti entr ingr acce".split()
)
_THEFT_WORD_STARTS = _FRAUD_REPORT_STARTS | frozenset("robo roba rob".split())
_HABEAS_STARTS = frozenset("habe 1581 prot supr revo dere".split())


# An advert of a loan ("publicidad de un credito que no pedi") is no loan on record (a
# message about one may be: "me llego un mensaje de un credito que no pedi").
_ADVERT_OF_LOAN = re.compile(
    r"\b(publicidad|propaganda|oferta\w*|promocion\w*|anuncio\w*) (de|del|sobre|por|para) "
    r"(un |una |el |la |los |las )?" + _LOAN
)


def _unrequested(norm: str) -> bool:
    """A loan the customer (or a relative) never asked for."""
    if not _may(norm, _UNREQUESTED_STARTS):
        return False
    if _may(norm, _ADVERT_STARTS):
        norm = _ADVERT_OF_LOAN.sub("publicidad", norm)
    if _mentions(norm, _ADD_ON_HINTS):
        # "el seguro del credito no lo autorice": an add-on of the loan the customer has.
        norm = _ADD_ON_OF_LOAN.sub("seguro", norm)
    return bool(_UNREQUESTED_LOAN.search(norm) or (_NEVER_ASKED.search(norm) and _ON_RECORD.search(norm)))


# An add-on of a loan ("el seguro del credito", "los intereses del prestamo"): not the loan.
_ADD_ON_OF_LOAN = re.compile(
    r"\b(seguro|seguros|poliza|polizas|interes|intereses|comision|comisiones|estudio|cuota de manejo|gastos|aval)"
    r" (del|de mi|de la|de el|de este|de ese|sobre el|sobre la) " + _LOAN + r"\b"
)
_ADD_ON_HINTS = ("segur", "poliz", "interes", "comision", "estudio", "manejo", "gastos", "aval")


_AFTERWARDS_STARTS = frozenset("ahor desp lueg y".split())
_APPEARED_STARTS = frozenset("teng teni apar figu sale sali lleg saca saco hici hizo desc cobr esta empe come".split())
# A loan taken by means of the customer's data or papers, in either order ("saco un credito
# usando mis datos", "con la copia de mi cedula hicieron un credito"; "con mis datos" after
# the verb is in _IDENTITY_THEFT).
_BY_MEANS = re.compile(r"\b(con|usando|utilizando|por medio de|mediante) " + _MY_ID + r"\b")
_TOOK = re.compile(r"\b(sac\w+|ped\w+|pid\w+|solicit\w+|hic\w+|abr\w+|tom\w+|tramit\w+|obtuv\w+|consigui\w+)\b")
_TOOK_A_LOAN = re.compile(
    r".{0,40}?\b(sacaron|saco|pidieron|pidio|solicitaron|solicito|hicieron|abrieron|abrio|tramitaron|tramito|obtuvo|"
    r"obtuvieron|consiguio|consiguieron|tomo|tomaron)\b"
    r"( \w+){0,3} (" + _LOAN[1:-1] + r"|plata|dinero|platica)\b"
)
# ...or said in the passive ("mis datos fueron usados para sacar un credito").
_MY_ID_USED = re.compile(
    r"\b" + _MY_ID + r" (fue|fueron|ha sido|han sido|esta siendo|estan siendo|los|la|lo|las) "
    r"(usad|utilizad|tomad|usaron|utilizaron|tomaron|robad|hurtad|filtrad)\w*\b.{0,30}\b(" + _LOAN[1:-1] + r"|plata|"
    r"dinero|deuda|pedir|"
    r"sacar|solicitar|tramitar|endeud\w*)\b"
)
# ...or someone got hold of the data, then borrowed ("alguien consiguio mis datos y pidio plata
# prestada").
_GOT_MY_DATA_THEN_BORROWED = re.compile(
    r"\b(consiguio|consiguieron|obtuvo|obtuvieron|tomo|tomaron|cogio|cogieron|robo|robaron|tiene|tienen|uso|usaron) "
    r"(mis |los |mi )?(datos|informacion|cedula|documentos|papeles)\b.{0,30}\b(pidio|pidieron|saco|sacaron|solicito|"
    r"solicitaron|hizo|hicieron|tramito|tramitaron|abrio|abrieron)\b.{0,20}\b(" + _LOAN[1:-1] + r"|plata|dinero|"
    r"platica)\b"
)
# Data used to reach the customer, not to borrow.
_CONTACT_PURPOSE = re.compile(
    r"\bpara (enviar|mandar|llamar|escribir|ofrecer|contactar)\w*|\b(publicidad|promocion\w*|propaganda|"
    r"mensajes de texto|spam)\b"
)
_LOAN_OR_MONEY = re.compile(r"\b(" + _LOAN[1:-1] + r"|deuda|deudas|plata|dinero|descuento\w*|cobr\w*)\b")
_MY_ID_STARTS = frozenset("dato info cedu docu pape iden nomb firm huel foto copi".split())
_LOAN_HINTS = ("credit", "prestam", "libranz", "obligac", "deud", "cuota", "descuent", "descont", "cobr")


def _identity_theft(norm: str) -> bool:
    if _may(norm, _THEFT_STARTS) and _IDENTITY_THEFT.search(norm):
        # (Not data used to advertise or to call: "usaron mis datos sin autorizacion para enviarme
        # publicidad" is a privacy request.)
        return not (_CONTACT_PURPOSE.search(norm) and not _LOAN_OR_MONEY.search(norm))
    if not _may(norm, _MY_ID_STARTS):
        means = None
    elif _MY_ID_USED.search(norm) or _GOT_MY_DATA_THEN_BORROWED.search(norm):
        return True
    else:
        means = _BY_MEANS.search(norm)
    if means and (
        (means.group(1) != "con" and _TOOK.search(norm, max(0, means.start() - 45), means.start()))
        or _TOOK_A_LOAN.match(norm, means.end())
    ):
        return True
    # A fake page or form took the data, and a loan appeared afterwards ("actualice datos en
    # una pagina falsa de proalto y ahora tengo un credito").
    # So does a link "para actualizar la informacion" after which a loan appeared (not an
    # application of the customer's own that was approved).
    return (
        _mentions(norm, _LOAN_HINTS)
        and _may(norm, _AFTERWARDS_STARTS)
        and _may(norm, _APPEARED_STARTS)
        and bool(_LOAN_APPEARED.search(norm))
        and bool(
            _STRONG_IMPERSONATION.search(norm)
            or (_DATA_LURE.search(norm) and not re.search(r"\b(aprob\w*|desembols\w*)\b", norm))
        )
    )


# The loan or the payout offered on condition that the customer pays ("me ofrecio un
# credito si le daba 100 mil"), or sends a code to someone posing as ProAlto ("me
# consignaban hoy si les mandaba el codigo").
_IF_YOU = (
    r"\bsi (no )?(le |les )?(daba|doy|diera|pagaba|pago|pagara|consignaba|consigno|consignara|mandaba|mando|mandara|"
    r"enviaba|envio|enviara|transferia|transfiriera|giraba|girara)\b.{0,25}\b"
)
_IF_YOU_PAY = re.compile(
    _IF_YOU + r"(" + _SUM + r"|plata|dinero|seguro|estudio|comision|adelant\w*)|"
    # ...a money verb needs no object ("que me aprobaban si consignaba").
    r"\bsi (le |les )?(consignaba|consignara|consigno|transferia|transfiriera|giraba|girara|depositaba|depositara)\b"
)
_IF_YOU_SEND_A_CODE = re.compile(_IF_YOU + r"(codigo\w*|clave\w*|contrasena\w*|pin)\b")
_IF_YOU_GIVE_A_PASSWORD = re.compile(_IF_YOU + r"(clave\w*|contrasena\w*)\b")
_NETWORKS = ("telegram", "facebook", "instagram", "tiktok", "messenger", "marketplace")
_SOCIAL_NETWORK = re.compile(r"\b(telegram|facebook|instagram|tiktok|messenger|marketplace)\b")
_LOAN_OR_PAYOUT = re.compile(r"\b(" + _LOAN[1:-1] + r"|desembols\w*|consign\w*|aprob\w*)\b")
# Someone got in touch, or spoke for ProAlto.
_CONTACTED = re.compile(
    r"\b(llam\w*|escrib\w*|mensaj\w*|link|enlace|correo|whatsap\w*|asesor\w*|proalto|ustedes|alguien|senor\w*|"
    r"persona|funcionari\w*)\b"
)


# An advance-fee scam in any words: a loan offered or promised, money asked before it (a fee, an
# advance, the study, the insurance, "primero pagando"), and an unsolicited channel or go-between
# (a social network, an SMS, a call, a "gestor" or "tramitador"), or the scam's own bait ("sin
# requisitos", "sin estudio", "aprobado de una").
_FEE_LOAN = re.compile(
    r"\b(" + _LOAN[1:-1] + r"|desembols\w*|aprob\w*|plata prestada|dinero prestado|cupo|"
    r"(soltar|suelten|sueltan|soltaran|liberar|liberen|liberaran) (la |el )?(plata|dinero|platica))\b"
)
# (Money verbs only: "primero me envian el contrato" sends no money; "mandar" or "dar" need a sum.)
_MONEY_VERB = (
    r"((pag|consign|deposit|transf|abon|compr|nequi|daviplata)\w*|(mand|envi|dar|diera|pasar|gir|cancel)\w* "
    r"(\w+ ){0,2}(\d+|plata|dinero|platica|comision\w*))"
)
_PAY_FIRST = re.compile(
    r"\b(primero|antes|previamente|por adelantado|por anticipado|de antemano)\b (\w+ ){0,4}" + _MONEY_VERB + r"\b|"
    r"\b" + _MONEY_VERB + r" (\w+ ){0,5}(primero|antes de (que|recibir|el desembolso|desembolsar|entregar|la "
    r"aprobacion|aprobar)|antes del (desembolso|credito|prestamo|giro)|previamente|por adelantado|por anticipado|"
    r"de antemano)\b|"
    r"\bcobr\w* (\w+ ){0,5}(por adelantado|por anticipado|de antemano|antes del desembolso|antes de desembolsar)\b|"
    # ...or else the loan is lost ("si no consigno hoy pierdo el credito aprobado").
    r"\bsi no (consign|pag|deposit|transf|gir|mand|envi)\w* .{0,30}\b(pierd\w*|perd\w*|se cae|se anula|anulan|"
    r"cancelan|se vence)\b"
)
_FEE_ASKED = re.compile(
    r"\b(pid\w*|pedi\w*|piden|cobr\w*|exig\w*|solicit\w*|pag\w*|consign\w*|deposit\w*|transf\w*|mand\w*|envi\w*)\b "
    r"(\w+ ){0,4}(comision\w*|anticipo\w*|adelanto\w*|honorario\w*|\d+ por ciento|porcentaje|"
    r"cuota de (inscripcion|afiliacion|apertura|activacion)|"
    r"derechos? de (estudio|tramite)|(el |un )?(pago|costo|cobro|valor) (del |de )?(estudio|tramite|papeleria|seguro|"
    r"poliza|activacion|desbloqueo|apertura))\b|"
    r"\b(comision\w*|anticipo\w*|honorario\w*) (\w+ ){0,4}(pid\w*|pedi\w*|piden|cobr\w*|exig\w*|pag\w*|consign\w*|"
    r"deposit\w*|transf\w*)\b"
)
_UNSOLICITED = re.compile(
    r"\b(telegram|facebook|face|instagram|insta|tiktok|messenger|marketplace|sms|mensaje\w*|whatsap\w*|correo\w*|"
    r"llamad\w*|gestor\w*|tramitador\w*|intermediari\w*|comisionista\w*|perfil\w*|pagina\w*|grupo\w*|"
    r"anuncio\w*|publicacion\w*|publicidad|link|enlace|contact\w*|escribi\w*|escribe\w*|llamaron|llamo|"
    r"ofrec\w*|ofert\w*|promet\w*|alguien|senor\w*|tipo|muchach[oa]|hombre|mujer|persona|supuest\w*|dizque|"
    r"sin (requisitos|estudio|codeudor|fiador|centrales|papeles|tanto papeleo)|aprobad[oa] (de una|ya|inmediat\w*|"
    r"al instante|sin)|garantizad\w*)\b"
)
# ...or a fee paid, given or charged to a go-between for a loan offered or "approved" ("que pague
# el estudio a una cuenta", "debo depositar 200 mil de garantia", "cobra 50 mil por el formulario",
# "si le doy el 10%").
_FEE_FOR_LOAN = re.compile(
    r"\b(pag|consign|deposit|transf|gir|mand|envi|diera|doy|daba|dar)\w* (\w+ ){0,4}(de |del |por |para )?"
    r"(el |la |un |una )?"
    r"(seguro|poliza|estudio|formulario|garantia|apertura|tramite|papeleria|inscripcion|activacion|desbloqueo|"
    r"porcentaje|afiliacion|gastos? de (envio|administracion|desembolso))\b|"
    r"\bcobr\w* (\w+ ){0,3}(por|para) (el |la |los |un |una )?(formulario|formularios|tramite|papeleria|inscripcion|"
    r"sacarme|sacar|conseguir|conseguirme|tramitarme|aprobar|aprobarme|agilizar|que (me )?(salga|aprueben))\b|"
    r"\bsi (le|les) (doy|daba|diera|pago|pagaba|pagara|consigno|consignaba|consignara) (el |un )?\d+\b|"
    r"\ba cambio de (un |una |el |la )?(pago|consignacion|deposito|comision|transferencia|plata|dinero|abono)\b"
)
# Money paid to a person, an account or a profile, and the loan never came ("consigne 200 mil a un
# asesor de proalto por facebook y nunca me dieron el prestamo").
_PAID_NEVER_GOT = re.compile(
    r"\b(consigne|pague|transferi|deposite|gire|mande|envie|le di|les di)\b (\w+ ){0,4}a (un|una|el|la|ese|esa|su) "
    r"(\w+ )?(asesor\w*|senor\w*|persona|tipo|muchach\w*|gestor\w*|tramitador\w*|cuenta|nequi|daviplata|numero|"
    r"perfil|pagina)\b.{0,60}\b(nunca|jamas|no) (me )?(dieron|llego|desembolsaron|aprobaron|salio|consignaron|"
    r"entregaron|volvieron|contestaron|respondieron)\b"
)
# Someone collecting in cash or to a personal account ("un cobrador vino a mi casa y me pidio que le
# pagara en efectivo la cuota"): not how ProAlto collects.
_CASH_TO_PERSON = re.compile(
    r"\b(pid\w*|piden|pedir|exig\w*)\b (\w+ ){0,3}(que )?(le |les )?(pagara|pague|consignara|consigne|diera|de|"
    r"entregara|pagar|consignar|dar|entregar)\b (\w+ ){0,3}(en efectivo|a el|a ella|a su (cuenta|nequi|daviplata)|"
    r"a una cuenta personal|a un nequi)\b"
)
# ...not at one of ProAlto's own pay points ("que pagara en efectivo en la oficina").
_PAY_POINT = re.compile(r"\b(oficina|oficinas|sede|banco|corresponsal|efecty|baloto|punto de pago|puntos de pago)\b")
_COLLECTOR = re.compile(r"\b(cobrador\w*|asesor\w*|senor\w*|senora|persona|tipo|muchach\w*|funcionari\w*|alguien)\b")
# The loan offered, promised, approved or released by the go-between.
_LOAN_DANGLED = re.compile(
    r"\b(ofrec\w*|ofert\w*|aprob\w*|preaprob\w*|solt\w*|suelt\w*|desembols\w*|liber\w*|consigue|conseguir\w*|"
    r"consiguio|sac\w*|salga|promet\w*|garantiz\w*)\b"
)
# ...not the customer's own arrears paid first ("para renovar primero tengo que pagar las cuotas atrasadas").
_OWN_DEBT = re.compile(
    r"\b(cuotas? (atrasad\w*|pendient\w*|vencid\w*)|mora|lo que (debo|adeudo)|saldo pendiente|deuda|"
    r"(el|la|mi) (credito|prestamo|libranza) (actual|anterior|vigente))\b"
)
_ASKS_IF_PAY = re.compile(
    r"(y |pero )?(hay que|tengo que|toca|debo|se debe|se tiene que|uno tiene que|es necesario|necesito) "
    r"(pagar|consignar|dar|cancelar|depositar|transferir)\b"
)
_ARREARS_HINTS = ("atrasad", "pendient", "vencid", "mora", "debo", "adeudo", "deuda")
_FEE_STARTS = frozenset(
    "prim ante prev adel anti comi hono cuot dere pid pide pedi cobr exig soli pag cons depo tran mand envi gir dier"
    " doy daba dar si camb le les gire envi".split()
)


def _advance_fee_offer(norm: str) -> bool:
    if "efectivo" in norm or " a su " in norm or "personal" in norm:
        if _CASH_TO_PERSON.search(norm) and _COLLECTOR.search(norm) and not _PAY_POINT.search(norm):
            return True
    return bool(
        _may(norm, _FEE_STARTS)
        and _FEE_LOAN.search(norm)
        and (
            _FEE_ASKED.search(norm)
            or (_PAY_FIRST.search(norm) and not _OWN_DEBT.search(norm))
            or (_FEE_FOR_LOAN.search(norm) and _LOAN_DANGLED.search(norm))
            or _PAID_NEVER_GOT.search(norm)
        )
        and (_UNSOLICITED.search(norm) or _IMPERSONATION.search(norm))
    )


def _scam(norm: str) -> bool:
    """Money asked for in ProAlto's name or "to approve the loan", or secrets asked for by
    someone posing as ProAlto; or a fake channel in ProAlto's name, reported."""
    if _mentions(norm, _FAKE_HINTS) and _FAKE_CHANNEL.search(norm):
        return True
    if (
        _mentions(norm, ("engan", "estaf", "tumbar", "robar"))
        and _DECEIVE.search(norm)
        and _STRONG_IMPERSONATION.search(norm)
    ):
        # "estan usando fotos de la oficina de proalto para enganar gente".
        return True
    if _advance_fee_offer(norm):
        return True
    if not _may(norm, _SCAM_STARTS):
        return False
    if _MONEY_REQUEST.search(norm) and (
        _IMPERSONATION.search(norm) or _SCAM_PURPOSE.search(norm) or _VANISHED.search(norm)
    ):
        return True
    if (
        _mentions(norm, _LIE_HINTS)
        and _WAS_A_LIE.search(norm)
        and (_ASKED_TO_PAY.search(norm) or _PAID_SOMEONE.search(norm))
    ):
        # Told to pay someone, or paid them, and it was a lie (not a charge of ProAlto's
        # that was other than promised: "me dijeron que no cobraban seguro y era mentira").
        # "le consigne 300 mil y todo era mentira".
        return True
    if _PAID_SOMEONE.search(norm) and (
        _STRONG_IMPERSONATION.search(norm) or _SCAM_PURPOSE.search(norm) or _VANISHED.search(norm)
    ):
        return True
    if _IF_YOU_PAY.search(norm) and (_IMPERSONATION.search(norm) or _LOAN_OR_PAYOUT.search(norm)):
        return True
    if _mentions(norm, ("clave", "contrasena")) and _IF_YOU_GIVE_A_PASSWORD.search(norm):
        # "me ofrecieron comprar mi cartera si les daba mis claves": nobody lends for a password.
        return True
    if _mentions(norm, _NETWORKS) and _SOCIAL_NETWORK.search(norm) and _STRONG_IMPERSONATION.search(norm):
        # "me contactaron por telegram diciendo ser proalto".
        return True
    if _mentions(norm, _LIE_HINTS) and _WAS_A_LIE.search(norm) and _DATA_LURE.search(norm):
        # "me enviaron un mensaje para actualizar datos de proalto y era falso".
        return True
    if _IF_YOU_SEND_A_CODE.search(norm) and (
        _STRONG_IMPERSONATION.search(norm) or (_STRANGER.search(norm) and _LOAN_OR_PAYOUT.search(norm))
    ):
        return True
    if "aprob" in norm and _APPROVED_BUT_PAY.search(norm) and _IMPERSONATION.search(norm):
        return True
    if _mentions(norm, ("fals", "trucad", "por error")) and _FAKE_TRANSFER.search(norm):
        return True
    if _BANK_SECRET_REQUEST.search(norm) and (_CONTACTED.search(norm) or _TO_PAY_YOU.search(norm)):
        # "un asesor de proalto me pidio la clave del banco", "una llamada pidiendo los datos
        # de la tarjeta".
        return True
    if (
        _PAY_TO_RELEASE.search(norm)
        and not (_mentions(norm, _ARREARS_HINTS) and _OWN_DEBT.search(norm))
        and not (_ASKS_IF_PAY.match(norm) and not (_UNSOLICITED.search(norm) or _IMPERSONATION.search(norm)))
    ):
        # (Not the customer's own arrears to be paid before a renewal, nor the customer asking, with
        # nobody else in the story, whether anything is paid first: "hay que pagar algo antes?".)
        return True
    if (
        _may(norm, _TOOK_STARTS)
        and _MADE_OFF.search(norm)
        and (_IMPERSONATION.search(norm) or _mentions(norm, _NARRATIVE_HINTS))
    ):
        # "un senor que dijo ser asesor se llevo mis papeles", "el asesor se quedo con la plata".
        return True
    if _may(norm, _TOOK_STARTS) and _TOOK_MY_MONEY.search(norm) and not _PAYROLL.search(norm):
        return True
    if "codigo" in norm and _GIVE_CODE.search(norm) and _STRONG_IMPERSONATION.search(norm):
        # "me llamo un supuesto funcionario para que le diera el codigo de verificacion".
        return True
    if _mentions(norm, _SECRET_HINTS) and _GIVE_SECRET.search(norm) and _IMPERSONATION.search(norm):
        # "me llego un mensaje ... que diera mi clave".
        return True
    if _GAVE_AWAY.search(norm) and _STRONG_IMPERSONATION.search(norm):
        # "cai en una pagina falsa de proalto y les pague el estudio", "un perfil falso que
        # esta cobrando por los creditos".
        return True
    if "codigo" in norm and _OTP_RELAY.search(norm) and _GOT_IN_TOUCH.search(norm) and not _SIGNING_STEP.search(norm):
        # "por whatsapp me escribieron pidiendome el codigo que me llego por mensaje".
        return True
    if "selfie" in norm and _SELFIE_REQUEST.search(norm) and _GOT_IN_TOUCH.search(norm):
        # "me llamaron a ofrecer un credito y me pidieron la foto de la cedula y una selfie".
        return True
    if _mentions(norm, _SECRET_HINTS) and _PASSWORD_REQUEST.search(norm) and _LURE_OR_CALL.search(norm):
        # "me mandaron un sms con un link para reclamar un prestamo y me pidieron mis claves".
        return True
    if _mentions(norm, _ADVANCE_HINTS) and _ADVANCE_FEE.search(norm) and _STRONG_IMPERSONATION.search(norm):
        # "estan usando el nombre de proalto en facebook para cobrar anticipos".
        return True
    return bool(_SECRET_REQUEST.search(norm) and _STRONG_IMPERSONATION.search(norm))


# Asked to relay a one-time code the customer received ("pidiendome el codigo que me llego"), by
# someone who got in touch: how accounts and loans are taken over.
_OTP_RELAY = re.compile(
    r"\b(pid\w+|me piden|que (le |les )?(diera|de|pasara|mandara|enviara|dictara|dijera))\b.{0,30}\bcodigos? "
    r"(que|q) (me )?(llego|llega|llegaron|mandaron|enviaron|salio|aparecio)\b"
)
_GOT_IN_TOUCH = re.compile(
    r"\b(me|nos) (escribio|escribieron|llamo|llamaron|contacto|contactaron)\b|\bpor (whatsap\w*|telefono|llamada)\b|"
    r"\b(un|una) (tipo|senor|senora|persona|numero|desconocid[oa]|muchach[oa])\b"
)
# ...for a step of the customer's own application ("para firmar", "para el desembolso").
_SIGNING_STEP = re.compile(r"\bpara (firmar|la firma|el desembolso|desembolsar|validar|verificar|confirmar)\b")
# A password or a PIN asked (not a one-time code, which ProAlto's signing may send) after a link, a
# message or a call.
_PASSWORD_REQUEST = re.compile(
    r"\b(pid\w+|ped\w+|solicit\w+|exig\w+|me piden)\b.{0,40}\b(clave|claves|contrasena\w*|pin)\b"
)
_LURE_OR_CALL = re.compile(r"\b(link|enlace|sms|mensaje\w*|correo\w*|llamada|llamaron|llamo|whatsap\w*|pagina)\b")
_DECEIVE = re.compile(r"\b(engan\w*|estaf\w*|tumbar|robar)\b")
# Someone unknown ("una mujer", "un senor", "un numero desconocido").
_STRANGER = re.compile(
    r"\b(un|una) (tipo|senor|senora|man|muchacho|muchacha|persona|senorita|joven|chica|chico|hombre|mujer|numero|"
    r"desconocid[oa]|tal)\b"
)
_SELFIE_REQUEST = re.compile(r"\b(pid\w+|ped\w+|solicit\w+|exig\w+|me piden)\b.{0,60}\bselfie")
_ADVANCE_HINTS = ("previ", "anticip", "adelant", "consign", "deposit", "transfer", "plata", "dinero")
# A fee paid before the loan ("creditos con consignacion previa", "cobrar anticipos").
_ADVANCE_FEE = re.compile(
    r"\b(consignacion|pago|deposito|transferencia|cobro|abono)s? (previ[oa]s?|anticipad[oa]s?|por adelantado|"
    r"por anticipado)\b|\b(cobr|pid|pide|piden|pedir|exig)\w* (\w+ )?(anticipos?|adelantos?|consignacion\w*|"
    r"depositos?|"
    r"transferencias?|plata|dinero)\b"
)


# A price judged a scam or a robbery ("esto es una estafa, me cobran intereses altisimos",
# "me siento estafado con la tasa"): an ordinary complaint, unless something else in the
# message is fraud.
_PRICE_JUDGED = re.compile(
    r"\b(es|son|parece|siento|sentimos|quede|que) (una |un |unos |unas )?(estafa|estafad[oa]s?|robo|atraco|"
    r"robad[oa]s?)\b"
)
_PRICE_WORDS = re.compile(r"\b(interes\w*|tasa|cuota|cuotas|cobr\w*|descuent\w*|descont\w*|caro|cara|costos?)\b")


# Deductions from a lender the customer does not know ("descuentos de una entidad que no conozco").
_UNKNOWN_LENDER = re.compile(
    r"\b(entidad|empresa|credito|prestamo|libranza|deuda|descuento|cobro)s? (\w+ ){0,3}que (yo )?no (re)?conozco\b"
)


# A deduction, charge or debit the customer never authorised, asked for or recognises ("en el
# desprendible aparece un descuento de proalto que yo nunca autorice", "me estan cobrando algo
# que no solicite"): money taken without a loan behind it, fraud. Not an add-on of a loan the
# customer has ("un seguro que no pedi", "el aumento de la cuota que no autorice") and not a
# double or wrong amount ("dos veces", "de mas"): those are ordinary complaints.
_UNAUTHORISED_CHARGE = re.compile(
    # ProAlto on the payslip and the customer does not know why ("en mi colilla aparece proalto y no
    # se por que").
    r"\b(aparece|aparecen|sale|salen|figura|figuran) (proalto|ustedes)\b.{0,30}\bno (se|sabemos|entiendo) "
    r"(por que|de que|de donde|que es)|"
    r"\b(descuento|descuentos|cobro|cobros|debito|debitos|cargo|cargos|deduccion\w*|retencion\w*|algo|plata|dinero|"
    r"valores|cuota|cuotas|" + _LOAN[1:-1] + r")\b(?P<between>( \w+){0,6}?) (que )?(yo )?(nunca|jamas|no) "
    r"(lo |la |los |las |les |le )?(he |hemos |habia )?(autorice|autorizado|solicite|solicitado|pedi|pedido|firme|"
    r"firmado|reconozco|conozco|acepte|aceptado|contrate|contratado)\b|"
    r"\b(descuento|descuentos|cobro|cobros|debito|debitos|cargo|cargos|deduccion\w*|retencion\w*)\b( \w+){0,6}? "
    r"(que )?(yo )?desconozco\b|"
    # ...or an amount charged ("cobraron un valor que jamas autorice"; not "vino con un valor que no
    # autorice", a wrong amount of the deduction the customer has).
    r"\b(?<!con )(?<!por )(un|una|el|la|ese|este|esa|esta) (valor|monto|suma|cantidad)\b( \w+){0,4}? (que )?(yo )?"
    r"(nunca|jamas|no) (lo |la |les |le )?(he |hemos )?(autorice|autorizado|solicite|solicitado|pedi|pedido|"
    r"reconozco|acepte|aceptado)\b"
)
_ADD_ON = re.compile(
    r"\b(seguro\w*|poliza\w*|interes\w*|comision\w*|mora|iva|gastos?|honorarios|estudio|aval|fianza|manejo|"
    r"aumento|incremento|alza|subida|cambio|tasa|papeleria|administracion)\b"
)
_UNAUTHORISED_STARTS = frozenset("auto soli pedi firm reco cono acep cont desc apar sale figu".split())


_WRONG_AMOUNT = re.compile(
    _EXTRA.pattern + r"|\b(mas alt[oa]|mas car[oa]|mayor|el doble|equivocad[oa]|incorrect[oa])\b"
)


def _unauthorised_charge(norm: str) -> bool:
    if not (_may(norm, _UNAUTHORISED_STARTS) and _CHARGE.search(norm)):
        return False
    found = _UNAUTHORISED_CHARGE.search(norm)
    return bool(found) and not (_ADD_ON.search(norm) or _EXTRA.search(norm))


def _fraud_words(norm: str) -> bool:
    if not _FRAUD_WORDS.search(norm):
        return False
    if _THEFT_OF_A_THING.search(norm) and not (_OURS.search(norm) or _ID_OR_ACCOUNT.search(norm)):
        # "me robaron el celular": a theft, not a fraud on a loan.
        return bool(_FRAUD_WORDS.search(_THEFT_OF_A_THING.sub(" ", norm)))
    if _PRICE_JUDGED.search(norm) and _PRICE_WORDS.search(norm):
        return bool(_FRAUD_WORDS.search(_PRICE_JUDGED.sub(" ", norm)))
    return True


# A loan, a debt or a deduction on record ("aparezco con una deuda", "me estan descontando").
_DEBT_ON_RECORD = re.compile(
    r"\b(aparec\w*|aparez\w*|figur\w*|reportad\w*|reportaron|registrad\w*|me (estan )?(cobrando|cobran|cobraron|"
    r"descuentan|descontaron|descontando)|(?<!no )(?<!nunca )(?<!jamas )tengo (una |un )?(deuda|"
    + _LOAN[1:-1]
    + r"|descuento))\b"
)


def _never_a_client_on_record(norm: str) -> bool:
    """A debt or deduction on record for someone who was never a client ("aparezco con una deuda
    con proalto pero yo nunca he sido cliente")."""
    return _may(norm, _UNREQUESTED_STARTS) and bool(
        _NEVER_HAD_LOAN.search(norm) and _DEBT_ON_RECORD.search(norm) and _LOAN_WORDS.search(norm)
    )


def is_fraud(norm: str) -> bool:
    """A complaint that is fraud (urgent): identity theft, a loan the customer never asked
    for, money asked for in ProAlto's name, or the fraud words themselves."""
    return bool(
        _identity_theft(norm)
        or _unrequested(norm)
        or _scam(norm)
        or _fraud_words(norm)
        or (_CHARGE.search(norm) and _NEVER_HAD_LOAN.search(norm))
        # (Not a wrong amount on the loan: "no reconozco el valor, es mas alto".)
        or (re.search(r"\bno reconozco\b", norm) and not _WRONG_AMOUNT.search(norm))
        or (_CHARGE.search(norm) and _UNKNOWN_LENDER.search(norm))
        or _unauthorised_charge(norm)
        or _never_a_client_on_record(norm)
    )


# What the customer still owes (not "ya no debo nada"): a balance, not a certificate.
_OWING = re.compile(r"\b(debo|debe|debemos|debiendo|adeudo|adeudad[oa]|deuda|saldo)\b")
_NOT_OWING = re.compile(r"\b(no|nada|ninguna|cero|sin) (\w+ ){0,2}(debo|debe|debemos|debiendo|adeudo|deuda|saldo)\b")
_AMOUNT = re.compile(r"\b(cuanto|cuantos|monto|valor|total|cifra)\b")
# The stage of an application ("en que etapa va", "estado de mi solicitud"); a statement
# of account ("estado de cuenta") is a balance.
_STAGE = re.compile(
    r"\b(etapa|fase|en que (paso|punto|parte|proceso)( del (proceso|tramite|estudio))? "
    r"(va|esta|quedo|anda|se encuentra)|"
    r"en que (quedo|va|anda) (lo de )?(mi|la) (solicitud|tramite|" + _LOAN[1:-1] + r")|"
    r"(sigue|esta|va|continua|siguen|estan|estaba|quedo) (todavia )?en (tramite|estudio|proceso|revision|analisis|"
    r"visado|verificacion|comite|aprobacion|firma)|visto bueno|"
    r"estado (de|del|en que) (mi |la |el )?(solicitud|tramite|peticion|proceso|estudio|desembolso|"
    + _LOAN[1:-1]
    + r"))\b"
)
# The whole loan paid at once ("si pago todo antes", "para liquidar de contado"): with an
# amount asked, the balance.
_PAYOFF = re.compile(
    r"\b(pag\w*|cancel\w*|liquid\w*|sald\w*) (\w+ )?(todo|toda|el total|la totalidad|de contado|de una|completo|"
    r"anticipad\w*)\b"
)
# How much is left, or has been paid so far.
_SO_FAR = re.compile(
    r"\bcuant[oa]s (meses|cuotas|anos|pagos|descuentos) (me |le |nos )?(quedan|faltan|restan|llevo|van)\b|"
    r"\bcuanto (me |nos )?(han|ha|llevan|llevo|he|hemos) (descontado|cobrado|pagado|abonado)\b|"
    r"\bcuanto (le |les )?(pague|pagamos|abone|abonamos|me descontaron|me cobraron|nos descontaron)\b"
)
# What the customer pays ("cuanto pago este mes", "cuanto me van a descontar").
_WHAT_I_PAY = re.compile(
    r"\bcuanto (\w+ ){0,2}(pago|pagaria|pagamos)\b|"
    r"\bcuanto (me|nos) (\w+ ){0,2}(pagar|descuentan|descontar|descontaran|cobran|cobraran|cobrar)\b"
)
# Whether the customer's instalment stays the same, changed or will change ("mi cuota sigue
# igual?", "la cuota cambia cada ano o es fija?").
_INSTALMENT_ASKED = re.compile(
    r"\b(mi|la|el valor de (mi|la)|el monto de (mi|la)) cuota\b(?! (de|del) (manejo|administracion|"
    r"afiliacion|sostenimiento))( \w+){0,5} "
    r"(sigue|seguira|continua|queda|quedo|quedara|es|sera|va a (ser|quedar|cambiar|subir|bajar)|cambi\w*|sub\w*|"
    r"baj\w*|fija|variable|igual|misma|mismo|aument\w*|vari\w*)\b|"
    r"\b(cambia|cambio|cambiara|sube|subio|subira|baja|bajo|bajara|varia|aumenta|aumento)\b (\w+ ){0,2}(mi|la) "
    r"cuota\b"
)
# What must be owed or done, not what is owed ("cuanto debo tener pagado para renovar").
_MUST_OWE = re.compile(r"\b(debo|debe) (tener|llevar|haber|hacer|presentar|enviar|ganar|esperar)\b")
# Until when the deductions go on ("hasta que mes me descuentan", "hasta cuando pago").
_UNTIL_WHEN = re.compile(
    r"\bhasta (que|cual) (mes|fecha|dia|ano|cuota)\b.{0,40}\b(descont\w*|descuent\w*|pag\w*|cobr\w*|cuota\w*)\b|"
    r"\bhasta cuando (\w+ ){0,4}(descont\w*|descuent\w*|pag\w*|cobr\w*|cuota\w*)\b"
)
# The balance named ("me pueden informar el saldo de la libranza"), and no loan asked for.
_BALANCE_NAMED = re.compile(
    r"\b(el|mi|su) saldo\b(?! (a favor|de (la|mi|su) (cuenta|tarjeta)))|\bestado de cuenta\b|\bcuanto (le |"
    r"les )?debo\b"
)
_LOAN_ASKED = re.compile(
    r"\b(prest(an|en|arian|arme|enme|ar|aria)|requisitos|tasa|quiero (un|otro|una|otra)|solicitar|pedir|sacar|"
    r"me (dan|darian|daria)|nuevo|nueva)\b"
)
# Lending asked about ("ustedes prestaban plata", "hacen prestamos a pensionados"), a borrowing
# capacity ("me queda capacidad de 600 mil", "cuanto me alcanza para un prestamo").
_LENDING_ASKED = re.compile(
    r"\b(ustedes |uds )?(prestan|prestaban|prestarian|dan (prestamos|creditos)|hacen (prestamos|creditos|libranzas)|"
    r"ofrecen (prestamos|creditos|libranzas))\b"
)
_CAPACITY = re.compile(
    r"\bcapacidad( de (pago|endeudamiento|descuento))?\b|\b(cuanto|que) (me |nos )?(alcanza|alcanzaria|darian|daria|"
    r"prestan|prestarian)( \w+)? para (un|una|el|la) (" + _LOAN[1:-1] + r")\b"
)
# The customer's own loan spoken of ("mi credito", "lo que debo", "mis cuotas").
_OWN_LOAN_TALK = re.compile(
    r"\b(mi|mis) ("
    + _LOAN[1:-1]
    + r"|cuota|cuotas|deuda|saldo)\b|\b(debo|adeudo|me falta|me queda de|llevo pagad\w*)\b"
)
# Debts with another lender ("de otros bancos", "tengo deudas con bancolombia").
_OTHER_LENDER = re.compile(
    r"\b(otros? bancos?|otras? entidad\w*|otras? financier\w*|cooperativas?|bancolombia|davivienda|"
    r"bbva|banco de bogota|banco popular|banco agrario|colpatria|av villas|caja social|tarjetas? de credito)\b"
)
# Applying ("llenar solicitud de prestamo", "hacer una solicitud"), not an application's status.
# ...though someone already helped to (the application is made: "me ayudo a llenar la solicitud").
_HELPED_TO = re.compile(
    r"\b(me |le |nos )?(ayudo|ayudaron|ayude) a (llenar|hacer|diligenciar|radicar|enviar|mandar)\b"
)
_APPLY_VERB = re.compile(
    r"\b(llenar|hacer|diligenciar|radicar|presentar|iniciar|comenzar|empezar|abrir|montar|meter|enviar|mandar) "
    r"(una |la |mi |un )?(solicitud|aplicacion|formulario)\b"
)
# The balance asked first, its purpose after ("necesito saber mi deuda para sacar un credito en
# otro banco", "cuanto debo? es para saber si renuevo"); not what must be owed or paid to renew
# ("cuanto debo tener pagado para renovar").
_BALANCE_FIRST = re.compile(
    r"^(\w+ ){0,4}(cuanto (le |les )?(debo|adeudo|estoy debiendo)(?! (tener|llevar|haber|pagar|abonar|cancelar))|"
    r"(saber|conocer|consultar|averiguar) (\w+ )?(mi|el) (deuda|saldo)( (actual|total|del \w+))?) "
    r"(\w+ ){0,2}(para|porque|pues|pa)\b"
)
# Whether anything is still owed ("me falta una cuota o ya termine?", "todavia debo algo?").
_STILL_OWING_ASKED = re.compile(
    r"\bo (ya|todavia|aun|no)\b|\b(todavia|aun) (le |les )?(debo|me falta|me queda|falta|queda)\b|"
    r"\bme (falta|queda) (una|alguna|algo|alguno)\b|\bdebo algo\b"
)
# How the customer stands with the debt ("en cuanto estoy con ustedes", "como voy con la deuda").
_HOW_AM_I_DOING = re.compile(
    r"^(\w+ ){0,3}(en|a) cuanto (estoy|voy|va|esta|quedo|queda|anda)( (con ustedes|mi deuda|la deuda))?$|"
    r"\bcomo (voy|vamos|ando) (con|en) (la |el |mi |mis |los )?(deuda|pagos|cuotas|saldo)\b"
)
# When the last instalment falls due.
_LAST_DUE = re.compile(r"\b(cuando|que fecha|en que fecha|que dia|que mes|en que mes)\b.{0,25}\bultima cuota\b")
# How much the customer owes, asked outright ("cuanto debo del credito que me dieron").
_HOW_MUCH_OWED = re.compile(
    r"\bcuanto (\w+ ){0,2}(debo|debemos|debe|adeudo|quedo debiendo|estoy debiendo)\b|"
    # ...or how much is left of it ("cuanto me falta del credito que saque", "pa salir de esa deuda").
    r"\bcuanto (me |nos |le )?(falta|queda|resta)( por pagar| para (terminar|salir|acabar|cancelar|pagar)| (del|de la|"
    r"de mi|"
    r"de) (" + _LOAN[1:-1] + r"|deuda))\b"
)
# The customer already handed in an application (so it is under way), was promised an
# answer that did not come, or asks how long until the money: status, not a new credit.
_SUBMITTED = re.compile(
    r"\b(entregue|entregamos|pase|pasamos|envie|enviamos|mande|mandamos|radique|radicamos|lleve|"
    r"llevamos|subi|subimos|adjunte|presente|diligencie|llene|(volvi|volvimos) a (enviar|mandar|entregar|radicar|"
    r"subir|pasar|llevar|adjuntar)) (\w+ ){0,2}(papeles|papeleria|documentos|"
    r"documentacion|solicitud|formulario|requisitos|desprendibles?|colillas?|informacion|soportes|fotos|datos|cedula|"
    r"certificado laboral|extractos?)\b"
)
# The papers of an application received ("ya les llegaron mis papeles?", "mis documentos ya
# los recibieron?").
_PAPERS = r"(papeles|papeleria|documentos|documentacion|solicitud|formulario|desprendibles|colillas|soportes)"
_RECEIVED = re.compile(
    r"\b(llegaron|llego|recibieron|recibio|revisaron|reviso)\b (\w+ ){0,2}(mis|nuestros|nuestras|los|las) "
    + _PAPERS
    + r"\b(?! (de|del) (paz|cancelacion))|"
    r"\b(mis|nuestros|nuestras) " + _PAPERS + r" (ya )?(les |los |las )?(llegaron|recibieron|los recibieron|"
    r"las recibieron|fueron recibid\w*)\b|"
    r"\bya (les |los )?(tienen|tiene|recibieron) (todos |todas )?(mis|nuestros|nuestras|los|las) " + _PAPERS + r"\b|"
    r"\bya (la|lo|los|las) (revisaron|recibieron|estudiaron|miraron|vieron)\b"
)
# Applied or signed already, and asking how long or what next ("ya radique, cuanto tengo que esperar").
_APPLIED = re.compile(
    r"\bya (radique|radicamos|aplique|solicite|firme|firmamos|mande la solicitud|envie la solicitud)\b"
)
_WAIT_ASKED = re.compile(
    r"\b(cuanto (tiempo|se demora|demora|tarda|se tarda|falta)|cuando|que sigue|que paso|esperar|espero|ahora que|"
    r"falta algo|falta algun|que falta|falta mucho)\b"
)
# Everything handed in ("ya mande todo"), a paper missing for the approval, or an answer
# awaited ("cuando me dicen algo", "cuando me responden lo del credito").
_ALL_SENT = re.compile(
    r"\bya (entregue|envie|mande|radique|subi|pase|lleve|adjunte) "
    r"(todo|toda la (papeleria|documentacion|informacion))\b|"
    r"\b(falta|faltan|hace falta|hacen falta) (algun |alguno |algo |mas |otro )?(papel|papeles|documento|documentos|"
    r"requisito|requisitos|soporte|soportes)\b|"
    r"\b(me |nos )?(falta|hace falta) algo (para que|para la|para el) (aprueb|aprob|desembols|salga|firm)\w*"
)
_ANSWER_AWAITED = re.compile(
    r"\bcuando (me |nos )?(dicen|dan respuesta|dan razon|responden|contestan|avisan|informan)\b(?! (cuanto|el saldo))"
)
# Applied, and no news since ("hace un mes radique y no se nada").
_NO_NEWS = re.compile(
    r"\b(radique|radicamos|aplique|hice la solicitud|mande la solicitud|envie la solicitud)\b.{0,30}"
    r"\b(no se nada|no sabemos nada|nada|no me (han|dicen|responden|contestan)|sin respuesta|no he sabido)\b"
)
_PROMISE_UNKEPT = re.compile(
    r"\b(me|nos) (dijeron|dijo|prometieron|prometio|aseguraron|aseguro|quedaron|quedo)\b.{0,70}"
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
    r"(firma|firmar|desembols\w*|desembolso|aprobacion|estudio|entrevista|verificacion|validacion|verificar|validar|"
    r"confirmar)\b"
)
_WAITING = re.compile(
    r"\bfalta\w* para (que )?(me |nos )?(el |la )?(desembols|consign|gir|aprueb|aprob|respond|salga|firma)\w*|"
    r"\bfalta\w* para (que )?(me |nos )?(den|de|tengan) (una |la )?(respuesta|razon)\b"
)
# Money on top of the current loan: "otro desembolso sobre mi credito".
_ON_THE_LOAN = re.compile(
    r"\b(sobre|encima de|ademas de) (el|la|mi|lo de mi|ese|este|esa|esta)( mismo| misma)? ("
    + _LOAN[1:-1]
    + r"|deuda)\b"
)
# Less money than agreed ("me desembolsaron menos de lo acordado"): a complaint.
_LESS_THAN_AGREED = re.compile(
    r"\bmenos (plata |dinero )?de (lo|la|el) (que )?(me |nos )?(acordado|aprobado|pactado|firmado|prometido|dijeron|"
    r"aprobaron|prometieron|firme|acordamos|pactamos)\b|"
    # ...or the payout short or incomplete ("me llego menos plata", "el desembolso llego incompleto").
    r"\b(llego|llegaron|consignaron|desembolsaron|dieron|giraron|depositaron|entregaron) (\w+ )?(menos (plata|dinero)|"
    r"incomplet[oa])\b"
)
_NOT_REFUNDED = re.compile(
    r"\b(no|nunca) (me |nos )?(han|ha)? ?(devuelto|reintegrado|reembolsado|regresado|devuelven|reintegran|"
    r"devolvieron)\b"
)
_CHANNEL_HINTS = ("app", "aplicacion", "pagina", "portal", "link", "boton", "plataforma")
_REFUND_STARTS = frozenset("devu devo rein reem regr".split())
_CALLBACK_STARTS = _REFUND_STARTS | frozenset(["volv", "vuel"])

_GRIEVANCE_STARTS = frozenset("apli regi abon carg refl asen apar ve repo sale figu pusi".split())
_LIE_HINTS = ("mentir", "fals", "engan", "trampa", "cuento", "montaje", "robo", "fraude", "estafa")
# A refund asked for and awaited ("llevo 2 meses pidiendo la devolucion", "esperando el reintegro").
_REFUND_AWAITED = re.compile(
    r"\b(pidiendo|esperando|solicitando|reclamando|espero|pedi|solicite|reclame) (la |el |mi |una |un )?"
    r"(devolucion|reintegro|reembolso)\b|"
    # ...or promised and not made ("me prometieron devolverme la plata y nunca lo hicieron").
    r"\b(prometieron|prometio|dijeron|dijo|quedaron en|quedo en) (que )?(me )?(iban a |van a )?(devolver|reintegrar|"
    r"reembolsar)\w*\b.{0,30}\b(nunca|no|nada)\b"
)
# A denial or a block without a reason given ("me negaron la renovacion sin explicacion").
_DENIED_UNEXPLAINED = re.compile(
    r"\b(negaron|nego|rechazaron|rechazo|cancelaron|bloquearon|suspendieron|cerraron)\b.{0,30}\bsin "
    r"(ninguna |ningun )?(explicacion|justificacion|razon|motivo|aviso|avisar|explicar)"
)
# Told one thing and another came ("me dijeron una tasa y en el pagare aparece otra").
_TOLD_ONE_THING = re.compile(
    r"\b(dijeron|dijo|prometieron|prometio|ofrecieron|ofrecio|acordamos|pactamos) (una|un|el|la) "
    r"(tasa|cuota|valor|monto|interes)\b.{0,50}\b(y|pero) (me |nos )?(estan )?(cobr|descont|descuent)\w*|"
    r"\bno (es|era) (lo que|la que|el que) (me |nos )?(ofrecieron|ofrecio|dijeron|dijo|prometieron|prometio|acordamos|"
    r"pactamos|firme|firmamos)\b|"
    r"\b(dijo|dijeron|prometio|prometieron|ofrecio|ofrecieron|acordamos|pactamos|quedamos en|hablamos de) (una|un|el|"
    r"la) "
    r"(tasa|cuota|valor|monto|plazo|interes|descuento|precio)\b.{0,50}\b(otra|otro|diferente|distint[oa]|mas alt[oa]|"
    r"mayor)\b"
)
_NO_CALLBACK = re.compile(
    r"\b(nunca|no|jamas) (me |nos )?(devolvio|devolvieron|ha devuelto|han devuelto|regreso|regresaron) (la |las |el )?"
    r"(llamad\w*|mensaje\w*|correo\w*)|"
    r"\b(nunca|no|jamas) (me |nos )?(volvio|volvieron|han vuelto|ha vuelto) a (llamar|escribir|contactar|responder|"
    r"contestar)\w*"
)
# A refusal ("no me han querido dar el paz y salvo"), or being sent round in circles ("cada vez que
# llamo me dicen una cosa distinta", "me tienen dando vueltas").
_REFUSED = (
    r"no (me |nos )?(han |ha )?(quiso|quisieron|quieren|quiere|querido) (atender|dar|devolver|recibir|ayudar|entregar|"
    r"responder|solucionar|expedir|hacer|aceptar|aplicar|reintegrar|explicar|recibir)\w*|"
    r"no (me |nos )?(dejaron|dejan|dejo|permitieron|permiten|permitio) (hacer|pagar|abonar|cancelar|radicar|hablar|"
    r"prepagar)\w*"
)
_RUNAROUND = (
    r"(dice|dicen|sale|aparece) (una cosa|un valor|algo) y (el|la|los|las|en el|en la) (\w+ ){0,2}(otra|otro|"
    r"diferente|distinto)|dando vueltas|de un lado (a|para) otro|(me|nos) dicen una cosa|"
    r"cada vez que (llamo|escribo|pregunto|voy) (me |nos )?dicen|(me|nos) mandaron (a|para) (la oficina|otro lado|"
    r"otra parte|aca|alla)\b.{0,40}\b(alla|alli|aca|aqui) "
    r"(me|nos) dijeron"
)
# A consequence suffered ("y me toco pagar intereses", "ahora me sale mas caro", "me toco ir tres
# veces a la oficina", "el desembolso llego tarde").
_CONSEQUENCE = (
    r"(y|pero) (ahora |encima |por eso |entonces |al final |luego )?(me |nos )?(toco|tuve que|tuvimos que) (pagar|ir|"
    r"esperar|volver|llamar|hacer)|(ahora|encima) (me |nos )?(sale|salio|resulta|resulto) (mas )?(car[oa]|costos[oa])|"
    r"(me|nos) (toco|toca) (ir|venir|llamar|volver|escribir) (\w+ ){0,2}(veces|otra vez|de nuevo)|"
    r"(llego|llegaron|desembolsaron|consignaron|giraron) (muy |super )?(tarde|a destiempo|con retraso)"
)
# How ProAlto serves, judged: a complaint even without a complaint word.
_BAD_SERVICE = re.compile(
    r"\b(pesim\w*|malisim\w*|terribl\w*|horribl\w*|desastr\w*|verguenza|vergonzos\w*|"
    r"mediocr\w*|irrespetuos\w*|groser\w*|descarad\w*|abusiv\w*|indignad\w*|inconform\w*|"
    r"decepcionad\w*|furios\w*|burla|porqueria|mal servicio|mala atencion|mal trato|maltrato|"
    r"enganaron|engano|mintieron|mintio|mentiras|(dio|dieron|informo|informaron|explico|explicaron) mal|"
    r"nadie (me )?(responde|contesta|atiende|soluciona|resuelve|ayuda|da razon)|agresiv\w*|acos\w*|hostig\w*|"
    r"gracias por nada|amenaz\w*|exijo|exigo|exigimos)\b"
)
# ...and in more words (round 6), behind a gate of the rarer word of each alternative: how the
# customer was treated, a refusal, the runaround, indignation, slowness, hung up on, shouted at,
# forced, signed unexplained, not satisfied, a consequence suffered, a paper never sent, the price
# judged too high, calls to work that caused trouble, charged anyway, feeling robbed, never
# answered.
_MORE_BAD_SERVICE = re.compile(
    r"\b((me|nos) (trataron|trato|atendieron|atendio|hablaron|hablo) (muy |super |re |bien )?(feo|mal|horrible|pesimo|"
    r"groseramente|fatal|regular)|"
    r"humill\w*|(me|nos) hacen quedar mal|" + _REFUSED + r"|" + _RUNAROUND + r"|"
    r"que pasa con ustedes|que les pasa|esto es el colmo|no hay derecho|como es posible|inaceptable|"
    r"(muy|super|demasiado|bien) (lent[oa]|demorad[oa])|"
    r"(me|nos) (colgaron|colgo|tiraron el telefono|dejaron esperando)|"
    r"(me|nos) (grito|gritaron|insulto|insultaron|humillo|humillaron|ofendio|ofendieron|amenazo|amenazaron)|"
    r"(me|nos) (obligaron|obligo|forzaron|forzo|presionaron|presiono) a|"
    r"sin (explicarme|explicarnos|informarme|avisarme|consultarme|preguntarme|leerme)|"
    r"no (estoy|estamos|quede|quedamos) (conforme|conformes|satisfech[oa]s?|de acuerdo)|"
    r"absurd\w*|ridicul\w*|no tiene sentido|descaro|irrespet\w*|falta de respeto|"
    r"de mala gana|mala cara|mal genio|no es serio|poca seriedad|que mal|mala experiencia|" + _CONSEQUENCE + r"|"
    r"nunca (me |nos )?(enviaron|mandaron|entregaron|dieron|llego|llegaron) (el|la|los|las|mi|mis) (contrato|copia|"
    r"pagare|extracto|certificado|documento|respuesta|paz y salvo|factura|comprobante)\w*|"
    r"(intereses|interes|tasa|cuota|seguro|costos?|cobros?) (\w+ ){0,2}(muy |demasiado |super |re |bien )(alt[oa]s?|"
    r"car[oa]s?|elevad[oa]s?)|altisim[oa]s?|carisim[oa]s?|"
    r"(llaman|llamando|llamaron|escriben|escribieron) (a mi|al|a la|a mis) (trabajo|oficina|empresa|jefe|familia|"
    r"vecinos|referencias)\b.{0,40}\b(molest\w*|problema\w*|pena|verguenza|quedar mal|regan\w*)|"
    r"(me|nos) (hizo|hicieron) firmar (algo |cosas |papeles |documentos )?(que no|sin)|"
    r"(me|nos) (lo|la|los|las) (pusieron|cobraron|descontaron|dejaron|cargaron) "
    r"(igual|de todas formas|de todos modos)|"
    r"falta de (seriedad|respeto|compromiso|profesionalismo|cumplimiento)|"
    r"(segunda|tercera|cuarta|quinta|sexta|decima|enesima|milesima|otra) vez que (llamo|escribo|pido|reclamo|solicito|"
    r"vengo)|"
    r"(llamado|llaman|llamaron|escrito|escriben|escribieron) (\d+|muchas|varias|mil|tantas|demasiadas) veces|"
    r"(llaman|llamando|escriben|escribiendo|molestan|molestando)\b.{0,30}\b(todo el dia|a toda hora|a todas horas|"
    r"a cada rato|sin parar|todos los dias|(numeros|telefonos) (diferentes|distintos))|"
    r"(me|nos) hicieron perder (el|la|mi|todo el) (dia|tiempo|manana|tarde)|"
    r"(me siento|nos sentimos|me senti|quede|quedamos) (robad[oa]s?|estafad[oa]s?|enganad[oa]s?|"
    r"timad[oa]s?|abusad[oa]s?|burlad[oa]s?)|"
    r"(nunca|jamas) (me |nos )?(contestan|responden|atienden|contesta|responde|atiende)|"
    r"no (me |nos )?(contestan|responden|atienden|cogen) (el telefono|la linea|las llamadas|el celular|"
    r"los mensajes|el whatsap\w*|los correos))\b"
)
_MORE_BAD_SERVICE_STARTS = frozenset(
    """
    feo horr pesi gros fata regu mal humi qued quis quie quer deja dejo perm vuel lado cosa cada mand pasa colm dere
    posi inac lent demo colg tira grit insu ofen amen obli forz pres sin conf sati acue absu ridi sent desc irre falt
    gana cara geni seri expe toco toca tuve tuvi caro cost tard dest retr nunc alto alta alti cari elev mole prob pena
    verg rega firm igua form modo vez sien jama tele line celu mens what corr llam vece todo hora rato nume cosa valo
    algo perd
    """.split()
)


def _judged(norm: str) -> bool:
    """The service judged, or ProAlto's own channel down."""
    return _bad_service(norm) or (_mentions(norm, _CHANNEL_HINTS) and bool(_CHANNEL_DOWN.search(norm)))


def _strong_grievance(norm: str) -> bool:
    return _may(norm, _STRONG_STARTS) and bool(_STRONG_GRIEVANCE.search(norm))


def _bad_service(norm: str) -> bool:
    """How ProAlto serves, judged (_BAD_SERVICE, _MORE_BAD_SERVICE)."""
    return bool(_BAD_SERVICE.search(norm)) or (
        _may(norm, _MORE_BAD_SERVICE_STARTS) and bool(_MORE_BAD_SERVICE.search(norm))
    )


# ProAlto's own channel broken ("la app no funciona y no puedo pagar"), not another's ("la app
# de bancolombia esta caida").
_CHANNEL_DOWN = re.compile(
    r"\b(la app|la aplicacion|la pagina|la pagina web|el portal|el link de pago|el boton de pago|la plataforma)"
    r"( de (proalto|ustedes|la empresa)| suya| para (pagar|pagos|consultar|descargar)(\w+)?)?( (ya|todavia|aun|nunca|"
    r"otra vez))? (no funciona|no sirve|no carga|"
    r"no abre|no deja|no me deja|esta caida|se cae|se cayo|falla)\b"
)
# A payment not applied ("no me han aplicado el pago"), or reported to a credit bureau: a
# complaint without a complaint word.
_GRIEVANCE = re.compile(
    r"\bno (me |nos )?(han|ha) (aplicado|registrado|abonado|cargado|reflejado|asentado)\b.{0,20}\b(pago|abono|"
    r"consignacion|cuota|transferencia)|"
    r"\b(pago|abono|consignacion|transferencia)\b.{0,25}\bno (aparece|se ve|se refleja|aplica|me lo han aplicado|"
    r"lo han aplicado|esta aplicad[oa])\b|"
    r"\bno (me |se )?(aparece|aparecen|sale|salen|figura|refleja|reflejan|registra|registran|ve) (el|mi|los|mis|la) "
    r"(pago|pagos|abono|abonos|consignacion|transferencia)\b|"
    r"\b(me|nos) (reportaron|reporto|han reportado|tienen reportad[oa]|reportan)\b|"
    # ...or applied to something else ("pedi un abono a capital y lo aplicaron a intereses").
    r"\b(lo|la|me lo|me la) (aplicaron|abonaron|cargaron|pusieron) (a|al|en) (los |la |el |otra |otro )?(intereses|"
    r"otra cuota|otro credito|mora|seguro)\b"
)
# A cost of the loan the customer was never told of ("nadie me aviso que me iban a cobrar mora").
_NOT_TOLD = re.compile(
    r"\b(nunca|no|jamas|nadie|tampoco) (me |nos )?(dijo|dijeron|explico|explicaron|informo|informaron|aviso|avisaron|"
    r"advirtio|advirtieron|conto|contaron|menciono|mencionaron)\b.{0,40}\b(tasa|interes\w*|seguro|cobr\w*|"
    r"descuent\w*|descont\w*|cuota|comision\w*|costo\w*|plazo|mora|multa\w*|caro|cara)\b"
)
_NOT_HINTS = ("no ", "nunca", "jamas", "nadie", "tampoco")
# Someone asked for in so many words ("hablar con", "paseme con un asesor", "llamenme").
_TALK_REQUEST = re.compile(r"\b(hablar|comunic\w*|llam\w*|atiend\w*)\b|\bpas\w* con (un|una|el|la|alguien)\b")
# Dissatisfaction stated outright: a complaint whatever service it is about (a refusal, the
# runaround and a consequence suffered, above, too). Each alternative holds one of _STRONG_STARTS.
_STRONG_STARTS = frozenset(
    """
    conf sati acue inco pesi indi furi verg porq burl abus pasa colm dere inac seri quis quie quer deja dejo perm vuel
    lado cosa cada mand toco toca tuve tuvi caro cara cost tard dest retr
    """.split()
)
_STRONG_GRIEVANCE = re.compile(
    r"\b(no (estoy|estamos|quede|quedamos) (conforme|conformes|satisfech[oa]s?|de acuerdo)|inconform\w*|pesim\w*|"
    r"indignad\w*|furios\w*|verguenza|porqueria|burla|abusiv\w*|que pasa con ustedes|esto es el colmo|no hay derecho|"
    r"inaceptable|no es serio|poca seriedad|falta de seriedad|"
    + _REFUSED
    + r"|"
    + _RUNAROUND
    + r"|"
    + _CONSEQUENCE
    + r")\b"
)
# Asking for a loan in so many words (so a judged service next to it is not the point).
_NEW_LOAN_REQUEST = re.compile(
    r"\b(quiero|quisiera|necesito|deseo|me gustaria|me interesa|solicitar|pedir|sacar|como (hago|puedo|se))\b"
)
# Waiting for something too long ("llevo semanas esperando el paz y salvo"): with a judged
# service, the complaint is the point.
_WAITED = re.compile(
    r"\b(llevo|llevamos|tengo|hace|van|ya van) (\w+ )?(dias|semanas|meses|rato|tiempo|mes|semana)\b|"
    r"\b(esperando|espera)\b"
)
_THANKS = re.compile(r"\b(gracias|agradezco|agradecid[oa]s?|agradecemos)\b")
# Asking to be put through to someone.
_NOBODY = re.compile(r"\bnadie (me |nos )?(responde|contesta|atiende|soluciona|resuelve|ayuda)\b")
_ADVISOR_REQUEST = re.compile(
    r"\b(hablar|comunic\w*|pas(e|a|en|ame|enme|eme)|llam(en|e|ar|enme|eme)|atiend\w*|quiero|necesito|"
    r"requiero|deseo|prefiero)\b"
)
# What the bot can do for the customer: the menu.
_OPTIONS = re.compile(
    r"\b(opciones|servicios|menu)\b|\ben que (me |nos |te |le )?(pueden|puede|podrian|podria|puedes|podrias|puedo) "
    r"(ayudar|colaborar|servir)\b|\bque (temas |servicios |cosas |tramites )?(mas )?(ofrecen|ofreces|ofrece|manejan|"
    r"manejas|maneja|atienden|atiendes|resuelven|resuelves)\b|"
    r"\bque (hago|puedo hacer|se puede hacer|se hace|hace)( \w+){0,2} (aqui|aca|chat|bot|whatsap\w*|medio|esto)\b"
)


_OPTIONS_NAMED = re.compile(r"\b(opciones|opcion|menu)\b")


# Someone who never borrowed from ProAlto, asking how to.
_FIRST_TIME = re.compile(
    r"\b(nunca|jamas|no) (he )?(tenido|sacado|pedido|solicitado|tengo) (\w+ ){0,2}" + _LOAN + r"\b"
)
_HOW_TO = re.compile(
    r"\b(que necesito|que debo|como (hago|puedo|es|se hace)|requisitos|puedo|quiero|quisiera|me gustaria|"
    r"me interesa|seria (mi|el) primer\w*|por primera vez)\b"
)
# How applying for a loan works ("como es el tramite para un prestamo"): a new credit, not
# the status of one.
_HOW_TO_APPLY = re.compile(
    r"\bcomo (es|funciona|se hace|hago|hace uno|seria) (el|un|ese)? ?(tramite|proceso|procedimiento|paso a paso) "
    r"(para|de) (un |una |pedir |sacar |solicitar |obtener |tramitar )?(un |una )?" + _LOAN
)
_A_NEW_LOAN = re.compile(
    r"\b(un|una|otro|otra) (" + _LOAN[1:-1] + r") nuev[oa]\b|\b(un|una) nuev[oa] (" + _LOAN[1:-1] + r")\b"
)
# Whether the customer is up to date, asked ("estoy al dia?", "quiero saber si voy al dia con las
# cuotas"): where they stand with the balance.
_AM_I_UP_TO_DATE = re.compile(
    r"^(\w+ ){0,3}(si )?(estoy|estamos|voy|vamos|ando|quede|quedo|sigo|esta|estaria) al dia( (con|en) (\w+ )?\w+)?$"
)
# What the loan's study or paperwork costs, asked before applying ("cuanto vale el estudio del credito").
_STUDY_COST = re.compile(
    r"\b(cuanto (vale|cuesta|cobran|es|sale)|hay que pagar|se paga|toca pagar|tengo que pagar|cobran|pagar) "
    r"(\w+ ){0,2}(el |por el |algo de )?(estudio|tramite|papeleria)\b"
)
# The customer's own application ("como va mi solicitud").
_MY_APPLICATION = re.compile(
    r"\b(mi|la) (solicitud|tramite|desembolso|" + _LOAN[1:-1] + r")\b|\bno (quiero|necesito)\b"
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
    # How to reach another institution ("cual es el numero de la policia", "el telefono del
    # banco agrario"): not ProAlto's advisors, nor the customer's data.
    r"\b(numero|telefono|linea|direccion|horario|correo|pagina|whatsap\w*) (\w+ ){0,2}(de|del) (la |el |los )?"
    r"(policia|bomberos|hospital|clinica|banco|bancolombia|davivienda|colpensiones|porvenir|colfondos|alcaldia|"
    r"gobernacion|fiscalia|notaria|ejercito|defensoria|personeria|procuraduria|juzgado|tribunal)\b|"
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
    r"plomero|electricista|cerrajero|mecanico|albanil|carpintero|"
    r"tarjetas? de credito|fondo nacional del ahorro|fna|cooperativa (de|del) (mi )?(trabajo|empresa)|"
    # Papers from other authorities ("sacar el pasado judicial"), a chain message to forward.
    r"pasado judicial|antecedentes( judiciales| penales| disciplinarios| fiscales)?|libreta militar|registro civil|"
    r"partida de (nacimiento|bautismo|matrimonio)|certificado de (policia|procuraduria|contraloria)|"
    r"cadena de (oracion|la suerte|bendicion\w*)|reenvi\w+ (a|este|esta|esto|el mensaje)|"
    r"a (\d+|diez|cinco|siete|doce) (personas|contactos|amigos)|"
    r"divorcio|custodia|cuota alimentaria|herencia|sucesion|cita medica|medicamento\w*|drogueria|farmacia|"
    r"loteria|partido de \w+|"
    # A government subsidy or payment ("ya salio el pago de familias en accion?", "la devolucion del
    # iva"): the state's, not ProAlto's.
    r"familias en accion|jovenes en accion|ingreso solidario|colombia mayor|renta ciudadana|renta basica|"
    r"devolucion del iva|prosperidad social|dps|"
    r"(pagan|pago|subsidio|bono|programa|giro) (del |de )?(el )?adulto mayor|"
    r"subsidio\w*|auxilio del gobierno|bono (del gobierno|solidario)|"
    # ...or the employer's bonus ("el bono navideno de la empresa", "cuando pagan la prima").
    r"bono (navideno|de navidad|de fin de ano)|prima (de servicios|de navidad|navidena|de junio|de diciembre)|"
    r"(pagan|paga|consignan|sale|llega|llego|salio) (la )?prima)\b"
)
# A financial (or other) service ProAlto does not offer, asked of ProAlto itself ("tienen giros
# internacionales?", "venden seguros de vida?", "quiero invertir mi plata con ustedes"): not
# its menu, not a new credit. Naming ProAlto, or money, does not make it ours; a loan does.
_NOT_OFFERED = re.compile(
    r"\b(giros?|envios?|remesas?|transferencias?) (\w+ ){0,3}(internacional\w*|al exterior|del exterior|"
    r"(a|de|desde) otros? pais\w*|(a|desde) (venezuela|espana|estados unidos|usa|ecuador|peru|panama|chile|mexico))\b|"
    r"\b(enviar|mandar|recibir|girar|envi\w+|mand\w+|recib\w+|gir\w+) (\w+ ){0,2}((al|del|desde el|para el) "
    r"exterior|(a|desde|para|de) (otro pais|otros paises|el extranjero|venezuela|espana|estados unidos|usa|ecuador|"
    r"peru|panama|chile|mexico))\b|\b(western union|moneygram|remesa\w*)\b|\bcheques?\b|"
    # Remittances as a service ("tienen servicio de giros?"; not "me hacen el giro hoy?").
    r"\bservicio de (giros?|envios?|remesas?)\b|\b(hacen|tienen|manejan|ofrecen|reciben|pagan|cobran) "
    r"(giros|envios)\b|\benvios? de (dinero|plata)\b|"
    r"\b(cambi\w*|compr\w*|vend\w*) (\w+ )?(dolar\w*|divisa\w*|euro|euros|moneda extranjera)\b|"
    r"\b(seguros?|polizas?|planes?) (de |del |para (el |la |mi )?)?(vida|salud|carro|auto|autos|vehicul\w*|moto|motos|"
    r"hogar|casa|viaje\w*|exequial\w*|funerari\w*|mascota\w*|desempleo|educativ\w*)\b|"
    r"\b(venden|ofrecen|tienen|manejan|hacen|expiden|sacan|dan|dar|den|otorgan|sacar|solicitar|pedir|tramitar) "
    r"(\w+ )?(seguros|polizas|tarjetas? de credito|cuentas? de ahorros?|cuentas? corrientes?|cdts?|leasing|avaluos|"
    r"hipotecas|creditos? hipotecari\w*)\b|\bhipotecari\w*|"
    r"\b(pagar|pago|abonar|abono) (a )?(mi |la |una )?tarjetas? de credito\b|"
    r"\b(abrir|abro|crear|apertura de) (una |un )?(cuenta|cdt)\b|"
    r"\b(cdts?|certificados? de deposito|fiducia\w*|rentabilidad|invert\w*|inversion\w*|ahorro programado)\b|"
    r"\babogad\w* (laboral\w*|de familia|penal\w*|civil\w*)\b|\b(recomiend\w*|conoce\w*|conozca\w*) "
    r"(\w+ ){0,2}abogad\w*\b|"
    # ...or a job with ProAlto ("quiero trabajar con ustedes"), a phone's signal or a home's
    # internet ("la senal del celular esta malisima").
    r"\btrabajar (con|para|en) (ustedes|proalto)\b|\bhoja de vida\b|\bvacante\w*|\b(ofertas? de|busco) "
    r"(empleo|trabajo)\b|\b(estan|estaran) contratando\b|\bcontratan personal\b|"
    r"\binternet (de|del) (mi |la )?(casa|hogar|apartamento|oficina)\b|"
    r"\binternet (\w+ ){0,2}no (sirve|funciona|carga)\b|"
    r"\b(senal|cobertura) (del|de mi|de la|de) (celular|telefono|internet|operador)\b|"
    r"\b(celular|telefono|internet) (\w+ ){0,2}(sin|no tiene|no hay|no coge|no agarra) (senal|cobertura)\b"
)
# (Each alternative needs a product or a word of its own: the verbs before them are not gated.)
_NOT_OFFERED_STARTS = frozenset(
    """
    giro gir envi reme tran exte west mone camb comp vend dola divi euro segu poli plan tarj cuen cdt cdts cert
    fidu rent inve ahor abog sena cobe leas aval hipo cheq mand reci trab hoja vaca ofer busc cont inte
    """.split()
)
# The loan and its money: with them a service word is about ProAlto's credit after all
# ("el seguro de vida del credito", "me cobraron la poliza").
_LOAN_WORDS = re.compile(
    r"\b(" + _LOAN[1:-1] + r"|prest\w*|cuota|cuotas|descuent\w*|descont\w*|cobr\w*|desembols\w*|deuda|nomina|"
    r"pagaduria|desprendible\w*|retanqu\w*|paz y salvo|saldo)\b"
)
# Word beginnings one of which _RESTART, _RAISE_LOAN, _ELSEWHERE need (see _starts).
_RESTART_STARTS = frozenset(
    "perd enre conf embo revo volv vuel regr devu devo arra empe empi come comi rein inic ir irm irn llev mand pon"
    " pas atra ante equi opci boto most mues repe repi".split()
)
_RAISE_STARTS = frozenset("sub aume ampl incr elev valo mont".split())
_ELSEWHERE_STARTS = frozenset(
    """
    cuen tarj celu nequ davi banc cesa eps sisb dian regi nota pasa visa lice pase soat runt simi comp tecn tran
    tull sitp tiqu vuel clar tigo wom etb plan paqu reca netf dola euro trm reci fact serv icet matr tare rece
    pizz almu rest divo cust alim here suce cita medi drog farm lote part reno renu cert afil caja arl admi conj
    gimn wifi bibl oper nume tele line dire hora corr pagi what ante libr part cade reen fond fna coop plom elec
    cerr meca alba carp fami jove ingr colo rent devo pros dps subs auxi bono prim adul
    """.split()
)
# ProAlto's own things, or money: with them the message is about a loan after all ("plata
# para la matricula").
_OURS = re.compile(
    r"\b(" + _LOAN[1:-1] + r"|prest\w*|plata|platica|dinero|cuota|cuotas|descuent\w*|descont\w*|desembols\w*|"
    r"deuda|proalto|nomina|pagaduria|"
    r"desprendible\w*|retanqu\w*|pension\w*|ustedes|pagare|firme|firmamos|firmar)\b(?! alimentari)"
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
    if intent != "desconocido" and (_elsewhere(norm) or _not_offered(norm) or _pension_fund_business(norm)):
        # (Also when nothing was recognised: "servicios" in "pagar servicios publicos" is not
        # the menu's.)
        return "desconocido"
    vague = intent in (None, "nuevo_credito", "menu", "despedida", "asesor")
    if (vague and _DISBURSEMENT.search(norm)) or (
        (vague or intent == "saldo")
        and _may(norm, _PAYOUT_STARTS)
        and _mentions(norm, _PAYOUT_HINTS)
        and _PAYOUT_SENT.search(norm)
        # ...the money named, or nothing else said ("ya consignaron?").
        and (
            _PAYOUT_MONEY.search(norm)
            or (
                vague and (len(norm.split()) <= 3 or (" si ya " in f" {norm} " and not _INSTALMENT_WORDS.search(norm)))
            )
        )
        # A payout sent is no balance either ("la plata del prestamo a que cuenta la consignaron?").
        and (vague or not (_OWING.search(norm) or _AMOUNT.search(norm)))
    ):
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
    if (
        (intent in (None, "saldo") or (intent == "paz_y_salvo" and not _DOCUMENT.search(norm)))
        and _MORE_MONEY.search(norm)
        and _BORROW.search(norm)
        and _EXISTING_LOAN.search(norm)
    ):
        # "ya casi termino de pagar, puedo volver a sacar?": borrowing again, not the balance.
        return "renovacion"
    if intent in (None, "nuevo_credito") and _ON_TOP_OF_LOAN.search(norm):
        return "renovacion"
    if (
        intent in (None, "nuevo_credito", "saldo", "estado_solicitud", "menu")
        and _may(norm, _TOP_UP_STARTS)
        and _TOP_UP.search(norm)
        and (_EXISTING_LOAN.search(norm) or _LOAN_REFERRED.search(norm))
        and not _REFUND_WORDS.search(norm)
    ):
        # "me sirve un refuerzo al credito que estoy pagando": more money on the loan being paid.
        return "renovacion"
    if intent in (None, "menu") and _mentions(norm, _AGAIN_HINTS) and _LEND_AGAIN.search(norm):
        return "renovacion"
    if intent in (None, "nuevo_credito", "saldo") and _mentions(norm, _ON_TOP_HINTS) and _BORROW_ON_LOAN.search(norm):
        return "renovacion"
    if intent in (None, "nuevo_credito", "saldo", "paz_y_salvo") and "lo que" in norm and _RELEND.search(norm):
        return "renovacion"
    if (
        intent == "estado_solicitud"
        and _LONG_AGO_LOAN.search(norm)
        and _MORE_MONEY.search(norm)
        and _BORROW.search(norm)
    ):
        # "me aprobaron un credito hace un ano, ya puedo pedir mas?": more on the loan the customer has.
        return "renovacion"
    if (
        intent == "estado_solicitud"
        and _ANOTHER_PAYOUT.search(norm)
        and _EXISTING_LOAN.search(norm)
        and not (_STAGE.search(norm) or _SUBMITTED.search(norm))
    ):
        # "tengo un prestamo vigente, puedo pedir otro desembolso?".
        return "renovacion"
    if (
        intent in (None, "nuevo_credito", "saldo")
        and _RECOMPRA.search(norm)
        and (_EXISTING_LOAN.search(norm) or _MORE_MONEY.search(norm) or _NEW_LOAN.search(norm))
    ):
        return "renovacion"
    if intent is None and _WANT_ANOTHER.search(norm) and _EXISTING_LOAN.search(norm):
        # "ya me falta poco, quiero otro".
        return "renovacion"
    if intent == "saldo" and _ON_TOP_OF_LOAN.search(norm) and (_MORE_MONEY.search(norm) or _LEND.search(norm)):
        # "cuanto me pueden dar adicional sobre lo que ya debo": more money on the current
        # loan (not "cuanto debo sobre mi credito").
        return "renovacion"
    if (
        (intent in (None, "nuevo_credito", "estado_solicitud") or (intent == "saldo" and _LEND.search(norm)))
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
    if intent == "nuevo_credito" and _BALANCE_NAMED.search(norm) and not _LOAN_ASKED.search(norm):
        # "soy docente del magisterio, me pueden informar el saldo de la libranza": who the customer
        # is names a loan product; what they ask is the balance.
        return "saldo"
    if (
        intent == "saldo"
        and (_LENDING_ASKED.search(norm) or _CAPACITY.search(norm))
        and not (_OWN_LOAN_TALK.search(norm) or _EXISTING_LOAN.search(norm))
    ):
        # "una vecina me dijo que ustedes prestaban plata con descuento por nomina, como es",
        # "me queda capacidad de 600 mil, cuanto me alcanza para un prestamo": lending asked about.
        return "nuevo_credito"
    if (
        intent == "renovacion"
        and "cartera" in norm
        and (_OTHER_LENDER.search(norm) or _LENDING_ASKED.search(norm))
        and not (_RENEWAL_WORDS.search(norm) or _EXISTING_LOAN.search(norm))
    ):
        # "ustedes compran cartera de otros bancos?": debts elsewhere bought, a new credit here.
        return "nuevo_credito"
    if (
        intent == "estado_solicitud"
        and _APPLY_VERB.search(norm)
        and not (_SUBMITTED.search(norm) or _STAGE.search(norm) or _RECEIVED.search(norm) or _HELPED_TO.search(norm))
    ):
        # "llenar solicitud de prestamo": applying, not an application's status.
        return "nuevo_credito"
    if (
        intent in (None, "queja", "estado_solicitud")
        and "hasta" in norm
        and _UNTIL_WHEN.search(norm)
        and not (_PAID.search(norm) or _UNKNOWN.search(norm) or _EXTRA.search(norm) or _bad_service(norm))
    ):
        # "hasta que mes me van a seguir descontando la cuota": when the loan ends, its balance.
        return "saldo"
    if intent in ("nuevo_credito", "renovacion") and _BALANCE_FIRST.match(norm):
        # "cuanto debo? es para saber si renuevo": the balance asked, the loan only its purpose.
        return "saldo"
    if (
        intent in ("estado_solicitud", "nuevo_credito")
        and _HOW_MUCH_OWED.search(norm)
        and not (_DISBURSEMENT.search(norm) or _STAGE.search(norm) or _WAITING.search(norm) or _MUST_OWE.search(norm))
        and not (intent == "nuevo_credito" and _LOAN_ASKED.search(norm))
    ):
        # "cuanto debo" asked outright is the balance, whatever else names the loan.
        return "saldo"
    if intent in (None, "nuevo_credito") and (
        _STAGE.search(norm) or _SUBMITTED.search(norm) or _NO_NEWS.search(norm) or _RECEIVED.search(norm)
    ):
        return "estado_solicitud"
    if (
        intent == "queja"
        and _STAGE.search(norm)
        and not (_bad_service(norm) or _strong_grievance(norm) or _FRAUD_WORDS.search(norm))
    ):
        # "en que parte del proceso esta mi credito": a stage asked, nothing complained of.
        return "estado_solicitud"
    if intent in (None, "nuevo_credito") and _APPLIED.search(norm) and _WAIT_ASKED.search(norm):
        # "ya radique, cuanto tiempo tengo que esperar": an application under way.
        return "estado_solicitud"
    if (
        intent == "asesor"
        and (_SUBMITTED.search(norm) or _RECEIVED.search(norm))
        and not _ADVISOR_REQUEST.search(norm)
    ):
        # "envie los documentos por whatsapp a la asesora, ya los recibio?": papers handed in.
        return "estado_solicitud"
    if intent == "privacidad" and _SUBMITTED.search(norm):
        # "ya les mande mis datos, que sigue?": data handed in to apply, an application under way
        # (a request about the data itself was read by the privacy rules first).
        return "estado_solicitud"
    if (
        intent in (None, "nuevo_credito", "queja")
        and "cuando" in norm
        and _ANSWER_AWAITED.search(norm)
        and not _bad_service(norm)
    ):
        return "estado_solicitud"
    if (
        (
            (intent is None or (intent == "nuevo_credito" and _PAYOUT_MONEY.search(norm)))
            and _PROMISE_UNKEPT.search(norm)
            and not _REFUND_AWAITED.search(norm)
        )
        or (intent in (None, "nuevo_credito", "saldo") and _ALL_SENT.search(norm))
    ) or (intent in (None, "saldo") and _WAITING.search(norm)):
        return "estado_solicitud"
    if intent in (None, "asesor", "nuevo_credito", "privacidad") and (
        _NOT_CONTACTED.search(norm) or _STEP_CALL.search(norm)
    ):
        # "no me han escrito sobre mi solicitud" waits for a call; it stops none.
        return "estado_solicitud"
    if intent == "paz_y_salvo" and _STILL_OWING_ASKED.search(norm) and not _DOCUMENT.search(norm):
        # "ya termine de pagar o todavia debo algo?": whether anything is left, a balance question.
        return "saldo"
    if intent == "paz_y_salvo" and _LAST_DUE.search(norm) and not (_DOCUMENT.search(norm) or _PAID.search(norm)):
        # "cuando se vence la ultima cuota": the schedule of the balance, not the certificate.
        return "saldo"
    if (
        intent == "paz_y_salvo"
        and _OWING.search(norm)
        and not (_NOT_OWING.search(norm) or _DOCUMENT.search(norm) or _PAID.search(norm))
    ):
        return "saldo"
    if (
        "cuant" in norm
        and (intent in (None, "nuevo_credito", "queja") or (intent == "estado_solicitud" and not _STAGE.search(norm)))
        and _SO_FAR.search(norm)
        and not (_EXTRA.search(norm) or _UNKNOWN.search(norm) or _bad_service(norm))
    ):
        # "cuantos meses me quedan de credito", "cuanto me han descontado hasta ahora".
        return "saldo"
    if intent in (None, "estado_solicitud") and "cuota" in norm and _INSTALMENT_ASKED.search(norm):
        # "mi cuota sigue siendo la misma o cambio?": the instalment's value, a balance question.
        return "saldo"
    if intent in (None, "estado_solicitud") and _HOW_AM_I_DOING.search(norm):
        # "en cuanto estoy con ustedes", "como voy con la deuda": the balance.
        return "saldo"
    if intent is None and "cuanto" in norm and _WHAT_I_PAY.search(norm) and not _LENDING.search(norm):
        # "cuanto pago este mes", "cuanto me descuentan": the instalment, a balance question.
        return "saldo"
    if (intent is None or (intent == "paz_y_salvo" and not _DOCUMENT.search(norm))) and (
        _AMOUNT.search(norm) and _PAYOFF.search(norm)
    ):
        # "cuanto me cobran si pago todo antes": what it takes to pay the loan off.
        return "saldo"
    if intent is None and _OWING.search(norm) and _AMOUNT.search(norm) and not _NOT_OWING.search(norm):
        # "el monto que adeudo": how much is owed, in words the phrases do not use.
        return "saldo"
    if (
        intent in (None, "estado_solicitud", "nuevo_credito", "saldo")
        and _mentions(norm, ("menos", "incomplet"))
        and _LESS_THAN_AGREED.search(norm)
    ):
        return "queja"
    if (
        intent in (None, "saldo", "estado_solicitud", "nuevo_credito")
        and _may(norm, _GRIEVANCE_STARTS)
        and _GRIEVANCE.search(norm)
    ):
        return "queja"
    if (
        intent == "queja"
        and _mentions(norm, ("rob", "hurt", "rapar", "quitaron"))
        and _THEFT_OF_A_THING.search(norm)
        and not (_OURS.search(norm) or _ID_OR_ACCOUNT.search(norm))
    ):
        # "me robaron el celular": a theft to report elsewhere, nothing of ProAlto's.
        return "desconocido"
    if intent == "asesor" and _CHANGE_ADVISOR.search(norm):
        # "quiero cambiar de asesor porque no me responde": a complaint about the advisor.
        return "queja"
    if intent == "nuevo_credito" and _LEND_A_THING.search(norm):
        # "me prestas tu cargador": a thing lent, not money.
        return "desconocido"
    if intent == "asesor" and _TALK_TO_FAMILY.search(norm):
        # "quiero hablar con mi hijo": nobody of ProAlto's.
        return "desconocido"
    if intent is None and "al dia" in norm and _AM_I_UP_TO_DATE.match(norm) and not _CHASED.search(norm):
        return "saldo"
    if intent in (None, "menu") and "al dia" in norm and _CATCH_UP.search(norm):
        # "que opciones de pago tengo para ponerme al dia": what is owed to catch up.
        return "saldo"
    if intent in (None, "menu") and "pag" in norm and _INSTALMENT_DUE.search(norm):
        # "buenas tardes, me toca pagar la cuota hoy?": when or what the instalment is.
        return "saldo"
    if intent in (None, "saldo", "asesor", "estado_solicitud") and (
        (_ARREARS.search(norm) and _BUT_PAID.search(norm)) or (_UP_TO_DATE.search(norm) and _CHASED.search(norm))
    ):
        # "ya pague y aun aparezco en mora", "tengo la cuota al dia y me llaman como si debiera".
        return "queja"
    if (
        intent in (None, "paz_y_salvo", "saldo", "estado_solicitud")
        and _mentions(norm, _WRONG_HINTS)
        and (_DOC_WRONG.search(norm))
    ):
        # "el paz y salvo que me mandaron tiene errores": a paper of ProAlto's that came out wrong.
        return "queja"
    if intent in (None, "asesor", "menu", "despedida") and _mentions(norm, _FED_UP_HINTS) and _FED_UP.search(norm):
        return "queja"
    if (
        intent in (None, "saldo", "nuevo_credito")
        and _mentions(norm, ("no ", "nunca", "cuando"))
        and (_NOT_OUT_YET.search(norm) or _WHEN_OUT.search(norm))
    ):
        return "estado_solicitud"
    if intent in (None, "saldo", "nuevo_credito", "asesor") and _mentions(norm, _NOT_HINTS) and _NOT_TOLD.search(norm):
        # "el asesor nunca me dijo que la tasa era tan alta": a cost never explained.
        return "queja"
    if intent in (None, "saldo", "estado_solicitud") and _may(norm, _REFUND_STARTS) and _NOT_REFUNDED.search(norm):
        # "no me han devuelto el saldo a favor".
        return "queja"
    if (
        intent in (None, "estado_solicitud", "renovacion", "nuevo_credito")
        and "sin" in norm
        and _DENIED_UNEXPLAINED.search(norm)
    ):
        return "queja"
    if (
        intent in (None, "saldo", "estado_solicitud", "nuevo_credito")
        and _may(norm, _REFUND_STARTS)
        and _REFUND_AWAITED.search(norm)
    ):
        # "llevo 2 meses pidiendo la devolucion del saldo a favor y nada".
        return "queja"
    if (
        intent in (None, "saldo", "nuevo_credito", "estado_solicitud")
        and _mentions(norm, _TOLD_HINTS)
        and _TOLD_ONE_THING.search(norm)
    ):
        # "el asesor me dijo una tasa y en el pagare aparece otra".
        return "queja"
    if intent in (None, "asesor", "menu") and _may(norm, _CALLBACK_STARTS) and _NO_CALLBACK.search(norm):
        # "el asesor nunca me devolvio la llamada": a complaint about the service.
        return "queja"
    if intent in ("paz_y_salvo", "estado_solicitud", "saldo", "renovacion"):
        # A service asked for with a judged service: a complaint when the customer waited for it,
        # or says outright they are not satisfied (a stated grievance is a judged service).
        if _strong_grievance(norm) or (_WAITED.search(norm) and _judged(norm)):
            return "queja"
    elif _judged(norm) and (
        intent in (None, "menu", "despedida")
        or (intent == "asesor" and not _ADVISOR_REQUEST.search(_NOBODY.sub(" ", norm)))
        or (intent == "asesor" and _strong_grievance(norm) and not _TALK_REQUEST.search(norm))
        or (intent == "nuevo_credito" and not _NEW_LOAN_REQUEST.search(norm))
    ):
        # Also how an advisor treated the customer ("la asesora me trato horrible").
        return "queja"
    if intent is None and _OPTIONS.search(norm):
        return "menu"
    if (
        intent == "asesor"
        and (_OPTIONS_NAMED.search(norm) or (_may(norm, _RESTART_STARTS) and _RESTART.search(norm)))
        and not _PERSON.search(norm)
    ):
        # "no entiendo nada, muestrame las opciones": the options asked for, nobody to talk to.
        return "menu"
    if (
        (intent in (None, "menu", "despedida") or (intent == "nuevo_credito" and _EXISTING_LOAN.search(norm)))
        and (_WHO_TO_ASK.search(norm) or _DEPARTMENT.search(norm))
    ) or (
        intent in (None, "menu", "despedida", "nuevo_credito", "privacidad", "estado_solicitud")
        and _CALL_ME.search(norm)
        and not _STOP_CONTACT.search(norm)
    ):
        # Who can see to the customer's case: a person, even about "mi credito".
        return "asesor"
    if intent in ("nuevo_credito", "saldo", "renovacion", "paz_y_salvo", "estado_solicitud") and _DEPARTMENT.search(
        norm
    ):
        # "quiero hablar con el area de credito": a department to talk to, whatever it is named after.
        # Who can see to the customer's case: a person, even about "mi credito".
        return "asesor"
    if intent == "estado_solicitud" and (
        _HOW_TO_APPLY.search(norm)
        or (
            _A_NEW_LOAN.search(norm)
            and not (_SUBMITTED.search(norm) or _STAGE.search(norm) or _MY_APPLICATION.search(norm))
        )
    ):
        # "cuanto tiempo demora aprobar un credito nuevo": a question before applying.
        return "nuevo_credito"
    if (
        intent == "estado_solicitud"
        and "estudio" in norm
        and _STUDY_COST.search(norm)
        and not (_SUBMITTED.search(norm) or _STAGE.search(norm) or _MY_APPLICATION.search(norm))
    ):
        # "cuanto vale el estudio del credito": a question before applying.
        return "nuevo_credito"
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


_CONTACT_DETAIL = re.compile(r"\b(celular|telefono|numero|correo|email|direccion|whatsap\w*)\b")


def _elsewhere(norm: str) -> bool:
    """Another provider's business and nothing of ProAlto's (a credit card is not a loan)."""
    if not (_may(norm, _ELSEWHERE_STARTS) and _ELSEWHERE.search(norm)):
        return False
    return not _OURS.search(_FOREIGN_THING.sub("producto", norm) if _mentions(norm, _FOREIGN_HINTS) else norm)


# Another provider's product named with one of ProAlto's words ("la tarjeta de credito", "la cuota
# de administracion", "un credito de vivienda con el fondo nacional del ahorro", "un prestamo de la
# cooperativa").
_FOREIGN_THING = re.compile(
    r"\b(tarjetas? de credito|cuotas? de (administracion|sostenimiento|afiliacion|manejo)|"
    r"(" + _LOAN[1:-1] + r"|cuota|cuotas) (\w+ ){0,2}(con|de|del|en) (el |la |mi )?(fondo nacional del ahorro|fna|"
    r"cooperativa|icetex|caja de compensacion|banco|bancolombia|davivienda|colpatria|bbva|conjunto|edificio))\b"
)
_FOREIGN_HINTS = (
    "tarjeta", "cuota", "fondo nacional", "fna", "cooperativa", "icetex", "caja de", "banco", "davivienda",
    "colpatria", "bbva", "conjunto", "edificio",
)  # fmt: skip


# A pension fund's own business ("cuando pagan la mesada en colpensiones", "la pension de
# sobreviviente"): not ProAlto's, whose pensioner customers name their fund with a loan word.
_PENSION_FUND = re.compile(
    r"\b(colpensiones|porvenir|colfondos|fiduprevisora|fopep|casur|cremil|skandia|fondo de pensiones)\b"
)
_FUND_BUSINESS = re.compile(
    r"\b(pagan|pago de la (mesada|pension)|mesadas?|pension de (sobreviviente\w*|vejez|invalidez|jubilacion)|semanas|"
    r"cotiz\w*|traslad\w*|afili\w*|bono pensional|numero|telefono|llamar|cita|historia laboral|retroactivo)\b"
)
_FUND_STARTS = frozenset("colp porv colf fidu fope casu crem skan fond".split())


def _pension_fund_business(norm: str) -> bool:
    if not (_may(norm, _FUND_STARTS) and _PENSION_FUND.search(norm) and _FUND_BUSINESS.search(norm)):
        return False
    return not (_LOAN_WORDS.search(norm) or _LENDING.search(norm) or re.search(r"\b(ustedes|proalto)\b", norm))


def _not_offered(norm: str) -> bool:
    """A service ProAlto does not offer, and nothing of its loans (a credit card is not one)."""
    if not (_may(norm, _NOT_OFFERED_STARTS) and _NOT_OFFERED.search(norm)):
        return False
    return not _LOAN_WORDS.search(_FOREIGN_PRODUCT.sub("producto", norm))


# Names of other providers' products that contain a word of ProAlto's ("tarjeta de credito",
# "credito hipotecario", "cobrar un cheque").
_FOREIGN_PRODUCT = re.compile(
    r"\b(tarjetas? de credito|(creditos?|prestamos?) hipotecari\w*|cobr\w* (un |el |los |mis |mi |este )?cheques?)\b"
)


def asks_for_a_person(norm: str) -> bool:
    """Whether someone to talk to, a call or a department is named ("asesor", "alguien", "llamen")."""
    return bool(_PERSON.search(norm))


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
