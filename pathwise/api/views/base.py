"""What every API view shares: auth, access, problems, pages and conditional lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api.conventions import conditional


class ApiViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """A viewset whose list answers in pages; `polled` lists add ETag/Last-Modified/304."""

    polled = False
    out: Any = None  # the output serializer of one item

    def last_modified(self, rows: QuerySet[Any]) -> dt.datetime | None:
        return None

    def represent(self, row: Any) -> dict[str, Any]:
        raise NotImplementedError

    def shaped(self, row: Any) -> Any:
        return self.out(self.represent(row)).data

    def paged(self, request: Request, rows: QuerySet[Any]) -> Response:
        page = self.paginate_queryset(rows)
        assert page is not None
        response = self.get_paginated_response([self.shaped(r) for r in page])
        if self.polled:
            return conditional(request, response, self.last_modified(rows))
        return response
