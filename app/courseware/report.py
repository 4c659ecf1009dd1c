"""What `courseware check` finds: errors stop a load, warnings (missing translations) do not."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class Report:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    def _name(self, path: Path | str) -> str:
        path = Path(path)
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def error(self, path: Path | str, line: int | None, message: str) -> None:
        self.errors.append(Finding(self._name(path), line, message))

    def warning(self, path: Path | str, line: int | None, message: str) -> None:
        self.warnings.append(Finding(self._name(path), line, message))

    @property
    def ok(self) -> bool:
        return not self.errors
