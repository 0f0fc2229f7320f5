"""Signals other apps listen to without segmentation importing them."""

from django.dispatch import Signal

# Sent once a nightly run is published (after its transaction commits), with `run`: the
# pages' caches key on the run, so apps above warm theirs here (portfolio.signals).
run_published = Signal()
