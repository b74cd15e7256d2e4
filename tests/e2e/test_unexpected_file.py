"""A file sent when no step asked for one is neither downloaded nor kept."""

from documents.models import Document
from tests.support import texts


def test_file_nobody_asked_for_is_not_stored(consented_chat, standin):
    ana = consented_chat()
    replies = ana.sends_file(b"%PDF-1.4\n%%EOF\n", mime_type="application/pdf", filename="cedula.pdf")
    assert "no lo guardé" in texts(replies)
    assert not Document.objects.exists()
