"""The indicator suite written in pandas, for `npm run bench indicator-suite`.

Usage: python3 indicators_pandas.py FLOWS.csv GROUPS.csv
FLOWS.csv: year,exporter,importer,product,value (BACI's reconciled flows, HS6).
GROUPS.csv: product,group_name,weight (the BEC-stage split of each HS6 code).
Loads both, then times each indicator (loading not counted) and prints JSON:
seconds per indicator and a few results to check against decouple's.
Definitions as in docs/indicators.md: bilateral share by group, partner HHI,
trade intensity, RCA, Michaely complementarity, for CHN and USA.
"""
import json
import sys
import time

import pandas as pd

R, P = "CHN", "USA"
flows = pd.read_csv(sys.argv[1], dtype={"product": str, "exporter": str, "importer": str})
groups = pd.read_csv(sys.argv[2], dtype={"product": str, "group_name": str})
times, results = {}, {}


def timed(name, fn):
    t = time.perf_counter()
    results[name] = fn()
    times[name] = time.perf_counter() - t


def share_by_group():
    f = flows[flows.exporter == R].merge(groups, on="product")
    f["v"] = f["value"] * f["weight"]
    total = f.groupby(["year", "group_name"])["v"].sum()
    part = f[f.importer == P].groupby(["year", "group_name"])["v"].sum()
    return (100 * part / total).round(6).dropna().to_dict().__len__()


def hhi():
    x = flows[flows.exporter == R].groupby(["year", "importer"])["value"].sum()
    s = x / x.groupby(level="year").transform("sum")
    return {int(y): float(v) for y, v in (s ** 2).groupby(level="year").sum().items()}


def intensity():
    out = {}
    for y, f in flows.groupby("year"):
        xij = f.loc[(f.exporter == R) & (f.importer == P), "value"].sum()
        xi = f.loc[f.exporter == R, "value"].sum()
        mj = f.loc[f.importer == P, "value"].sum()
        mw = f["value"].sum()
        out[int(y)] = float(xij / xi / (mj / mw))
    return out


def rca():
    f = flows[flows.year == 2022]
    xik = f[f.exporter == R].groupby("product")["value"].sum()
    xwk = f.groupby("product")["value"].sum()
    r = (xik / xik.sum()) / (xwk / xwk.sum())
    return int(r.dropna().shape[0])


def complementarity():
    out = {}
    for y, f in flows.groupby("year"):
        x = f[f.exporter == R].groupby("product")["value"].sum()
        m = f[f.importer == P].groupby("product")["value"].sum()
        x, m = x / x.sum(), m / m.sum()
        d = (m.reindex(m.index.union(x.index), fill_value=0) - x.reindex(m.index.union(x.index), fill_value=0)).abs().sum()
        out[int(y)] = float(100 * (1 - d / 2))
    return out


for name, fn in [("bilateral-share", share_by_group), ("partner-hhi", hhi), ("trade-intensity", intensity), ("rca", rca), ("complementarity", complementarity)]:
    timed(name, fn)
print(json.dumps({"seconds": times, "results": results}))
