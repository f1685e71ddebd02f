"""Imported once by the forkserver that starts the worker processes of a ``LocalCluster``
(:func:`pipeline.engine.dask_client`): it loads the pipeline there (Kiwi, the tables), and every
worker forked from it starts with the pipeline loaded, sharing its memory, as the local engine's
forked ``--workers`` do. Without it each worker would import spaCy and load Kiwi itself (about 3 s
of CPU each, on the cores the run needs). A failure here is left to the workers' own loader
(:func:`pipeline.engine.pipeline_loader`), which reports it."""

from __future__ import annotations

import contextlib

from .engine import _warm_up

with contextlib.suppress(Exception):  # an exception would stop the forkserver, and every worker with it
    _warm_up()
