"""Create a staff account with a role and its TOTP device; prints the secret once.

    manage.py create_staff ana --role Asesor --password '...' [--email ...] [--replace] [--qr]

The otpauth:// URL (and, with --qr, a QR code for the terminal) goes into any TOTP app
(Google Authenticator, Microsoft Authenticator, 1Password...). It is not stored anywhere
readable afterwards: run with --replace to issue a new one.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from escalations.roles import ROLES


def staff_create(*, username: str, role: str, password: str, email: str = "", replace: bool = False) -> TOTPDevice:
    """Create (or with replace, reset) the account, its role and a confirmed TOTP device."""
    User = get_user_model()
    try:
        group = Group.objects.get(name=role)
    except Group.DoesNotExist:
        raise CommandError(f"El rol {role!r} no existe: ejecuta `manage.py setup_roles`.") from None
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is not None and not replace:
            raise CommandError(f"El usuario {username!r} ya existe (usa --replace para restablecerlo).")
        user = user or User(username=username)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Contraseña no válida: " + " ".join(exc.messages)) from None
        user.email = email or user.email
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set([group])
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(user=user, name=f"{username} (app autenticadora)", confirmed=True)


class Command(BaseCommand):
    help = "Create a staff user with a role (Asesor, Cumplimiento, Supervisor) and a TOTP second factor."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--replace", action="store_true", help="reset an existing user's password and TOTP device")
        parser.add_argument("--qr", action="store_true", help="also print the QR code in the terminal")

    def handle(self, *args, username, role, password, email, replace, qr, **options):
        device = staff_create(username=username, role=role, password=password, email=email, replace=replace)
        secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
        self.stdout.write(
            self.style.SUCCESS(f"Usuario {username} ({role}) listo. Guarda esto ahora: no se vuelve a mostrar.")
        )
        self.stdout.write(f"  Clave TOTP (base32): {secret}")
        self.stdout.write(f"  URL para la app autenticadora: {device.config_url}")
        if qr:
            import qrcode

            code = qrcode.QRCode(border=1)
            code.add_data(device.config_url)
            code.print_ascii(out=self.stdout, invert=True)
