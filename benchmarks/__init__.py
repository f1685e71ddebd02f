"""Benchmarks: scripts that measure the pipeline and paste their tables into BENCHMARKS.md or README.md.

Run one as a module (``python -m benchmarks.klue_ner PATH``) or as a file
(``python benchmarks/klue_ner.py PATH``). What they share is in :mod:`benchmarks.common`.
"""
