# The same file sent again for the same request is stored once and counted.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_paz_y_salvo_outlives_its_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="times_received",
            field=models.PositiveIntegerField(default=1, verbose_name="veces recibido"),
        ),
    ]
