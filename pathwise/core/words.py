"""Lists in sentences: the few phrasing helpers that rules and explanations share."""

from __future__ import annotations

from collections.abc import Sequence


def and_list(items: Sequence[str]) -> str:
    """"CODE", "CODE and PBK", "CODE, PBK and NOC"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def or_list(items: Sequence[str]) -> str:
    """"NOC", "NOC or COP", "NOC, COP or XYZ"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
