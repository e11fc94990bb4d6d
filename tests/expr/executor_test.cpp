#include "alphaloom/expr/executor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "alphaloom/common/error.h"
#include "alphaloom/factors/factor_set.h"

namespace alphaloom::expr {
namespace {

const std::vector<std::string> kFields = {"open", "high", "low", "close", "volume", "vwap", "bench_close"};

// Six instruments over 150 weekdays: random walks, a late listing, an early delisting,
// suspensions (NaN rows), a zero-volume day and a flat (one-price) bar; bench_close is one
// benchmark walk over every date, the same in each instrument's series.
data::Panel MakePanel(uint32_t seed = 5) {
  const Calendar calendar = Calendar::Weekdays(Date::FromYmd(2020, 1, 1), Date::FromYmd(2020, 7, 28));
  std::vector<std::string> instruments = {"A", "B", "C", "D", "E", "F"};
  data::Panel panel(calendar, instruments, kFields);
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0, 0.02);
  const size_t bench_field = kFields.size() - 1;
  std::mt19937 bench_random(seed + 1);  // its own stream: the stocks' bars stay as they were
  double bench = 100.0;
  for (size_t date = 0; date < calendar.size(); ++date) {
    bench *= std::exp(noise(bench_random) / 2);
    for (size_t instrument = 0; instrument < instruments.size(); ++instrument) {
      panel.Series(bench_field, instrument)[date] = static_cast<float>(bench);
    }
  }
  for (size_t instrument = 0; instrument < instruments.size(); ++instrument) {
    double close = 20.0 + 10.0 * static_cast<double>(instrument);
    const size_t first = instrument == 2 ? 40 : 0;
    const size_t last = instrument == 3 ? 100 : calendar.size() - 1;
    for (size_t date = first; date <= last; ++date) {
      if (instrument == 1 && date >= 60 && date < 64) continue;  // suspension
      const double open = close * std::exp(noise(random));
      close = open * std::exp(noise(random));
      double high = std::max(open, close) * (1 + std::fabs(noise(random)));
      double low = std::min(open, close) * (1 - std::fabs(noise(random)));
      double volume = 1e5 * std::exp(noise(random) * 20);
      double flat_open = open, flat_close = close;
      if (instrument == 4 && date == 77) high = low = flat_open = flat_close = close;
      if (instrument == 5 && date == 90) volume = 0;
      const double values[] = {flat_open, high, low, flat_close, volume, (high + low + flat_close) / 3};
      for (size_t field = 0; field < bench_field; ++field) {
        // Store-like precision: bars are float32 on disk.
        panel.Series(field, instrument)[date] = static_cast<float>(values[field]);
      }
    }
  }
  return panel;
}

FeatureFrame Compute(const factors::FactorSet& set, const data::Panel& panel, size_t threads) {
  const Program program = Program::Compile(set.names, set.expressions);
  ThreadPool pool(threads);
  const auto spans = SpansFromPanel(panel);
  return Evaluate(program, panel, spans, pool);
}

// One expression per registered operator, built from its signature's shape.
factors::FactorSet OneFactorPerOperator() {
  factors::FactorSet set;
  for (const OperatorSpec* spec : DefaultRegistry().All()) {
    std::vector<std::string> args;
    const char* series[] = {"$close", "Log($volume+1)", "$open"};
    for (size_t index = 0; index < spec->series_arity; ++index) args.push_back(series[index]);
    if (spec->name == "If") args[0] = "$close>$open";
    for (ParamKind kind : spec->params) {
      switch (kind) {
        case ParamKind::kWindow: args.push_back("7"); break;
        case ParamKind::kShift: args.push_back("3"); break;
        case ParamKind::kNumber: args.push_back("0.3"); break;
        case ParamKind::kSpan: args.push_back("10"); break;
        case ParamKind::kPeriod: args.push_back("4"); break;
      }
    }
    std::string expression = spec->name + "(";
    for (size_t index = 0; index < args.size(); ++index) expression += (index ? ", " : "") + args[index];
    set.names.push_back("OP_" + spec->name);
    set.expressions.push_back(expression + ")");
  }
  // Cross-sectional operators fed by time-series ones, and the reverse, exercise the barriers.
  set.names.push_back("CS_OF_TS");
  set.expressions.push_back("CSRank(Mean($close, 5)/$close)");
  set.names.push_back("TS_OF_CS");
  set.expressions.push_back("Mean(CSZScore($close/Ref($close, 1)), 10)");
  return set;
}

bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof(float)) == 0; }

TEST(Executor, KnownValuesRowsAndFloat32Output) {
  const Calendar calendar(std::vector<Date>{Date::FromYmd(2020, 1, 2), Date::FromYmd(2020, 1, 3), Date::FromYmd(2020, 1, 6)});
  data::Panel panel(calendar, {"X", "Y"}, {"close", "open"});
  const double x_close[] = {10, 11, 12.1}, y_close[] = {NAN, 5, 4};
  for (size_t date = 0; date < 3; ++date) {
    panel.Series(0, 0)[date] = x_close[date];
    panel.Series(0, 1)[date] = y_close[date];
    panel.Series(1, 0)[date] = 10;
    panel.Series(1, 1)[date] = std::isnan(y_close[date]) ? NAN : 4;
  }
  factors::FactorSet set;
  set.names = {"R", "REF", "CSR", "RAW"};
  set.expressions = {"$close/$open", "Ref($close, 1)", "CSRank($close)", "$close"};
  const FeatureFrame frame = Compute(set, panel, 2);
  ASSERT_EQ(frame.rows(), 5u);  // Y is listed from the second date only
  EXPECT_EQ(frame.date(0), calendar[0]);
  EXPECT_EQ(frame.instrument(0), "X");
  EXPECT_EQ(frame.instrument(1), "X");
  EXPECT_EQ(frame.instrument(2), "Y");
  EXPECT_EQ(frame.At(2, 0), 1.25f);
  EXPECT_TRUE(std::isnan(frame.At(2, 1)));  // Y's first row: nothing to refer to
  EXPECT_EQ(frame.At(3, 1), 11.0f);
  EXPECT_EQ(frame.At(1, 2), 1.0f);  // X 11 > Y 5
  EXPECT_EQ(frame.At(2, 2), 0.5f);
  EXPECT_EQ(frame.At(0, 2), 1.0f);  // alone on the first date
  EXPECT_EQ(frame.At(3, 0), static_cast<float>(12.1 / 10.0));
  EXPECT_EQ(frame.At(4, 3), 4.0f);
}

TEST(Executor, ResultsAreIdenticalForOneAndManyThreads) {
  const data::Panel panel = MakePanel();
  factors::FactorSet set = factors::BuiltinFactorSet("alpha158");
  set.Append(factors::BuiltinFactorSet("ta"));
  set.Append(OneFactorPerOperator());
  const FeatureFrame one = Compute(set, panel, 1);
  const FeatureFrame many = Compute(set, panel, 3);
  ASSERT_EQ(one.rows(), many.rows());
  ASSERT_EQ(std::memcmp(one.matrix().data(), many.matrix().data(), one.matrix().size_bytes()), 0);
}

// The leakage rule: perturbing every bar after t changes no feature at or before t.
TEST(Executor, NoFeatureChangesWhenTheFutureChanges) {
  factors::FactorSet set = factors::BuiltinFactorSet("alpha158");
  factors::FactorSet alpha360 = factors::BuiltinFactorSet("alpha360");
  for (auto& name : alpha360.names) name = "A360_" + name;  // OPEN0 etc. exist in both sets
  set.Append(alpha360);
  set.Append(factors::BuiltinFactorSet("cross"));
  set.Append(factors::BuiltinFactorSet("ta"));
  set.Append(OneFactorPerOperator());
  const data::Panel panel = MakePanel();
  const FeatureFrame base = Compute(set, panel, 2);
  for (size_t cut : {0u, 35u, 61u, 99u, 148u}) {
    data::Panel future = panel;
    std::mt19937 random(static_cast<uint32_t>(cut));
    std::uniform_real_distribution<double> scale(0.5, 2.0);
    for (size_t field = 0; field < kFields.size(); ++field) {
      for (size_t instrument = 0; instrument < panel.instrument_count(); ++instrument) {
        auto series = future.Series(field, instrument);
        for (size_t date = cut + 1; date < series.size(); ++date) {
          series[date] = (date % 11 == 0) ? NAN : series[date] * scale(random);
        }
      }
    }
    const FeatureFrame perturbed = Compute(set, future, 2);
    size_t compared = 0;
    for (size_t row = 0; row < base.rows() && base.date(row) <= panel.calendar()[cut]; ++row) {
      ASSERT_EQ(perturbed.date(row), base.date(row));
      for (size_t col = 0; col < base.cols(); ++col) {
        ASSERT_TRUE(SameBits(base.At(row, col), perturbed.At(row, col)))
            << base.columns()[col] << " changed at " << base.date(row).ToString() << " " << base.instrument(row)
            << " when bars after " << panel.calendar()[cut].ToString() << " changed";
        ++compared;
      }
    }
    EXPECT_GT(compared, 0u);
  }
}

TEST(Executor, BenchmarkFieldsDoNotExtendAnInstrumentsRows) {
  const data::Panel panel = MakePanel();
  const std::vector<RowSpan> spans = SpansFromPanel(panel);
  EXPECT_EQ(spans[2].first, 40u);  // C lists late
  EXPECT_EQ(spans[3].last, 100u);  // D delists early
  factors::FactorSet set;
  set.names = {"BENCH", "EXCESS"};
  set.expressions = {"$bench_close", "$close/Ref($close, 1) - $bench_close/Ref($bench_close, 1)"};
  const FeatureFrame frame = Compute(set, panel, 2);
  size_t rows_of_c = 0;
  for (size_t row = 0; row < frame.rows(); ++row) {
    if (frame.instrument(row) != "C") continue;
    const size_t date = panel.calendar().LowerBound(frame.date(row));
    if (rows_of_c++ == 0) {
      EXPECT_EQ(date, 40u);
      EXPECT_TRUE(std::isnan(frame.At(row, 1)));  // no previous close of its own yet
    }
    EXPECT_EQ(frame.At(row, 0), static_cast<float>(panel.At(6, 2, date)));
  }
  EXPECT_EQ(rows_of_c, panel.date_count() - 40);
}

TEST(Executor, MissingFieldIsAClearError) {
  const data::Panel panel = MakePanel();
  factors::FactorSet set;
  set.names = {"F"};
  set.expressions = {"$amount/$close"};
  EXPECT_THROW(Compute(set, panel, 1), Error);
}

}  // namespace
}  // namespace alphaloom::expr
