"""What OPTIONS answers on every API path."""

from rest_framework.metadata import SimpleMetadata


class Metadata(SimpleMetadata):
    """OPTIONS answers the view's name, description and the media types it renders and parses.

    DRF's `actions` would describe the view's serializer, but the views here check input with input
    serializers of their own (accessadmin.api.base.validated) and have no `serializer_class` to describe;
    asking for one failed with a 500. Request bodies are described by the OpenAPI schema (/api/schema/).
    """

    def determine_actions(self, request, view):
        return {}
