"""scikit-learn reference for bench/automl.ts: the same families, preprocessing and folds, single-threaded.

Usage: /usr/bin/python3 sklearn_automl.py <data.csv> <folds.json> <regression|classification> <target>
Prints one JSON object: {"sklearn": version, "families": {model: {"seconds": s, "score": mean R2 or AUC}}}.
"""
import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import csv  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis  # noqa: E402
from sklearn.dummy import DummyClassifier, DummyRegressor  # noqa: E402
from sklearn.ensemble import (  # noqa: E402
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import ElasticNetCV, LassoCV, LinearRegression, LogisticRegressionCV, RidgeCV  # noqa: E402
from sklearn.metrics import r2_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.naive_bayes import GaussianNB  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor  # noqa: E402

data_path, folds_path, task, target = sys.argv[1:5]
with open(data_path, newline="") as handle:
    rows = list(csv.reader(handle))
header, body = rows[0], rows[1:]
with open(folds_path) as handle:
    spec = json.load(handle)
assignment = np.array(spec["folds"])
categorical = spec["categorical"]
features = [name for name in header if name != target]
numeric = [name for name in features if name not in categorical]
column = {name: index for index, name in enumerate(header)}


def numbers(name):
    return np.array([float(row[column[name]]) if row[column[name]] != "" else np.nan for row in body])


def labels(name):
    return np.array([row[column[name]] if row[column[name]] != "" else None for row in body], dtype=object)


X_numeric = np.column_stack([numbers(name) for name in numeric])
X_categorical = np.column_stack([labels(name) for name in categorical]) if categorical else None
X = np.empty((len(body), len(features)), dtype=object)
X[:, : len(numeric)] = X_numeric
if categorical:
    X[:, len(numeric) :] = X_categorical
if task == "regression":
    y = numbers(target)
else:
    classes = sorted(set(row[column[target]] for row in body))
    y = np.array([classes.index(row[column[target]]) for row in body])

ALPHAS = np.logspace(-3, 3, 13)
SEED = 0
inner = KFold(5)
families = {
    "regression": {
        "lr": (True, lambda: LinearRegression()),
        "ridge": (True, lambda: RidgeCV(alphas=ALPHAS)),
        "lasso": (True, lambda: LassoCV(n_alphas=100, eps=1e-3, cv=inner, max_iter=10000)),
        "en": (True, lambda: ElasticNetCV(l1_ratio=[0.1, 0.5, 0.9], n_alphas=100, eps=1e-3, cv=inner, max_iter=10000)),
        "knn": (True, lambda: KNeighborsRegressor(5)),
        "dt": (False, lambda: DecisionTreeRegressor(random_state=SEED)),
        "rf": (False, lambda: RandomForestRegressor(100, n_jobs=1, random_state=SEED)),
        "et": (False, lambda: ExtraTreesRegressor(100, n_jobs=1, random_state=SEED)),
        "hgb": (False, lambda: HistGradientBoostingRegressor(random_state=SEED)),
        "dummy": (False, lambda: DummyRegressor()),
    },
    "classification": {
        "logistic": (True, lambda: LogisticRegressionCV(Cs=10, cv=StratifiedKFold(5), max_iter=1000)),
        "lda": (False, lambda: LinearDiscriminantAnalysis()),
        "knn": (True, lambda: KNeighborsClassifier(5)),
        "nb": (False, lambda: GaussianNB()),
        "dt": (False, lambda: DecisionTreeClassifier(random_state=SEED)),
        "rf": (False, lambda: RandomForestClassifier(100, n_jobs=1, random_state=SEED)),
        "et": (False, lambda: ExtraTreesClassifier(100, n_jobs=1, random_state=SEED)),
        "hgb": (False, lambda: HistGradientBoostingClassifier(random_state=SEED)),
        "dummy": (False, lambda: DummyClassifier(strategy="prior")),
    },
}[task]


def pipeline(scaled, model):
    # A missing category is None in the object column: missing_values=None makes the imputer see it (with its
    # default np.nan it left None in place and OneHotEncoder made a "None" level, which scaled to ~10 swayed kNN).
    steps = [("num", SimpleImputer(strategy="median"), list(range(len(numeric))))]
    if categorical:
        steps.append(
            (
                "cat",
                make_pipeline(SimpleImputer(strategy="most_frequent", missing_values=None), OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
                list(range(len(numeric), len(features))),
            )
        )
    parts = [("prep", ColumnTransformer(steps))]
    if scaled:
        parts.append(("scale", StandardScaler()))
    parts.append(("model", model))
    return Pipeline(parts)


results = {}
only = spec.get("models")
for name, (scaled, build) in families.items():
    if only and name not in only:
        continue
    started = time.perf_counter()
    scores = []
    for fold in range(int(assignment.max()) + 1):
        train, test = assignment != fold, assignment == fold
        fitted = pipeline(scaled, build()).fit(X[train], y[train])
        if task == "regression":
            scores.append(r2_score(y[test], fitted.predict(X[test])))
        else:
            scores.append(roc_auc_score(y[test], fitted.predict_proba(X[test])[:, 1]))
    results[name] = {"seconds": time.perf_counter() - started, "score": float(np.mean(scores))}
print(json.dumps({"sklearn": sklearn.__version__, "families": results}))
