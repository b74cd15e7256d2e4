"""Sandbox chat pages (only mounted when the sandbox is enabled)."""

from django.urls import path

from conversations.dev import sandbox

app_name = "sandbox"

urlpatterns = [
    path("", sandbox.chat, name="chat"),
    path("send", sandbox.send, name="send"),
    path("status", sandbox.status, name="status"),
]
