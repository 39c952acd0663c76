"""Shared core of the therapist directory search: documents, queries, engines. No web, no CLI."""
