"""Runs inside .venv-qlib: reads $close and $factor of every instrument of a store with Qlib
itself and writes them as CSV (instrument, datetime, close, factor).

usage: qlib_read_features.py STORE OUT.csv INSTRUMENT [INSTRUMENT ...]
"""
import sys

import qlib
from qlib.constant import REG_US
from qlib.data import D


def main() -> None:
    store, out, instruments = sys.argv[1], sys.argv[2], sys.argv[3:]
    qlib.init(provider_uri=store, region=REG_US, expression_cache=None, dataset_cache=None, kernels=1)
    frame = D.features(instruments, ["$close", "$factor"], freq="day")
    frame.columns = ["close", "factor"]
    frame.reset_index().to_csv(out, index=False, float_format="%.9g")
    universe = D.list_instruments(D.instruments("all"), as_list=True)
    print(",".join(sorted(universe)))


if __name__ == "__main__":
    main()
