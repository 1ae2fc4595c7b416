"""The error vocabulary: every problem in the data is one DataError, collected in an ErrorLog.

Nothing raises on bad data: each stage adds what it finds to the log, the
pipeline stops before writing anything if the log is not empty, and the CLI
prints every error, one line each, then exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class DataError:
    file: str
    line: int
    col: int
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        what = []
        if self.record:
            record = self.record if len(self.record) <= 80 else self.record[:79] + "…"
            what.append(f"record '{record}'")
        if self.field:
            what.append(f"field '{self.field}'")
        subject = (", ".join(what) + ": ") if what else ""
        # One error, one line: a control character or line break in a bad id or value is escaped.
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in f"{where}: {subject}{self.message}")


@dataclass
class ErrorLog:
    errors: list[DataError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth saying, but the data is usable
    # said after the errors: what was not checked because of one of them (a file that could not be read)
    notes: list[str] = field(default_factory=list)
    # the sources whose text was found, so their excerpts were checked (validate.check_excerpts): a
    # source page says "Text checked against" only for these
    checked_texts: set[str] = field(default_factory=set)

    def add(self, error: DataError) -> None:
        self.errors.append(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def sorted(self) -> list[DataError]:
        # by place; an error without a record or field (a YAML problem) sorts before one with
        return sorted(set(self.errors), key=lambda e: (e.file, e.line, e.col, e.record or "", e.field or "", e.message))

    def report(self, outcome: str = "nothing was written") -> str:
        """Every error, then their count and ``outcome`` (what became of the command's output), then
        the notes and warnings."""
        lines = [str(e) for e in self.sorted()]
        n = len(lines)
        lines.append(f"{n} error{'s' if n != 1 else ''} in the data; {outcome}.")
        lines.extend(f"note: {note}" for note in self.notes)
        # and what is worth saying even when the data is usable: all in one run, not after the errors are mended
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        return "\n".join(lines)


class FieldError(ValueError):
    """Raised inside a model validator to name the field a cross-field rule is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class DataErrors(Exception):
    """Raised by the pipeline when the data has errors; carries the whole log."""

    def __init__(self, log: ErrorLog) -> None:
        super().__init__(log.report())
        self.log = log
