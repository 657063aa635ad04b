"""The Qt user interface: thin widgets over :mod:`annotator.core`."""
