"""Korean CSR information extraction: dated events, organisations and amounts, with evidence.

Library use (what ``python -m pipeline run`` does, without files)::

    from pipeline import extract, extract_folder
    result = extract(text, published="2021-06")   # one string → rows (dicts) per table
    frames = extract_folder("raw/")                 # files/folders → pandas DataFrames
"""

from importlib.metadata import PackageNotFoundError, version

from .api import Result, extract, extract_folder, iter_results, process, run

try:
    __version__ = version("csr-pipeline")  # one source: [project] version in pyproject.toml
except PackageNotFoundError:  # a checkout on sys.path that was never installed
    __version__ = "0+unknown"

__all__ = ["Result", "__version__", "extract", "extract_folder", "iter_results", "process", "run"]
