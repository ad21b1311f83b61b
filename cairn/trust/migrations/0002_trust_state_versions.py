from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="truststate", name="last_event_id"),
        migrations.AddField(
            model_name="truststate",
            name="input_version",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="truststate",
            name="stored_version",
            field=models.BigIntegerField(default=-1),
        ),
        migrations.AddField(
            model_name="truststate",
            name="result",
            field=models.BinaryField(blank=True, null=True),
        ),
    ]
