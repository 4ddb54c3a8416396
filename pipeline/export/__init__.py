"""Exports of the displays and the coded project: CSV, Excel, a self-contained HTML report, REFI-QDA (.qdpx, .qdc),
and the reading of codings made in other QDA tools. Real names are pseudonymised unless asked for. The use cases
that read a project for them live in `pipeline.app.export` and `pipeline.app.imports`."""
