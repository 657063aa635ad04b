"""Annotator: tag entities, claims and quotes in articles shown side by side."""

__version__ = "0.1.0"
APP_NAME = "annotator"
APP_DISPLAY_NAME = "Annotator"
ORG_NAME = "Annotator"
APP_ID = "io.annotator.Annotator"  # desktop file, AppStream id and icon name
