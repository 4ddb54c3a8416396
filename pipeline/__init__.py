"""reduksi: Indonesian-first qualitative data reduction (Miles & Huberman) with NLP-assisted coding."""

__version__ = "0.1.0"
