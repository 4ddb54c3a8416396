"""Ingest marks transcript annotations with the one shared pattern (`pipeline.annotations`)."""

from pipeline.annotations import ANNOTATION, find_annotations

__all__ = ["ANNOTATION", "find_annotations"]
