"""Charts as data: a title, columns and rows — drawn as inline SVG bars beside a table of the same numbers,
and exported as CSV of exactly those numbers. Series are told apart by pattern and legend, never colour alone;
every bar carries its value as text."""

from dataclasses import dataclass, field

from core.tabular import csv_bytes

WIDTH, LABEL_WIDTH, BAR_AREA, BAR_HEIGHT, GAP = 720, 230, 380, 18, 10
PATTERNS = ["solid", "hatch", "dots"]  # one per series, defined in templates/programs/includes/chart.html


@dataclass
class Chart:
    key: str
    title: str
    columns: list[str]  # the first names the row labels, the others the value columns
    rows: list[list] = field(default_factory=list)
    series: list[int] = field(default_factory=lambda: [1])  # value columns drawn as bars
    note: str = ""

    def bars(self) -> dict:
        """SVG geometry: one group per row, one bar per series, scaled to the largest value drawn."""
        top = max((row[i] or 0 for row in self.rows for i in self.series), default=0) or 1
        groups, y = [], 0
        for row in self.rows:
            bars = []
            for position, column in enumerate(self.series):
                value = row[column]
                width = round(BAR_AREA * (value or 0) / top, 1)
                bars.append(
                    {
                        "y": y + position * BAR_HEIGHT,
                        "width": width,
                        "value": "—" if value is None else value,
                        "text_x": LABEL_WIDTH + width + 6,
                        "pattern": PATTERNS[position % len(PATTERNS)],
                        "series": self.columns[column],
                    }
                )
            groups.append({"label": row[0], "label_y": y + BAR_HEIGHT * 0.75, "bars": bars})
            y += BAR_HEIGHT * len(self.series) + GAP
        legend = [{"label": self.columns[c], "pattern": PATTERNS[i % len(PATTERNS)]} for i, c in enumerate(self.series)]
        return {"groups": groups, "height": max(y, 1), "width": WIDTH, "label_width": LABEL_WIDTH, "legend": legend}

    def to_csv(self) -> bytes:
        """The columns and rows, UTF-8 with a byte-order mark so that Excel opens the Japanese labels; None empty."""
        return csv_bytes([self.columns, *self.rows])
