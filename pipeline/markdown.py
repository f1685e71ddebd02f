"""Generated sections of Markdown files (README.md, BENCHMARKS.md): figures are pasted by the
command that computes them, between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``, never typed."""

from __future__ import annotations

from pathlib import Path


def read_section(path: Path, name: str) -> str | None:
    text = Path(path).read_text(encoding="utf-8") if Path(path).exists() else ""
    start, end = f"<!-- {name}:start -->\n", f"\n<!-- {name}:end -->"
    if start not in text:
        return None
    return text.split(start, 1)[1].split(end, 1)[0]


def write_section(path: Path, name: str, body: str, title: str = "# Benchmarks\n") -> None:
    """Replace (or append) the named section of ``path`` with ``body``, atomically."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else title
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body}\n{end}"
    if start in text:
        text = text.split(start, 1)[0] + block + text.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
