"""The REST API under /api/v1/: thin views over the selectors and services.

Each endpoint parses input with an input serializer, calls a service (writes) or a
queryset (reads), and renders with an output serializer. The schema (drf-spectacular)
is built from the same serializers.
"""
