"""The pagadurías ProAlto lends through (payroll and pension payers with a libranza
agreement). A prospect chooses one of these; the credits already on record add theirs."""

PAGADURIAS: tuple[str, ...] = (
    "Colpensiones",
    "FOPEP",
    "Fiduprevisora (FOMAG)",
    "CASUR",
    "CREMIL",
    "Policía Nacional",
    "Ejército Nacional",
    "Secretaría de Educación de Bogotá",
    "Secretaría de Educación de Antioquia",
    "Secretaría de Educación de Cundinamarca",
)
