"""What the needs API modules share: services' errors as API errors, and the transition input."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's PermissionDenied becomes 403 and its ValidationError 400, each with the service's message."""
    try:
        yield
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from error
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
