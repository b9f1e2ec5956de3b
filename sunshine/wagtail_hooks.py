"""Site-wide Wagtail hooks: who may download an uploaded document (sunshine/security.py)."""

from wagtail import hooks

from .security import serve_document_if_public


@hooks.register("before_serve_document")
def only_public_documents(document, request):
    return serve_document_if_public(document, request)
