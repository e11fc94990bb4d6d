"""The chart of `alphaloom inspect --plot`: one instrument's price, volume and drawdown panels.

    inspect_chart.py INPUT.json OUT_PNG

INPUT.json (written by src/alphaloom/report/inspect.cpp): title; dates (YYYY-MM-DD, one per
trading day); close (adjusted), traded_close, volume and drawdown on those days (null where the
instrument has no bar); events [{date, kind, label}] (factor changes: split, reverse_split,
dividend, distribution, other); missing_runs [[first, last]]; jumps [date]; max_drawdown; and,
with a strategy, strategy {dates (the instrument's bars), components, signals [component][row],
has_ml, alpha_score, weight, regime (index in bull, bear, choppy, crash order, -1 none),
regime_labels, regime_method, table_first}, drawn as two more panels (signals; alpha score with
the target weight) shaded by regime.
Writes a PNG (matplotlib, Agg backend, 110 dpi) to OUT_PNG whatever its extension. Run with the
interpreter of .venv-bt, like charts.py.
"""
import argparse
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.patches as mpatches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

DPI = 110
# Regime shading, in regime order (bull, bear, choppy, crash), whatever the labels are.
REGIME_COLORS = ("#2ca02c", "#d62728", "#e6b000", "#9467bd")
SIGNAL_STYLE = {
    "trend": ("#1f77b4", "-"),
    "mean_reversion": ("#ff7f0e", "-"),
    "volatility": ("#2ca02c", "-"),
    "relative_strength": ("#9467bd", "-"),
    "ml": ("#222222", "--"),
}
EVENT_STYLE = {
    "split": ("#d62728", "--"),
    "reverse_split": ("#d62728", ":"),
    "distribution": ("#9467bd", "--"),
    "other": ("#8c564b", ":"),
}


def series(data, name):
    return np.array([np.nan if value is None else value for value in data[name]], dtype=float)


def regime_runs(dates, regime):
    """(first, last, regime) for each run of consecutive rows with the same regime (>= 0)."""
    runs = []
    start = 0
    for index in range(1, len(regime) + 1):
        if index == len(regime) or regime[index] != regime[start]:
            if regime[start] >= 0:
                runs.append((dates[start], dates[index - 1], regime[start]))
            start = index
    return runs


def draw_strategy(strategy, signal_ax, alpha_ax):
    dates = pd.to_datetime(strategy["dates"])
    for name, values in zip(strategy["components"], strategy["signals"]):
        if name == "ml" and not strategy["has_ml"]:
            continue
        color, style = SIGNAL_STYLE.get(name, ("#7f7f7f", "-"))
        signal_ax.plot(dates, np.array([np.nan if v is None else v for v in values], dtype=float), color=color,
                       ls=style, lw=0.9, label=name.replace("_", " "))
    signal_ax.set_ylim(-1.08, 1.08)
    signal_ax.axhline(0, color="#555555", lw=0.6)
    signal_ax.set_ylabel("signals")
    signal_ax.legend(loc="upper left", ncol=5, fontsize=7, frameon=True, framealpha=0.8)

    alpha = np.array([np.nan if v is None else v for v in strategy["alpha_score"]], dtype=float)
    # Grey, so the fill is not read as the regime shading's colours.
    alpha_ax.fill_between(dates, alpha, 0, color="#555555", alpha=0.25, lw=0, step="mid")
    alpha_ax.plot(dates, alpha, color="#222222", lw=0.8, drawstyle="steps-mid", label="alpha score")
    bound = max(0.05, float(np.nanmax(np.abs(alpha))) * 1.1) if np.isfinite(alpha).any() else 1.0
    alpha_ax.set_ylim(-bound, bound)
    alpha_ax.axhline(0, color="#555555", lw=0.6)
    alpha_ax.set_ylabel("alpha score")
    weight_ax = alpha_ax.twinx()
    weight = np.array([np.nan if v is None else v for v in strategy["weight"]], dtype=float)
    weight_ax.plot(dates, weight * 100, color="#1f77b4", lw=0.9, drawstyle="steps-post", label="target weight")
    weight_ax.set_ylabel("weight (%)", color="#1f77b4")
    weight_ax.tick_params(axis="y", colors="#1f77b4")
    if np.isfinite(weight).any() and np.nanmax(np.abs(weight)) > 0:
        top = float(np.nanmax(np.abs(weight))) * 100 * 1.1
        weight_ax.set_ylim(-top if np.nanmin(weight) < 0 else 0, top)
    # The alpha axis (and its legends) above the twin axis's weight line.
    alpha_ax.set_zorder(weight_ax.get_zorder() + 1)
    alpha_ax.patch.set_visible(False)
    handles = alpha_ax.get_legend_handles_labels()[0] + weight_ax.get_legend_handles_labels()[0]
    alpha_ax.legend(handles, [h.get_label() for h in handles], loc="upper left", ncol=2, fontsize=7, framealpha=0.8)

    labels = strategy["regime_labels"]
    seen = set()
    for first, last, regime in regime_runs(strategy["dates"], strategy["regime"]):
        for ax in (signal_ax, alpha_ax):
            ax.axvspan(pd.Timestamp(first) - pd.Timedelta(hours=12), pd.Timestamp(last) + pd.Timedelta(hours=12),
                       color=REGIME_COLORS[regime], alpha=0.13, lw=0)
        seen.add(regime)
    patches = [mpatches.Patch(color=REGIME_COLORS[r], alpha=0.3, lw=0, label=labels[r]) for r in sorted(seen)]
    if patches:
        signal_ax.set_title(f"regime ({strategy['regime_method']}): " + ", ".join(labels[r] for r in sorted(seen)),
                            fontsize=8, loc="right")
        alpha_ax.add_artist(alpha_ax.legend_)
        alpha_ax.legend(handles=patches, loc="lower left", ncol=len(patches), fontsize=7, framealpha=0.8)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("out")
    args = parser.parse_args()
    with open(args.input) as handle:
        data = json.load(handle)
    dates = pd.to_datetime(data["dates"])
    close, traded, volume, drawdown = (series(data, name) for name in ("close", "traded_close", "volume", "drawdown"))

    strategy = data.get("strategy")
    if strategy:
        fig, (price_ax, volume_ax, dd_ax, signal_ax, alpha_ax) = plt.subplots(
            5, 1, figsize=(11, 11), sharex=True, gridspec_kw={"height_ratios": [3, 1.1, 1.2, 1.9, 1.6]})
        draw_strategy(strategy, signal_ax, alpha_ax)
        panels = (price_ax, volume_ax, dd_ax, signal_ax, alpha_ax)
    else:
        fig, (price_ax, volume_ax, dd_ax) = plt.subplots(
            3, 1, figsize=(11, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.2, 1.4]})
        panels = (price_ax, volume_ax, dd_ax)
    # Matplotlib reads "$...$" as math: field names are written with an escaped dollar.
    if np.nanmax(np.abs(traded - close)) > 1e-9 * np.nanmax(np.abs(close)):
        price_ax.plot(dates, traded, color="#7f7f7f", lw=0.8, alpha=0.8, label=r"traded close (\$close / \$factor)")
    price_ax.plot(dates, close, color="#1f77b4", lw=1.1, label=r"\$close (adjusted)")
    positive = close[np.isfinite(close)]
    if positive.size and positive.min() > 0 and positive.max() / positive.min() > 8:
        price_ax.set_yscale("log")
    price_ax.set_ylabel("price")

    volume_ax.fill_between(dates, np.nan_to_num(volume), step="mid", color="#2ca02c", alpha=0.55, lw=0)
    volume_ax.set_ylabel(r"\$volume")
    dd_ax.fill_between(dates, np.nan_to_num(drawdown) * 100, 0, where=np.isfinite(drawdown), color="#d62728",
                       alpha=0.45, lw=0)
    dd_ax.set_ylabel("drawdown (%)")

    for first, last in data["missing_runs"]:
        for ax in panels:
            ax.axvspan(pd.Timestamp(first) - pd.Timedelta(hours=12), pd.Timestamp(last) + pd.Timedelta(hours=12),
                       color="#bbbbbb", alpha=0.5, lw=0)
    position = {date: index for index, date in enumerate(data["dates"])}
    labelled = set()
    dividend_dates = []
    for event in data["events"]:
        when = pd.Timestamp(event["date"])
        if event["kind"] == "dividend":
            dividend_dates.append(when)
            continue
        color, style = EVENT_STYLE[event["kind"]]
        label = event["kind"].replace("_", " ") if event["kind"] not in labelled else None
        labelled.add(event["kind"])
        for ax in panels:
            ax.axvline(when, color=color, ls=style, lw=1.3, label=label if ax is price_ax else None)
        price_ax.annotate(event["label"], (when, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -11),
                          textcoords="offset points", color=color, fontsize=8)
    if dividend_dates:
        price_ax.plot(dividend_dates, [0.02] * len(dividend_dates), "^", transform=price_ax.get_xaxis_transform(),
                      color="#2ca02c", ms=4, label=f"dividend ({len(dividend_dates)})")
    jump_rows = [position[date] for date in data["jumps"] if date in position]
    if jump_rows:
        price_ax.plot(dates[jump_rows], close[jump_rows], "x", color="#ff7f0e", ms=7, mew=1.6,
                      label=f"price jump ({len(jump_rows)})")
    handles, labels = price_ax.get_legend_handles_labels()
    if data["missing_runs"]:
        handles.append(mpatches.Patch(color="#bbbbbb", alpha=0.5, lw=0))
        labels.append(f"no bar ({len(data['missing_runs'])} runs)")

    max_dd = data.get("max_drawdown")
    if max_dd is not None:
        dd_ax.set_title(f"max drawdown {max_dd * 100:.1f}%", fontsize=9, loc="right")
    for ax in panels:
        ax.grid(alpha=0.3)
    # The legend sits in a row above the price panel, clear of the lines and the split labels.
    price_ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.01), ncol=min(len(labels), 4), fontsize=8,
                    frameon=False)
    fig.suptitle(data["title"])
    bottom = panels[-1]
    bottom.xaxis.set_major_locator(mdates.AutoDateLocator())
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(bottom.xaxis.get_major_locator()))
    fig.tight_layout()
    fig.savefig(args.out, dpi=DPI, format="png")
    plt.close(fig)


if __name__ == "__main__":
    main()
