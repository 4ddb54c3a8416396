"""The web workspace (`reduksi web PROJECT`): FastAPI + Jinja2 + HTMX over the application layer."""
