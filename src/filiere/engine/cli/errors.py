from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """Bad input in a file given to the CLI; printed as ``file:line: field: message``."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = f" field '{self.field}':" if self.field else ""
        return f"{where}:{field} {self.message}"
