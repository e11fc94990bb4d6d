// Triple-barrier labels and a 10-fold purged CV plan over a synthetic panel (issue target: under
// one second each on one core for 800 instruments x 3200 days). Prints the best of --repeats runs.
//
// usage: bench_label_cv [--instruments N] [--days N] [--repeats K] [--vertical-bars H]
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>
#include <string>

#include "alphaloom/cv/splitters.h"
#include "alphaloom/label/triple_barrier.h"

namespace {

using alphaloom::Date;

alphaloom::data::Panel RandomWalkPanel(size_t instruments, size_t days) {
  std::vector<std::string> names;
  for (size_t i = 0; i < instruments; ++i) names.push_back(fmt::format("S{:04}", i));
  const alphaloom::Calendar calendar =
      alphaloom::Calendar::Weekdays(Date::FromYmd(2012, 1, 2), Date(Date::FromYmd(2012, 1, 2).days() + static_cast<int32_t>(days * 7 / 5 + 7)));
  std::vector<Date> dates(calendar.dates().begin(), calendar.dates().begin() + static_cast<long>(days));
  alphaloom::data::Panel panel(alphaloom::Calendar(dates), names, {"close"});
  std::mt19937_64 rng(7);
  std::normal_distribution<double> step(0.0, 0.02);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (size_t i = 0; i < instruments; ++i) {
    auto close = panel.Series(0, i);
    double price = 20 + 80 * uniform(rng);
    for (size_t t = 0; t < days; ++t) {
      price *= std::exp(step(rng));
      close[t] = uniform(rng) < 0.01 ? std::nan("") : price;  // about 1% suspended bars
    }
  }
  return panel;
}

template <typename F>
double BestSeconds(int repeats, F&& work) {
  double best = 1e300;
  for (int k = 0; k < repeats; ++k) {
    const auto start = std::chrono::steady_clock::now();
    work();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  size_t instruments = 800, days = 3200;
  int repeats = 3, vertical = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const long value = std::strtol(argv[i + 1], nullptr, 10);
    if (flag == "--instruments") instruments = static_cast<size_t>(value);
    else if (flag == "--days") days = static_cast<size_t>(value);
    else if (flag == "--repeats") repeats = static_cast<int>(value);
    else if (flag == "--vertical-bars") vertical = static_cast<int>(value);
    else {
      fmt::print(stderr, "unknown flag {}\n", flag);
      return 2;
    }
  }
  const alphaloom::data::Panel panel = RandomWalkPanel(instruments, days);
  alphaloom::label::TripleBarrierSpec spec;
  spec.vertical_bars = vertical;
  alphaloom::label::LabelFrame frame;
  const double label_seconds = BestSeconds(repeats, [&] { frame = alphaloom::label::TripleBarrier(panel, spec); });
  const alphaloom::cv::SampleIndex index = alphaloom::cv::SampleIndex::FromLabels(frame);
  alphaloom::cv::FoldPlan plan;
  const double plan_seconds =
      BestSeconds(repeats, [&] { plan = alphaloom::cv::PurgedKFold(index, alphaloom::cv::PurgedKFoldSpec{10, 0.01}); });
  size_t purged = 0;
  for (const auto& fold : plan.folds) purged += fold.purged + fold.embargoed;
  fmt::print("panel {} instruments x {} days, one thread, best of {}\n", instruments, days, repeats);
  fmt::print("triple barrier (ewm span 100, vertical {} bars): {:.3f} s, {} labels, {:.1f} M labels/s\n", vertical,
             label_seconds, frame.rows(), static_cast<double>(frame.rows()) / label_seconds / 1e6);
  fmt::print("purged 10-fold plan (embargo 1%):             {:.3f} s, {} folds, {} rows purged or embargoed\n",
             plan_seconds, plan.folds.size(), purged);
  return 0;
}
