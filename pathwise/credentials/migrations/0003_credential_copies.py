"""Every signed copy of a credential gets its own row (key, status index, document).

Until now a re-issue overwrote the credential's document and key, so revoking it
later left the earlier copy valid on the old key's list. Each existing
credential becomes its latest copy; each earlier copy a re-issue replaced is
recovered from the audit log (`credential.reissued` names the key it replaced,
and re-issues kept the status index), without its document, which was not
kept, so that revoking the credential sets its bit on that key's list too.
"""

import django.db.models.deletion
from django.db import migrations, models


def copies_from_credentials(apps, schema_editor):
    Credential = apps.get_model("credentials", "Credential")
    SignedCopy = apps.get_model("credentials", "SignedCopy")
    AuditEntry = apps.get_model("auditlog", "AuditEntry")
    for credential in Credential.objects.all():
        SignedCopy.objects.create(
            credential=credential, signed_with=credential.signed_with,
            status_index=credential.status_index, document=credential.document,
            signed_at=credential.issued_at, signed_by=credential.issued_by)
        events = list(AuditEntry.objects.filter(
            target_type="credential", target_id=str(credential.pk),
            action__in=["credential.issued", "credential.reissued"]).order_by("at", "id"))
        reissues = [e for e in events if e.action == "credential.reissued"]
        if not reissues:
            continue
        issued = next((e for e in events if e.action == "credential.issued"), None)
        # Each replaced copy was signed by the event before the re-issue that replaced it.
        for reissue, signer in zip(reissues, [issued, *reissues[:-1]], strict=True):
            key = (reissue.old_value or {}).get("signed_with")
            # Status indexes were unique across keys, so (key, index) was this credential's;
            # a re-issue with the same key replaced a copy with this very entry.
            if not key or SignedCopy.objects.filter(
                    signed_with=key, status_index=credential.status_index).exists():
                continue
            SignedCopy.objects.create(
                credential=credential, signed_with=key, status_index=credential.status_index,
                document="", signed_at=signer.at if signer else credential.issued_at,
                signed_by=signer.actor_label if signer else credential.issued_by)
        if issued is not None:
            # issued_at/by named the last re-issue; they mean the first signature now.
            credential.issued_at, credential.issued_by = issued.at, issued.actor_label
            credential.save(update_fields=["issued_at", "issued_by"])

class Migration(migrations.Migration):

    dependencies = [
        ('auditlog', '0001_initial'),
        ('credentials', '0002_remove_issuerequest'),
    ]

    operations = [
        migrations.CreateModel(
            name='SignedCopy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signed_with', models.CharField(max_length=80)),
                ('status_index', models.PositiveIntegerField()),
                ('document', models.TextField(blank=True)),
                ('signed_at', models.DateTimeField()),
                ('signed_by', models.CharField(max_length=150)),
                ('credential', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='copies', to='credentials.credential')),
            ],
            options={
                'ordering': ('signed_at', 'id'),
                'constraints': [models.UniqueConstraint(fields=('signed_with', 'status_index'), name='one_copy_per_status_entry')],
            },
        ),
        # Back to 0001 only without credentials: the removed fields have no default to refill.
        migrations.RunPython(copies_from_credentials, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(
            model_name='credential',
            name='document',
        ),
        migrations.RemoveField(
            model_name='credential',
            name='signed_with',
        ),
        migrations.RemoveField(
            model_name='credential',
            name='status_index',
        ),
    ]
