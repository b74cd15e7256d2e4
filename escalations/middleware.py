"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without activity.

A back-office screen left open shows customers' data; the chat page and the waiting-tickets
badge poll in the background, so a poll is not activity: only what a person does (opening a
page, sending a reply) keeps the session alive. The session cookie's own lifetime
(STAFF_SESSION_SECONDS) still caps a busy day.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse

LAST_ACTIVITY = "staff_last_activity"
# The "you were logged out for inactivity" notice travels in its own short-lived signed cookie, not
# in the session: the chat page and the badge poll at the same moment with the same cookie, and the
# answer to the second one (its session already gone) deletes the session cookie the first one set.
IDLE_NOTICE_COOKIE = "proalto_idle_logout"
IDLE_NOTICE_SALT = "escalations.idle-notice"
IDLE_NOTICE_SECONDS = 10 * 60
# The admin URLs pages poll without anyone touching them (escalations/chat.py, escalations/admin.py,
# the inbox's queue in escalations/workspace.py).
BACKGROUND_VIEWS = {
    "admin:escalations_ticket_messages",
    "admin:escalations_ticket_waiting",
    "admin:escalations_ticket_queue",
}
# Store the time at most this often: one session write a minute, not one per request.
RESOLUTION_SECONDS = 60
IDLE_MESSAGE = "Tu sesión se cerró después de {minutes} minutos sin actividad. Vuelve a iniciar sesión."


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_staff_idle_logout", False):
            response.set_signed_cookie(
                IDLE_NOTICE_COOKIE,
                "1",
                salt=IDLE_NOTICE_SALT,
                max_age=IDLE_NOTICE_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif getattr(request, "_staff_idle_notice_said", False):
            response.delete_cookie(IDLE_NOTICE_COOKIE, samesite="Lax")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # In process_view, where the resolved URL tells a background poll from a person.
        background = request.resolver_match is not None and request.resolver_match.view_name in BACKGROUND_VIEWS
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                logout(request)  # the view sees an anonymous request: the admin asks to log in again
                request._staff_idle_logout = True
                if background:
                    # Not a redirect the poll would follow to the login page (and its message):
                    # the page reloads itself on 401 and the person sees why.
                    return JsonResponse({"error": "session ended"}, status=401)
            elif last is None or (not background and now - last >= RESOLUTION_SECONDS):
                request.session[LAST_ACTIVITY] = now
        # Said on the next page a person opens (a poll would swallow the message).
        if not background and not getattr(request, "_staff_idle_logout", False) and self._notice_pending(request):
            messages.info(request, IDLE_MESSAGE.format(minutes=settings.STAFF_SESSION_IDLE_MINUTES))
            request._staff_idle_notice_said = True
        return None

    @staticmethod
    def _notice_pending(request) -> bool:
        return (
            request.get_signed_cookie(
                IDLE_NOTICE_COOKIE, default=None, salt=IDLE_NOTICE_SALT, max_age=IDLE_NOTICE_SECONDS
            )
            is not None
        )
