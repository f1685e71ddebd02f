"""Where documents are extracted: in this process, in a pool of local processes, or on a Dask cluster.

Every engine takes documents in input order and gives one result per document back in the same
order, whatever finishes first, with a bounded number of documents in flight: the caller (the
ordered writer in :func:`pipeline.api.run`) streams them to disk, and memory stays flat on any
corpus. The engines differ only in where :func:`process_batch` runs:

- ``local`` with ``workers == 1``: in this process;
- ``local`` with ``workers > 1``: in forked processes (:class:`concurrent.futures.ProcessPoolExecutor`)
  that die with their parent;
- ``dask``: on the workers of a Dask cluster (``pip install -e '.[dask]'``), a ``LocalCluster``
  sized to the machine or a running scheduler given by address (SLURM, Kubernetes, a cloud;
  ``docs/scale.md``). Each Dask worker loads the pipeline once (:class:`PipelineLoader`, a worker
  plugin), a batch whose worker dies is run again on another one (the scheduler's own recovery),
  and the client only reads inputs and writes outputs: it never loads Kiwi.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .ingest import Document, DocumentError, InputError

ENGINES = ("local", "dask")
BATCH = 8  # documents per task: fewer round trips, and still small enough to keep workers busy
IN_FLIGHT = 3  # batches in flight per worker: memory stays flat, workers never wait


Item = Document | DocumentError
Outcome = Any  # api.Result | DocumentError (api imports this module)


def process_batch(batch: list[Item]) -> list[Outcome]:
    """A batch of documents extracted in a worker with the worker's pipeline
    (:func:`pipeline.api.process_all`: Kiwi's batch API where the worker has Kiwi's threads); a
    failing document becomes a :class:`DocumentError`. The results carry rows, not spaCy Docs."""
    from .api import process_all

    return list(process_all(batch, keep_doc=False))


def batches(items: Iterator, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class Engine:
    """How a run extracts: ``name`` (``local`` or ``dask``), ``workers`` (local processes, or the
    size of a Dask ``LocalCluster``; None: one per core) and ``scheduler`` (the address of a
    running Dask scheduler, ``tcp://host:8786``; None: start a ``LocalCluster``)."""

    name: str = "local"
    workers: int | None = 1
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise ValueError(f"unknown engine {self.name!r} (expected one of {', '.join(ENGINES)})")
        if self.scheduler and self.name != "dask":
            raise ValueError("a scheduler address needs the dask engine")
        if self.name == "dask" and importlib.util.find_spec("distributed") is None:
            raise DaskMissing()  # before a run locks its output folder

    def warm_up(self) -> None:
        """Start loading what the workers need while the run gets ready: for a local Dask cluster,
        the forkserver its workers fork from (:func:`start_worker_forkserver`; the run starts it
        anyway, this only starts it sooner). Constructing an engine starts nothing."""
        if self.name == "dask" and not self.scheduler:
            start_worker_forkserver()

    def results(self, items: Iterator[Item], here: Callable[[Iterator[Item]], Iterator[Outcome]]) -> Iterator[Outcome]:
        """One result per item, in the order of ``items``; ``here`` extracts a stream of documents
        in this process (the local engine with one worker)."""
        if self.name == "dask":
            return dask_results(items, self.workers, self.scheduler)
        if (self.workers or os.cpu_count() or 1) <= 1:
            return here(items)
        return pool_results(items, self.workers or os.cpu_count() or 1)


# ---------------------------------------------------------------------------------------------
# Local processes


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Worker initializer: the worker ends when the process that started it ends, even by
    ``kill -9`` (which gives the parent no chance to stop its pool). Without this, workers wait
    forever on a queue nobody writes to, holding their memory and the output folder's lock.

    On Linux the kernel sends SIGKILL to the worker when its parent dies (``prctl`` with
    ``PR_SET_PDEATHSIG``; the pool is started from the thread that submits work, which lives as long
    as the pool). Everywhere, a daemon thread checks once a second that the parent is still the
    worker's parent and exits when it is not."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        with contextlib.suppress(OSError, AttributeError):  # else the watchdog below still works
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)  # the parent died before prctl took effect

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def pool_results(items: Iterator[Item], workers: int) -> Iterator[Outcome]:
    """Batches extracted in ``workers`` forked processes (each shares the parent's loaded Kiwi)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        pending: deque = deque()
        for batch in batches(items, BATCH):
            pending.append(pool.submit(process_batch, batch))
            if len(pending) >= workers * IN_FLIGHT:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


# ---------------------------------------------------------------------------------------------
# Dask


class DaskMissing(ImportError):
    """``--engine dask`` without the ``dask`` extra installed."""

    def __init__(self) -> None:
        super().__init__("the dask engine needs dask and distributed: pip install -e '.[dask]'")


def _warm_up() -> None:
    from . import kiwi
    from .nlp import get_nlp

    # A Dask worker is one of a worker per core: Kiwi's threads would only compete with the other
    # workers for the cores, so it analyses text by text in the task's thread (as forked --workers do).
    kiwi.THREADS = 1
    kiwi.get_kiwi()  # get_nlp() alone loads the tables: Kiwi would wait for the first batch
    get_nlp()


def pipeline_loader():
    """A Dask worker plugin that loads the pipeline (Kiwi, the tables) once when a worker starts,
    restarts included, so that the first batch does not wait for it and no batch loads it twice
    (:func:`pipeline.nlp.get_nlp` keeps it per process)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class PipelineLoader(WorkerPlugin):
        name = "csr-pipeline-loader"

        async def setup(self, worker) -> None:
            import asyncio

            # off the worker's event loop: its heartbeats go on while Kiwi loads
            await asyncio.get_running_loop().run_in_executor(None, _warm_up)

    return PipelineLoader()


@contextlib.contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A Dask client: connected to ``scheduler`` when given, else to a new ``LocalCluster`` of
    ``workers`` single-threaded worker processes (None: one per core). The pipeline loader is
    registered on every worker, present and future."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskMissing() from None
    if scheduler:
        try:
            client = Client(scheduler)
        except OSError as exc:
            raise InputError(scheduler, f"cannot connect to the Dask scheduler ({exc})") from None
        with client:
            client.register_plugin(pipeline_loader())
            yield client
        return
    n = workers or os.cpu_count() or 1
    # one thread per worker: a worker's pipeline is used by one task at a time. No memory limit:
    # a worker holds one pipeline (about 400 MB) and a few batches.
    with (
        _forked_from_loaded_pipeline(),
        LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0", memory_limit=0
        ) as cluster,
        Client(cluster) as client,
    ):
        client.register_plugin(pipeline_loader())
        yield client


_METHOD = "distributed.worker.multiprocessing-method"


def start_worker_forkserver() -> bool:
    """Start, once per process, the forkserver a ``LocalCluster`` forks its worker processes from,
    which loads the pipeline as it starts (:mod:`pipeline.dask_preload`): the load runs beside what
    the client does meanwhile (its imports, listing the inputs, starting the scheduler). False where
    there is no forkserver (Windows): the workers are spawned and load the pipeline themselves."""
    import multiprocessing
    from multiprocessing import forkserver

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    # Started here, before distributed's own preload list is set (which also imports numpy and pandas
    # in this process first): once running, the forkserver keeps what it loaded, and the list set
    # later changes nothing.
    multiprocessing.get_context("forkserver").set_forkserver_preload(["distributed", "pipeline.dask_preload"])
    forkserver.ensure_running()
    return True


@contextlib.contextmanager
def _forked_from_loaded_pipeline() -> Iterator[None]:
    """While it lasts, a ``LocalCluster`` starts (and restarts) its worker processes from the
    forkserver of :func:`start_worker_forkserver` instead of spawning fresh interpreters that each
    import spaCy and load Kiwi: a worker's start-up becomes a fork, its loader finds the pipeline
    there, and it exits without tearing the pipeline down. The client itself never loads Kiwi."""
    if not start_worker_forkserver():
        yield
        return
    import dask

    with dask.config.set({_METHOD: "forkserver"}):
        yield


def dask_results(items: Iterator[Item], workers: int | None = None, scheduler: str | None = None) -> Iterator[Outcome]:
    """Batches extracted on a Dask cluster, in order. At most ``IN_FLIGHT`` batches per worker are
    submitted ahead of the one the writer waits for. A batch lost with its worker is rescheduled
    by Dask on another worker; ``retries`` covers a batch that raised (which :func:`process_batch`
    never does for one bad document: that is an error row)."""
    with dask_client(workers, scheduler) as client:
        yield from client_results(client, items)


def client_results(client: Any, items: Iterator[Item]) -> Iterator[Outcome]:
    """:func:`dask_results` on an existing client (a test's cluster, a notebook's)."""
    window = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {}))) * IN_FLIGHT
    pending: deque = deque()
    try:
        for i, batch in enumerate(batches(items, BATCH)):
            # a unique key per batch and run: Dask must not reuse a result from another run
            pending.append(client.submit(process_batch, batch, key=f"csr-batch-{id(pending)}-{i}", retries=2))
            while len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if pending:  # interrupted: nothing left running for nobody
            client.cancel(list(pending))
