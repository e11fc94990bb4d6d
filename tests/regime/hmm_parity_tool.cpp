// Test-only: runs AlphaLoom's Gaussian HMM from given starting parameters, so that
// tests/python/test_hmm_parity.py can compare it with hmmlearn on the same data and start.
//
//   hmm_parity_tool IN.json OUT.json
//
// IN: {"x": [[...], ...] (T rows of D features), "startprob": [K], "transmat": [[K]] x K,
//      "means": [[D]] x K, "covars": [[D]] x K (diagonal variances), "n_iter", "tol",
//      "covars_prior"}.
// OUT: the fitted startprob, transmat, means, covars, "log_likelihood" (under the fitted
// parameters), "iterations", "converged", and "filtered" (T x K forward-filtered probabilities
// under the fitted parameters).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/regime/gaussian_hmm.h"

namespace {

namespace regime = alphaloom::regime;
using nlohmann::json;

std::vector<double> Flatten(const json& matrix) {
  std::vector<double> out;
  for (const auto& row : matrix) {
    for (const auto& value : row) out.push_back(value.get<double>());
  }
  return out;
}

json Rows(const std::vector<double>& values, size_t width) {
  json out = json::array();
  for (size_t start = 0; start < values.size(); start += width) {
    out.push_back(std::vector<double>(values.begin() + static_cast<long>(start),
                                      values.begin() + static_cast<long>(start + width)));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: hmm_parity_tool IN.json OUT.json\n";
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    if (!in) throw alphaloom::Error(alphaloom::ErrorKind::kIo, fmt::format("cannot read {}", argv[1]));
    const json input = json::parse(in);
    const std::vector<double> x = Flatten(input.at("x"));
    regime::GaussianHmmParams start;
    start.states = input.at("startprob").size();
    start.features = input.at("x").at(0).size();
    start.startprob = input.at("startprob").get<std::vector<double>>();
    start.transmat = Flatten(input.at("transmat"));
    start.means = Flatten(input.at("means"));
    start.covars = Flatten(input.at("covars"));
    regime::HmmFitOptions options;
    options.n_iter = input.at("n_iter").get<int>();
    options.tol = input.at("tol").get<double>();
    options.covars_prior = input.at("covars_prior").get<double>();
    const regime::Observations obs{x, start.features};
    const regime::HmmFitResult fit = regime::FitGaussianHmm(obs, start, options);
    json output;
    output["startprob"] = fit.params.startprob;
    output["transmat"] = Rows(fit.params.transmat, fit.params.states);
    output["means"] = Rows(fit.params.means, fit.params.features);
    output["covars"] = Rows(fit.params.covars, fit.params.features);
    output["log_likelihood"] = fit.log_likelihood;
    output["iterations"] = fit.iterations;
    output["converged"] = fit.converged;
    output["filtered"] = Rows(regime::FilteredProbabilities(obs, fit.params), fit.params.states);
    alphaloom::WriteFileAtomic(argv[2], output.dump());
  } catch (const std::exception& error) {
    std::cerr << "hmm_parity_tool: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
