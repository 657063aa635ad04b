"""Persistence, with no Qt: one job per module.

- :mod:`~annotator.io.paths`: the project folder for a path, its articles, paths that
  stay inside it, reading one article;
- :mod:`~annotator.io.parse`: parsing ``annotator.json`` (fast, or carefully with line
  and column), :mod:`~annotator.io.migrate`: one step per schema version;
- :mod:`~annotator.io.load`: loading with salvage, :mod:`~annotator.io.report`: what
  loading found, in plain words, :mod:`~annotator.io.lazy`: a large project's spans
  left in the file until first used;
- :mod:`~annotator.io.save`: snapshots encoded as a stream,
  :mod:`~annotator.io.atomic`: atomic writes and file stamps;
- :mod:`~annotator.io.journal`: the edit journal and recovery,
  :mod:`~annotator.io.lock`: one writer per project,
  :mod:`~annotator.io.validate`: ``annotator validate``,
  :mod:`~annotator.io.safejson`: JSON from hostile files,
  :mod:`~annotator.io.schema`: the project file's JSON Schema.
"""
