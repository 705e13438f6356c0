"""Periods an assessment covers: a calendar year (``2018``) or a financial year (``2018-19``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CALENDAR = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})-(\d{2})$")
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100


class InvalidPeriod(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start_year: int
    financial: bool = False

    @classmethod
    def parse(cls, text: str) -> Period:
        text = text.strip()
        if match := _CALENDAR.match(text):
            period = cls(int(match.group(1)))
        elif match := _FINANCIAL.match(text):
            start = int(match.group(1))
            if int(match.group(2)) != (start + 1) % 100:
                raise InvalidPeriod(
                    f"{text} is not a financial year: the second year must follow the first, "
                    f"like {start}-{(start + 1) % 100:02d}"
                )
            period = cls(start, financial=True)
        else:
            raise InvalidPeriod(
                "Enter a period as a calendar year, like 2018, or a financial year, like 2018-19"
            )
        if not EARLIEST_YEAR <= period.start_year <= LATEST_YEAR:
            raise InvalidPeriod(f"Enter a year between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return period

    @property
    def label(self) -> str:
        if self.financial:
            return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"
        return str(self.start_year)

    def __str__(self) -> str:
        return self.label
