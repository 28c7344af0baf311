"""Heads over the technique pass's own hidden states: entities and in-context check-worthiness.

    HF_HUB_OFFLINE=1 python -m propscope.train.shared_heads --ptc DIR --ct24 DIR [--model DIR]
    python -m propscope.train.shared_heads --refresh-hashes    # after editing MODEL_CARD.md

Both heads read the frozen hidden states of the shipped int8 ONNX encoder exactly as
``PropscopeModel.encode_texts`` gives them at run time (token states averaged over the
overlapping windows), so training and run time see identical features.

* Entity head (MLP): silver BIO labels from spaCy's NER (``en_core_web_sm``, run on the
  case-restored text as ``extract_entities`` does) over the PTC train articles and CT24 train
  sentences grouped into pseudo-articles; features are each word's first-subword state plus
  :func:`propscope.model.casing_features`. Scored on the hand-annotated gold set
  (tests/data/entities_gold.jsonl) through the whole ``extract_entities`` rule chain.
* In-context check-worthiness head (logistic regression): CT24 sentences grouped into
  pseudo-articles of consecutive ids (:func:`propscope.model.context_groups`), each sentence
  read inside its pseudo-article ([mean; first; last] of its tokens), plus every sentence of
  the PTC train articles read in its article with the isolated head's probability as a soft
  target (so that the head also follows the isolated one on news); threshold chosen on CT24 dev, dev-test reported;
  the isolated head of ``heads.npz`` is scored the same way for comparison. The cascade's
  uncertain band (in-context scores re-checked by the isolated head) is the narrowest whose
  CT24 dev F1 stays within ``--band-tolerance`` of the isolated head's.

Writes ``shared_heads.npz`` into the model folder, lists it (sha256, size) in manifest.json
with the new thresholds and figures under ``shared_heads``. Only local files are read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from propscope.entities import _restore_case, _run_ner, extract_entities, load_nlp
from propscope.model import (
    ENTITY_LABELS,
    N_ENTITY_CLASSES,
    SHARED_HEADS,
    PropscopeModel,
    context_groups,
    default_model_dir,
    join_sentences,
)
from propscope.ptc import read_checkworthy
from propscope.sentences import split_sentences
from propscope.train.evaluate import best_threshold, binary_f1

ROOT = Path(__file__).resolve().parents[3]
GOLD = ROOT / "tests" / "data" / "entities_gold.jsonl"
TYPES = ("PERSON", "ORG", "PLACE")
LABEL_INDEX = {label: k for k, label in enumerate(ENTITY_LABELS)}
ENCODE_BATCH = 16


# --------------------------------------------------------------------------- features


def word_labels(spans: list[tuple[int, int]], entities: list[tuple[int, int, str]], n_chars: int) -> np.ndarray:
    """BIO class per word from character-level entities (a word overlapping an entity is in it)."""
    owner = np.full(n_chars + 1, -1, np.int64)
    kept = [(s, e, lab) for s, e, lab in entities if lab in LABEL_INDEX]
    for k, (s, e, _) in enumerate(kept):
        owner[s:e] = k
    k_labels = len(ENTITY_LABELS)
    out = np.zeros(len(spans), np.int64)
    prev = -1
    for w, (a, b) in enumerate(spans):
        inside = owner[a:b]
        hit = inside[inside >= 0]
        k = int(hit[0]) if hit.size else -1
        if k >= 0:
            label = LABEL_INDEX[kept[k][2]]
            out[w] = 1 + label if k != prev else 1 + k_labels + label
        prev = k
    return out


def featurise(
    model: PropscopeModel, nlp: Any, texts: list[str], sentence_spans: list[list[tuple[int, int]]] | None = None
) -> dict[str, np.ndarray]:
    """Entity features/labels per word and (optionally) pooled sentence vectors per text."""
    feats: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    pooled: list[np.ndarray] = []
    t0 = time.perf_counter()
    for b in range(0, len(texts), ENCODE_BATCH):
        chunk = texts[b : b + ENCODE_BATCH]
        encoded = model.encode_texts(chunk)
        for n, (text, enc) in enumerate(zip(chunk, encoded, strict=True)):
            if sentence_spans is not None:
                pooled.append(model.context_features(enc, sentence_spans[b + n]))
            if enc is None:
                continue
            cased, _ = _restore_case(text, nlp)
            silver = _run_ner(cased, nlp)
            x, spans = model.entity_features(enc, cased)
            feats.append(x.astype(np.float16))
            labels.append(word_labels(spans, silver, len(text)))
        if b % (ENCODE_BATCH * 20) == 0:
            print(f"  {b + len(chunk)}/{len(texts)} texts, {time.perf_counter() - t0:.0f} s", flush=True)
    out = {"x": np.concatenate(feats), "y": np.concatenate(labels)}
    if sentence_spans is not None:
        out["pooled"] = np.concatenate(pooled) if pooled else np.zeros((0, 3 * 384), np.float32)
    return out


def ct_pseudo_articles(path: Path) -> tuple[list[str], list[list[tuple[int, int]]], list[int], list[int]]:
    """Texts and sentence spans of CT24 pseudo-articles; labels and row index per sentence (in order)."""
    rows = read_checkworthy(path)
    groups = context_groups([(sid, text) for sid, text, _ in rows])
    texts, spans, labels, index = [], [], [], []
    for group in groups:
        text, sp = join_sentences([rows[i][1] for i in group])
        texts.append(text)
        spans.append(sp)
        labels.extend(int(rows[i][2]) for i in group)
        index.extend(group)
    return texts, spans, labels, index


def ptc_texts(ptc_dir: Path, split: str) -> list[str]:
    return [p.read_bytes().decode("utf-8") for p in sorted((ptc_dir / f"{split}-articles").glob("article*.txt"))]


def cached(path: Path, build: Any) -> dict[str, np.ndarray]:
    if path.exists():
        with np.load(path) as npz:
            return {k: npz[k] for k in npz.files}
    data = build()
    np.savez(path, **data)
    return dict(data)


# --------------------------------------------------------------------------- entity head


def train_entity_head(
    x: np.ndarray, y: np.ndarray, *, hidden: int, epochs: int, seed: int, chunk: int = 128
) -> dict[str, np.ndarray]:
    """Word MLP, then a width-3 convolution over neighbouring words, then the BIO classes.

    The words of all texts are one sequence cut into chunks at a random offset each epoch
    (a text boundary inside a chunk is rare noise); at run time the sequence is one article.
    """
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    x32 = x.astype(np.float32)
    mu = x32.mean(axis=0)
    sd = x32.std(axis=0) + 1e-4
    n_casing = x.shape[1] - 384
    mu[-n_casing:] = 0.0  # binary casing flags stay as they are
    sd[-n_casing:] = 1.0
    xt = torch.from_numpy((x32 - mu) / sd)
    del x32
    yt = torch.from_numpy(y)

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.drop = torch.nn.Dropout(0.1)
            self.lin1 = torch.nn.Linear(x.shape[1], hidden)
            self.conv = torch.nn.Conv1d(hidden, hidden, 3, padding=1)
            self.lin2 = torch.nn.Linear(hidden, N_ENTITY_CLASSES)

        def forward(self, xb: Any) -> Any:  # (B, L, D) -> (B, L, C)
            h = torch.relu(self.lin1(self.drop(xb)))
            h = torch.relu(self.conv(self.drop(h).transpose(1, 2))).transpose(1, 2)
            return self.lin2(self.drop(h))

    net = Net()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    per_batch = 8
    n_chunks = len(y) // chunk - 1
    steps = epochs * ((n_chunks + per_batch - 1) // per_batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps, pct_start=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    for epoch in range(epochs):
        offset = int(rng.integers(chunk))
        starts = offset + chunk * rng.permutation(n_chunks)
        total = 0.0
        net.train()
        for k in range(0, n_chunks, per_batch):
            idx = torch.from_numpy((starts[k : k + per_batch, None] + np.arange(chunk)[None, :]).astype(np.int64))
            logits = net(xt[idx])
            loss = loss_fn(logits.reshape(-1, N_ENTITY_CLASSES), yt[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * idx.numel()
        print(f"  entity head epoch {epoch + 1}: loss {total / (n_chunks * chunk):.4f}", flush=True)
    conv = net.conv.weight.detach().numpy()  # (out, in, 3): tap k reads word t + k - 1
    return {
        "ent_mu": mu.astype(np.float32),
        "ent_sd": sd.astype(np.float32),
        "ent_w1": net.lin1.weight.detach().numpy().T.copy(),
        "ent_b1": net.lin1.bias.detach().numpy().copy(),
        "ent_wc": np.concatenate([conv[:, :, k].T for k in range(3)], axis=0).copy(),
        "ent_bc": net.conv.bias.detach().numpy().copy(),
        "ent_w2": net.lin2.weight.detach().numpy().T.copy(),
        "ent_b2": net.lin2.bias.detach().numpy().copy(),
    }


def silver_scores(probs: np.ndarray, y: np.ndarray) -> dict[str, float]:
    pred = probs.argmax(axis=1)
    ent = (y > 0) | (pred > 0)
    return {
        "word_accuracy_on_entity_words": float((pred[ent] == y[ent]).mean()) if ent.any() else 0.0,
        "o_recall": float((pred[y == 0] == 0).mean()),
    }


def _prf(gold: set[Any], pred: set[Any]) -> dict[str, float]:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def gold_entity_f1(model: PropscopeModel | None, nlp: Any, gold_path: Path = GOLD) -> dict[str, dict[str, float]]:
    """Gold-set F1 (exact offsets + type) per sentence and as one document, as the tests score it.

    ``model=None`` scores the spaCy path; otherwise the entity head over one encoder pass.
    """
    rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def pred(text: str) -> set[tuple[int, int, str]]:
        ner = None
        if model is not None:
            [enc] = model.encode_texts([text])
            ner = lambda cased: model.entity_spans(enc, cased)  # noqa: E731
        ents = extract_entities(text, nlp=nlp, ner=ner)
        return {(s, e, ent.type) for ent in ents if ent.type in TYPES for s, e in ent.mentions}

    gold_s: set[tuple[int, int, str]] = set()
    pred_s: set[tuple[int, int, str]] = set()
    offset = 0
    for row in rows:
        gold_s |= {(e["start"] + offset, e["end"] + offset, e["type"]) for e in row["entities"]}
        pred_s |= {(s + offset, e + offset, t) for s, e, t in pred(row["text"])}
        offset += len(row["text"]) + 1
    doc = ""
    gold_d: set[tuple[int, int, str]] = set()
    for row in rows:
        gold_d |= {(e["start"] + len(doc), e["end"] + len(doc), e["type"]) for e in row["entities"]}
        doc += row["text"] + "\n"
    return {"sentence": _prf(gold_s, pred_s), "document": _prf(gold_d, pred(doc))}


# --------------------------------------------------------------------------- check-worthiness


def train_context_head(
    train_x: np.ndarray,
    train_y: np.ndarray,
    dev_x: np.ndarray,
    dev_y: np.ndarray,
    *,
    seed: int,
    soft_x: np.ndarray | None = None,
    soft_p: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Logistic regression (L2 picked on CT24 dev F1); standardisation folded into the weights.

    ``soft_x``/``soft_p``: further sentences with soft targets (the isolated head's
    probabilities for news sentences read in context), weighted like the gold ones.
    """
    import torch

    mu = train_x.mean(axis=0)
    sd = train_x.std(axis=0) + 1e-4
    xs = [train_x]
    ys = [train_y.astype(np.float32)]
    if soft_x is not None and soft_p is not None:
        xs.append(soft_x)
        ys.append(soft_p.astype(np.float32))
    xt = torch.from_numpy(((np.concatenate(xs) - mu) / sd).astype(np.float32))
    yt = torch.from_numpy(np.concatenate(ys))
    xd = ((dev_x - mu) / sd).astype(np.float32)
    best: tuple[float, float, float, np.ndarray, float] | None = None
    tried = []
    for l2 in (1e-3, 1e-2, 3e-2):
        torch.manual_seed(seed)
        w = torch.zeros(train_x.shape[1], requires_grad=True)
        b = torch.zeros(1, requires_grad=True)
        opt = torch.optim.LBFGS([w, b], lr=1.0, max_iter=300, line_search_fn="strong_wolfe")

        def closure(w: Any = w, b: Any = b, opt: Any = opt, l2: float = l2) -> Any:
            opt.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(xt @ w + b, yt) + l2 * (w * w).sum()
            loss.backward()
            return loss

        opt.step(closure)
        wn, bn = w.detach().numpy(), float(b.detach()[0])
        probs = 1.0 / (1.0 + np.exp(-(xd @ wn + bn)))
        thr, f1 = best_threshold(probs.tolist(), dev_y.tolist())
        tried.append({"l2": l2, "dev_f1": round(f1, 4), "threshold": thr})
        if best is None or f1 > best[0]:
            best = (f1, l2, thr, wn, bn)
    assert best is not None
    _, l2, thr, wn, bn = best
    w_raw = (wn / sd).astype(np.float32)
    b_raw = np.asarray([bn - float((mu / sd) @ wn)], np.float32)
    return {"ctx_w": w_raw, "ctx_b": b_raw}, {"l2": l2, "threshold": thr, "tried": tried}


def news_context(model: PropscopeModel, texts: list[str]) -> dict[str, np.ndarray]:
    """In-context features of every sentence of news articles, and the isolated head's P(yes)."""
    feats: list[np.ndarray] = []
    probs: list[float] = []
    for b in range(0, len(texts), ENCODE_BATCH):
        chunk = texts[b : b + ENCODE_BATCH]
        for text, enc in zip(chunk, model.encode_texts(chunk), strict=True):
            spans = split_sentences(text)
            if enc is None or not spans:
                continue
            feats.append(model.context_features(enc, spans))
            probs.extend(model.checkworthiness([text[s:e] for s, e in spans]))
    return {"x": np.concatenate(feats), "p": np.asarray(probs, np.float32)}


def choose_band(
    ctx_probs: dict[str, np.ndarray],
    iso_probs: dict[str, tuple[list[float], list[int]]],
    ctx_thr: float,
    iso_thr: float,
    tolerance: float,
) -> tuple[tuple[float, float], dict[str, Any]]:
    """The narrowest uncertain band [lo, hi] around the in-context threshold (fewest CT24 dev
    sentences encoded again) whose cascade F1 on dev is within ``tolerance`` of the isolated head."""

    def run(split: str, lo: float, hi: float) -> tuple[float, float]:
        pc = ctx_probs[split]
        pi = np.asarray(iso_probs[split][0])
        y = np.asarray(iso_probs[split][1])
        band = (pc >= lo) & (pc <= hi)
        pred = np.where(band, pi >= iso_thr, pc >= ctx_thr)
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & (y == 0)).sum())
        fn = int((~pred & (y == 1)).sum())
        return 2 * tp / max(2 * tp + fp + fn, 1), float(band.mean())

    target = binary_f1(iso_probs["dev"][0], iso_probs["dev"][1], iso_thr) - tolerance
    best: tuple[float, float, float] | None = None
    for lo in np.round(np.arange(0.02, ctx_thr + 1e-9, 0.02), 2):
        for hi in np.round(np.arange(ctx_thr, 0.99, 0.02), 2):
            f1, share = run("dev", float(lo), float(hi))
            if f1 >= target and (best is None or share < best[0]):
                best = (share, float(lo), float(hi))
    lo, hi = (best[1], best[2]) if best else (0.0, 1.0)
    figures: dict[str, Any] = {"band": [lo, hi], "tolerance": tolerance}
    for split in ctx_probs:
        f1, share = run(split, lo, hi)
        figures[f"{split}_f1"] = round(f1, 4)
        figures[f"{split}_share_encoded_again"] = round(share, 4)
    return (lo, hi), figures


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


# --------------------------------------------------------------------------- main


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def register(model_dir: Path, name: str, figures_key: str, figures: dict[str, Any],
             thresholds: dict[str, Any] | None = None) -> None:
    """List a head file written into ``model_dir`` in its manifest.json: sha256 and size,
    its figures under ``dev_figures[figures_key]`` and any ``thresholds``."""
    out = model_dir / name
    manifest_path = model_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"][name] = {"sha256": _sha256(out), "size": out.stat().st_size}
    manifest["thresholds"].update(thresholds or {})
    manifest["dev_figures"][figures_key] = figures
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out} and updated {manifest_path}")


def block_columns(layout: Sequence[tuple[str, int]], keep: Sequence[str]) -> np.ndarray:
    """Column indices of the blocks named in ``keep`` within a feature layout of (name, width)."""
    out, pos = [], 0
    for name, width in layout:
        if name in keep:
            out.extend(range(pos, pos + width))
        pos += width
    return np.asarray(out, np.int64)


def head_parser(prog: str, doc: str | None, work: str, seeds: int, epochs: int) -> argparse.ArgumentParser:
    """The command line the heads trained by cross-validation on PTC train share."""
    parser = argparse.ArgumentParser(prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ptc", type=Path, required=True, help="PTC v2 dataset folder")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: shipped)")
    parser.add_argument("--work", type=Path, default=Path(work), help="feature cache folder")
    parser.add_argument("--designs", default=None, help="designs to cross-validate (default: all)")
    parser.add_argument("--design", default=None, help="skip CV of the others and fit this design")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cv-seeds", type=int, default=1)
    parser.add_argument("--seeds", type=int, default=seeds, help="ensemble size of the shipped head")
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="cross-validate and report only")
    return parser


def refresh_hashes(model_dir: Path) -> None:
    manifest_path = model_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name in manifest["files"]:
        path = model_dir / name
        manifest["files"][name] = {"sha256": _sha256(path), "size": path.stat().st_size}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m propscope.train.shared_heads", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ptc", type=Path, help="PTC v2 dataset folder")
    parser.add_argument("--ct24", type=Path, help="CT24 English check-worthiness folder")
    parser.add_argument("--refresh-hashes", action="store_true",
                        help="only rewrite sha256/size of every file manifest.json lists (after editing MODEL_CARD.md)")
    parser.add_argument("--model", type=Path, default=None, help="model folder to add the heads to (default: shipped)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/propscope-shared-heads"), help="feature cache folder")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--band-tolerance", type=float, default=0.01,
                        help="cascade: largest CT24 dev F1 loss against the isolated head")
    parser.add_argument("--no-write", action="store_true", help="train and report only")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.refresh_hashes:
        refresh_hashes(args.model or default_model_dir())
        return 0
    if args.ptc is None or args.ct24 is None:
        parser.error("--ptc and --ct24 are required")
    import torch

    torch.set_num_threads(args.threads)
    model_dir = args.model or default_model_dir()
    model = PropscopeModel.load(model_dir, threads=args.threads)
    nlp = load_nlp()
    args.work.mkdir(parents=True, exist_ok=True)
    ct = {split: ct_pseudo_articles(args.ct24 / f"CT24_checkworthy_english_{split}.tsv")
          for split in ("train", "dev", "dev-test")}

    print("features: PTC train", flush=True)
    ptc = cached(args.work / "ptc_train.npz", lambda: featurise(model, nlp, ptc_texts(args.ptc, "train")))
    print("features: PTC dev", flush=True)
    ptc_dev = cached(args.work / "ptc_dev.npz", lambda: featurise(model, nlp, ptc_texts(args.ptc, "dev")))
    feats = {}
    for split in ("train", "dev", "dev-test"):
        texts, spans, _, _ = ct[split]
        print(f"features: CT24 {split} ({len(texts)} pseudo-articles)", flush=True)
        feats[split] = cached(args.work / f"ct_{split}.npz", lambda t=texts, s=spans: featurise(model, nlp, t, s))

    # entity head
    x = np.concatenate([ptc["x"], feats["train"]["x"]])
    y = np.concatenate([ptc["y"], feats["train"]["y"]])
    print(f"entity head: {len(y)} words, {(y > 0).mean():.3f} inside entities", flush=True)
    t0 = time.perf_counter()
    ent = train_entity_head(x, y, hidden=args.hidden, epochs=args.epochs, seed=args.seed)
    ent_seconds = time.perf_counter() - t0
    model._heads.update({k: v.astype(np.float32) for k, v in ent.items()})
    silver_dev = silver_scores(model.entity_probs(ptc_dev["x"].astype(np.float32)), ptc_dev["y"])
    gold_head = gold_entity_f1(model, nlp)
    gold_spacy = gold_entity_f1(None, nlp)
    print(json.dumps({"silver_ptc_dev": silver_dev, "gold_head": gold_head, "gold_spacy": gold_spacy}), flush=True)

    # check-worthiness, in context vs isolated
    print("features: PTC sentences in context (isolated head as soft targets)", flush=True)
    news = cached(args.work / "news_train.npz", lambda: news_context(model, ptc_texts(args.ptc, "train")))
    news_dev = cached(args.work / "news_dev.npz", lambda: news_context(model, ptc_texts(args.ptc, "dev")))
    ctx, ctx_info = train_context_head(
        feats["train"]["pooled"], np.asarray(ct["train"][2]), feats["dev"]["pooled"], np.asarray(ct["dev"][2]),
        seed=args.seed, soft_x=news["x"], soft_p=news["p"],
    )
    thr = ctx_info["threshold"]
    figures: dict[str, Any] = {"in_context": {"threshold": thr, "l2": ctx_info["l2"], "tried": ctx_info["tried"]},
                               "isolated": {}}
    iso_probs = {}
    for split in ("dev", "dev-test"):
        rows = read_checkworthy(args.ct24 / f"CT24_checkworthy_english_{split}.tsv")
        index = ct[split][3]
        labels = ct[split][2]
        p_ctx = _sigmoid(feats[split]["pooled"] @ ctx["ctx_w"] + ctx["ctx_b"][0])
        figures["in_context"][f"{split}_f1"] = round(binary_f1(p_ctx.tolist(), labels, thr), 4)
        figures["in_context"][f"{split}_f1_at_0.5"] = round(binary_f1(p_ctx.tolist(), labels, 0.5), 4)
        iso_probs[split] = (model.checkworthiness([rows[i][1] for i in index]), labels)
    iso_thr, _ = best_threshold(*iso_probs["dev"])
    figures["isolated"]["threshold"] = iso_thr
    for split, (probs, labels) in iso_probs.items():
        figures["isolated"][f"{split}_f1"] = round(binary_f1(probs, labels, iso_thr), 4)
        figures["isolated"][f"{split}_f1_at_shipped_threshold"] = round(binary_f1(probs, labels, model.threshold), 4)
    ctx_probs = {split: _sigmoid(feats[split]["pooled"] @ ctx["ctx_w"] + ctx["ctx_b"][0]) for split in iso_probs}
    band, cascade = choose_band(ctx_probs, iso_probs, thr, model.threshold, args.band_tolerance)
    figures["cascade"] = cascade
    # PTC dev (news, no check-worthiness gold): how often each path agrees with the isolated head
    p_news = _sigmoid(news_dev["x"] @ ctx["ctx_w"] + ctx["ctx_b"][0])
    iso_yes = news_dev["p"] >= model.threshold
    in_band = (p_news >= band[0]) & (p_news <= band[1])
    figures["ptc_dev_news"] = {
        "sentences": len(p_news),
        "isolated_yes": round(float(iso_yes.mean()), 4),
        "in_context_yes": round(float((p_news >= thr).mean()), 4),
        "in_context_agrees_with_isolated": round(float(((p_news >= thr) == iso_yes).mean()), 4),
        "cascade_share_encoded_again": round(float(in_band.mean()), 4),
        "cascade_agrees_with_isolated": round(float((np.where(in_band, iso_yes, p_news >= thr) == iso_yes).mean()), 4),
    }
    print(json.dumps(figures, indent=2), flush=True)

    report = {
        "entities": {
            "labels": list(ENTITY_LABELS),
            "hidden": args.hidden,
            "epochs": args.epochs,
            "train_words": len(y),
            "train_seconds": round(ent_seconds, 1),
            "silver": "spaCy en_core_web_sm 3.8 NER on PTC train articles + CT24 train pseudo-articles",
            "silver_ptc_dev": silver_dev,
            "gold_head": gold_head,
            "gold_spacy": gold_spacy,
        },
        "checkworthiness": figures,
        "seed": args.seed,
    }
    (args.work / "figures.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.no_write:
        return 0
    np.savez(model_dir / SHARED_HEADS, **{k: v.astype(np.float32) for k, v in {**ent, **ctx}.items()})
    register(model_dir, SHARED_HEADS, "shared_heads", report,
             {"checkworthiness_context": thr, "checkworthiness_context_band": list(band)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
