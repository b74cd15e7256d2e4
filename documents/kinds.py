"""What a stored document is (``Document.kind``).

Other apps store documents through documents.services and name the kind from here; they
never touch the model (import-linter: documents-models).
"""

from django.db import models


class DocumentKind(models.TextChoices):
    UPLOAD = "upload", "Enviado por el cliente"
    PAZ_Y_SALVO = "paz_y_salvo", "Paz y salvo"
    ADVISOR = "advisor", "Enviado por un asesor"
