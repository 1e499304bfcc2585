"""Writes network_golden.py: torch's own numbers for calcgui's backprop networks.

Run once, with PyTorch in a virtual environment of its own (calcgui never needs torch)::

    python3 -m venv /tmp/torchref2 && /tmp/torchref2/bin/pip install torch==2.13.0 numpy
    /tmp/torchref2/bin/python tests/core/make_network_golden.py

Each case builds our Network (only for its initial parameters and the data), copies W and b
into float64 torch tensors and runs the same network with torch.nn.functional: the loss, the
gradients by autograd, δ = ∂L/∂z per layer (retain_grad on each z), then STEPS updates of
torch.optim.SGD (lr, weight_decay) after torch.nn.utils.clip_grad_norm_ when the case clips,
recording the loss before each step and the parameters at the end. Not collected by pytest.
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from calcgui.core.backprop import Network, datasets  # noqa: E402

OUT = Path(__file__).with_name("network_golden.py")
STEPS = 3


def random_data(n: int, inputs: int, seed: int, targets: str, outputs: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, inputs))
    if targets == "values":
        return X, rng.normal(size=(n, outputs))
    if targets == "indices":
        return X, rng.integers(0, outputs, size=n)
    if targets == "one-hot":
        return X, np.eye(outputs)[rng.integers(0, outputs, size=n)]
    return X, rng.integers(0, 2, size=n)  # labels 0/1


def dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    data = {"xor": datasets.xor(), "line": datasets.line(12, seed=1),
            "moons": datasets.two_moons(20, 0.1, seed=2)}[name]
    return data.X, data.y


# (name, sizes, activation, loss, seed, data, lr, clip, weight_decay)
CASES = [
    ("xor sigmoid mse", [2, 3, 1], "sigmoid", "mse", 0, dataset("xor"), 0.5, None, 0.0),
    ("xor sigmoid bce clipped", [2, 3, 1], "sigmoid", "cross_entropy", 0, dataset("xor"), 1.0, 0.1, 0.01),
    ("line tanh mse decay", [2, 4, 1], "tanh", "mse", 1, dataset("line"), 0.1, None, 0.05),
    ("moons tanh bce clipped", [2, 4, 1], "tanh", "cross_entropy", 2, dataset("moons"), 0.5, 0.5, 0.0),
    ("line relu mse clipped", [2, 8, 8, 1], "relu", "mse", 3, dataset("line"), 0.2, 0.05, 0.0),
    ("moons relu bce", [2, 5, 5, 5, 1], "relu", "cross_entropy", 4, dataset("moons"), 0.3, None, 0.1),
    ("logistic regression", [2, 1], "sigmoid", "cross_entropy", 5, dataset("line"), 2.0, None, 0.0),
    ("linear regression 2 outputs", [3, 2], "tanh", "mse", 6, random_data(7, 3, 6, "values", 2), 0.1, 1.0, 0.0),
    ("softmax indices relu", [2, 6, 3], "relu", "cross_entropy", 7, random_data(9, 2, 7, "indices", 3),
     0.5, None, 0.02),
    ("softmax one-hot sigmoid", [2, 4, 3], "sigmoid", "cross_entropy", 8, random_data(9, 2, 8, "one-hot", 3),
     1.0, 0.2, 0.0),
    ("deep sigmoid mse", [2, *[8] * 9, 1], "sigmoid", "mse", 9, random_data(10, 2, 9, "values"), 1.0, None, 0.0),
    ("deep tanh bce", [2, *[8] * 9, 1], "tanh", "cross_entropy", 10, random_data(10, 2, 10, "labels"),
     0.3, 0.5, 0.01),
    ("deep relu mse", [4, *[8] * 8, 2], "relu", "mse", 11, random_data(8, 4, 11, "values", 2), 0.05, 1.0, 0.0),
    ("xor relu bce decay", [2, 3, 1], "relu", "cross_entropy", 12, dataset("xor"), 1.0, 1.0, 0.1),
]


def torch_loss(params: list[torch.Tensor], X: torch.Tensor, Y: np.ndarray, activation: str, loss: str,
               keep: list[torch.Tensor] | None = None) -> torch.Tensor:
    a = X
    pairs = list(zip(params[::2], params[1::2]))
    for layer, (w, b) in enumerate(pairs):
        z = a @ w.T + b
        if keep is not None:
            z.retain_grad()
            keep.append(z)
        if layer < len(pairs) - 1:
            a = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[activation](z)
    if loss == "mse":
        return F.mse_loss(z, torch.tensor(Y, dtype=torch.float64).reshape(z.shape))
    if z.shape[1] == 1:
        return F.binary_cross_entropy_with_logits(z, torch.tensor(Y, dtype=torch.float64).reshape(z.shape))
    target = torch.tensor(Y) if Y.ndim == 1 else torch.tensor(Y, dtype=torch.float64)
    return F.cross_entropy(z, target)


def run(sizes: list[int], activation: str, loss: str, seed: int, data: tuple[np.ndarray, np.ndarray],
        lr: float, clip: float | None, weight_decay: float) -> dict[str, object]:
    X_np, Y = data
    ours = Network(sizes, activation, loss, seed)
    initial = [(w.tolist(), b.tolist()) for w, b in ours.params]
    params = [torch.tensor(array.tolist(), dtype=torch.float64, requires_grad=True)
              for pair in ours.params for array in pair]
    X = torch.tensor(X_np.tolist(), dtype=torch.float64)
    zs: list[torch.Tensor] = []
    value = torch_loss(params, X, Y, activation, loss, zs)
    value.backward()
    grads = [(w.grad.tolist(), b.grad.tolist()) for w, b in zip(params[::2], params[1::2])]
    deltas = [z.grad.tolist() for z in zs]
    first_loss = value.item()
    opt = torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        value = torch_loss(params, X, Y, activation, loss)
        value.backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        losses.append(value.item())
    final = [(w.detach().tolist(), b.detach().tolist()) for w, b in zip(params[::2], params[1::2])]
    return {"X": X_np.tolist(), "Y": Y.tolist(), "initial": initial, "loss_value": first_loss, "grads": grads,
            "deltas": deltas, "losses": losses, "final": final}


def main() -> None:
    torch.set_default_dtype(torch.float64)
    cases = []
    for name, sizes, activation, loss, seed, data, lr, clip, weight_decay in CASES:
        case = {"name": name, "sizes": sizes, "activation": activation, "loss": loss, "seed": seed,
                "lr": lr, "clip": clip, "weight_decay": weight_decay}
        case.update(run(sizes, activation, loss, seed, data, lr, clip, weight_decay))
        cases.append(case)
    text = "\n".join([
        f'"""torch {torch.__version__} (float64, CPU) on calcgui\'s backprop networks, written by',
        "make_network_golden.py beside this file: read it for what each number is and how to re-run it.",
        '"""', "", f"STEPS = {STEPS}", "", "CASES = " + pprint.pformat(cases, width=110, sort_dicts=False), "",
    ])
    OUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
