"""The JSON Schema of ``annotator.json`` (``annotator schema``), made from the models."""

from __future__ import annotations

import json

from annotator.core.models import ProjectFile


def project_schema() -> str:
    """The schema as the text ``annotator schema`` prints and the repository ships."""
    return json.dumps(ProjectFile.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
