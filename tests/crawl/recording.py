"""Which query and form keys a view reads: request.GET and request.POST become QueryDicts that note every key
asked for (present or not), and so do the API's parsed bodies. Test-only; the crawl installs it."""

from unittest import mock

from django.http import QueryDict
from rest_framework.request import Request


class Recorder:
    keys: set[str] | None = None  # the keys read during the current request; None: not recording


class RecordingQueryDict(QueryDict):
    def __bool__(self) -> bool:
        return True  # so that a view's `Form(request.GET or None)` binds its form, and the form's keys are read

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    @staticmethod
    def _note(key) -> None:
        if Recorder.keys is not None and isinstance(key, str):
            Recorder.keys.add(key)

    @classmethod
    def of(cls, data: QueryDict) -> "RecordingQueryDict":
        copy = cls(mutable=True, encoding=data.encoding)
        for key, values in data.lists():
            copy.setlist(key, values)
        copy._mutable = data._mutable
        return copy


def recording_middleware(get_response):
    def middleware(request):
        request.GET = RecordingQueryDict.of(request.GET)
        if request.method == "POST" and not request.content_type.startswith("multipart/"):
            request.POST = RecordingQueryDict.of(request.POST)
        return get_response(request)

    return middleware


def _recording_parse(parse):
    def wrapped(self):
        data, files = parse(self)
        return (RecordingQueryDict.of(data) if isinstance(data, QueryDict) else data), files

    return wrapped


def recording(settings):
    """Install the middleware first in the stack and the API body recorder; a context manager."""
    settings.MIDDLEWARE = ["tests.crawl.recording.recording_middleware", *settings.MIDDLEWARE]
    return mock.patch.object(Request, "_parse", _recording_parse(Request._parse))
