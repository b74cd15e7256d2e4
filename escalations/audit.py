"""What staff did with personal data, and with the rules the bot applies to customers, as
recorded in the audit log (``AuditEntry``).

Other apps name their actions from here and record them with
``escalations.services.audit_record``; they never touch the model.
"""

from django.db import models


class AuditAction(models.TextChoices):
    VIEW_CHAT = "view_chat", "Abrió el chat de un ticket"
    VIEW_CUSTOMER = "view_customer", "Abrió la ficha de un cliente"
    VIEW_CONTACT = "view_contact", "Abrió la ficha de un contacto"
    VIEW_MESSAGE = "view_message", "Abrió un mensaje"
    VIEW_MESSAGE_LIST = "view_message_list", "Abrió una lista de mensajes"
    DOWNLOAD_DOCUMENT = "download_document", "Descargó un documento"
    SEND_MESSAGE = "send_message", "Escribió al cliente"
    TAKE_TICKET = "take_ticket", "Tomó un ticket"
    ASSIGN_TICKET = "assign_ticket", "Reasignó un ticket"
    CLOSE_TICKET = "close_ticket", "Cerró un ticket"
    ADD_NOTE = "add_note", "Escribió una nota interna"
    SEARCH_TICKETS = "search_tickets", "Buscó tickets"
    EXPORT_CONSENTS = "export_consents", "Exportó consentimientos"
    PUBLISH_POLICY = "publish_policy", "Publicó una versión de la PTI"
    ERASE_PERSONAL_DATA = "erase_personal_data", "Suprimió los datos de un titular"
    CHANGE_RENEWAL_RULES = "change_renewal_rules", "Cambió las reglas de renovación"
