"""The average-tariff series in pandas, as an analyst would write it, for the side-by-side benchmark.

Reads the tables decouple's bench exports (tariff lines, exclusions, MFN rates, the registry's all-goods lists,
the weights and the HS concordance) and computes, at each date given, the same stack and averages as
`decouple compute average-tariff`: the US on China by HTS8 line (MFN, specific rates as ad valorem equivalents
from 2017 unit values, + Section 301 + 232 + IEEPA), averaged within HS6 and weighted by 2017 imports; China on
the US from total rates by HS6 with its later actions stacked on them (the 2020 halving as a cut of what the
halved lists added, the 2025 lists and the duty on all goods). Loading is not timed.
Prints JSON: {"seconds": …, "usa": {date: average}, "chn": {date: average}}.
"""

import json
import sys
import time

import pandas as pd

SECTION301_LISTS = {"us-301-list1", "us-301-list2", "us-301-list3", "us-301-list4"}
REVIEW = "us-301-four-year-review"
EXCLUSIONS = "us-301-exclusions"
FENTANYL = "us-ieepa-fentanyl-tariff"
RECIPROCAL = "us-reciprocal-tariff-china"


def read(folder, name, **kw):
    return pd.read_csv(f"{folder}/{name}.csv", keep_default_na=True, **kw)


def hts_vintage(year):
    for start, v in [(2022, "HS2022"), (2017, "HS2017"), (2012, "HS2012"), (2007, "HS2007"), (2002, "HS2002")]:
        if year >= start:
            return v
    return "HS1996"


def in_force(df, d, start="from_date", end="to_date"):
    return df[(df[start] <= d) & (df[end].isna() | (df[end] > d))]


def us_average(t, d):
    mfn, tl, ex, allg, w, conc, wclass = t["mfn"], t["tl"], t["ex"], t["allg"], t["w"], t["conc"], t["wclass"]
    years = mfn["year"].unique()
    below = [y for y in years if y <= d.year]
    year = max(below) if below else min(years)
    m = mfn[(mfn["year"] == year) & (mfn["from_date"].isna() | (mfn["from_date"] <= d))]
    m = m.sort_values("from_date", na_position="first").groupby("line", as_index=False).last()
    lines = m[["line", "ad", "per_unit", "unit"]].copy()
    vintage = hts_vintage(year)
    lines["hs6"] = lines["line"].str[:6]
    c = conc[(conc["from_classification"] == vintage) & (conc["to_classification"] == wclass)]
    if vintage != wclass and len(c):
        lines = lines.merge(c[["from_code", "to_code"]], left_on="hs6", right_on="from_code", how="left")
        lines["product"] = lines["to_code"].fillna(lines["hs6"])
    else:
        lines["product"] = lines["hs6"]
    lines = lines[lines["product"].isin(w["product"])]
    # Specific rates (US$ per unit) as ad valorem equivalents at the unit value of the line's HS6.
    lines["hs6w"] = lines["product"].str[:6]
    lines = lines.merge(t["uv"], left_on=["hs6w", "unit"], right_on=["hs6", "tariff_unit"], how="left", suffixes=("", "_uv"))
    ave = 100 * lines["per_unit"] * lines["q"] / lines["v"]
    lines["ad"] = lines["ad"] + ave.where((lines["per_unit"].fillna(0) > 0) & (lines["q"] > 0), 0)
    # Lines named by a listing in force: the same HTS8 (a 10-digit listing counts for its whole HTS8 line).
    t_d = in_force(tl, d)
    j = lines[["line"]].merge(t_d, left_on="line", right_on="key8", suffixes=("", "_listed"))
    agg = pd.DataFrame({"line": lines["line"]}).set_index("line")
    agg["s301_lists"] = j[j["measure_id"].isin(SECTION301_LISTS)].groupby("line")["rate_pct"].max()
    agg["s301_review"] = j[j["measure_id"] == REVIEW].groupby("line")["rate_pct"].max()
    agg["s232"] = j[j["measure_id"].str.startswith("us-232-")].groupby("line")["rate_pct"].max()
    e_d = in_force(ex, d)
    e_d = e_d[e_d["line"].str.len() == 8]
    agg["excluded"] = agg.index.isin(e_d[e_d["measure_id"] == EXCLUSIONS]["line"])
    agg["exempt"] = agg.index.isin(e_d[e_d["measure_id"] == RECIPROCAL]["line"])
    agg = agg.fillna({"s301_lists": 0, "s301_review": 0, "s232": 0})
    g = allg[(allg["from_date"] <= d) & (allg["suspended"].isna() | (allg["suspended"] > d))]
    g = g.sort_values("from_date").groupby("measure_id")["rate_pct"].last()
    fent = g.get(FENTANYL, 0.0)
    recip = g.get(RECIPROCAL, 0.0)
    agg["s301"] = agg["s301_lists"].where(~agg["excluded"], 0).combine(agg["s301_review"], max)
    agg["recip"] = recip
    agg.loc[agg["exempt"] | (agg["s232"] > 0), "recip"] = 0
    lines = lines.set_index("line").join(agg)
    lines["total"] = lines["ad"] + lines["s301"] + lines["s232"] + fent + lines["recip"]
    per = lines.groupby("product").agg(total=("total", "mean"), priced=("ad", "count")).reset_index()
    per = w.merge(per, on="product", how="left")
    per = per[per["priced"] > 0]
    return float((per["w"] * per["total"]).sum() / per["w"].sum())


def chn_added(t):
    """What each scaled measure added to each line: the rise of the line's rate on the measure's effective date."""
    rates = t["chn_rates"]
    out = []
    for s in t["chn_scaling"].itertuples():
        at = in_force(rates, s.eff).sort_values("from_date").groupby("line")["rate_pct"].last()
        before = rates[(rates["from_date"] < s.eff) & (rates["to_date"].isna() | (rates["to_date"] >= s.eff))]
        before = before.sort_values("from_date").groupby("line")["rate_pct"].last()
        added = (at - before.reindex(at.index).fillna(0)).clip(lower=0)
        out.append(pd.DataFrame({"line": added.index, "added": added.values, "on_date": s.on_date, "f": s.f}))
    return pd.concat(out) if out else pd.DataFrame(columns=["line", "added", "on_date", "f"])


def chn_average(t, d):
    rates, w = t["chn_rates"], t["chn_w"]
    now = in_force(rates, d).sort_values("from_date").groupby("line", as_index=False).last()
    a = t["chn_added_rows"]
    a = a[a["on_date"] <= d]
    cut = -((1 - a["f"]) * a["added"]).groupby(a["line"]).sum()
    later = in_force(t["chn_later"], d)
    later = later.groupby(later["line"].str[:6])["rate_pct"].max()
    g = t["chn_allg"]
    g = g[(g["from_date"] <= d) & (g["suspended"].isna() | (g["suspended"] > d))]
    all_goods = float(g.sort_values("from_date").groupby("measure_id")["rate_pct"].last().sum())
    now = now.set_index("line")
    now["total"] = now["rate_pct"] + cut.reindex(now.index).fillna(0) + later.reindex(now.index).fillna(0) + all_goods
    j = w.merge(now, left_on="product", right_index=True)
    return float((j["w"] * j["total"]).sum() / j["w"].sum())


def main(folder):
    dates = lambda name: ["from_date", "to_date"] if name != "allg" else ["from_date", "suspended"]
    t = {
        "mfn": read(folder, "mfn", dtype={"line": str}, parse_dates=["from_date"]),
        "tl": read(folder, "tl", dtype={"line": str, "key8": str}, parse_dates=["from_date", "to_date"]),
        "ex": read(folder, "ex", dtype={"line": str}, parse_dates=["from_date", "to_date"]),
        "allg": read(folder, "allg", parse_dates=dates("allg")),
        "w": read(folder, "w", dtype={"product": str}),
        "conc": read(folder, "conc", dtype={"from_code": str, "to_code": str}),
        "chn_rates": read(folder, "chn_rates", dtype={"line": str}, parse_dates=["from_date", "to_date"]),
        "chn_w": read(folder, "chn_w", dtype={"product": str}),
    }
    t["chn_scaling"] = read(folder, "chn_scaling", parse_dates=["on_date", "eff"])
    t["chn_later"] = read(folder, "chn_later", dtype={"line": str}, parse_dates=["from_date", "to_date"])
    t["chn_allg"] = read(folder, "chn_allg", parse_dates=["from_date", "suspended"])
    qty = read(folder, "qty", dtype={"product": str})
    units = read(folder, "units")
    with open(f"{folder}/meta.json") as f:
        meta = json.load(f)
    t["wclass"] = meta["weights_classification"]
    start = time.perf_counter()
    q = qty.merge(units, left_on="quantity_unit", right_on="trade_unit")
    q["q"] = q["q"] * q["factor"]
    t["chn_added_rows"] = chn_added(t)
    t["uv"] = q.groupby(["product", "tariff_unit"], as_index=False)[["v", "q"]].sum().rename(columns={"product": "hs6"})
    usa = {d: us_average(t, pd.Timestamp(d)) for d in meta["usa_dates"]}
    chn = {d: chn_average(t, pd.Timestamp(d)) for d in meta["chn_dates"]}
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "usa": usa, "chn": chn}))


if __name__ == "__main__":
    main(sys.argv[1])
