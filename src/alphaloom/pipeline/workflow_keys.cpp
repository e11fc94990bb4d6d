#include "alphaloom/pipeline/workflow_keys.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::pipeline {
namespace {

using enum KeyType;

// Kinds shared by several rows.
constexpr std::string_view kForwardKinds = "forward states";
constexpr std::string_view kBarrierKinds = "triple_barrier meta";
constexpr std::string_view kWalkForward = "walk_forward";
constexpr std::string_view kSegments = "segments";
constexpr std::string_view kTopk = "topk_dropout";
constexpr std::string_view kQuantile = "quantile";
constexpr std::string_view kHybrid = "hybrid";

// The table. A section's rows follow its own row; the defaults and bounds are those of the
// library the section configures (tests/pipeline/workflow_keys_test.cpp compares them).
constexpr WorkflowKey kKeys[] = {
    {.path = "name", .fallback = "alphaloom",
     .doc = "the workflow's name: run folder, MLflow experiment and run name, model name"},

    {.path = "data", .type = kSection, .required = true, .doc = "the bar store and its ingest"},
    {.path = "data.store", .required = true, .doc = "the store directory, in Qlib's layout"},
    {.path = "data.ingest", .type = kSection, .shown_default = "none",
     .doc = "bars to ingest: the ingest stage (re)builds data.store when they change"},
    {.path = "data.ingest.input", .required = true, .doc = "a bar file, a directory of bar files, or a Qlib directory"},
    {.path = "data.ingest.format", .fallback = "auto", .choices = "auto csv parquet qlib",
     .doc = "auto: qlib when input has calendars/day.txt, else by file extension"},
    {.path = "data.ingest.on_error", .fallback = "fail", .choices = "fail skip",
     .doc = "a rejected bar file fails the ingest, or is reported and skipped"},

    {.path = "universe", .type = kSection, .doc = "which instruments"},
    {.path = "universe.market", .fallback = "all", .doc = "all, a market name, a file of symbols, or A,B,C"},
    {.path = "universe.benchmark", .shown_default = "none",
     .doc = "benchmark symbol: kept out of the market, the backtest's benchmark, the regimes' input"},

    {.path = "factors", .type = kSection, .doc = "the features"},
    {.path = "factors.sets", .type = kNames, .fallback = "[alpha158]",
     .doc = "built-in factor sets (alpha158, alpha360, cross, ta) or files of NAME = expression lines"},
    {.path = "factors.extra", .type = kMapping, .shown_default = "none",
     .doc = "more factors, NAME: expression (Qlib syntax)"},

    {.path = "label", .type = kSection, .doc = "what the model learns (docs/labels_and_cv.md)"},
    {.path = "label.kind", .fallback = "forward", .choices = "forward states triple_barrier meta",
     .doc = "forward returns, their state buckets, triple-barrier labels, or meta-labels of a side"},
    {.path = "label.horizon", .kinds = kForwardKinds, .type = kNumbers, .fallback = "[1]", .min = 1, .max = 10000,
     .bars = true, .distinct = true, .non_empty = true,
     .doc = "bars held; a list gives one label per horizon (the first is trained)"},
    {.path = "label.form", .kinds = kForwardKinds, .fallback = "qlib", .choices = "qlib close",
     .doc = "qlib: next close to the close h bars later; close: close to close"},
    {.path = "label.normalize", .kinds = kForwardKinds, .fallback = "none", .choices = "none cs_zscore cs_rank",
     .doc = "per-day normalisation of the training target (scores use the raw label)"},
    {.path = "label.price", .kinds = kForwardKinds, .fallback = "close", .doc = "price field of the returns"},
    {.path = "label.require_bar", .kinds = kForwardKinds, .type = kBool, .fallback = "true",
     .doc = "no label on a day the instrument has no bar (false: as Qlib)"},
    {.path = "label.thresholds", .kinds = "states", .type = kNumbers, .fallback = "[-0.03, -0.01, 0.01, 0.03, 0.06]",
     .doc = "strictly increasing bucket edges, in return units"},
    {.path = "label.lowest", .kinds = "states", .type = kInt, .shown_default = "the bucket of a zero return is 0",
     .doc = "number of the lowest state"},
    {.path = "label.volatility", .kinds = kBarrierKinds, .fallback = "ewm", .choices = "ewm book_daily atr",
     .doc = "barrier width target: EWM std of daily returns, the book's daily estimate, or ATR"},
    {.path = "label.span", .kinds = kBarrierKinds, .type = kNumber, .fallback = "100", .min = 1,
     .doc = "EWM span of the volatility target"},
    {.path = "label.atr_period", .kinds = kBarrierKinds, .type = kInt, .fallback = "14", .min = 1,
     .doc = "ATR period (volatility: atr)"},
    {.path = "label.profit_take", .kinds = kBarrierKinds, .type = kNumber, .fallback = "1", .min = 0,
     .doc = "upper barrier in multiples of the target; 0 disables it"},
    {.path = "label.stop_loss", .kinds = kBarrierKinds, .type = kNumber, .fallback = "1", .min = 0,
     .doc = "lower barrier in multiples of the target; 0 disables it"},
    {.path = "label.vertical_bars", .kinds = kBarrierKinds, .type = kInt, .fallback = "5", .min = 1,
     .doc = "vertical barrier, in bars"},
    {.path = "label.min_ret", .kinds = kBarrierKinds, .type = kNumber, .fallback = "0",
     .doc = "events need a target above this"},
    {.path = "label.timeout", .kinds = kBarrierKinds, .fallback = "sign", .choices = "sign zero",
     .doc = "label when the vertical barrier comes first: the return's sign, or 0"},
    {.path = "label.side", .kinds = kBarrierKinds, .shown_default = "none: every event long",
     .doc = "side expression: +1 long, -1 short, 0 no bet; required for meta"},
    {.path = "label.weights", .fallback = "none", .choices = "none uniqueness attribution",
     .doc = "sample weights: average uniqueness, or return attribution"},
    {.path = "label.decay", .type = kNumber, .fallback = "1", .min = -1, .max = 1, .min_open = true,
     .doc = "time decay c of the weights (1: none)"},

    {.path = "processors", .type = kSection, .doc = "feature processing, fitted on each fold's training rows"},
    {.path = "processors.fit_on", .fallback = "train", .choices = "train", .doc = "the rows processors are fitted on"},
    {.path = "processors.steps", .type = kSteps, .shown_default = "none",
     .doc = "in order: dropna_label (implied), zscore, robust_zscore, cs_zscore, cs_rank, fillna, process_inf"},
    {.path = "processors.steps.fillna.value", .type = kNumber, .fallback = "0", .doc = "fillna: the value NaN becomes"},
    {.path = "processors.steps.robust_zscore.clip", .type = kBool, .fallback = "true",
     .doc = "robust_zscore: clip to [-3, 3]"},

    {.path = "cv", .type = kSection, .doc = "the folds (docs/labels_and_cv.md)"},
    {.path = "cv.kind", .fallback = "walk_forward", .choices = "walk_forward purged_kfold cpcv segments",
     .doc = "walk-forward, purged k-fold, combinatorial purged CV, or fixed segments"},
    {.path = "cv.train", .kinds = kWalkForward, .fallback = "expanding", .choices = "expanding rolling",
     .doc = "training window: every date before the test block, or the last train_days"},
    {.path = "cv.train_days", .kinds = kWalkForward, .type = kInt, .fallback = "250", .min = 0,
     .doc = "rolling window length (at least 1); expanding: dates before the first test block"},
    {.path = "cv.test_days", .kinds = kWalkForward, .type = kInt, .fallback = "250", .min = 1,
     .doc = "dates per test block"},
    {.path = "cv.step_days", .kinds = kWalkForward, .type = kInt, .fallback = "0", .shown_default = "0 (= test_days)",
     .min = 0, .doc = "dates between test block starts"},
    {.path = "cv.embargo_days", .kinds = "walk_forward segments", .type = kInt, .fallback = "0", .min = 0,
     .doc = "dates left out before each test block; segments: rows starting this soon after a later segment"},
    {.path = "cv.valid_days", .kinds = kWalkForward, .type = kInt, .fallback = "0", .min = 0,
     .doc = "the last dates before the embargo form the validation set"},
    {.path = "cv.first_test", .kinds = kWalkForward, .type = kDate,
     .shown_default = "train_days + valid_days + embargo_days",
     .doc = "first test date"},
    {.path = "cv.folds", .kinds = "purged_kfold", .type = kInt, .fallback = "5",
     .doc = "folds (at least 2, at most the sample dates)"},
    {.path = "cv.embargo_pct", .kinds = "purged_kfold cpcv", .type = kNumber, .fallback = "0.01", .min = 0, .max = 1,
     .max_open = true, .doc = "share of the sample dates embargoed after each test block"},
    {.path = "cv.groups", .kinds = "cpcv", .type = kInt, .fallback = "6",
     .doc = "groups of dates (at least 2, at most the sample dates)"},
    {.path = "cv.test_groups", .kinds = "cpcv", .type = kInt, .fallback = "2", .min = 1,
     .doc = "groups tested per split (below groups)"},
    {.path = "cv.train", .kinds = kSegments, .type = kSection, .required = true, .doc = "the training segment"},
    {.path = "cv.train.start", .type = kDate, .required = true, .doc = "first date"},
    {.path = "cv.train.end", .type = kDate, .required = true, .doc = "last date"},
    {.path = "cv.valid", .kinds = kSegments, .type = kSection, .shown_default = "none",
     .doc = "the validation segment (early stopping)"},
    {.path = "cv.valid.start", .type = kDate, .required = true, .doc = "first date"},
    {.path = "cv.valid.end", .type = kDate, .required = true, .doc = "last date"},
    {.path = "cv.test", .kinds = kSegments, .type = kSection, .required = true, .doc = "the test segment"},
    {.path = "cv.test.start", .type = kDate, .required = true, .doc = "first date"},
    {.path = "cv.test.end", .type = kDate, .required = true, .doc = "last date"},
    {.path = "cv.purge", .kinds = kSegments, .type = kBool, .fallback = "true",
     .doc = "drop training rows whose label span reaches a later segment"},
    {.path = "cv.start", .type = kDate, .shown_default = "none", .doc = "samples before it are left out of every fold"},
    {.path = "cv.end", .type = kDate, .shown_default = "none",
     .doc = "samples after it are left out; features and labels use no data after it"},

    {.path = "model", .type = kSection, .doc = "the learner (docs/models.md)"},
    {.path = "model.kind", .fallback = "lightgbm", .choices = "lightgbm xgboost ridge", .doc = "the library"},
    {.path = "model.objective", .fallback = "regression", .choices = "regression huber binary multiclass",
     .doc = "what the model fits"},
    {.path = "model.num_class", .type = kInt, .fallback = "0", .min = 0,
     .doc = "multiclass: classes (0: those of the labels); other objectives: 0"},
    {.path = "model.num_rounds", .type = kInt, .fallback = "100", .min = 1, .doc = "maximum boosting rounds"},
    {.path = "model.early_stopping", .type = kInt, .fallback = "0", .min = 0,
     .doc = "stop after this many rounds without a better validation loss (0: off; needs validation rows)"},
    {.path = "model.seed", .type = kInt, .fallback = "0", .min = 0, .doc = "seeds every random choice of the library"},
    {.path = "model.threads", .type = kInt, .fallback = "1", .min = 1, .doc = "training and prediction threads"},
    {.path = "model.params", .type = kMapping, .shown_default = "none",
     .doc = "library parameters by the library's own names, name: value"},

    {.path = "strategy", .type = kSection, .doc = "how scores become positions (docs/strategy.md, docs/backtest.md)"},
    {.path = "strategy.kind", .fallback = "topk_dropout", .choices = "topk_dropout quantile hybrid",
     .doc = "Qlib's TopK-dropout, long-short quantiles, or the hybrid strategy's target weights"},
    {.path = "strategy.topk", .kinds = kTopk, .type = kInt, .fallback = "50", .min = 1, .doc = "names held"},
    {.path = "strategy.n_drop", .kinds = kTopk, .type = kInt, .fallback = "5", .min = 0,
     .doc = "names replaced per day"},
    {.path = "strategy.risk_degree", .kinds = kTopk, .type = kNumber, .fallback = "0.95", .min = 0, .max = 1,
     .min_open = true, .doc = "share of cash spent on buys"},
    {.path = "strategy.hold_thresh", .kinds = kTopk, .type = kInt, .fallback = "1", .min = 0,
     .doc = "closes a name is held before it may be sold"},
    {.path = "strategy.only_tradable", .kinds = kTopk, .type = kBool, .fallback = "false",
     .doc = "skip untradable names when picking (Qlib's option)"},
    {.path = "strategy.forbid_all_trade_at_limit", .kinds = kTopk, .type = kBool, .fallback = "true",
     .doc = "a price limit blocks both directions (Qlib's default)"},
    {.path = "strategy.sizing", .kinds = kTopk, .fallback = "cash", .choices = "cash equity",
     .doc = "cash (Qlib) or an equal share of equity per name"},
    {.path = "strategy.python_slices", .kinds = kTopk, .type = kBool, .fallback = "true",
     .doc = "Qlib's negative Python slice counts (false: clamp at 0)"},
    {.path = "strategy.quantile", .kinds = kQuantile, .type = kNumber, .fallback = "0.2", .min = 0, .max = 0.5,
     .min_open = true, .doc = "share of the scored names on each side"},
    {.path = "strategy.exposure", .kinds = kQuantile, .type = kNumber, .fallback = "0.5", .min = 0, .max = 1,
     .min_open = true, .doc = "weight of each side"},
    {.path = "strategy.long_only", .kinds = kQuantile, .type = kBool, .fallback = "false", .doc = "the long side only"},
    {.path = "strategy.signals", .kinds = kHybrid, .type = kSection, .doc = "the rule alphas"},
    {.path = "strategy.signals.trend_windows", .type = kNumbers, .fallback = "[20, 50, 200]", .min = 1, .max = 100000,
     .bars = true, .non_empty = true, .doc = "trend: moving-average windows the price is compared with"},
    {.path = "strategy.signals.trend_scale", .type = kNumber, .fallback = "0.10", .min = 0, .min_open = true,
     .doc = "trend: distance from the averages that saturates the score"},
    {.path = "strategy.signals.reversion_window", .type = kInt, .fallback = "20", .min = 2,
     .doc = "mean reversion: window of the z-score"},
    {.path = "strategy.signals.reversion_k", .type = kNumber, .fallback = "2.0", .min = 0, .min_open = true,
     .doc = "mean reversion: fires beyond +-k standard deviations"},
    {.path = "strategy.signals.strong_trend_window", .type = kInt, .fallback = "50", .min = 1,
     .doc = "mean reversion: window of the strong-trend filter"},
    {.path = "strategy.signals.strong_trend", .type = kNumber, .fallback = "0.10", .min = 0, .min_open = true,
     .doc = "mean reversion: silent when the trend over the window exceeds this"},
    {.path = "strategy.signals.vol_window", .type = kInt, .fallback = "20", .min = 2,
     .doc = "volatility: window of the recent volatility"},
    {.path = "strategy.signals.vol_history", .type = kInt, .fallback = "252", .min = 1,
     .doc = "volatility: window of its average"},
    {.path = "strategy.signals.vol_scale", .type = kNumber, .fallback = "2.0", .min = 1, .min_open = true,
     .doc = "volatility: ratio to the average that saturates the score"},
    {.path = "strategy.signals.rs_windows", .type = kNumbers, .fallback = "[20, 60, 120]", .min = 1, .max = 100000,
     .bars = true, .non_empty = true, .doc = "relative strength: return windows against the benchmark"},
    {.path = "strategy.signals.rs_scale", .type = kNumber, .fallback = "0.10", .min = 0, .min_open = true,
     .doc = "relative strength: excess return that saturates the score"},
    {.path = "strategy.signals.realized_vol_window", .type = kInt, .fallback = "20", .min = 2,
     .doc = "realized volatility window used by sizing"},
    {.path = "strategy.regime", .kinds = kHybrid, .type = kSection, .doc = "the market regime of each date"},
    {.path = "strategy.regime.method", .fallback = "rules", .choices = "rules hmm",
     .doc = "benchmark trend and volatility rules, or a forward-filtered Gaussian HMM"},
    {.path = "strategy.regime.rules", .type = kSection, .doc = "rules: thresholds"},
    {.path = "strategy.regime.rules.trend_window", .type = kInt, .fallback = "200", .min = 2,
     .doc = "moving average of the benchmark"},
    {.path = "strategy.regime.rules.trend_band", .type = kNumber, .fallback = "0.02", .min = 0,
     .doc = "distance from it that makes a trend"},
    {.path = "strategy.regime.rules.vol_window", .type = kInt, .fallback = "20", .min = 2,
     .doc = "window of the annualized volatility"},
    {.path = "strategy.regime.rules.high_vol", .type = kNumber, .fallback = "0.25", .min = 0, .min_open = true,
     .doc = "a bull market needs volatility below this (at most crash_vol)"},
    {.path = "strategy.regime.rules.crash_vol", .type = kNumber, .fallback = "0.45", .min = 0, .min_open = true,
     .doc = "volatility that makes a crash"},
    {.path = "strategy.regime.rules.crash_window", .type = kInt, .fallback = "20", .min = 1,
     .doc = "window of the drawdown that makes a crash"},
    {.path = "strategy.regime.rules.crash_return", .type = kNumber, .fallback = "-0.15", .min = -1, .max = 0,
     .min_open = true, .max_open = true, .doc = "return over crash_window that makes a crash"},
    {.path = "strategy.regime.rules.confirm_days", .type = kInt, .fallback = "1", .min = 1,
     .doc = "days a new regime must hold before it is reported"},
    {.path = "strategy.regime.hmm", .type = kSection, .doc = "hmm: the model and its refits"},
    {.path = "strategy.regime.hmm.states", .type = kInt, .fallback = "3", .doc = "hidden states, 2 to 8"},
    {.path = "strategy.regime.hmm.min_train", .type = kInt, .fallback = "504",
     .doc = "returns before the first fit (at least 10 per state)"},
    {.path = "strategy.regime.hmm.refit_every", .type = kInt, .fallback = "63", .min = 1,
     .doc = "returns between refits"},
    {.path = "strategy.regime.hmm.fit_window", .type = kInt, .fallback = "0", .min = 0,
     .doc = "fit on the last this many returns (0: all so far; else at least min_train)"},
    {.path = "strategy.regime.hmm.return_scale", .type = kNumber, .fallback = "100", .min = 0, .min_open = true,
     .doc = "returns are multiplied by this before fitting"},
    {.path = "strategy.regime.hmm.n_iter", .type = kInt, .fallback = "50", .min = 1,
     .doc = "EM iterations per fit, at most"},
    {.path = "strategy.regime.hmm.tol", .type = kNumber, .fallback = "0.001", .min = 0,
     .doc = "EM stops below this log-likelihood gain"},
    {.path = "strategy.regime.hmm.covars_prior", .type = kNumber, .fallback = "0.01", .min = 0,
     .doc = "variance prior (as hmmlearn)"},
    {.path = "strategy.regime.hmm.crash_vol", .type = kNumber, .fallback = "0.45", .min = 0, .min_open = true,
     .doc = "a state this volatile (annualized) with a negative mean is crash"},
    {.path = "strategy.regime.hmm.warm_start", .type = kBool, .fallback = "true",
     .doc = "refits start from the previous fit"},
    {.path = "strategy.regime.ids", .type = kSection, .doc = "the id written for each regime (distinct)"},
    {.path = "strategy.regime.ids.bull", .type = kInt, .fallback = "0", .doc = "bull"},
    {.path = "strategy.regime.ids.bear", .type = kInt, .fallback = "1", .doc = "bear"},
    {.path = "strategy.regime.ids.choppy", .type = kInt, .fallback = "2", .doc = "choppy"},
    {.path = "strategy.regime.ids.crash", .type = kInt, .fallback = "3", .doc = "crash"},
    {.path = "strategy.regime.labels", .type = kSection,
     .doc = "the label of each regime (distinct, non-empty, not 'default')"},
    {.path = "strategy.regime.labels.bull", .fallback = "bull", .doc = "bull"},
    {.path = "strategy.regime.labels.bear", .fallback = "bear", .doc = "bear"},
    {.path = "strategy.regime.labels.choppy", .fallback = "choppy", .doc = "choppy"},
    {.path = "strategy.regime.labels.crash", .fallback = "crash", .doc = "crash"},
    {.path = "strategy.meta", .kinds = kHybrid, .type = kSection, .doc = "the meta-model combining the components"},
    {.path = "strategy.meta.ml_signal", .fallback = "prob_up", .choices = "prob_up bet_size yhat_rank",
     .doc = "the ML component: 2 prob_up - 1, the bet size of prob_up, or yhat's daily rank"},
    {.path = "strategy.meta.bet_step", .type = kNumber, .fallback = "0", .min = 0, .max = 1,
     .doc = "bet_size discretization step (0: none)"},
    {.path = "strategy.meta.horizon", .type = kInt, .fallback = "1",
     .doc = "prediction rows of this horizon when they have several"},
    {.path = "strategy.meta.weights", .type = kSection, .shown_default = "the shipped weights (docs/strategy.md)",
     .doc = "component weights per regime label, and default for dates without a regime"},
    {.path = "strategy.meta.weights.*", .type = kSection,
     .doc = "a regime label or default: its weights (absolute values sum to 1; absent ones are 0)"},
    {.path = "strategy.meta.weights.*.trend", .type = kNumber, .fallback = "0", .doc = "trend"},
    {.path = "strategy.meta.weights.*.mean_reversion", .type = kNumber, .fallback = "0", .doc = "mean reversion"},
    {.path = "strategy.meta.weights.*.volatility", .type = kNumber, .fallback = "0", .doc = "volatility"},
    {.path = "strategy.meta.weights.*.relative_strength", .type = kNumber, .fallback = "0", .doc = "relative strength"},
    {.path = "strategy.meta.weights.*.ml", .type = kNumber, .fallback = "0", .doc = "the ML signal"},
    {.path = "strategy.sizing", .kinds = kHybrid, .type = kSection, .doc = "alpha scores to target weights"},
    {.path = "strategy.sizing.method", .fallback = "vol_target", .choices = "vol_target kelly",
     .doc = "volatility targeting, or fractional Kelly"},
    {.path = "strategy.sizing.target_vol", .type = kNumber, .fallback = "0.10", .min = 0, .min_open = true,
     .doc = "annualized volatility of a full-score position"},
    {.path = "strategy.sizing.min_vol", .type = kNumber, .fallback = "0.05", .min = 0, .min_open = true,
     .doc = "volatility floor"},
    {.path = "strategy.sizing.max_weight", .type = kNumber, .fallback = "0.05", .min = 0, .min_open = true,
     .doc = "|weight| per name, at most"},
    {.path = "strategy.sizing.max_gross", .type = kNumber, .fallback = "1.0", .min = 0, .min_open = true,
     .doc = "sum of |weight|, at most"},
    {.path = "strategy.sizing.max_net", .type = kNumber, .fallback = "1.0", .min = 0,
     .doc = "|sum of weights|, at most (at most max_gross)"},
    {.path = "strategy.sizing.long_only", .type = kBool, .fallback = "true", .doc = "negative weights become 0"},
    {.path = "strategy.sizing.min_abs_score", .type = kNumber, .fallback = "0", .min = 0,
     .doc = "|score| below this gives weight 0"},
    {.path = "strategy.sizing.kelly_fraction", .type = kNumber, .fallback = "0.5", .min = 0, .max = 1, .min_open = true,
     .doc = "kelly: fraction of the full Kelly bet"},
    {.path = "strategy.sizing.kelly_edge", .type = kNumber, .fallback = "0.05", .min = 0, .min_open = true,
     .doc = "kelly: annual excess return expected at score 1"},

    {.path = "backtest", .type = kSection, .doc = "the simulated exchange (docs/backtest.md)"},
    {.path = "backtest.start", .type = kDate, .shown_default = "the first out-of-fold date", .doc = "first day"},
    {.path = "backtest.end", .type = kDate, .shown_default = "the day after the last out-of-fold date",
     .doc = "last day"},
    {.path = "backtest.account", .type = kNumber, .fallback = "1e8", .min = 0, .min_open = true, .doc = "initial cash"},
    {.path = "backtest.signal_timing", .fallback = "previous_day", .choices = "previous_day same_day_close",
     .doc = "trade on t the score of t-1, or of t at t's close (deal_price close only)"},
    {.path = "backtest.deal_price", .fallback = "close", .choices = "open close vwap", .doc = "the fill price"},
    {.path = "backtest.open_cost", .type = kNumber, .fallback = "0.0005", .min = 0, .doc = "cost rate of buys"},
    {.path = "backtest.close_cost", .type = kNumber, .fallback = "0.0015", .min = 0, .doc = "cost rate of sells"},
    {.path = "backtest.min_cost", .type = kNumber, .fallback = "5", .min = 0, .doc = "minimum cost of an order"},
    {.path = "backtest.impact_cost", .type = kNumber, .fallback = "0", .min = 0,
     .doc = "impact coefficient on (order value / day's traded value)^2"},
    {.path = "backtest.limit_threshold", .type = kNumber, .shown_default = "none: no price limits", .min = 0,
     .min_open = true, .doc = "a move this large (e.g. 0.095) blocks trading in its direction"},
    {.path = "backtest.limit_rule", .fallback = "change", .choices = "change open-gap",
     .doc = "the move: close to close (Qlib), or the open's gap"},
    {.path = "backtest.trade_unit", .type = kNumber, .fallback = "100", .min = 0,
     .doc = "lot size in shares (0: none)"},
    {.path = "backtest.ic", .type = kBool, .fallback = "true", .doc = "compute the signal's daily IC"},

    {.path = "metrics", .type = kSection, .doc = "summary conventions and promotion gates (docs/metrics.md)"},
    {.path = "metrics.preset", .fallback = "qlib", .choices = "default qlib",
     .doc = "qlib: 238 days a year, summed returns; default: 252, compounded"},
    {.path = "metrics.gates", .type = kMapping,
     .shown_default = "sortino_min: 1.2, profit_factor_min: 1.15, max_drawdown_max: 0.06",
     .doc = "<metric>_min / <metric>_max: threshold; replaces the default of that key (null removes it)"},
    {.path = "metrics.trials", .type = kNumber, .fallback = "1", .min = 1,
     .doc = "strategies tried, for the deflated Sharpe ratio"},
    {.path = "metrics.trial_sharpe_variance", .type = kNumber, .fallback = "0", .min = 0,
     .doc = "variance of their annualized Sharpe ratios (required when trials > 1)"},

    {.path = "report", .type = kSection, .doc = "the report stage"},
    {.path = "report.html", .type = kBool, .fallback = "true", .doc = "write report/ (index.html and charts)"},

    {.path = "tracking", .type = kSection, .shown_default = "none",
     .doc = "log the run to MLflow (docs/tracking.md); absent: no tracking"},
    {.path = "tracking.uri", .fallback = "./mlruns", .doc = "a file store (path or file: URI) or an http(s):// server"},
    {.path = "tracking.experiment", .shown_default = "the workflow's name", .doc = "experiment name"},
    {.path = "tracking.run_name", .shown_default = "the workflow's name", .doc = "run name"},
    {.path = "tracking.register_as", .shown_default = "none",
     .doc = "register the model as a new version of this model"},
    {.path = "tracking.alias", .shown_default = "none", .doc = "alias set on the new version when the gates pass"},
    {.path = "tracking.token_env", .shown_default = "none", .doc = "environment variable holding the server's token"},
    {.path = "tracking.local_store", .fallback = "./mlruns", .doc = "with a server uri: the local copy written first"},
    {.path = "tracking.max_attempts", .type = kInt, .fallback = "5", .min = 1,
     .doc = "attempts per server request (connection errors, 5xx)"},

    {.path = "store", .type = kSection, .shown_default = "none", .doc = "the SQL store (docs/store.md)"},
    {.path = "store.uri", .shown_default = "none: no store",
     .doc = "sqlite:///relative.db, sqlite:////abs.db, a path, or postgresql://user@host:port/db"},
    {.path = "store.tables", .type = kNames, .fallback = "[preds, target_weights]",
     .doc = "tables written: any of features, labels, preds, target_weights"},
    {.path = "store.model_name", .shown_default = "tracking.register_as, else name",
     .doc = "model name written with the predictions"},

    {.path = "output", .type = kSection, .doc = "where results go"},
    {.path = "output.dir", .fallback = "runs", .doc = "run folders: <dir>/<name>"},
    {.path = "output.cache", .fallback = ".alphaloom-cache", .doc = "the stage cache"},
};

std::string_view ParentOf(std::string_view path) {
  const size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
}

std::string_view LastOf(std::string_view path) {
  const size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t begin = 0;
  while (begin < text.size()) {
    const size_t end = std::min(text.find(' ', begin), text.size());
    if (end > begin) words.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return words;
}

std::string Number(double value) { return fmt::format("{}", value); }

std::string_view TypeName(KeyType type) {
  switch (type) {
    case kSection: return "section";
    case kString: return "string";
    case kInt: return "integer";
    case kNumber: return "number";
    case kBool: return "true/false";
    case kDate: return "date";
    case kNumbers: return "numbers";
    case kNames: return "names";
    case kMapping: return "mapping";
    case kSteps: return "steps";
  }
  return "?";
}

bool HasBounds(const WorkflowKey& key) { return std::isfinite(key.min) || std::isfinite(key.max); }

// The bounds in words: "at least 1", "in (-1, 1]", "a positive number".
std::string BoundsText(const WorkflowKey& key) {
  if (std::isfinite(key.min) && std::isfinite(key.max)) {
    return fmt::format("in {}{}, {}{}", key.min_open ? '(' : '[', Number(key.min), Number(key.max),
                       key.max_open ? ')' : ']');
  }
  if (std::isfinite(key.min)) {
    if (key.min_open) return key.min == 0 ? "a positive number" : "above " + Number(key.min);
    return "at least " + Number(key.min);
  }
  return (key.max_open ? "below " : "at most ") + Number(key.max);
}

// The accepted values in short: choices, bounds and list rules.
std::string AcceptedText(const WorkflowKey& key, std::string_view separator) {
  std::vector<std::string> parts;
  if (!key.choices.empty()) {
    std::string choices;
    for (const std::string_view choice : Choices(key)) {
      if (!choices.empty()) choices += separator;
      choices += choice;
    }
    parts.push_back(choices);
  }
  if (key.bars) parts.emplace_back("whole numbers");
  if (HasBounds(key)) parts.push_back(BoundsText(key));
  if (key.distinct) parts.emplace_back("distinct");
  if (key.non_empty) parts.emplace_back("at least one");
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string DefaultText(const WorkflowKey& key) {
  if (key.required) return "required";
  if (!key.shown_default.empty()) return std::string(key.shown_default);
  if (!key.fallback.empty()) return std::string(key.fallback);
  return key.type == kString ? "\"\"" : "-";
}

std::string_view TopSection(std::string_view path) { return path.substr(0, path.find('.')); }

std::vector<const WorkflowKey*> Selected(std::string_view section) {
  std::vector<const WorkflowKey*> rows;
  for (const WorkflowKey& key : kKeys) {
    if (section.empty() || key.path == section ||
        (key.path.size() > section.size() && key.path.starts_with(section) && key.path[section.size()] == '.')) {
      rows.push_back(&key);
    }
  }
  if (rows.empty()) {
    std::vector<std::string_view> sections;
    for (const WorkflowKey& key : kKeys) {
      if (key.type == kSection && ParentOf(key.path).empty()) sections.push_back(key.path);
    }
    throw Error(ErrorKind::kUsage,
                fmt::format("unknown section '{}' (sections: {})", section, fmt::join(sections, ", ")));
  }
  return rows;
}

std::string KindsText(const WorkflowKey& key, std::string_view separator) {
  return fmt::format("{}", fmt::join(Words(key.kinds), separator));
}

std::string EscapeCell(std::string text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string Markdown(const std::vector<const WorkflowKey*>& rows) {
  std::string out;
  size_t begin = 0;
  while (begin < rows.size()) {
    const std::string_view top = TopSection(rows[begin]->path);
    size_t end = begin;
    bool kinds = false;
    for (; end < rows.size() && TopSection(rows[end]->path) == top; ++end) {
      if (!rows[end]->kinds.empty()) kinds = true;
    }
    out += fmt::format("{}### `{}`\n\n", out.empty() ? "" : "\n", top);
    out += kinds ? "| key | kind | type | default | accepted | meaning |\n|---|---|---|---|---|---|\n"
                 : "| key | type | default | accepted | meaning |\n|---|---|---|---|---|\n";
    for (size_t row = begin; row < end; ++row) {
      const WorkflowKey& key = *rows[row];
      out += fmt::format("| `{}` |", DisplayPath(key));
      if (kinds) out += fmt::format(" {} |", KindsText(key, ", "));
      out += fmt::format(" {} | {} | {} | {} |\n", TypeName(key.type), EscapeCell(DefaultText(key)),
                         EscapeCell(AcceptedText(key, ", ")), EscapeCell(std::string(key.doc)));
    }
    begin = end;
  }
  return out;
}

std::string Text(const std::vector<const WorkflowKey*>& rows) {
  std::vector<std::array<std::string, 5>> cells;
  std::array<size_t, 5> widths{};
  for (const WorkflowKey* key : rows) {
    std::string name = DisplayPath(*key);
    if (!key->kinds.empty()) name += fmt::format(" ({})", KindsText(*key, ", "));
    cells.push_back({name, std::string(TypeName(key->type)), DefaultText(*key), AcceptedText(*key, " | "),
                     std::string(key->doc)});
    for (size_t column = 0; column + 1 < widths.size(); ++column) {
      widths[column] = std::max(widths[column], cells.back()[column].size());
    }
  }
  std::string out;
  for (size_t row = 0; row < cells.size(); ++row) {
    if (row > 0 && TopSection(rows[row]->path) != TopSection(rows[row - 1]->path)) out += '\n';
    for (size_t column = 0; column + 1 < widths.size(); ++column) {
      out += fmt::format("{:<{}}  ", cells[row][column], widths[column]);
    }
    out += cells[row].back() + '\n';
  }
  return out;
}

std::string Json(const std::vector<const WorkflowKey*>& rows) {
  nlohmann::ordered_json keys = nlohmann::ordered_json::array();
  for (const WorkflowKey* key : rows) {
    nlohmann::ordered_json row = {{"key", DisplayPath(*key)}, {"type", TypeName(key->type)}};
    std::vector<std::string> kinds, choices;
    for (const std::string_view kind : Words(key->kinds)) kinds.emplace_back(kind);
    for (const std::string_view choice : Choices(*key)) choices.emplace_back(choice);
    row["kinds"] = kinds;
    row["required"] = key->required;
    row["default"] = key->required ? nlohmann::ordered_json() : nlohmann::ordered_json(DefaultText(*key));
    row["choices"] = choices;
    row["min"] = std::isfinite(key->min) ? nlohmann::ordered_json(key->min) : nlohmann::ordered_json();
    row["min_open"] = key->min_open;
    row["max"] = std::isfinite(key->max) ? nlohmann::ordered_json(key->max) : nlohmann::ordered_json();
    row["max_open"] = key->max_open;
    row["whole"] = key->bars;
    row["distinct"] = key->distinct;
    row["non_empty"] = key->non_empty;
    row["doc"] = key->doc;
    keys.push_back(std::move(row));
  }
  return keys.dump(2) + "\n";
}

// The offsets of the generated block: just after the begin marker's line, and the start of the
// end marker's line.
std::pair<size_t, size_t> BlockBounds(std::string_view doc) {
  const size_t begin = doc.find(kDocBegin);
  const size_t end = doc.find(kDocEnd);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    throw Error(ErrorKind::kData, fmt::format("no generated block: expected a line '{}' and, after it, a line '{}'",
                                              kDocBegin, kDocEnd));
  }
  const size_t after_begin = doc.find('\n', begin);
  if (after_begin == std::string_view::npos || after_begin >= end) {
    throw Error(ErrorKind::kData, "the generated block's markers must be on lines of their own");
  }
  return {after_begin + 1, end};
}

}  // namespace

std::span<const WorkflowKey> WorkflowKeys() { return kKeys; }

const WorkflowKey* FindWorkflowKey(std::string_view section, std::string_view key, std::string_view kind) {
  const WorkflowKey* wildcard = nullptr;
  for (const WorkflowKey& row : kKeys) {
    if (ParentOf(row.path) != section || !AppliesToKind(row, kind)) continue;
    if (LastOf(row.path) == key) return &row;
    if (LastOf(row.path) == "*") wildcard = &row;
  }
  return wildcard;
}

std::vector<const WorkflowKey*> SectionKeys(std::string_view section, std::string_view kind) {
  std::vector<const WorkflowKey*> rows;
  for (const WorkflowKey& row : kKeys) {
    if (ParentOf(row.path) == section && AppliesToKind(row, kind)) rows.push_back(&row);
  }
  return rows;
}

const WorkflowKey* KindKey(std::string_view section) {
  for (const WorkflowKey& row : kKeys) {
    if (ParentOf(row.path) == section && LastOf(row.path) == "kind") return &row;
  }
  return nullptr;
}

std::vector<std::string_view> Choices(const WorkflowKey& key) { return Words(key.choices); }

bool AppliesToKind(const WorkflowKey& key, std::string_view kind) {
  if (key.kinds.empty()) return true;
  const std::vector<std::string_view> kinds = Words(key.kinds);
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::string RangeProblem(const WorkflowKey& key, double value) {
  const bool above_min = key.min_open ? value > key.min : value >= key.min;
  const bool below_max = key.max_open ? value < key.max : value <= key.max;
  if (above_min && below_max) return {};
  // A closed range is named by the bound crossed ("at least 1"); a half-open one needs its brackets.
  if (std::isfinite(key.min) && std::isfinite(key.max) && !key.min_open && !key.max_open) {
    const std::string bound = above_min ? "at most " + Number(key.max) : "at least " + Number(key.min);
    return fmt::format("must be {}, got {}", bound, Number(value));
  }
  return fmt::format("must be {}, got {}", BoundsText(key), Number(value));
}

std::string DisplayPath(const WorkflowKey& key) {
  std::string path(key.path);
  const size_t star = path.find('*');
  if (star != std::string::npos) path.replace(star, 1, "<label>");
  return path;
}

std::string DescribeWorkflowKeys(DescribeFormat format, std::string_view section) {
  const std::vector<const WorkflowKey*> rows = Selected(section);
  switch (format) {
    case DescribeFormat::kMarkdown: return Markdown(rows);
    case DescribeFormat::kJson: return Json(rows);
    case DescribeFormat::kText: break;
  }
  return Text(rows);
}

std::string ReplaceGeneratedBlock(std::string_view doc, std::string_view generated) {
  const auto [begin, end] = BlockBounds(doc);
  return std::string(doc.substr(0, begin)) + std::string(generated) + std::string(doc.substr(end));
}

std::string GeneratedBlock(std::string_view doc) {
  const auto [begin, end] = BlockBounds(doc);
  return std::string(doc.substr(begin, end - begin));
}

}  // namespace alphaloom::pipeline
