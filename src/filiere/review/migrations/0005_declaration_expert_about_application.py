# An expert's conflict with one application (declared when declining an assignment).

from django.db import migrations, models


def declines_to_expert(apps, schema_editor):
    """Conflicts an expert declared when declining an assignment were stored in the staff's
    shape (declared by the expert themselves): they become the expert's."""
    Declaration = apps.get_model("review", "Declaration")
    Declaration.objects.filter(
        source="staff", declared_by_id=models.F("expert_user_id")
    ).update(source="expert")


def expert_to_staff(apps, schema_editor):
    Declaration = apps.get_model("review", "Declaration")
    Declaration.objects.filter(source="expert", application__isnull=False).update(source="staff")


class Migration(migrations.Migration):

    dependencies = [
        ('review', '0004_assignment_churn'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='declaration',
            name='declaration_parties_match_source',
        ),
        migrations.RunPython(declines_to_expert, expert_to_staff),
        migrations.AddConstraint(
            model_name='declaration',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('application__isnull', True), ('expert_user__isnull', False), ('source', 'expert'), models.Q(models.Q(('organisation__isnull', False), ('person__isnull', True)), models.Q(('organisation__isnull', True), ('person__isnull', False)), _connector='OR')), models.Q(('application__isnull', False), ('expert_user__isnull', False), ('organisation__isnull', True), ('person__isnull', True), ('source', 'expert')), models.Q(('expert_user__isnull', True), ('source', 'applicant'), ('application__isnull', False), models.Q(models.Q(('organisation__isnull', False), ('person__isnull', True)), models.Q(('organisation__isnull', True), ('person__isnull', False)), _connector='OR')), models.Q(('application__isnull', False), ('expert_user__isnull', False), ('organisation__isnull', True), ('person__isnull', True), ('source', 'staff')), _connector='OR'), name='declaration_parties_match_source'),
        ),
    ]
