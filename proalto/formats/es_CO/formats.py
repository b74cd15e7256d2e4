"""Django's es_CO formats with ProAlto's one time format, "3:45 p. m." (proalto.colombia.format_time):
the admin shows "30 de noviembre de 2026, 3:45 p. m." (month names and "p. m." come from locale/es_CO)."""

from django.conf.locale.es_CO.formats import *  # noqa: F403

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
SHORT_DATETIME_FORMAT = "d/m/Y g:i a"
