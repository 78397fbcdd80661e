"""Standardise the factor matrix for the PCA notebook."""

import pandas as pd
from sklearn.decomposition import PCA

factors = pd.read_parquet("data/factor_returns.parquet")
factors["date"] = pd.to_datetime(factors["date"])
cols = ["mkt", "smb", "hml", "mom", "insider_flow"]

factors[cols] = (factors[cols] - factors[cols].mean()) / factors[cols].std()  # expect: TR007
ins = factors["insider_flow"]
factors["insider_flow_z"] = (ins - ins.mean()) / ins.std(ddof=0)  # expect: TR007

pca = PCA(n_components=3).fit(factors.loc[factors["date"] < "2018-01-01", cols])
factors[["pc1", "pc2", "pc3"]] = pca.transform(factors[cols])
factors.to_parquet("data/factor_pcs.parquet")
