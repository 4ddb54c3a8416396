"""Ingest: readers for every supported format, transcript conventions, the (optional) manifest, and the batch ingest
into the project store."""

from pipeline.ingest.infer import INFERRED_NAME, write_inferred_manifest
from pipeline.ingest.manifest import find_manifest, load_manifest
from pipeline.ingest.quality import report_frame
from pipeline.ingest.readers import SUPPORTED, file_sha256, read_source

__all__ = ["INFERRED_NAME", "SUPPORTED", "file_sha256", "find_manifest", "load_manifest", "read_source",
           "report_frame", "write_inferred_manifest"]
