from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="MailFailure",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when")),
                ("messages", models.PositiveIntegerField(default=1, verbose_name="messages")),
                ("error", models.CharField(max_length=200, verbose_name="error")),
                ("request_id", models.CharField(blank=True, max_length=64, verbose_name="request id")),
            ],
            options={
                "verbose_name": "failed e-mail",
                "verbose_name_plural": "failed e-mails",
                "ordering": ["-at", "-id"],
            },
        ),
    ]
