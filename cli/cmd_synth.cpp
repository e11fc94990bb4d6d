// alphaloom synth --out DIR [--instruments N] [--start D] [--end D] [--seed S] [--ic X]
//                 [--format csv|parquet|qlib]
#include <memory>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/synth.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct SynthArgs {
  std::string out, start = "2012-01-02", end = "2024-12-31", format = "csv";
  size_t instruments = 100;
  uint64_t seed = 7;
  double ic = 0.05;
};

}  // namespace

void AddSynthCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<SynthArgs>();
  CLI::App* command = app.add_subcommand("synth", "Generate a synthetic market with a planted, known alpha");
  command->add_option("--out", args->out, "Output directory (replaced atomically)")->required();
  command->add_option("--instruments", args->instruments, "Number of instruments")->check(CLI::Range(1, 100000));
  command->add_option("--start", args->start, "First date");
  command->add_option("--end", args->end, "Last date");
  command->add_option("--seed", args->seed, "Random seed");
  command->add_option("--ic", args->ic, "Planted information coefficient (0 = pure noise)")->check(CLI::Range(0.0, 0.49));
  command->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"csv", "parquet", "qlib"}));
  command->callback([args] {
    data::SynthOptions options;
    options.instruments = args->instruments;
    options.start = ParseDateOrThrow(args->start, "--start");
    options.end = ParseDateOrThrow(args->end, "--end");
    if (options.end <= options.start) throw Error(ErrorKind::kUsage, "--end must be after --start");
    options.seed = args->seed;
    options.ic = args->ic;
    const data::SynthFormat format = args->format == "parquet" ? data::SynthFormat::kParquet
                                     : args->format == "qlib"  ? data::SynthFormat::kQlib
                                                               : data::SynthFormat::kCsv;
    const data::SynthMarket market = data::GenerateMarket(options);
    data::WriteSynthMarket(market, args->out, format);
    LogInfo("synthetic market: {} instruments + benchmark {}, {} trading days, written to {} ({})",
            market.instruments.size(), market.benchmark.instrument, market.calendar.size(), args->out, args->format);
  });
}

}  // namespace alphaloom::cli
