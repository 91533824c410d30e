"""Which writes change a decision, and the version bump each makes (accessadmin.versions.changed).

A decision reads: the till (secret hash, active, store, OAuth2 application), its store (group), the org
(Basic auth switch, enforcement mode, code), the org's default group, the access group (name, active,
grants_all, updated_at — which every edit of its cells moves), the API client (active, group), and the
API catalogue. Every one of them is saved through a model instance by its services (or the Django admin),
so the bumps hang on post_save / post_delete here: cache invalidation is infrastructure. The writes that
bypass instance saves — stores.services' bulk allocation (QuerySet.update) — call versions.changed
themselves, as must any new one (the stress test in tillapi/tests/test_versions_stress.py exercises
every write above against four serving processes).

Deleting one OAuth2 access token is not caught here (revocation goes through ApiClient / Till saves);
such a token keeps working in a process that has it warm for at most ENFORCEMENT_CACHE_SECONDS.
"""

from django.db.models.signals import post_delete, post_save

from accessadmin import versions
from accessadmin.models import Org
from groups.models import AccessGroup, ApiResource, DefaultAccessGroup
from stores.models import ApiClient, Store, Till

# Columns a till's requests write for bookkeeping; saving only those changes no decision.
_TILL_BOOKKEEPING = frozenset({"last_used_at", "basic_last_used_at", "oauth_last_used_at"})


def _org_of(sender, instance, **kwargs) -> None:
    versions.changed(instance.org_id)


def _till_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= _TILL_BOOKKEEPING:
        return
    versions.changed(instance.org_id)


def _org_saved(sender, instance, **kwargs) -> None:
    versions.changed(instance.pk)


def _group_saved(sender, instance, **kwargs) -> None:
    versions.changed(instance.org_id)  # a built-in group (org None) is every org's


def _catalogue_saved(sender, instance, **kwargs) -> None:
    versions.changed(None)


def connect() -> None:
    for model in (Store, ApiClient, DefaultAccessGroup):
        post_save.connect(_org_of, sender=model, dispatch_uid=f"versions-saved-{model._meta.label}")
        post_delete.connect(_org_of, sender=model, dispatch_uid=f"versions-deleted-{model._meta.label}")
    post_save.connect(_till_saved, sender=Till, dispatch_uid="versions-saved-till")
    post_delete.connect(_org_of, sender=Till, dispatch_uid="versions-deleted-till")
    post_save.connect(_org_saved, sender=Org, dispatch_uid="versions-saved-org")
    post_delete.connect(_org_saved, sender=Org, dispatch_uid="versions-deleted-org")
    post_save.connect(_group_saved, sender=AccessGroup, dispatch_uid="versions-saved-group")
    post_delete.connect(_group_saved, sender=AccessGroup, dispatch_uid="versions-deleted-group")
    post_save.connect(_catalogue_saved, sender=ApiResource, dispatch_uid="versions-saved-resource")
    post_delete.connect(_catalogue_saved, sender=ApiResource, dispatch_uid="versions-deleted-resource")
