"""PTC data: articles, gold spans, tokenization, windows, and the SemEval-2020 Task 11 measures.

Everything that must agree with the Rust inference (token windows, decoding, span features) lives
here so that `train.py` (tuning) and `export.py` (checks) use one definition. The Rust side is
`crates/unspin/src/detect/neural/decode.rs`; keep the two in step.
"""

from __future__ import annotations

import functools
import math
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# Alphabetical, exactly as in techniques.txt; the index is the label id (token channel 1 + id).
TECHNIQUES = [
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
]
N_TECH = len(TECHNIQUES)
N_CHANNELS = 1 + N_TECH  # channel 0: "inside any technique span"
MAX_LEN = 256  # incl. [CLS] and [SEP]
CONTENT = MAX_LEN - 2
STRIDE = 192  # inference: windows overlap by CONTENT - STRIDE tokens
TRIM = " \n\t.,:;"
STOPWORDS_FILE = Path(__file__).resolve().parent.parent / "crates/unspin/src/detect/neural/stopwords.txt"
# Sentence ends for widening sentence-level techniques: one of these followed by whitespace or
# the end of the text; a line break always ends one.
SENTENCE_END = ".!?"


@dataclass
class Article:
    id: str
    text: str
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, tech) chars
    ids: np.ndarray | None = None  # token ids, no specials
    offsets: np.ndarray | None = None  # [n, 2] char offsets
    cont: np.ndarray | None = None  # bool: token is a "##" continuation piece


def fold_of(article_id: str, folds: int = 5) -> int:
    """The cross-validation fold of an article, by a hash of its id (fold 0 of 5 is the old
    fixed validation split)."""
    return zlib.crc32(article_id.encode()) % folds


def split_of(article_id: str) -> str:
    """Fixed validation split: one article in five, by a hash of its id."""
    return "val" if fold_of(article_id) == 0 else "train"


def load_articles(data: Path) -> list[Article]:
    """Reads `train-articles/` and the combined FLC/TC labels file of a PTC folder."""
    arts = {}
    for p in sorted((data / "train-articles").glob("article*.txt")):
        aid = p.stem[len("article"):]
        arts[aid] = Article(aid, p.read_text(encoding="utf-8"))
    labels = data / "train-task-flc-tc.labels"
    for line in labels.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        aid, tech, start, end = line.split("\t")
        arts[aid].spans.append((int(start), int(end), TECHNIQUES.index(tech)))
    return list(arts.values())


def special_ids(tok) -> tuple[int, int, int]:
    """(first, last, padding) token ids: BERT's [CLS]/[SEP]/[PAD] or MPNet's <s>/</s>/<pad>."""
    for names in (("[CLS]", "[SEP]", "[PAD]"), ("<s>", "</s>", "<pad>")):
        ids = [tok.token_to_id(n) for n in names]
        if None not in ids and (names[0] != "[CLS]" or tok.token_to_id("<s>") is None):
            return tuple(ids)
    raise SystemExit("the tokenizer has neither [CLS]/[SEP]/[PAD] nor <s>/</s>/<pad>")


def load_tokenizer(base: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def model_tokenizer(model_dir: Path, cfg: dict):
    """The tokenizer a shipped model folder's config.json names, as HF tokenizers, with its
    (first, last, padding) ids; BERT's tokens when the config names none, as in Rust."""
    from tokenizer_fixture import from_spec

    spec = {"vocab": "vocab.txt", "cls": "[CLS]", "sep": "[SEP]", "pad": "[PAD]", "unk": "[UNK]", "trim_offsets": False,
            "added_tokens": [{"content": t} for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")]}
    spec.update(cfg.get("tokenizer", {}))
    tok = from_spec(model_dir / spec["vocab"], spec)
    return tok, tuple(tok.token_to_id(spec[k]) for k in ("cls", "sep", "pad"))


def decoding_settings(cfg: dict) -> dict:
    """config.json's thresholds in the form `train.Reader.decode` takes."""
    thr = cfg["thresholds"]
    return {"any": thr["any"], "low": thr.get("low"), "gap": thr.get("gap", 0), "second": thr["second"],
            "tech": thr["technique"], "widen": [cfg["labels"].index(t) for t in thr.get("widen", [])]}


def tokenize(tok, arts: list[Article]) -> None:
    vocab = tok.get_vocab()
    cont_ids = np.zeros(max(vocab.values()) + 1, dtype=bool)
    for piece, i in vocab.items():
        cont_ids[i] = piece.startswith("##")
    for a in arts:
        enc = tok.encode(a.text, add_special_tokens=False)
        a.ids = np.asarray(enc.ids, dtype=np.int64)
        a.offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        a.cont = cont_ids[a.ids] if len(a.ids) else np.zeros(0, dtype=bool)


def token_targets(a: Article) -> np.ndarray:
    """[n, 15] 0/1: token overlaps a gold span (channel 0) / a span of technique t (1 + t)."""
    y = np.zeros((len(a.ids), N_CHANNELS), dtype=np.float32)
    for s, e, t in a.spans:
        inside = (a.offsets[:, 0] < e) & (a.offsets[:, 1] > s)
        y[inside, 0] = 1
        y[inside, 1 + t] = 1
    return y


def window_spans(a: Article, ws: int, we: int) -> list:
    """The span head's training targets in window tokens [ws, we): for each token range holding
    gold spans, (i, j) relative to ws, the techniques' distribution over those spans, and the span
    features."""
    groups = {}
    for s, e, t in a.spans:
        r = token_range(a, s, e)
        if r is None or r[0] < ws or r[1] > we:
            continue
        groups.setdefault(r, []).append((t, s, e))
    lower = a.text.lower()
    out = []
    for (i, j), labs in groups.items():
        dist = np.zeros(N_TECH, dtype=np.float32)
        for t, _, _ in labs:
            dist[t] += 1.0 / len(labs)
        s, e = labs[0][1], labs[0][2]
        out.append((i - ws, j - ws, dist, span_features(j - i, repeats(lower, a.text[s:e]))))
    return out


def token_range(a: Article, s: int, e: int) -> tuple[int, int] | None:
    """Token indices [i, j) that overlap chars [s, e)."""
    inside = np.nonzero((a.offsets[:, 0] < e) & (a.offsets[:, 1] > s))[0]
    if len(inside) == 0:
        return None
    return int(inside[0]), int(inside[-1]) + 1


def inference_windows(n: int) -> list[int]:
    """Start token of each window; every token is read, consecutive windows overlap."""
    starts = [0]
    while starts[-1] + CONTENT < n:
        starts.append(starts[-1] + STRIDE)
    return starts


def read_windows(ids, cls: int, sep: int, content: int, batch: int, forward, pad: int = 0):
    """Reads token ids the way the Rust detector does: windows every STRIDE tokens, longest first,
    `batch` per call of `forward(ids [B, T], mask [B, T]) -> (probs [B, T, C], hidden [B, T, H])`
    (NumPy arrays). Returns the probabilities averaged over overlapping windows [n, C], the window
    starts and each window's hidden states ([CLS] first, float64)."""
    n = len(ids)
    starts = inference_windows(n)
    length = lambda w: min(starts[w] + content, n) - starts[w]  # noqa: E731
    order = sorted(range(len(starts)), key=lambda w: (-length(w), w))
    sums = counts = None
    hidden = [None] * len(starts)
    for b0 in range(0, len(order), batch):
        chunk = order[b0:b0 + batch]
        T = length(chunk[0]) + 2
        x = np.full((len(chunk), T), pad, dtype=np.int64)
        mask = np.zeros((len(chunk), T), dtype=np.int64)
        for b, w in enumerate(chunk):
            L = length(w)
            x[b, 0], x[b, 1:L + 1], x[b, L + 1] = cls, ids[starts[w]:starts[w] + L], sep
            mask[b, :L + 2] = 1
        p, h = forward(x, mask)
        if sums is None:
            sums, counts = np.zeros((n, p.shape[-1])), np.zeros(n)
        for b, w in enumerate(chunk):
            L = length(w)
            sums[starts[w]:starts[w] + L] += p[b, 1:L + 1]
            counts[starts[w]:starts[w] + L] += 1
            hidden[w] = h[b, :L + 2].astype(np.float64)
    return sums / counts[:, None], starts, hidden


def repeats(text_lower: str, piece: str) -> int:
    """How many more times the span's text occurs in the article (case-insensitive)."""
    p = piece.strip().lower()
    if not p:
        return 0
    return max(text_lower.count(p) - 1, 0)


def span_features(n_tokens: int, reps: int) -> list[float]:
    return [math.log1p(n_tokens), math.log1p(reps)]


def best_window(starts: list[int], n: int, i: int, j: int) -> int:
    """Index of the window that holds tokens [i, j) furthest from its edges (else most of them)."""
    best, best_key = 0, None
    for w, ws in enumerate(starts):
        we = min(ws + CONTENT, n)
        inside = min(j, we) - max(i, ws)
        if inside <= 0:
            continue
        margin = min(i - ws, we - j) if (ws <= i and j <= we) else -1
        key = (1 if margin >= 0 else 0, margin if margin >= 0 else inside)
        if best_key is None or key > best_key:
            best, best_key = w, key
    return best


def char_span(a: Article, i: int, j: int) -> tuple[int, int] | None:
    """Chars of tokens [i, j), trimmed of surrounding spaces and light punctuation."""
    s, e = int(a.offsets[i, 0]), int(a.offsets[j - 1, 1])
    while s < e and a.text[s] in TRIM:
        s += 1
    while e > s and a.text[e - 1] in TRIM:
        e -= 1
    return (s, e) if s < e else None


def runs(mask: np.ndarray, cont: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs of True, widened so they start and end on whole words."""
    out = []
    n = len(mask)
    i = 0
    while i < n:
        if not mask[i]:
            i += 1
            continue
        j = i
        while j < n and mask[j]:
            j += 1
        s, e = i, j
        while s > 0 and cont[s]:
            s -= 1
        while e < n and cont[e]:
            e += 1
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
        i = j
    return out


@functools.cache
def stopwords() -> frozenset:
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(l.strip() for l in lines if l.strip() and not l.startswith("#"))


def stop_tokens(a: Article) -> np.ndarray:
    """Per token: its whole word is a stop word or has no letter or digit."""
    n = len(a.ids)
    out = np.zeros(n, dtype=bool)
    words = stopwords()
    i = 0
    while i < n:
        j = i + 1
        while j < n and a.cont[j]:
            j += 1
        word = a.text[a.offsets[i, 0]:a.offsets[j - 1, 1]].lower()
        out[i:j] = word in words or not any(c.isalnum() for c in word)
        i = j
    return out


def hysteresis_runs(p: np.ndarray, high: float, low: float, gap: int, cont: np.ndarray) -> list[tuple[int, int]]:
    """Runs of tokens with p >= low that hold at least one token with p >= high; runs at most
    `gap` tokens apart are joined; then widened to whole words as `runs` does. With low == high
    and gap == 0 this is `runs(p >= high, cont)`."""
    n = len(p)
    kept = []
    i = 0
    while i < n:
        if p[i] < low:
            i += 1
            continue
        j = i
        while j < n and p[j] >= low:
            j += 1
        if (p[i:j] >= high).any():
            if kept and i - kept[-1][1] <= gap:
                kept[-1] = (kept[-1][0], j)
            else:
                kept.append((i, j))
        i = j
    mask = np.zeros(n, dtype=bool)
    for i, j in kept:
        mask[i:j] = True
    return runs(mask, cont)


def sentence_bounds(text: str) -> list[int]:
    """Char offsets just after each sentence end (see SENTENCE_END), and the text's end."""
    out = []
    n = len(text)
    for k, c in enumerate(text):
        if c == "\n" or (c in SENTENCE_END and (k + 1 == n or text[k + 1].isspace()) and not initial(text, k)):
            out.append(k + 1)
    out.append(n)
    return out


def initial(text: str, k: int) -> bool:
    """The char at k is the period of a one-letter capital like the "S." of "U.S." or "J. Smith"."""
    return (text[k] == "." and k >= 1 and text[k - 1].isupper()
            and (k == 1 or text[k - 2] == "." or text[k - 2].isspace()))


def widen_to_sentence(text: str, ends: list[int], span: tuple[int, int]) -> tuple[int, int]:
    """The sentence(s) holding chars span, trimmed of spaces and TRIM characters."""
    import bisect

    k = bisect.bisect_right(ends, span[0]) - 1
    s = ends[k] if k >= 0 else 0
    e = ends[bisect.bisect_left(ends, span[1])]
    while s < e and text[s] in TRIM:
        s += 1
    while e > s and text[e - 1] in TRIM:
        e -= 1
    return (s, e) if s < e else span


# ---------------------------------------------------------------------------------------------
# SemEval-2020 Task 11 measures (same definitions as the organizers' scorers and `unspin eval`).


def _merge(spans):
    spans = sorted(spans)
    out = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def span_prf(gold: dict, pred: dict, labelled: bool) -> tuple[float, float, float]:
    """SI (labelled=False) or FLC (labelled=True) partial-overlap P/R/F1.

    gold/pred: article id -> list of (start, end, tech). Spans are merged per article (and per
    technique for FLC) as the SI scorer does.
    """
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for aid in set(gold) | set(pred):
        keys = {t for _, _, t in gold.get(aid, [])} | {t for _, _, t in pred.get(aid, [])} if labelled else {None}
        for k in keys:
            g = _merge([(s, e) for s, e, t in gold.get(aid, []) if not labelled or t == k])
            p = _merge([(s, e) for s, e, t in pred.get(aid, []) if not labelled or t == k])
            n_gold += len(g)
            n_pred += len(p)
            for ps, pe in p:
                for gs, ge in g:
                    inter = min(pe, ge) - max(ps, gs)
                    if inter > 0:
                        p_num += inter / (pe - ps)
                        r_num += inter / (ge - gs)
    prec = p_num / n_pred if n_pred else 0.0
    rec = r_num / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def tc_micro_f1(gold_labels: list[set], pred: list[int]) -> float:
    """Share of template spans whose predicted technique is one of the gold ones.

    With one prediction per template line this equals the scorer's micro-F1 (P = R) once repeated
    spans are matched to their best gold label, which a set of gold labels per line models.
    """
    if not pred:
        return 0.0
    return sum(1 for g, p in zip(gold_labels, pred) if p in g) / len(pred)
