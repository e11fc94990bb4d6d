#pragma once
// Annual return, compounded (CAGR) or arithmetic.
//   compounded: CAGR = (prod_t (1 + r_t))^(N / n) - 1
//   arithmetic: mean(r) * N
// with N = conventions.periods_per_year and n the number of observations after the NaN policy
// (not calendar days: quantstats before 0.0.70 used calendar days, see finml.md section 6).
// AnnualReturn picks the form from conventions.compounding (kSum -> arithmetic, Qlib's
// "annualized_return" in mode "sum"). No risk-free rate is subtracted.
// Edge cases: empty -> NaN; final wealth exactly 0 -> -1; final wealth < 0 (losses beyond
// -100%) -> NaN, as a fractional power of a negative number is undefined (empyrical agrees).
// Source: empyrical `annual_return`, quantstats `cagr` (>= 0.0.70); Qlib risk_analysis.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The compound annual growth rate, whatever conventions.compounding says.
double CompoundedAnnualReturn(std::span<const double> returns, const Conventions& conventions = {});

/// mean(r) * periods_per_year, whatever conventions.compounding says.
double ArithmeticAnnualReturn(std::span<const double> returns, const Conventions& conventions = {});

/// CompoundedAnnualReturn under kCompound, ArithmeticAnnualReturn under kSum.
double AnnualReturn(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
