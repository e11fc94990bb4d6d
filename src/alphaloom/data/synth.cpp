#include "alphaloom/data/synth.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/data/adjust.h"
#include "alphaloom/data/bar_writer.h"
#include "alphaloom/data/qlib_store.h"

namespace alphaloom::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDaysPerYear = 252.0;

// Return model. Annual figures; daily = annual / 252 (variance) or / sqrt(252) (volatility).
constexpr double kMarketVol = 0.16;
constexpr double kMarketDrift = 0.03;  // annual log drift of the market factor
constexpr double kSectorVol = 0.08;
constexpr double kMinStockVol = 0.15;
constexpr double kMaxStockVol = 0.60;
// At least 30% of every stock's variance is idiosyncratic, so the planted term has room.
constexpr double kMaxSystematicShare = 0.70;
constexpr double kStudentDof = 5.0;
// GARCH(1,1): var' = omega + alpha * var * shock^2 + beta * var, omega keeping the unconditional
// variance at the target. Persistence 0.98 gives vol clusters lasting a few months.
constexpr double kGarchAlpha = 0.08;
constexpr double kGarchBeta = 0.90;
// A Student-t shock of 8 sd would otherwise multiply next day's variance by 6; real vol spikes
// are steep but not that steep.
constexpr double kGarchShockCap = 25.0;

// Market structure.
constexpr double kLateListingShare = 0.15;
constexpr double kEarlyDelistingShare = 0.10;
constexpr double kDividendPayerShare = 0.5;
constexpr size_t kDividendPeriod = 63;  // trading days between quarterly ex-dates
constexpr size_t kSplitCooldown = 120;  // trading days between two splits of one stock
constexpr double kPriceScale = 1e4;     // prices are quoted to 4 decimals
constexpr double kCentScale = 1e2;      // dividends are paid in cents
constexpr double kMinVolume = 100.0;
constexpr double kBenchmarkStart = 1000.0;

// Fewer pairs than this make a daily correlation meaningless (2 points always give +-1).
constexpr size_t kMinIcInstruments = 3;

enum class Stream : uint64_t { kMarket = 1, kSector = 2, kStructure = 3, kStock = 4, kCalibration = 5 };

// splitmix64 step: seeds xoshiro and hashes stream ids (Steele, Lea, Flood 2014).
uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman, Vigna 2018) with its own uniform, normal and Student-t transforms:
// <random>'s distributions are implementation-defined, so they would make the market depend on
// the standard library. Each (seed, stream, index) gets an independent generator, so adding a
// stock or changing `ic` does not shift the draws of the others.
class Random {
 public:
  Random(uint64_t seed, Stream stream, uint64_t index) {
    uint64_t key = (static_cast<uint64_t>(stream) << 48) ^ index;
    uint64_t state = seed ^ SplitMix64(key);
    for (uint64_t& word : state_) word = SplitMix64(state);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  /// Uniform on [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }
  /// log-uniform on [low, high): scale-free quantities such as prices and volatilities.
  double LogUniform(double low, double high) { return low * std::exp(std::log(high / low) * Uniform()); }
  /// Uniform integer in [0, count).
  size_t Below(size_t count) {
    return std::min(count - 1, static_cast<size_t>(Uniform() * static_cast<double>(count)));
  }
  bool Bernoulli(double probability) { return Uniform() < probability; }

  /// Standard normal, Marsaglia's polar method (two per accepted pair; the second is kept).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const auto [u, v, radius] = PointInUnitDisc();
    const double scale = std::sqrt(-2 * std::log(radius) / radius);
    spare_ = v * scale;
    has_spare_ = true;
    return u * scale;
  }

  /// Student-t with `dof` degrees of freedom scaled to unit variance (dof > 2), by Bailey's
  /// polar method (Math. Comp. 62, 1994): T = U sqrt(dof (W^(-2/dof) - 1) / W).
  double UnitStudentT(double dof) {
    const auto [u, v, radius] = PointInUnitDisc();
    const double t = u * std::sqrt(dof * (std::pow(radius, -2 / dof) - 1) / radius);
    return t * std::sqrt((dof - 2) / dof);
  }

 private:
  struct DiscPoint {
    double u, v, radius;  ///< radius = u^2 + v^2, in (0, 1)
  };
  /// A uniform point inside the unit disc by rejection, as both polar methods need.
  DiscPoint PointInUnitDisc() {
    while (true) {
      const double u = 2 * Uniform() - 1;
      const double v = 2 * Uniform() - 1;
      const double radius = u * u + v * v;
      if (radius < 1 && radius > 0) return {u, v, radius};
    }
  }
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::array<uint64_t, 4> state_{};
  double spare_ = 0;
  bool has_spare_ = false;
};

double RoundTo(double value, double scale) { return std::round(value * scale) / scale; }

// Variance recursion shared by the factors and the stocks.
struct Garch {
  double variance = 0;
  double omega = 0;

  explicit Garch(double unconditional_variance)
      : variance(unconditional_variance), omega((1 - kGarchAlpha - kGarchBeta) * unconditional_variance) {}

  void Update(double unit_shock) {
    variance = omega + kGarchAlpha * variance * std::min(unit_shock * unit_shock, kGarchShockCap) +
               kGarchBeta * variance;
  }
};

struct Suspension {
  size_t first = 0;  // calendar index of the first day without a bar
  size_t days = 0;
};

// A stock's fixed parameters (from the structure stream) and its evolving state.
struct Stock {
  std::string symbol;
  size_t sector = 0;
  double beta = 0;
  double sector_loading = 0;
  double annual_vol = 0;
  double idio_variance = 0;  // daily, unconditional
  double total_daily_vol = 0;
  double list_price = 0;
  double dollar_volume = 0;  // typical daily traded value
  size_t first = 0;          // calendar indices of the first and last bar
  size_t last = 0;
  std::vector<Suspension> suspensions;
  std::vector<char> suspended;  // per calendar index
  bool pays_dividends = false;
  double dividend_yield = 0;  // annual

  Random path;
  Garch idio;
  double close = 0;            // last raw close (the listing price before the first bar)
  double pending_log_return = 0;  // latent log returns since the last bar
  size_t last_bar = 0;
  size_t next_ex_date = 0;
  double dividend_per_share = 0;
  size_t payments = 0;
  size_t last_split = 0;
  bool has_split = false;
  std::vector<double> total_return;  // per calendar index, NaN without a bar
  RawBars bars;

  Stock(uint64_t seed, size_t index) : path(seed, Stream::kStock, index), idio(0) {}
};

std::string Symbol(size_t index, size_t count) {
  size_t width = 4;
  for (size_t limit = 10000; count >= limit; limit *= 10) ++width;
  return fmt::format("S{:0{}}", index + 1, width);
}

void CheckOptions(const SynthOptions& options, size_t calendar_days) {
  if (options.instruments == 0) throw Error(ErrorKind::kUsage, "synth: --instruments must be at least 1");
  if (options.sectors == 0) throw Error(ErrorKind::kUsage, "synth: --sectors must be at least 1");
  if (options.end < options.start) {
    throw Error(ErrorKind::kUsage, fmt::format("synth: end {} is before start {}", options.end.ToString(),
                                               options.start.ToString()));
  }
  if (calendar_days < 20) {
    throw Error(ErrorKind::kUsage, fmt::format("synth: {} to {} has {} weekdays; at least 20 are needed",
                                               options.start.ToString(), options.end.ToString(), calendar_days));
  }
  if (!(std::abs(options.ic) < 0.5)) {
    throw Error(ErrorKind::kUsage, fmt::format("synth: --ic {} is outside (-0.5, 0.5)", options.ic));
  }
  const std::string& symbol = options.benchmark;
  const bool valid_symbol = !symbol.empty() && std::all_of(symbol.begin(), symbol.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
  if (!valid_symbol || symbol.front() == '.') {
    throw Error(ErrorKind::kUsage, fmt::format("synth: benchmark symbol '{}' must be upper-case letters, digits, "
                                               "'.', '_' or '-'",
                                               symbol));
  }
  for (size_t index = 0; index < options.instruments; ++index) {
    if (Symbol(index, options.instruments) == symbol) {
      throw Error(ErrorKind::kUsage, fmt::format("synth: benchmark symbol '{}' is also a stock's symbol", symbol));
    }
  }
}

// Draws every stock's fixed parameters and its listing span, suspensions and dividend policy.
std::vector<Stock> MakeStocks(const SynthOptions& options, size_t days) {
  const size_t count = options.instruments;
  Random structure(options.seed, Stream::kStructure, 0);

  // Balanced sectors in random order; late listers and early delisters are disjoint sets of
  // fixed size, so at least one stock spans the whole calendar.
  auto shuffled = [&] {
    std::vector<size_t> order(count);
    std::iota(order.begin(), order.end(), size_t{0});
    for (size_t index = count; index > 1; --index) std::swap(order[index - 1], order[structure.Below(index)]);
    return order;
  };
  const std::vector<size_t> sector_order = shuffled();
  const std::vector<size_t> listing_order = shuffled();
  const auto late_count = static_cast<size_t>(std::lround(kLateListingShare * static_cast<double>(count)));
  const auto early_count = static_cast<size_t>(std::lround(kEarlyDelistingShare * static_cast<double>(count)));
  const size_t min_life = std::clamp<size_t>(days / 4, 10, 250);

  const double market_var = kMarketVol * kMarketVol;
  const double sector_var = kSectorVol * kSectorVol;
  std::vector<Stock> stocks;
  stocks.reserve(count);
  for (size_t index = 0; index < count; ++index) {
    Stock& stock = stocks.emplace_back(options.seed, index);
    stock.symbol = Symbol(index, count);
    stock.sector = sector_order[index] % options.sectors;
    stock.annual_vol = structure.LogUniform(kMinStockVol, kMaxStockVol);
    stock.beta = structure.Uniform(0.6, 1.4);
    stock.sector_loading = structure.Uniform(0.5, 1.5);
    const double target_var = stock.annual_vol * stock.annual_vol;
    auto systematic_var = [&] {
      return stock.beta * stock.beta * market_var + stock.sector_loading * stock.sector_loading * sector_var;
    };
    if (systematic_var() > kMaxSystematicShare * target_var) {
      const double shrink = std::sqrt(kMaxSystematicShare * target_var / systematic_var());
      stock.beta *= shrink;
      stock.sector_loading *= shrink;
    }
    stock.idio_variance = (target_var - systematic_var()) / kDaysPerYear;
    stock.total_daily_vol = stock.annual_vol / std::sqrt(kDaysPerYear);
    stock.idio = Garch(stock.idio_variance);
    stock.list_price = RoundTo(structure.LogUniform(10, 300), kPriceScale);
    stock.dollar_volume = structure.LogUniform(2e6, 2e8);

    const size_t rank = listing_order[index];
    stock.first = 0;
    stock.last = days - 1;
    if (rank < late_count) {
      stock.first = 1 + structure.Below(days - 1 - min_life);
    } else if (rank < late_count + early_count) {
      stock.last = min_life + structure.Below(days - 1 - min_life);
    }

    // Gaps keep the first and last bar and leave the signal's lookback after a listing intact.
    stock.suspended.assign(days, 0);
    const size_t wanted = 1 + structure.Below(4);
    for (size_t attempt = 0; attempt < 20 && stock.suspensions.size() < wanted; ++attempt) {
      const size_t length = 2 + structure.Below(9);
      const size_t lowest = stock.first + kPlantLookback + 1;
      if (stock.last < lowest + length + 1) break;
      const size_t begin = lowest + structure.Below(stock.last - length - lowest);
      bool clear = true;
      for (size_t day = begin - 1; day <= begin + length; ++day) clear = clear && !stock.suspended[day];
      if (!clear) continue;
      for (size_t day = begin; day < begin + length; ++day) stock.suspended[day] = 1;
      stock.suspensions.push_back({begin, length});
    }
    std::sort(stock.suspensions.begin(), stock.suspensions.end(),
              [](const Suspension& a, const Suspension& b) { return a.first < b.first; });

    stock.pays_dividends = structure.Bernoulli(kDividendPayerShare);
    stock.dividend_yield = structure.Uniform(0.01, 0.045);
    stock.next_ex_date = stock.first + 5 + structure.Below(kDividendPeriod);

    stock.close = stock.list_price;
    stock.total_return.assign(days, kNaN);
    stock.bars.instrument = stock.symbol;
    const size_t span = stock.last - stock.first + 1;
    RawBars& bars = stock.bars;
    for (std::vector<double>* column :
         {&bars.open, &bars.high, &bars.low, &bars.close, &bars.volume, &bars.vwap, &bars.dividend, &bars.split}) {
      column->reserve(span);
    }
    stock.bars.dates.reserve(span);
    stock.bars.lines.reserve(span);
    stock.bars.source = "synth/" + stock.symbol;
  }
  return stocks;
}

// With volatility clustering a stock's extreme 5-day return foretells a high volatility the
// next day, which raises E[sigma_{t+1} z_t^2] above E[sigma] E[z^2]. The ratio depends only on
// the GARCH constants and the shock law, so it is measured once on a long unit-variance path:
// mean(sqrt(h_{t+1}) * q_t) / mean(q_t), q_t the squared returns of the 5 days up to t. Its
// own fixed seed makes it a constant of the model, the same for every market.
double VolatilityClustering() {
  constexpr size_t kWarmUp = 1000;
  constexpr size_t kSteps = 100000;
  Random random(0, Stream::kCalibration, 0);
  Garch garch(1.0);
  std::array<double, kPlantLookback> squares{};
  double numerator = 0;
  double denominator = 0;
  for (size_t step = 0; step < kWarmUp + kSteps; ++step) {
    const double shock = random.UnitStudentT(kStudentDof);
    squares[step % kPlantLookback] = garch.variance * shock * shock;
    garch.Update(shock);
    if (step < kWarmUp) continue;
    const double window = std::accumulate(squares.begin(), squares.end(), 0.0);
    numerator += std::sqrt(garch.variance) * window;
    denominator += window;
  }
  return numerator / denominator;
}

// Loading a on the standardized signal that makes the expected daily Pearson IC equal `ic`.
// The IC is cov(z, r) / sd(r) across stocks with var(z) = 1. The planted part of r is
// a * sigma_i * z_i, so cov = a * E[sigma_i z_i^2]; z_i^2 scales with the stock's cross-sectional
// return variance w_i (high-vol stocks have extreme 5-day returns), hence E[sigma z^2] =
// sum(sigma_i w_i) / sum(w_i). sd(r) adds the factor exposures' cross-sectional spread to the
// idiosyncratic variance; VolatilityClustering corrects for GARCH. What remains approximate
// (fat tails, the spread of daily correlations) is why truth.json reports the realized IC, which
// is what tests compare against.
double PlantedLoading(double ic, const std::vector<Stock>& stocks, size_t sectors) {
  if (ic == 0) return 0;
  const double market_var = kMarketVol * kMarketVol / kDaysPerYear;
  const double sector_var = kSectorVol * kSectorVol / kDaysPerYear;
  const double sector_spread = sector_var * (1 - 1 / static_cast<double>(sectors));
  const auto count = static_cast<double>(stocks.size());
  double mean_beta = 0;
  for (const Stock& stock : stocks) mean_beta += stock.beta / count;
  double weighted_sigma = 0;
  double weight_sum = 0;
  double cross_var = 0;
  for (const Stock& stock : stocks) {
    const double beta_gap = stock.beta - mean_beta;
    const double systematic =
        beta_gap * beta_gap * market_var + stock.sector_loading * stock.sector_loading * sector_spread;
    const double weight = stock.idio_variance + systematic;
    weighted_sigma += std::sqrt(stock.idio_variance) * weight;
    weight_sum += weight;
    cross_var += (stock.idio_variance + systematic) / count;
  }
  const double ic_per_loading = VolatilityClustering() * weighted_sigma / weight_sum / std::sqrt(cross_var);
  return std::clamp(ic / ic_per_loading, -0.95, 0.95);
}

// What one stock contributes to the benchmark on one day.
struct IndexContribution {
  double sum_return = 0;
  double sum_overnight = 0;
  size_t count = 0;
  double volume = 0;
};

// Advances `stock` by calendar day `day`: one latent return, and a bar unless suspended.
// `signal_z` is the stock's standardized signal of the previous day (NaN when it had none).
void StepStock(Stock& stock, size_t day, Date date, double market_return, double sector_return, double loading,
               double signal_z, IndexContribution& index) {
  // Every listed day draws the same numbers in the same order, so suspensions, splits and the
  // planted loading never shift the noise of later days.
  const double shock = stock.path.UnitStudentT(kStudentDof);
  const double overnight_noise = stock.path.Normal();
  const double high_noise = stock.path.Normal();
  const double low_noise = stock.path.Normal();
  const double volume_noise = stock.path.Normal();
  const double vwap_draw = stock.path.Uniform();
  const double split_draw = stock.path.Uniform();

  const double sigma = std::sqrt(stock.idio.variance);
  const double unit = std::isnan(signal_z) ? shock : loading * signal_z + std::sqrt(1 - loading * loading) * shock;
  const double log_return = stock.beta * market_return + stock.sector_loading * sector_return + sigma * unit;
  stock.idio.Update(unit);
  stock.pending_log_return += log_return;
  if (stock.suspended[day]) return;

  const bool first_bar = day == stock.first;
  const double previous_close = stock.close;
  double split = 1;
  double dividend = 0;
  if (!first_bar && stock.pays_dividends && day >= stock.next_ex_date) {
    while (stock.next_ex_date <= day) stock.next_ex_date += kDividendPeriod;
    // A steady quarterly amount, reset to the target yield once a year and whenever the price
    // has fallen so far that the old amount would be more than 5% of it.
    if (stock.payments % 4 == 0 || stock.dividend_per_share > 0.05 * previous_close) {
      stock.dividend_per_share = RoundTo(stock.dividend_yield / 4 * previous_close, kCentScale);
    }
    if (stock.dividend_per_share > 0 && stock.dividend_per_share <= 0.05 * previous_close) {
      dividend = stock.dividend_per_share;
      ++stock.payments;
    }
  }
  const bool cooled_down = !stock.has_split || day >= stock.last_split + kSplitCooldown;
  if (!first_bar && dividend == 0) {
    // Forward splits grow likely with the price (about one per six years at $100, within
    // months above $200); reverse splits rescue penny prices (forced below $0.50 so quotes to
    // 4 decimals stay meaningful).
    if (previous_close > 25 && cooled_down) {
      const double hazard = std::min(1.0, std::pow(previous_close / 100, 3) / 1500);
      if (split_draw < hazard) split = previous_close > 300 ? 3 : 2;
    } else if (previous_close < 0.5 || (previous_close < 3 && cooled_down && split_draw < 1.0 / 40)) {
      split = 0.5;
    }
    if (split != 1) {
      stock.has_split = true;
      stock.last_split = day;
      stock.dividend_per_share = RoundTo(stock.dividend_per_share / split, kCentScale);
    }
  }

  // Raw prices after the corporate action, then the latent path since the last bar.
  const double base = previous_close / split - dividend;
  const double overnight = 0.35 * log_return + 0.25 * stock.total_daily_vol * overnight_noise;
  const double open_raw = base * std::exp(stock.pending_log_return - log_return + overnight);
  const double close_raw = base * std::exp(stock.pending_log_return);
  const double range_scale = 0.6 * sigma;
  const double high_raw = std::max(open_raw, close_raw) * std::exp(range_scale * std::abs(high_noise));
  const double low_raw = std::min(open_raw, close_raw) * std::exp(-range_scale * std::abs(low_noise));
  const double vwap_raw =
      0.5 * (low_raw + (high_raw - low_raw) * (0.25 + 0.5 * vwap_draw)) + 0.25 * (open_raw + close_raw);
  // Rounding is monotone, so high >= max(open, close), low <= min(open, close) and
  // low <= vwap <= high survive it.
  const double open = RoundTo(open_raw, kPriceScale);
  const double close = RoundTo(close_raw, kPriceScale);
  const double high = RoundTo(high_raw, kPriceScale);
  const double low = std::max(RoundTo(low_raw, kPriceScale), 1 / kPriceScale);
  const double vwap = RoundTo(vwap_raw, kPriceScale);
  const double activity = std::min(std::abs(log_return) / stock.total_daily_vol, 6.0);
  const double volume = std::max(
      kMinVolume,
      std::round(stock.dollar_volume / close * std::exp(0.5 * (activity - 0.8) + 0.4 * volume_noise - 0.08)));

  // The total return the bar realizes, in exactly the form Adjust rebuilds from split and
  // dividend columns, so adj_close, the planted signal and both adjustment paths agree.
  if (first_bar) {
    stock.total_return[day] = 1;
  } else {
    const double gross = close * split / (previous_close - dividend * split);
    stock.total_return[day] = stock.total_return[stock.last_bar] * gross;
    if (day == stock.last_bar + 1) {
      index.sum_return += gross - 1;
      index.sum_overnight += std::expm1(overnight);
      ++index.count;
    }
  }
  index.volume += volume;

  RawBars& bars = stock.bars;
  bars.dates.push_back(date);
  bars.lines.push_back(bars.dates.size());
  bars.open.push_back(open);
  bars.high.push_back(high);
  bars.low.push_back(low);
  bars.close.push_back(close);
  bars.volume.push_back(volume);
  bars.vwap.push_back(vwap);
  bars.dividend.push_back(dividend);
  bars.split.push_back(split);
  stock.close = close;
  stock.pending_log_return = 0;
  stock.last_bar = day;
}

// adj_close = close * factor with Adjust's split/dividend recursion: factor 1 on the last bar
// and, walking back, each ex-date t multiplies every earlier factor by
// (1 - dividend_t * split_t / close_{t-1}) / split_t.
void FillAdjustedClose(RawBars& bars) {
  const size_t count = bars.size();
  bars.adj_close.assign(count, 0);
  if (count == 0) return;
  double factor = 1;
  bars.adj_close[count - 1] = bars.close[count - 1];
  for (size_t row = count - 1; row > 0; --row) {
    if (bars.split[row] != 1 || bars.dividend[row] != 0) {
      factor *= (1 - bars.dividend[row] * bars.split[row] / bars.close[row - 1]) / bars.split[row];
    }
    bars.adj_close[row - 1] = bars.close[row - 1] * factor;
  }
}

// Cross-sectional standardization with the population sd, so the planted term a * z keeps the
// idiosyncratic shock's unit variance exactly. NaN in, NaN out; all NaN when fewer than two
// values or no spread.
void Standardize(std::vector<double>& values) {
  double sum = 0;
  size_t count = 0;
  for (double value : values) {
    if (!std::isnan(value)) {
      sum += value;
      ++count;
    }
  }
  const double mean = count > 0 ? sum / static_cast<double>(count) : 0;
  double squares = 0;
  for (double value : values) {
    if (!std::isnan(value)) squares += (value - mean) * (value - mean);
  }
  const double sd = count > 1 ? std::sqrt(squares / static_cast<double>(count)) : 0;
  for (double& value : values) value = sd > 0 ? (value - mean) / sd : kNaN;
}

double Pearson(std::span<const double> x, std::span<const double> y) {
  const auto count = static_cast<double>(x.size());
  const double mean_x = std::accumulate(x.begin(), x.end(), 0.0) / count;
  const double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / count;
  double sxy = 0;
  double sxx = 0;
  double syy = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    sxy += (x[k] - mean_x) * (y[k] - mean_y);
    sxx += (x[k] - mean_x) * (x[k] - mean_x);
    syy += (y[k] - mean_y) * (y[k] - mean_y);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : kNaN;
}

// 1-based ranks, ties sharing their average rank (pandas rank(method="average")).
std::vector<double> AverageRanks(std::span<const double> values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin + 1;
    while (end < order.size() && values[order[end]] == values[order[begin]]) ++end;
    const double rank = 0.5 * static_cast<double>(begin + end + 1);
    for (size_t k = begin; k < end; ++k) ranks[order[k]] = rank;
    begin = end;
  }
  return ranks;
}

struct MeanAndT {
  double mean = kNaN;
  double t_stat = kNaN;
};

// Mean of the daily values and its t-statistic mean / (sd / sqrt(n)), sd with ddof = 1.
MeanAndT Summarize(const std::vector<double>& daily) {
  MeanAndT result;
  if (daily.empty()) return result;
  const auto count = static_cast<double>(daily.size());
  result.mean = std::accumulate(daily.begin(), daily.end(), 0.0) / count;
  if (daily.size() < 2) return result;
  double squares = 0;
  for (double value : daily) squares += (value - result.mean) * (value - result.mean);
  const double sd = std::sqrt(squares / (count - 1));
  if (sd > 0) result.t_stat = result.mean / (sd / std::sqrt(count));
  return result;
}

struct IcSummary {
  MeanAndT ic;
  MeanAndT rank_ic;
  size_t days = 0;
};

// The daily cross-sectional IC of the signal against the label, both computed from the adjusted
// closes exactly as the formulas read them on a calendar-aligned store (NaN without a bar).
IcSummary MeasureIc(const std::vector<std::vector<double>>& adjusted_closes, size_t days) {
  std::vector<std::vector<double>> signals;
  signals.reserve(adjusted_closes.size());
  for (const auto& closes : adjusted_closes) signals.push_back(PlantedSignal(closes));
  std::vector<double> daily_ic;
  std::vector<double> daily_rank_ic;
  std::vector<double> signal_values;
  std::vector<double> label_values;
  for (size_t day = 0; day + 1 < days; ++day) {
    signal_values.clear();
    label_values.clear();
    for (size_t stock = 0; stock < adjusted_closes.size(); ++stock) {
      const double signal = signals[stock][day];
      const double label = adjusted_closes[stock][day + 1] / adjusted_closes[stock][day] - 1;
      if (std::isnan(signal) || std::isnan(label)) continue;
      signal_values.push_back(signal);
      label_values.push_back(label);
    }
    if (signal_values.size() < kMinIcInstruments) continue;
    const double ic = Pearson(signal_values, label_values);
    const double rank_ic = Pearson(AverageRanks(signal_values), AverageRanks(label_values));
    if (std::isnan(ic) || std::isnan(rank_ic)) continue;
    daily_ic.push_back(ic);
    daily_rank_ic.push_back(rank_ic);
  }
  return {Summarize(daily_ic), Summarize(daily_rank_ic), daily_ic.size()};
}

// JSON has no NaN: an undefined statistic (no cross-section to correlate) is null.
nlohmann::json NumberOrNull(double value) {
  return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value);
}

nlohmann::json MakeTruth(const SynthOptions& options, const Calendar& calendar, const std::vector<Stock>& stocks,
                         double loading, const IcSummary& ic) {
  using nlohmann::json;
  json truth;
  truth["generator"] = "alphaloom synth";
  truth["format_version"] = 1;
  truth["seed"] = options.seed;
  truth["options"] = {{"instruments", options.instruments}, {"start", options.start.ToString()},
                      {"end", options.end.ToString()},     {"seed", options.seed},
                      {"ic", options.ic},                  {"sectors", options.sectors},
                      {"benchmark", options.benchmark}};
  truth["calendar"] = {{"first", calendar.front().ToString()}, {"last", calendar.back().ToString()},
                       {"days", calendar.size()}, {"kind", "weekdays"}};
  truth["signal"] = {
      {"name", "PLANT"},
      {"formula", std::string(kPlantFormula)},
      {"label", std::string(kPlantLabel)},
      {"target_ic", options.ic},
      {"planted_loading", loading},
      {"realized_ic", NumberOrNull(ic.ic.mean)},
      {"realized_ic_tstat", NumberOrNull(ic.ic.t_stat)},
      {"realized_rank_ic", NumberOrNull(ic.rank_ic.mean)},
      {"realized_rank_ic_tstat", NumberOrNull(ic.rank_ic.t_stat)},
      {"ic_days", ic.days},
      {"min_instruments_per_day", kMinIcInstruments},
      {"ic_definition",
       "per calendar day t, Pearson (and Spearman for rank IC) correlation across stocks of formula at t and label "
       "at t, both on adj_close aligned to the calendar (no bar = NaN, pair dropped); days with fewer than "
       "min_instruments_per_day pairs are skipped; mean over days, t-stat = mean / (sd / sqrt(days)), sd ddof 1"},
      {"method",
       "each day t the formula is standardized across the stocks that have it (z, mean 0, population sd 1) and each "
       "such stock's next-day idiosyncratic log return is sigma * (a * z + sqrt(1 - a^2) * eps), sigma its "
       "GARCH(1,1) volatility, eps a unit-variance Student-t(5) shock and a = planted_loading, set from target_ic "
       "and the stocks' cross-sectional variance shares"}};
  truth["model"] = {
      {"log_return", "beta * market + sector_loading * sector[k] + idiosyncratic"},
      {"market_annual_vol", kMarketVol},
      {"market_annual_drift", kMarketDrift},
      {"sector_annual_vol", kSectorVol},
      {"stock_annual_vol_range", {kMinStockVol, kMaxStockVol}},
      {"max_systematic_variance_share", kMaxSystematicShare},
      {"garch_alpha", kGarchAlpha},
      {"garch_beta", kGarchBeta},
      {"student_t_dof", kStudentDof},
      {"price_decimals", 4},
      {"prices", "raw (unadjusted); adj_close = close * factor, factor = 1 on the last bar and, walking back, each "
                 "ex-date t multiplies earlier factors by (1 - dividend_t * split_t / close_{t-1}) / split_t"}};
  truth["benchmark"] = {
      {"symbol", options.benchmark},
      {"construction", "equal-weighted mean of the adj_close returns of the stocks with bars on both t-1 and t, "
                       "compounded from 1000; volume is the stocks' total share volume"}};

  json sectors = json::object();
  json listings = json::array();
  json delistings = json::array();
  json details = json::array();
  size_t suspension_count = 0;
  size_t suspended_days = 0;
  size_t split_count = 0;
  size_t dividend_count = 0;
  for (const Stock& stock : stocks) {
    const RawBars& bars = stock.bars;
    sectors[stock.symbol] = stock.sector;
    if (stock.first > 0) listings.push_back({{"instrument", stock.symbol}, {"date", calendar[stock.first].ToString()}});
    if (stock.last + 1 < calendar.size()) {
      delistings.push_back({{"instrument", stock.symbol}, {"date", calendar[stock.last].ToString()}});
    }
    json suspensions = json::array();
    for (const Suspension& gap : stock.suspensions) {
      suspensions.push_back({{"first", calendar[gap.first].ToString()},
                             {"last", calendar[gap.first + gap.days - 1].ToString()},
                             {"days", gap.days}});
      suspended_days += gap.days;
    }
    suspension_count += stock.suspensions.size();
    json splits = json::array();
    json dividends = json::array();
    for (size_t row = 0; row < bars.size(); ++row) {
      if (bars.split[row] != 1) splits.push_back({{"date", bars.dates[row].ToString()}, {"ratio", bars.split[row]}});
      if (bars.dividend[row] != 0) {
        dividends.push_back({{"date", bars.dates[row].ToString()}, {"amount", bars.dividend[row]}});
      }
    }
    split_count += splits.size();
    dividend_count += dividends.size();
    details.push_back({{"symbol", stock.symbol},
                       {"sector", stock.sector},
                       {"first_date", bars.dates.front().ToString()},
                       {"last_date", bars.dates.back().ToString()},
                       {"bars", bars.size()},
                       {"beta", stock.beta},
                       {"sector_loading", stock.sector_loading},
                       {"annual_vol", stock.annual_vol},
                       {"dividend_payer", stock.pays_dividends},
                       {"suspensions", std::move(suspensions)},
                       {"splits", std::move(splits)},
                       {"dividends", std::move(dividends)}});
  }
  truth["sectors"] = std::move(sectors);
  truth["listings"] = std::move(listings);
  truth["delistings"] = std::move(delistings);
  truth["suspension_count"] = suspension_count;
  truth["suspended_days"] = suspended_days;
  truth["split_count"] = split_count;
  truth["dividend_count"] = dividend_count;
  truth["instruments"] = std::move(details);
  return truth;
}

}  // namespace

double PlantedSignalAt(std::span<const double> adjusted_close, size_t index) {
  if (index < kPlantLookback || index >= adjusted_close.size()) return kNaN;
  // NaN propagates through the division, as Qlib's Ref does.
  return adjusted_close[index - kPlantLookback] / adjusted_close[index] - 1;
}

std::vector<double> PlantedSignal(std::span<const double> adjusted_close) {
  std::vector<double> signal(adjusted_close.size());
  for (size_t index = 0; index < adjusted_close.size(); ++index) {
    signal[index] = PlantedSignalAt(adjusted_close, index);
  }
  return signal;
}

SynthMarket GenerateMarket(const SynthOptions& options) {
  SynthMarket market;
  market.calendar = Calendar::Weekdays(options.start, options.end);
  const size_t days = market.calendar.size();
  CheckOptions(options, days);

  std::vector<Stock> stocks = MakeStocks(options, days);
  const double loading = PlantedLoading(options.ic, stocks, options.sectors);

  Random market_random(options.seed, Stream::kMarket, 0);
  Garch market_garch(kMarketVol * kMarketVol / kDaysPerYear);
  std::vector<Random> sector_random;
  std::vector<Garch> sector_garch;
  for (size_t sector = 0; sector < options.sectors; ++sector) {
    sector_random.emplace_back(options.seed, Stream::kSector, sector);
    sector_garch.emplace_back(kSectorVol * kSectorVol / kDaysPerYear);
  }
  std::vector<double> sector_returns(options.sectors);
  std::vector<double> signal_z(stocks.size(), kNaN);
  std::vector<double> signal_today(stocks.size());

  RawBars& benchmark = market.benchmark;
  benchmark.instrument = options.benchmark;
  benchmark.source = "synth/" + options.benchmark;
  double benchmark_close = kBenchmarkStart;
  double benchmark_volume = 0;

  for (size_t day = 0; day < days; ++day) {
    const Date date = market.calendar[day];
    const double market_shock = market_random.UnitStudentT(kStudentDof);
    const double market_return = kMarketDrift / kDaysPerYear + std::sqrt(market_garch.variance) * market_shock;
    market_garch.Update(market_shock);
    for (size_t sector = 0; sector < options.sectors; ++sector) {
      const double shock = sector_random[sector].UnitStudentT(kStudentDof);
      sector_returns[sector] = std::sqrt(sector_garch[sector].variance) * shock;
      sector_garch[sector].Update(shock);
    }

    IndexContribution index;
    for (size_t stock_idx = 0; stock_idx < stocks.size(); ++stock_idx) {
      Stock& stock = stocks[stock_idx];
      signal_today[stock_idx] = kNaN;
      if (day < stock.first || day > stock.last) continue;
      StepStock(stock, day, date, market_return, sector_returns[stock.sector], loading, signal_z[stock_idx], index);
      signal_today[stock_idx] = PlantedSignalAt(stock.total_return, day);
    }
    Standardize(signal_today);
    signal_z.swap(signal_today);

    // The benchmark: the stocks' average day, with a modest range of its own.
    const double market_vol = std::sqrt(market_garch.variance);
    const double previous_close = benchmark_close;
    const double mean_return = index.count > 0 ? index.sum_return / static_cast<double>(index.count) : 0;
    const double mean_overnight = index.count > 0 ? index.sum_overnight / static_cast<double>(index.count) : 0;
    const double open_raw = previous_close * (1 + mean_overnight);
    const double close_raw = previous_close * (1 + mean_return);
    const double high_noise = std::abs(market_random.Normal());
    const double low_noise = std::abs(market_random.Normal());
    const double high_raw = std::max(open_raw, close_raw) * std::exp(0.3 * market_vol * high_noise);
    const double low_raw = std::min(open_raw, close_raw) * std::exp(-0.3 * market_vol * low_noise);
    benchmark_close = RoundTo(close_raw, kPriceScale);
    if (index.volume > 0) benchmark_volume = index.volume;
    benchmark.dates.push_back(date);
    benchmark.lines.push_back(benchmark.dates.size());
    benchmark.open.push_back(RoundTo(open_raw, kPriceScale));
    benchmark.high.push_back(RoundTo(high_raw, kPriceScale));
    benchmark.low.push_back(RoundTo(low_raw, kPriceScale));
    benchmark.close.push_back(benchmark_close);
    benchmark.volume.push_back(std::max(benchmark_volume, kMinVolume));
    benchmark.vwap.push_back(RoundTo((high_raw + low_raw + close_raw) / 3, kPriceScale));
  }

  std::vector<std::vector<double>> adjusted_closes;
  adjusted_closes.reserve(stocks.size());
  for (Stock& stock : stocks) {
    FillAdjustedClose(stock.bars);
    // The IC is measured on exactly the adj_close that is written; total_return has a value on
    // the days with a bar, in bar order, so it doubles as the calendar-aligned buffer.
    std::vector<double> aligned = std::move(stock.total_return);
    size_t row = 0;
    for (double& value : aligned) {
      if (!std::isnan(value)) value = stock.bars.adj_close[row++];
    }
    Check(row == stock.bars.size(), "synth: one total return per bar");
    adjusted_closes.push_back(std::move(aligned));
  }
  const IcSummary ic = MeasureIc(adjusted_closes, days);
  adjusted_closes.clear();

  market.truth = MakeTruth(options, market.calendar, stocks, loading, ic);
  market.instruments.reserve(stocks.size());
  for (Stock& stock : stocks) market.instruments.push_back(std::move(stock.bars));
  return market;
}

std::string_view SynthFormatName(SynthFormat format) {
  switch (format) {
    case SynthFormat::kCsv:
      return "csv";
    case SynthFormat::kParquet:
      return "parquet";
    case SynthFormat::kQlib:
      return "qlib";
  }
  return "unknown";
}

std::optional<SynthFormat> ParseSynthFormat(std::string_view name) {
  for (SynthFormat format : {SynthFormat::kCsv, SynthFormat::kParquet, SynthFormat::kQlib}) {
    if (SynthFormatName(format) == name) return format;
  }
  return std::nullopt;
}

void WriteSynthMarket(const SynthMarket& market, const std::filesystem::path& out, SynthFormat format) {
  StagingDirectory staging(out);
  const std::filesystem::path& dir = staging.path();
  if (format == SynthFormat::kQlib) {
    // WriteQlibStore stages and renames on its own and wants a fresh destination; pointing it at
    // our (emptied) staging directory nests its atomic write inside ours, so the store and
    // truth.json still appear in `out` together.
    std::error_code error;
    std::filesystem::remove(dir, error);
    if (error) {
      throw Error(ErrorKind::kIo, fmt::format("{}: cannot prepare directory: {}", dir.string(), error.message()));
    }
    std::vector<AdjustedBars> adjusted;
    adjusted.reserve(market.instruments.size() + 1);
    for (const RawBars& bars : market.instruments) adjusted.push_back(Adjust(bars));
    adjusted.push_back(Adjust(market.benchmark));
    StoreMetadata metadata;
    metadata.benchmark = market.benchmark.instrument;
    metadata.source = "synth";
    WriteQlibStore(dir, market.calendar, adjusted, metadata, {});
  } else {
    const bool csv = format == SynthFormat::kCsv;
    auto write = [&](const RawBars& bars) {
      const std::filesystem::path file = dir / (bars.instrument + (csv ? ".csv" : ".parquet"));
      csv ? WriteBarsCsv(bars, file) : WriteBarsParquet(bars, file);
    };
    for (const RawBars& bars : market.instruments) write(bars);
    write(market.benchmark);
  }
  WriteFileAtomic(dir / "truth.json", market.truth.dump(2) + "\n");
  staging.Commit();
}

}  // namespace alphaloom::data
