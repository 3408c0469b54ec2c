"""A linear model of an answer's trend beside the rules: word n-grams plus the rules' verdict.

The weights are fitted by ``scripts/train_trend_model.py`` (``make claims-model``) with
scikit-learn's logistic regression on the project's labelled answer sets (listed there) and
shipped as JSON in ``graph/data/models/trend.json``: per feature, one weight per trend. Scoring here
needs no scikit-learn. The features are the same function at training and at run time
(:func:`answer_features`), and a decision names its strongest features, so it stays
explained like a rule's.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cakg.errors import InputError
from cakg.graph.claims.matching import TOKEN, lower

__all__ = ["Prediction", "TrendModel", "answer_features", "trend_model"]

_WHERE = "graph/data/models/trend.json"


def answer_features(sentences: Sequence[str], rule_label: str) -> dict[str, float]:
    """The model's features of an answer: its words and word pairs (present or not) and the
    trend the rules gave it.

    >>> sorted(answer_features(["Trade grows."], "strengthening"))
    ['rule=strengthening', 'w=grows', 'w=trade', 'w=trade grows']
    """
    features = {f"rule={rule_label}": 1.0}
    for sentence in sentences:
        words = [w for w in TOKEN.findall(lower(sentence)) if w[0].isalnum()]
        for i, word in enumerate(words):
            features[f"w={word}"] = 1.0
            if i + 1 < len(words):
                features[f"w={word} {words[i + 1]}"] = 1.0
    return features


@dataclass(frozen=True)
class Prediction:
    """The model's trend, its probability, and the features that pushed it most."""

    label: str
    probability: float
    top: tuple[str, ...]


@dataclass(frozen=True)
class TrendModel:
    """Fitted weights: one intercept and one weight per feature for each trend label."""

    labels: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    use: bool  # whether cross-validation chose the model over the rules alone
    meta: dict[str, Any]

    def predict(self, features: dict[str, float], top: int = 3) -> Prediction:
        """The most probable label (softmax over the linear scores) and its top features.

        >>> m = TrendModel(("a", "b"), (0.0, 0.0), {"w=x": (1.0, -1.0)}, True, {})
        >>> m.predict({"w=x": 1.0, "w=y": 1.0})
        Prediction(label='a', probability=0.8808, top=('x',))
        """
        scores = list(self.intercepts)
        for name, value in features.items():
            for k, w in enumerate(self.weights.get(name, ())):
                scores[k] += w * value
        peak = max(scores)
        exp = [math.exp(s - peak) for s in scores]
        best = max(range(len(scores)), key=lambda k: scores[k])
        pushing = sorted(
            (n for n in features if n in self.weights and self.weights[n][best] > 0),
            key=lambda n: -self.weights[n][best] * features[n],
        )
        names = tuple(n.split("=", 1)[1] for n in pushing if n.startswith("w="))[:top]
        return Prediction(self.labels[best], round(exp[best] / sum(exp), 4), names)


def read_model(text: str, where: str = _WHERE) -> TrendModel:
    """A model from its JSON text; a malformed file raises InputError naming it."""
    try:
        data = json.loads(text)
        labels = tuple(str(x) for x in data["labels"])
        model = TrendModel(
            labels=labels,
            intercepts=tuple(float(x) for x in data["intercepts"]),
            weights={str(k): tuple(float(x) for x in v) for k, v in data["weights"].items()},
            use=bool(data["use"]),
            meta=dict(data.get("meta", {})),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"not a trend model: {exc}", path=where) from None
    if len(model.intercepts) != len(labels) or any(
        len(w) != len(labels) for w in model.weights.values()
    ):
        raise InputError("weights do not match the labels", path=where)
    return model


@cache
def trend_model() -> TrendModel | None:
    """The shipped model, or None when the package has none."""
    try:
        path = resources.files("cakg.graph.data").joinpath("models", "trend.json")
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return read_model(text)
