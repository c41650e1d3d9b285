from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0020_bulk_job"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="vacancy",
            name="recruiters",
            field=models.ManyToManyField(
                blank=True,
                help_text="The recruiters in charge: their dashboard lists this vacancy's work.",
                related_name="recruiting_vacancies",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recruiters",
            ),
        ),
    ]
