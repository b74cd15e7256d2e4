"""The project's settings plus a second database alias, "core", from TEST_CORE_DATABASE_URL:
the readiness tests configure ProAlto's core database as the PORTFOLIO_SOURCE=core setup
does, to prove /readyz checks every alias it finds."""

import os

import dj_database_url

from proalto.settings import *  # noqa: F403
from proalto.settings import DATABASES

DATABASES = {**DATABASES, "core": dj_database_url.parse(os.environ["TEST_CORE_DATABASE_URL"])}
