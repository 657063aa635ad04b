"""Operations the command line and the window share: applying a command with its one
check (editing), importing, suggesting, exporting, comparing, agreeing, adjudicating.

Each is a plain function (or command) over a project, with no Qt: ``annotator import``
runs it on the main thread, File ▸ Import… runs the same call on a thread behind a
progress bar with Cancel, and both apply the result through one history.
"""
