"""One stored document handed to whoever may have it (staff in the admin, a signed API link):
always as a download, never shown inline, so a PDF or anything a browser could take for a
page never runs in the back office's origin (or S3's)."""

from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from documents.models import Document


def download_response(document: Document) -> HttpResponse:
    storage = document.file.storage
    if getattr(storage, "querystring_auth", False):
        # S3: a signed URL that expires in DOCUMENT_URL_EXPIRY_SECONDS; the disposition and
        # type S3 answers with are part of what is signed.
        parameters = {
            "ResponseContentDisposition": content_disposition_header(True, document.original_name),
            "ResponseContentType": document.mime_type,
        }
        return HttpResponseRedirect(storage.url(document.file.name, parameters=parameters))
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name, content_type=document.mime_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
