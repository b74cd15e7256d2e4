"""Create the back-office roles (Asesor, Cumplimiento, Supervisor); see escalations/roles.py.

Permissions are normally created after all migrations run (post_migrate), so they are
created here first. `manage.py setup_roles` re-applies the same lists later.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def apply_roles(apps, schema_editor):
    from escalations.roles import roles_apply

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_apply(group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("escalations", "0002_auditentry_permissions"),
        ("conversations", "0002_initial"),
        ("credits", "0001_initial"),
        ("documents", "0001_initial"),
        ("consent", "0003_data_rights_request"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
