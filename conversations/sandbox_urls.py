"""Sandbox chat pages (only mounted when the sandbox is enabled)."""

urlpatterns = []
