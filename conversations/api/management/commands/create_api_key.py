"""python manage.py create_api_key NAME --scopes lookup,events [--expires 2027-12-31] [--rate 120/min]

Creates a client key and prints it alone on the last line: it is stored hashed and shown
this once. Revoke it, or change its expiry, in the admin (Supervisor)."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from conversations.api.access import rate_valid
from conversations.api.models import ClientKey, Scope


class Command(BaseCommand):
    help = "Crea una clave de la API para un sistema cliente; la imprime una sola vez, en la última línea."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Nombre del sistema cliente (por ejemplo ManyChat).")
        parser.add_argument("--scopes", required=True, help="Permisos separados por comas: lookup, events, leads.")
        parser.add_argument("--expires", help="Fecha de vencimiento AAAA-MM-DD (vence al final de ese día).")
        parser.add_argument("--rate", default="", help="Límite propio, por ejemplo 120/min (por defecto API_RATE).")

    def handle(self, *args, name, scopes, expires=None, rate="", **options):
        chosen = [scope.strip() for scope in scopes.split(",") if scope.strip()]
        unknown = sorted(set(chosen) - set(Scope.values))
        if not chosen or unknown:
            raise CommandError(
                f"Permisos desconocidos: {', '.join(unknown) or '(ninguno)'}; use {', '.join(Scope.values)}."
            )
        if not name.strip() or len(name) > 50:
            raise CommandError("El nombre es obligatorio y tiene como máximo 50 caracteres.")
        expiry = None
        if expires:
            try:
                day = datetime.strptime(expires, "%Y-%m-%d").date()
            except ValueError:
                raise CommandError("--expires debe ser una fecha AAAA-MM-DD.") from None
            expiry = timezone.make_aware(datetime.combine(day, time.max))
            if expiry <= timezone.now():
                raise CommandError("--expires debe ser una fecha futura.")
        if rate and not rate_valid(rate):
            raise CommandError("--rate debe ser como 120/min, 10/s, 1000/h o 10000/d.")
        client, key = ClientKey.objects.create_key(
            name=name.strip(), scopes=sorted(set(chosen)), expiry_date=expiry, rate=rate
        )
        self.stdout.write(
            f"Clave creada para «{client.name}» (prefijo {client.prefix}, permisos {', '.join(client.scopes)}"
            f"{', vence ' + expires if expires else ''}). Guárdela ahora: no se volverá a mostrar."
        )
        self.stdout.write(key)
