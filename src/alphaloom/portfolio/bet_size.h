#pragma once
// Bet sizes from classifier probabilities (AFML ch. 10; reference/finml.md §9.3).
namespace alphaloom::portfolio {

/// m = 2 Phi(z) - 1 with z = (p - 1/K) / sqrt(p (1 - p)), for K >= 2 classes; for K = 2 this is
/// the signed size of a long bet with P(up) = p (p = 0.6 -> 0.161744, p = 0.5 -> 0, p < 0.5 short).
/// p = 0 or 1 gives -1 or +1; NaN stays NaN.
double BetSize(double probability, int classes = 2);

/// round(m / step) * step clipped to [-1, 1] (AFML Snippet 10.3); step <= 0 leaves m unchanged.
double DiscretizeBetSize(double size, double step);

}  // namespace alphaloom::portfolio
