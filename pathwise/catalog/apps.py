from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogConfig(AppConfig):
    name = "pathwise.catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        # It imports the models, which exist only once the app registry is ready.
        from pathwise.catalog import versions  # noqa: PLC0415

        versions.connect()
        post_migrate.connect(_sync_programs, sender=self, dispatch_uid="catalog.sync-programs")


def _sync_programs(sender: AppConfig, *, using: str, verbosity: int = 1,
                   stdout: Any = None, **_: Any) -> None:
    """After `migrate`, load the definition files, so the file commands and the database agree.

    A sync that refuses (a version in use whose file changed, a malformed file)
    fails `migrate` with its one-line message; the migrations themselves are done.
    """
    from django.conf import settings  # noqa: PLC0415
    from django.core.management.base import CommandError  # noqa: PLC0415
    from django.db import connections  # noqa: PLC0415

    from pathwise.auditlog.log import Actor  # noqa: PLC0415
    from pathwise.catalog.actions import sync_programs  # noqa: PLC0415
    from pathwise.core.errors import PathwiseError  # noqa: PLC0415

    if not settings.SYNC_PROGRAMS_AT_MIGRATE or using != "default":
        return
    tables = set(connections[using].introspection.table_names())
    if not {"catalog_programversion", "auditlog_auditentry"} <= tables:
        return  # migrated back, or only part of the way
    try:
        synced = sync_programs(Actor("migrate"))
    except PathwiseError as exc:
        raise CommandError(f"program definitions: {exc}") from exc
    if verbosity >= 1 and stdout is not None:
        for s in synced:
            if s.change != "unchanged":
                stdout.write(f"  Program {s.version.program_id} {s.version.version}: "
                             f"{s.change} from {s.version.source_path}\n")
