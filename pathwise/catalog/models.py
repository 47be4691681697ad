"""Program versions, stored as the TOML text they were loaded from."""

from __future__ import annotations

import hashlib

from django.db import models

from pathwise.core.program import Program, parse_program

_parsed: dict[str, Program] = {}


class ProgramVersion(models.Model):
    program_id = models.CharField(max_length=60)
    version = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    source_path = models.CharField(max_length=300)
    definition = models.TextField(help_text="The TOML definition, verbatim.")
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program_id", "version"],
                                    name="unique_program_version"),
        ]
        ordering = ("program_id", "version")

    def __str__(self) -> str:
        return f"{self.program_id} {self.version}"

    @property
    def program(self) -> Program:
        """The parsed definition; parsed once per process per distinct text."""
        digest = hashlib.sha256(self.definition.encode()).hexdigest()
        if digest not in _parsed:
            _parsed[digest] = parse_program(self.definition, source=self.source_path)
        return _parsed[digest]
