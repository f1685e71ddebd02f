"""Korean CSR information extraction: dated events, organisations and amounts, with evidence.

Library use (what ``python -m pipeline run`` does, without files)::

    from pipeline import extract, extract_folder
    result = extract(text, published="2021-06")   # one string → rows (dicts) per table
    frames = extract_folder("raw/")                 # files/folders → pandas DataFrames
"""
from .api import Result, extract, extract_folder, iter_results, process, run

__all__ = ["Result", "extract", "extract_folder", "iter_results", "process", "run"]
