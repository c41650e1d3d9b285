from django.db import migrations, models

import recruitment.validators


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0030_stay_tally_by_vacancy"),
    ]

    operations = [
        migrations.AddField(
            model_name="vacancy",
            name="title_pl",
            field=models.CharField(
                default="",
                db_default="",
                blank=True,
                help_text="Shown on the Polish careers site; the English title when empty.",
                max_length=200,
                validators=[recruitment.validators.NoControlCharactersValidator()],
                verbose_name="title in Polish",
            ),
        ),
        migrations.AddField(
            model_name="vacancy",
            name="description_pl",
            field=models.TextField(
                default="",
                db_default="",
                blank=True,
                help_text="Sanitized HTML. The English description when empty.",
                verbose_name="description in Polish",
            ),
        ),
    ]
