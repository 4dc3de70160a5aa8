"""What the Overview's settings charts send to the browser, from 100 to 20,000 campaigns.

Run from the repository root: ``python bench/bench_charts.py`` (``--sizes 100 1000 5000
20000``). For each portfolio (the demo, and the same with every schedule different) and size
it builds each chart of the Overview's settings section from the campaign frame and turns it
into the message Streamlit sends (a ``VegaLiteChart`` protobuf: the Vega-Lite spec plus its
datasets as Arrow), through Streamlit's own conversion, and prints the message's bytes, the
rows of data it carries and the time to build it (median of 3), each with its ratio against
the smallest size. The same charts of a filtered view (ACTIVE only) stand for a filter click.

Goal (issue 18): the Overview's chart payload at 20,000 campaigns at most 2 × the payload at
100. The browser's side of it (websocket bytes of a whole view) is in ``bench_scale.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import altair as alt
import pandas as pd
import pyarrow as pa
from streamlit.elements import vega_charts
from streamlit.proto.VegaLiteChart_pb2 import VegaLiteChart

from bench.timing import median_time
from smartlead.charts import client_limit_chart, daily_limit_histogram, status_chart, tag_chart
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.filters import Filters, apply_filters, filter_options
from smartlead.frame import campaigns_frame

CHARTS: dict[str, Callable[[pd.DataFrame, dict[str, str]], alt.TopLevelMixin]] = {
    "status": lambda view, colours: status_chart(view),
    "client limit": lambda view, colours: client_limit_chart(view),
    "tag": tag_chart,
    "histogram": lambda view, colours: daily_limit_histogram(view),
}


def message(chart: alt.TopLevelMixin) -> VegaLiteChart:
    """The protobuf Streamlit sends for ``st.altair_chart(chart)`` (its own conversion)."""
    spec = vega_charts._convert_altair_to_vega_lite_spec(chart)
    proto = VegaLiteChart()
    vega_charts._marshall_chart_data(proto, spec)
    proto.spec = json.dumps(spec)
    return proto


def rows(proto: VegaLiteChart) -> int:
    """Rows of data the message carries (every dataset)."""
    buffers = [dataset.data.data for dataset in proto.datasets]
    if proto.data.data:
        buffers.append(proto.data.data)
    return sum(pa.ipc.open_stream(buffer).read_all().num_rows for buffer in buffers if buffer)


def measure(frame: pd.DataFrame) -> dict[str, float]:
    colours = filter_options(frame).tag_colors
    figures: dict[str, float] = {}
    for label, view in (("view", frame), ("click", apply_filters(frame, Filters(("ACTIVE",))))):
        total = 0
        for name, build in CHARTS.items():
            seconds, proto = median_time(
                lambda build=build, view=view: message(build(view, colours)), 3
            )
            total += proto.ByteSize()
            if label == "view":
                figures[f"{name} KB"] = proto.ByteSize() / 1e3
                figures[f"{name} rows"] = rows(proto)
                figures[f"{name} build ms"] = seconds * 1e3
        figures[f"all charts, {label} KB"] = total / 1e3
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 5_000, 20_000])
    args = parser.parse_args()
    for distinct in (False, True):
        results: dict[int, dict[str, Any]] = {}
        for size in args.sizes:
            records = demo_campaigns(size, seed=21, distinct_schedules=distinct)
            results[size] = measure(campaigns_frame(records, demo_clients()))
        base = results[args.sizes[0]]
        print(f"\n{'distinct schedules' if distinct else 'demo'} portfolio")
        print(f"{'':24}" + "".join(f"{size:>18,}" for size in args.sizes))
        for name in base:
            cells = []
            for size in args.sizes:
                value = results[size][name]
                ratio = value / base[name] if base[name] else float("nan")
                cells.append(f"{value:9.1f} ({ratio:5.2f}×)")
            print(f"{name:24}" + "".join(f"{cell:>18}" for cell in cells), flush=True)


if __name__ == "__main__":
    main()
