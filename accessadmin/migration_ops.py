"""Operations for migrations that move models between apps without touching their tables."""

from django.db import migrations


def move_content_types(*, from_app: str, to_app: str, models: list[str]) -> migrations.RunPython:
    """Returns a RunPython that gives the content types of `models` (lowercase names) their new app label.

    Renaming keeps each content type's id, so the permissions and admin log entries that point at it
    stay valid. A content type already made under the new label (post_migrate of an earlier, partial
    run) has only the default permissions the old one holds too; it gives way to the old one.
    Reversible: unapplying renames them back.
    """

    def rename(apps, old: str, new: str) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        for model in models:
            moving = ContentType.objects.filter(app_label=old, model=model).first()
            if moving is None:
                continue  # a database made after the move, or never populated: nothing to rename
            taken = ContentType.objects.filter(app_label=new, model=model).first()
            if taken is not None:
                Permission.objects.filter(content_type=taken).delete()
                taken.delete()
            moving.app_label = new
            moving.save(update_fields=["app_label"])

    def forwards(apps, schema_editor):
        rename(apps, from_app, to_app)

    def backwards(apps, schema_editor):
        rename(apps, to_app, from_app)

    return migrations.RunPython(forwards, backwards)
