"""Charts of one backtest run folder, drawn with matplotlib (Agg backend, PNG at 110 dpi).

    charts.py RUN_DIR OUT_DIR [--importance FILE]

Reads RUN_DIR/daily.csv (datetime, account, return, cost, turnover, bench, net_return, ...),
RUN_DIR/summary.json (periods_per_year under "conventions"), RUN_DIR/ic.csv when present and the
importance file (feature, gain[, split]) when given. Writes one PNG per chart into OUT_DIR and
OUT_DIR/charts.json: [{"name", "title", "file"}] in display order. Run by `alphaloom report`
(src/alphaloom/report/report.cpp) with the interpreter of .venv-bt (requirements-backtest.txt).
"""
import argparse
import json
import math
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROLLING_SHARPE_DAYS = 126
ROLLING_MEAN_DAYS = 20
DPI = 110
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def save(fig, out, name, title, charts):
    fig.tight_layout()
    fig.savefig(out / f"{name}.png", dpi=DPI)
    plt.close(fig)
    charts.append({"name": name, "title": title, "file": f"{name}.png"})


def equity(daily, out, charts):
    fig, ax = plt.subplots(figsize=(10, 4.2))
    initial = daily["account"].iloc[0] / (1 + daily["net_return"].iloc[0])
    ax.plot(daily.index, daily["account"] / initial, label="strategy (net of cost)", color="#1f77b4", lw=1.4)
    ax.plot(daily.index, (1 + daily["return"]).cumprod(), label="strategy (gross)", color="#1f77b4", lw=0.8, ls="--")
    ax.plot(daily.index, (1 + daily["bench"]).cumprod(), label="benchmark", color="#7f7f7f", lw=1.2)
    ax.set_ylabel("growth of 1")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    save(fig, out, "equity", "Equity curve vs benchmark", charts)


def drawdown(daily, out, charts):
    wealth = (1 + daily["net_return"]).cumprod()
    dd = wealth / np.maximum(wealth.cummax(), 1.0) - 1
    bench_wealth = (1 + daily["bench"]).cumprod()
    bench_dd = bench_wealth / np.maximum(bench_wealth.cummax(), 1.0) - 1
    fig, ax = plt.subplots(figsize=(10, 3.2))
    ax.fill_between(daily.index, dd * 100, 0, color="#d62728", alpha=0.45, label="strategy (net)")
    ax.plot(daily.index, bench_dd * 100, color="#7f7f7f", lw=0.9, label="benchmark")
    ax.set_ylabel("drawdown (%)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    save(fig, out, "drawdown", "Drawdown (compounded, from the starting capital)", charts)


def rolling_sharpe(daily, periods, out, charts):
    net = daily["net_return"]
    window = min(ROLLING_SHARPE_DAYS, max(len(net) // 3, 5))
    sharpe = net.rolling(window).mean() / net.rolling(window).std(ddof=1) * math.sqrt(periods)
    fig, ax = plt.subplots(figsize=(10, 3.2))
    ax.plot(daily.index, sharpe, color="#2ca02c", lw=1.2)
    ax.axhline(0, color="black", lw=0.6)
    ax.set_ylabel("annualized Sharpe")
    ax.grid(alpha=0.3)
    save(fig, out, "rolling_sharpe", f"Rolling Sharpe ratio ({window} days, net of cost, x sqrt({periods:g}))", charts)


def monthly_heatmap(daily, out, charts):
    monthly = (1 + daily["net_return"]).groupby([daily.index.year, daily.index.month]).prod() - 1
    years = sorted({year for year, _ in monthly.index})
    grid = np.full((len(years), 12), np.nan)
    for (year, month), value in monthly.items():
        grid[years.index(year), month - 1] = value * 100
    limit = np.nanmax(np.abs(grid)) if np.isfinite(grid).any() else 1.0
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(years) + 1.4))
    image = ax.imshow(grid, cmap="RdYlGn", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(12), MONTHS)
    ax.set_yticks(range(len(years)), [str(year) for year in years])
    for row in range(len(years)):
        for col in range(12):
            if np.isfinite(grid[row, col]):
                ax.text(col, row, f"{grid[row, col]:.1f}", ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="monthly return (%)")
    save(fig, out, "monthly_returns", "Monthly returns (net of cost, %)", charts)


def turnover(daily, out, charts):
    fig, ax = plt.subplots(figsize=(10, 3.2))
    ax.bar(daily.index, daily["turnover"] * 100, width=1.0, color="#9467bd", alpha=0.5, label="daily")
    ax.plot(daily.index, daily["turnover"].rolling(ROLLING_MEAN_DAYS, min_periods=1).mean() * 100, color="#4b0082",
            lw=1.2, label=f"{ROLLING_MEAN_DAYS}-day mean")
    ax.set_ylabel("traded value / account (%)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right")
    save(fig, out, "turnover", "Turnover", charts)


def information_coefficient(ic, out, charts):
    fig, ax = plt.subplots(figsize=(10, 3.2))
    ax.bar(ic.index, ic["ic"], width=1.0, color="#ff7f0e", alpha=0.45, label="daily IC")
    ax.plot(ic.index, ic["ic"].rolling(ROLLING_MEAN_DAYS, min_periods=1).mean(), color="#8c3b00", lw=1.3,
            label=f"{ROLLING_MEAN_DAYS}-day mean")
    ax.plot(ic.index, ic["rank_ic"].rolling(ROLLING_MEAN_DAYS, min_periods=1).mean(), color="#17becf", lw=1.0,
            label=f"rank IC, {ROLLING_MEAN_DAYS}-day mean")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_ylabel("IC")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right")
    save(fig, out, "ic", "Daily IC of the signal vs the next day's return (Ref($close,-2)/Ref($close,-1)-1)", charts)


def importance(path, out, charts, top=30):
    frame = pd.read_csv(path)
    value = "gain" if "gain" in frame else frame.columns[1]
    frame = frame.sort_values(value, ascending=False).head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.26 * len(frame) + 1.2))
    ax.barh(frame["feature"].astype(str), frame[value], color="#1f77b4")
    ax.set_xlabel(value)
    ax.grid(alpha=0.3, axis="x")
    save(fig, out, "importance", f"Feature importance (top {len(frame)} by {value})", charts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("run")
    parser.add_argument("out")
    parser.add_argument("--importance")
    args = parser.parse_args()
    run, out = pathlib.Path(args.run), pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    daily = pd.read_csv(run / "daily.csv", parse_dates=["datetime"]).set_index("datetime")
    summary = json.loads((run / "summary.json").read_text())
    periods = float(summary.get("conventions", {}).get("periods_per_year", 252))
    charts = []
    equity(daily, out, charts)
    drawdown(daily, out, charts)
    rolling_sharpe(daily, periods, out, charts)
    monthly_heatmap(daily, out, charts)
    if (run / "ic.csv").exists():
        ic = pd.read_csv(run / "ic.csv", parse_dates=["datetime"]).set_index("datetime")
        if ic["ic"].notna().any():
            information_coefficient(ic, out, charts)
    turnover(daily, out, charts)
    if args.importance:
        importance(args.importance, out, charts)
    (out / "charts.json").write_text(json.dumps(charts, indent=1))


if __name__ == "__main__":
    main()
