"""Writes optimizer_golden.py: trajectories of torch.optim, the reference for test_optimizers.py.

Run once, with PyTorch in a virtual environment of its own (calcgui never needs torch)::

    python3 -m venv /tmp/torchref && /tmp/torchref/bin/pip install torch==2.13.0 numpy
    /tmp/torchref/bin/python tests/core/make_optimizer_golden.py

Each case runs a torch optimizer for STEPS steps in float64 on a 2-D quadratic or on
Rosenbrock's function, with gradients from torch's autograd, and records every point and,
after each step, the optimizer's state (``opt.state[param]``: the names it keeps for these
settings and their values). A case may set the learning rate before each step (as a schedule
does). Not collected by pytest.
"""

from __future__ import annotations

from pathlib import Path

import torch

STEPS = 10
OUT = Path(__file__).with_name("optimizer_golden.py")


def quadratic(p: torch.Tensor) -> torch.Tensor:
    """An ill-conditioned bowl with a cross term: the axes are not the eigen-directions."""
    return 0.5 * p[0] ** 2 + 5.0 * p[1] ** 2 + 0.5 * p[0] * p[1]


def rosenbrock(p: torch.Tensor) -> torch.Tensor:
    return (1.0 - p[0]) ** 2 + 100.0 * (p[1] - p[0] ** 2) ** 2


FUNCTIONS = {"quadratic": (quadratic, [1.5, -1.0]), "rosenbrock": (rosenbrock, [-1.5, 2.0])}

# (our name, our make() keywords, torch class, torch keywords, function, lr per step or None)
CASES = [
    ("gd", {"lr": 0.05}, "SGD", {"lr": 0.05}, "quadratic", None),
    ("gd", {"lr": 1e-4}, "SGD", {"lr": 1e-4}, "rosenbrock", None),
    ("gd", {"lr": 0.05, "weight_decay": 0.3}, "SGD", {"lr": 0.05, "weight_decay": 0.3}, "quadratic", None),
    ("momentum", {"lr": 0.02}, "SGD", {"lr": 0.02, "momentum": 0.9}, "quadratic", None),
    ("momentum", {"lr": 0.02, "dampening": 0.5}, "SGD",
     {"lr": 0.02, "momentum": 0.9, "dampening": 0.5}, "quadratic", None),
    ("momentum", {"lr": 1e-4, "momentum": 0.8, "weight_decay": 0.5}, "SGD",
     {"lr": 1e-4, "momentum": 0.8, "weight_decay": 0.5}, "rosenbrock", None),
    ("momentum", {"lr": 0.05}, "SGD", {"lr": 0.05, "momentum": 0.9}, "quadratic",
     [0.05, 0.04, 0.03, 0.02, 0.01, 0.01, 0.02, 0.03, 0.04, 0.05]),
    ("nesterov", {"lr": 0.02}, "SGD", {"lr": 0.02, "momentum": 0.9, "nesterov": True}, "quadratic", None),
    ("nesterov", {"lr": 1e-4, "momentum": 0.7, "weight_decay": 0.1}, "SGD",
     {"lr": 1e-4, "momentum": 0.7, "weight_decay": 0.1, "nesterov": True}, "rosenbrock", None),
    ("adagrad", {"lr": 0.5}, "Adagrad", {"lr": 0.5}, "quadratic", None),
    ("adagrad", {"lr": 0.5, "lr_decay": 0.3}, "Adagrad", {"lr": 0.5, "lr_decay": 0.3}, "quadratic", None),
    ("adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5, "weight_decay": 0.2, "eps": 1e-3},
     "Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5, "weight_decay": 0.2, "eps": 1e-3},
     "rosenbrock", None),
    ("rmsprop", {}, "RMSprop", {"lr": 0.01}, "quadratic", None),
    ("rmsprop", {"centered": True}, "RMSprop", {"lr": 0.01, "centered": True}, "rosenbrock", None),
    ("rmsprop", {"lr": 0.01, "momentum": 0.8}, "RMSprop", {"lr": 0.01, "momentum": 0.8}, "quadratic", None),
    ("rmsprop", {"lr": 0.02, "alpha": 0.9, "momentum": 0.5, "centered": True, "weight_decay": 0.1,
                 "eps": 1e-4},
     "RMSprop", {"lr": 0.02, "alpha": 0.9, "momentum": 0.5, "centered": True, "weight_decay": 0.1,
                 "eps": 1e-4}, "rosenbrock", None),
    ("adam", {"lr": 0.1}, "Adam", {"lr": 0.1}, "quadratic", None),
    ("adam", {}, "Adam", {}, "rosenbrock", None),
    ("adam", {"lr": 0.05, "betas": (0.9, 0.5), "amsgrad": True}, "Adam",
     {"lr": 0.05, "betas": (0.9, 0.5), "amsgrad": True}, "rosenbrock", None),
    ("adam", {"lr": 0.05, "betas": (0.9, 0.5)}, "Adam", {"lr": 0.05, "betas": (0.9, 0.5)},
     "rosenbrock", None),
    ("adam", {"lr": 0.1, "weight_decay": 0.5}, "Adam", {"lr": 0.1, "weight_decay": 0.5}, "quadratic", None),
    ("adam", {"lr": 0.1, "betas": (0.5, 0.9), "eps": 1e-2}, "Adam",
     {"lr": 0.1, "betas": (0.5, 0.9), "eps": 1e-2}, "quadratic", None),
    ("adam", {"lr": 0.1}, "Adam", {"lr": 0.1}, "quadratic",
     [0.1 * 0.5 ** (k // 3) for k in range(STEPS)]),
    ("adamw", {"lr": 0.1}, "AdamW", {"lr": 0.1}, "quadratic", None),
    ("adamw", {"lr": 0.1, "weight_decay": 0.5}, "AdamW", {"lr": 0.1, "weight_decay": 0.5}, "quadratic", None),
    ("adamw", {"lr": 0.05, "betas": (0.9, 0.5), "amsgrad": True, "weight_decay": 0.2}, "AdamW",
     {"lr": 0.05, "betas": (0.9, 0.5), "amsgrad": True, "weight_decay": 0.2}, "rosenbrock", None),
]


def state_of(opt: torch.optim.Optimizer, p: torch.Tensor) -> dict[str, object]:
    """torch's state for ``p``: a float for the step count, a pair for each tensor; the names
    torch keeps as None (SGD's momentum_buffer without momentum) are left out."""
    out: dict[str, object] = {}
    for name, value in opt.state[p].items():
        if value is not None:
            out[name] = value.item() if value.dim() == 0 else tuple(value.tolist())
    return out


def trajectory(torch_class: str, kwargs: dict, function: str,
               lrs: list[float] | None) -> tuple[list[list[float]], list[dict[str, object]]]:
    """The points (start included) and the state after each step."""
    f, start = FUNCTIONS[function]
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, torch_class)([p], **kwargs)
    points, states = [p.detach().tolist()], []
    for k in range(STEPS):
        if lrs is not None:
            opt.param_groups[0]["lr"] = lrs[k]
        opt.zero_grad()
        f(p).backward()
        opt.step()
        points.append(p.detach().tolist())
        states.append(state_of(opt, p))
    return points, states


def main() -> None:
    torch.set_default_dtype(torch.float64)
    lines = [
        f'"""torch.optim trajectories (torch {torch.__version__}, float64, CPU), written by',
        "make_optimizer_golden.py beside this file: read it for the functions and how to re-run it.",
        '"""', "", f"STEPS = {STEPS}", "", "CASES = [",
    ]
    for name, ours, torch_class, kwargs, function, lrs in CASES:
        points, states = trajectory(torch_class, kwargs, function, lrs)
        lines += [
            "    {",
            f"        'name': {name!r}, 'hyper': {ours!r}, 'torch': {torch_class + repr(kwargs)!r},",
            f"        'function': {function!r}, 'lrs': {lrs!r},",
            "        'points': [",
            *(f"            ({x!r}, {y!r})," for x, y in points),
            "        ],",
            "        'states': [",
            *(f"            {state!r}," for state in states),
            "        ],",
            "    },",
        ]
    lines.append("]")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
