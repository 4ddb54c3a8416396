"""Exports of the displays and the coded project: CSV, Excel, a self-contained HTML report, REFI-QDA (.qdpx, .qdc),
and the import of codings made in other QDA tools. Real names are pseudonymised unless asked for."""

from pipeline.export.project import FORMATS, export_project
from pipeline.export.qdpx_import import ImportReport, import_qdpx

__all__ = ["FORMATS", "ImportReport", "export_project", "import_qdpx"]
