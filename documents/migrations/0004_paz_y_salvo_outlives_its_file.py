# The verification record outlives the PDF: erasing the holder's data deletes the file.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_spanish_labels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pazysalvo",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="paz_y_salvos",
                to="documents.document",
            ),
        ),
    ]
