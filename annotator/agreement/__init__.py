"""Agreement between annotators (Qt-free): who marked what, and how far they agree.

``layers`` gathers each annotator's work (from a project, or from JSONL exports);
``measures`` holds the scores (span matching, κ, α); ``report`` computes a report
per label, per document and overall, pairwise and for the group, and renders it as
a table, JSON or CSV. The CLI (``annotator agree``) and Analysis ▸ Agreement both
call :func:`annotator.ops.agreeing.agreement`.
"""
