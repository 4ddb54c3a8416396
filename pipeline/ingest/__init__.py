"""Ingest: readers for every supported format, the manifest, and the batch ingest into the project store."""

from pipeline.ingest.manifest import find_manifest, load_manifest
from pipeline.ingest.readers import SUPPORTED, file_sha256, read_source

__all__ = ["SUPPORTED", "file_sha256", "find_manifest", "load_manifest", "read_source"]
