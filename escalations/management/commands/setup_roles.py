"""Create or re-apply the back-office roles (Asesor, Cumplimiento, Supervisor). Idempotent."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from escalations.roles import roles_apply


class Command(BaseCommand):
    help = "Create the staff roles and set their permissions to escalations/roles.py (safe to re-run)."

    def handle(self, *args, **options):
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        result = roles_apply(group_model=Group, permission_model=Permission)
        for name, count in result.granted.items():
            self.stdout.write(f"{name}: {count} permisos")
        for dotted in result.missing:
            self.stdout.write(self.style.WARNING(f"omitido (aún no existe): {dotted}"))
