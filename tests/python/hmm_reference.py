"""Runs hmmlearn's GaussianHMM (diag) from given starting parameters: the reference side of
test_hmm_parity.py, executed by the .venv-ref interpreter.

    python hmm_reference.py IN.json OUT.json

IN is the file hmm_parity_tool reads; OUT holds the fitted parameters, the log-likelihood under
them (score), the EM iteration count, and the forward-filtered probabilities computed from the
fitted model with hmmlearn's own forward pass (_hmmc.forward_log, each row normalised), and
the smoothed posteriors (predict_proba) that a backtest must not use.
"""
import json
import sys

import numpy as np
from hmmlearn import _hmmc, hmm
from scipy.special import logsumexp


def main(source, target):
    with open(source) as handle:
        spec = json.load(handle)
    x = np.asarray(spec["x"], dtype=float)
    model = hmm.GaussianHMM(n_components=len(spec["startprob"]), covariance_type="diag", n_iter=spec["n_iter"],
                            tol=spec["tol"], covars_prior=spec["covars_prior"], init_params="", params="stmc",
                            implementation="log")
    model.startprob_ = np.asarray(spec["startprob"], dtype=float)
    model.transmat_ = np.asarray(spec["transmat"], dtype=float)
    model.means_ = np.asarray(spec["means"], dtype=float)
    model.covars_ = np.asarray(spec["covars"], dtype=float)
    model.fit(x)
    log_frameprob = model._compute_log_likelihood(x)
    _, log_alpha = _hmmc.forward_log(model.startprob_, model.transmat_, log_frameprob)
    filtered = np.exp(log_alpha - logsumexp(log_alpha, axis=1, keepdims=True))
    out = {
        "startprob": model.startprob_.tolist(),
        "transmat": model.transmat_.tolist(),
        "means": model.means_.tolist(),
        "covars": model._covars_.tolist(),
        "log_likelihood": float(model.score(x)),
        "iterations": int(model.monitor_.iter),
        "filtered": filtered.tolist(),
        "smoothed": model.predict_proba(x).tolist(),
    }
    with open(target, "w") as handle:
        json.dump(out, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
