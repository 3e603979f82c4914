"""The moment that counts for a deadline: the arrival at the platform (issue #13).

Existing records keep their server clock as the moment that counted (it was the rule then):
``arrived_at`` is copied from ``submitted_at`` / ``resubmitted_at``, ``arrival_basis`` left empty.
"""

from django.db import migrations, models
from django.db.models import F


def copy_processing_time(apps, schema_editor):
    apps.get_model("calls", "Submission").objects.update(arrived_at=F("submitted_at"))
    apps.get_model("calls", "Resubmission").objects.update(arrived_at=F("resubmitted_at"))


class Migration(migrations.Migration):
    dependencies = [("calls", "0008_genre_skills")]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="arrived_at",
            field=models.DateTimeField(null=True, verbose_name="arrived at"),
        ),
        migrations.AddField(
            model_name="resubmission",
            name="arrived_at",
            field=models.DateTimeField(null=True, verbose_name="arrived at"),
        ),
        migrations.RunPython(copy_processing_time, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="submission",
            name="arrived_at",
            field=models.DateTimeField(verbose_name="arrived at"),
        ),
        migrations.AlterField(
            model_name="resubmission",
            name="arrived_at",
            field=models.DateTimeField(verbose_name="arrived at"),
        ),
        migrations.AddField(
            model_name="submission",
            name="arrival_basis",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.AddField(
            model_name="resubmission",
            name="arrival_basis",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
    ]
