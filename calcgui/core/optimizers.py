"""The optimizers of deep learning, as torch.optim defines them, on numpy float64 arrays.

Students later meet these algorithms in PyTorch, so the names, defaults and update rules are
torch.optim's, formula for formula (each class quotes its formula from the torch docs). What
differs is the calling convention: ``step(params, grad)`` returns the new parameters instead of
updating tensors in place, and the arrays may have any shape ``(..., n)``, so that many runs
(one per leading index) step at once with one call.

>>> opt = make("adam", lr=0.1)
>>> new = opt.step(np.array([1.0, 2.0]), np.array([2.0, 4.0]))
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = ["DEFAULTS", "LABELS", "NAMES", "PER_RUN", "Optimizer", "make"]

#: Every optimizer name that :func:`make` accepts, in display order.
NAMES: tuple[str, ...] = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")

#: Display names.
LABELS: dict[str, str] = {
    "gd": "GD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
    "rmsprop": "RMSProp", "adam": "Adam", "adamw": "AdamW",
}

_SGD = {"momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False}
_ADAM = {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False}

#: name -> default hyper-parameters, lr included. torch's defaults where torch has one (SGD's
#: lr of 1e-3 is slow for a lesson, so the SGD family uses 0.01, Adagrad's and RMSprop's own).
DEFAULTS: dict[str, dict[str, Any]] = {
    "gd": {"lr": 0.01, **_SGD},
    "momentum": {"lr": 0.01, **_SGD, "momentum": 0.9},
    "nesterov": {"lr": 0.01, **_SGD, "momentum": 0.9, "nesterov": True},
    "adagrad": {"lr": 0.01, "lr_decay": 0.0, "weight_decay": 0.0,
                "initial_accumulator_value": 0.0, "eps": 1e-10},
    "rmsprop": {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0,
                "momentum": 0.0, "centered": False},
    "adam": {"lr": 0.001, **_ADAM},
    "adamw": {"lr": 0.001, **_ADAM, "weight_decay": 1e-2},
}

_FLAGS = ("nesterov", "centered", "amsgrad")
#: The hyper-parameters that may be an array, one value per run of a batch (a sweep), as long
#: as the array broadcasts against the parameters: ``lr`` of shape (L, 1, 1) and ``betas[0]``
#: of shape (1, B, 1) step an (L, B, n) batch of L × B runs at once.
PER_RUN = ("lr", "momentum", "alpha", "betas")

#: A hyper-parameter: a float, or (see :data:`PER_RUN`) an array of one value per run.
Hyper = float | np.ndarray


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    return float(value)


def _non_negative(name: str, value: Any, per_run: bool = False) -> Hyper:
    """A finite value ≥ 0; with ``per_run``, an ndarray of them too (a read-only copy)."""
    if per_run and isinstance(value, np.ndarray):
        if value.dtype.kind not in "fiu":
            raise ValueError(f"{name} must hold numbers, not {value.dtype}")
        array = value.astype(np.float64)
        if not (np.isfinite(array).all() and (array >= 0.0).all()):
            raise ValueError(f"every {name} must be a finite number ≥ 0")
        array.flags.writeable = False
        return array
    value = _number(name, value)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{name} must be a finite number ≥ 0, not {value}")
    return value


def _unit(name: str, value: Any, per_run: bool = False) -> Hyper:
    """A decay rate: 0 ≤ value < 1, as torch requires of Adam's betas."""
    value = _non_negative(name, value, per_run)
    if np.any(np.asarray(value) >= 1.0):
        shown = f"not {value}" if isinstance(value, float) else f"not {float(np.max(value))}"
        raise ValueError(f"{name} must be in [0, 1), {shown}")
    return value


def _on(value: Hyper) -> bool:
    """Whether an option is in force: a non-zero number, or per-run values (zeros included,
    so that every run of a batch steps by the same formula)."""
    return isinstance(value, np.ndarray) or value != 0.0


def _power(base: Hyper, t: int) -> Hyper:
    """base ** t as Python computes it for a float, element by element for an array: numpy's
    vectorised power may round differently in the last bit, and a batch must step exactly as
    its runs do alone. An array of betas is small (one per sweep column), so this is cheap."""
    if isinstance(base, np.ndarray):
        return np.array([b**t for b in base.ravel().tolist()]).reshape(base.shape)
    return base**t


def _sqrt(value: Hyper) -> Hyper:
    return np.sqrt(value) if isinstance(value, np.ndarray) else math.sqrt(value)


def _checked(hyper: Mapping[str, Any]) -> dict[str, Any]:
    """Validated, normalised hyper-parameters (floats or per-run arrays, bools, a tuple of betas)."""
    out: dict[str, Any] = {}
    for key, value in hyper.items():
        per_run = key in PER_RUN
        if key in _FLAGS:
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{key} must be True or False, not {value!r}")
            out[key] = bool(value)
        elif key == "betas":
            if not (isinstance(value, (tuple, list)) and len(value) == 2):
                raise ValueError(f"betas must be a pair (beta1, beta2), not {value!r}")
            out[key] = (_unit("beta1", value[0], per_run), _unit("beta2", value[1], per_run))
        elif key == "alpha":
            out[key] = _unit("alpha", value, per_run)
        else:
            out[key] = _non_negative(key, value, per_run)
    if out.get("nesterov") and (np.any(np.asarray(out["momentum"]) <= 0.0) or out["dampening"] != 0.0):
        raise ValueError("Nesterov momentum needs a momentum > 0 and zero dampening")
    return out


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


class Optimizer:
    """One optimizer and its state (moment estimates, step count) for a batch of runs.

    State arrays are created at the first :meth:`step`, shaped like the parameters; a later
    step with parameters of another shape is an error until :meth:`reset`. Each step replaces
    the state arrays instead of writing into them, so what :attr:`state` hands out is a
    snapshot that later steps leave alone.
    """

    def __init__(self, name: str, hyper: Mapping[str, Any]) -> None:
        self.name = name
        checked = _checked(hyper)
        self._lr = checked.pop("lr")
        self._hyper = checked
        self._initial = self._initial_state()
        self.reset()

    @property
    def lr(self) -> Hyper:
        """The learning rate of the next step; a schedule may change it between steps."""
        return self._lr

    @lr.setter
    def lr(self, value: Hyper) -> None:
        self._lr = _non_negative("lr", value, per_run=True)

    @property
    def hyper(self) -> dict[str, Any]:
        """The effective hyper-parameters, lr included: ``make(o.name, **o.hyper)`` is a fresh copy."""
        return {"lr": self._lr, **self._hyper}

    @property
    def state(self) -> Mapping[str, np.ndarray]:
        """What torch.optim keeps in ``opt.state[param]`` for these settings, by torch's names,
        read-only: ``step`` (a 0-d float array, torch's step count; SGD keeps none),
        ``momentum_buffer``, ``sum``, ``square_avg``, ``grad_avg``, ``exp_avg``,
        ``exp_avg_sq``, ``max_exp_avg_sq``, each shaped like the parameters. Empty before
        the first step (the parameters' shape is not known until then)."""
        if self.t == 0:
            return MappingProxyType({})
        out = {}
        for name in self._initial:
            out[name] = _read_only(np.array(float(self.t))) if name == "step" else _read_only(self._state[name])
        return MappingProxyType(out)

    @property
    def state_names(self) -> tuple[str, ...]:
        """The names :attr:`state` holds after a step, for these settings."""
        return tuple(self._initial)

    def initial_state(self, shape: tuple[int, ...]) -> Mapping[str, np.ndarray]:
        """The state the formulas start from, before step 1, for parameters of ``shape``: the
        moments are 0 (Adagrad's ``sum`` is ``initial_accumulator_value``) and ``step`` is 0.
        SGD's ``momentum_buffer`` is absent: its first value is the first gradient (b₁ = g₁)."""
        out = {}
        for name, fill in self._initial.items():
            if name == "step":
                out[name] = _read_only(np.array(0.0))
            elif fill is not None:
                out[name] = _read_only(np.full(shape, fill))
        return MappingProxyType(out)

    def _initial_state(self) -> dict[str, float | None]:
        """State name -> its value before step 1 (None: made by step 1), for these settings,
        in torch's order."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget the state: the next step is step 1 again."""
        self.t = 0
        self._state: dict[str, np.ndarray] = {}
        self._shape: tuple[int, ...] | None = None

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """The parameters after one step along ``grad``; ``params`` itself is not changed."""
        theta = np.asarray(params, dtype=np.float64)
        g = np.asarray(grad, dtype=np.float64)
        if theta.shape != g.shape:
            raise ValueError(f"params {theta.shape} and grad {g.shape} differ in shape")
        if self._shape is None:
            self._shape = theta.shape
        elif theta.shape != self._shape:
            raise ValueError(f"this optimizer steps arrays of shape {self._shape}, not {theta.shape};"
                             " call reset() first")
        self.t += 1
        return self._update(theta, g)

    def _previous(self, key: str, like: np.ndarray) -> np.ndarray:
        """State ``key`` before this step: its initial value at step 1."""
        state = self._state.get(key)
        if state is None:
            state = np.full_like(like, self._initial[key])
        return state

    def _update(self, theta: np.ndarray, g: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"make({self.name!r}, " + ", ".join(f"{k}={v!r}" for k, v in self.hyper.items()) + ")"


class SGD(Optimizer):
    r"""torch.optim.SGD: gd, momentum and nesterov are its three faces.

    g_t ← ∇f(θ_{t-1}) + λ θ_{t-1}
    if μ ≠ 0: b_t ← g_t if t = 1 else μ b_{t-1} + (1 - τ) g_t        (momentum_buffer)
              g_t ← g_t + μ b_t if nesterov else b_t
    θ_t ← θ_{t-1} - γ g_t
    """

    def _initial_state(self) -> dict[str, float | None]:
        return {"momentum_buffer": None} if _on(self._hyper["momentum"]) else {}

    def _update(self, theta: np.ndarray, g: np.ndarray) -> np.ndarray:
        h = self._hyper
        if h["weight_decay"] != 0.0:
            g = g + h["weight_decay"] * theta
        mu = h["momentum"]
        if _on(mu):
            if self.t == 1:
                b = g.copy()
            else:
                b = mu * self._state["momentum_buffer"] + (1.0 - h["dampening"]) * g
                if isinstance(mu, np.ndarray) and h["dampening"] != 0.0:
                    b = np.where(mu == 0.0, g, b)  # torch ignores the dampening of momentum 0
            self._state["momentum_buffer"] = b
            g = g + mu * b if h["nesterov"] else b
        return theta - self._lr * g


class Adagrad(Optimizer):
    r"""torch.optim.Adagrad.

    γ̃ ← γ / (1 + (t - 1) η)
    g_t ← ∇f(θ_{t-1}) + λ θ_{t-1}
    state_sum_t ← state_sum_{t-1} + g_t²          (sum; state_sum_0 = initial_accumulator_value)
    θ_t ← θ_{t-1} - γ̃ g_t / (√state_sum_t + ε)
    """

    def _initial_state(self) -> dict[str, float | None]:
        return {"step": 0.0, "sum": self._hyper["initial_accumulator_value"]}

    def _update(self, theta: np.ndarray, g: np.ndarray) -> np.ndarray:
        h = self._hyper
        if h["weight_decay"] != 0.0:
            g = g + h["weight_decay"] * theta
        clr = self._lr / (1.0 + (self.t - 1) * h["lr_decay"])
        total = self._state["sum"] = self._previous("sum", theta) + g * g
        return theta - clr * (g / (np.sqrt(total) + h["eps"]))


class RMSprop(Optimizer):
    r"""torch.optim.RMSprop.

    g_t ← ∇f(θ_{t-1}) + λ θ_{t-1}
    v_t ← α v_{t-1} + (1 - α) g_t²;  ṽ_t ← v_t                       (square_avg)
    if centered: g^ave_t ← α g^ave_{t-1} + (1 - α) g_t;  ṽ_t ← ṽ_t - (g^ave_t)²   (grad_avg)
    if μ > 0: b_t ← μ b_{t-1} + g_t / (√ṽ_t + ε);  θ_t ← θ_{t-1} - γ b_t   (momentum_buffer)
    else:     θ_t ← θ_{t-1} - γ g_t / (√ṽ_t + ε)
    """

    def _initial_state(self) -> dict[str, float | None]:
        h = self._hyper
        return {"step": 0.0, "square_avg": 0.0, **({"momentum_buffer": 0.0} if _on(h["momentum"]) else {}),
                **({"grad_avg": 0.0} if h["centered"] else {})}

    def _update(self, theta: np.ndarray, g: np.ndarray) -> np.ndarray:
        h = self._hyper
        alpha = h["alpha"]
        if h["weight_decay"] != 0.0:
            g = g + h["weight_decay"] * theta
        v = self._state["square_avg"] = alpha * self._previous("square_avg", theta) + (1.0 - alpha) * g * g
        if h["centered"]:
            ave = self._state["grad_avg"] = alpha * self._previous("grad_avg", theta) + (1.0 - alpha) * g
            v = v - ave * ave
        scaled = g / (np.sqrt(v) + h["eps"])
        if _on(h["momentum"]):
            scaled = self._state["momentum_buffer"] = (h["momentum"] * self._previous("momentum_buffer", theta)
                                                       + scaled)
        return theta - self._lr * scaled


class Adam(Optimizer):
    r"""torch.optim.Adam, and AdamW when the weight decay is decoupled.

    Adam:   g_t ← ∇f(θ_{t-1}) + λ θ_{t-1};  θ ← θ_{t-1}
    AdamW:  g_t ← ∇f(θ_{t-1});              θ ← θ_{t-1} - γ λ θ_{t-1}
    m_t ← β₁ m_{t-1} + (1 - β₁) g_t;   v_t ← β₂ v_{t-1} + (1 - β₂) g_t²    (exp_avg, exp_avg_sq)
    m̂_t ← m_t / (1 - β₁^t)
    if amsgrad: v_t^max ← max(v_{t-1}^max, v_t);  v̂_t ← v_t^max / (1 - β₂^t)   (max_exp_avg_sq)
    else:       v̂_t ← v_t / (1 - β₂^t)
    θ_t ← θ - γ m̂_t / (√v̂_t + ε)
    """

    decoupled = False

    def _initial_state(self) -> dict[str, float | None]:
        amsgrad = {"max_exp_avg_sq": 0.0} if self._hyper["amsgrad"] else {}
        return {"step": 0.0, "exp_avg": 0.0, "exp_avg_sq": 0.0, **amsgrad}

    def _update(self, theta: np.ndarray, g: np.ndarray) -> np.ndarray:
        h = self._hyper
        beta1, beta2 = h["betas"]
        decay = h["weight_decay"]
        if decay != 0.0:
            if self.decoupled:
                theta = theta * (1.0 - self._lr * decay)
            else:
                g = g + decay * theta
        m = self._state["exp_avg"] = beta1 * self._previous("exp_avg", theta) + (1.0 - beta1) * g
        v = self._state["exp_avg_sq"] = beta2 * self._previous("exp_avg_sq", theta) + (1.0 - beta2) * g * g
        if h["amsgrad"]:
            v = self._state["max_exp_avg_sq"] = np.maximum(self._previous("max_exp_avg_sq", theta), v)
        step_size = self._lr / (1.0 - _power(beta1, self.t))
        denom = np.sqrt(v) / _sqrt(1.0 - _power(beta2, self.t)) + h["eps"]
        return theta - step_size * (m / denom)


class AdamW(Adam):
    """torch.optim.AdamW: Adam whose weight decay shrinks θ directly, outside the moments."""

    decoupled = True


_CLASSES: dict[str, type[Optimizer]] = {
    "gd": SGD, "momentum": SGD, "nesterov": SGD, "adagrad": Adagrad,
    "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW,
}


def make(name: str, lr: float | None = None, **hyper: Any) -> Optimizer:
    """A fresh optimizer ``name`` (one of :data:`NAMES`); hyper-parameters not given take
    :data:`DEFAULTS`. Raises ValueError for an unknown name or keyword or a bad value."""
    if name not in _CLASSES:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(NAMES)}")
    defaults = DEFAULTS[name]
    unknown = sorted(set(hyper) - set(defaults) - {"lr"})
    if unknown:
        raise ValueError(f"{LABELS[name]} has no hyper-parameter {', '.join(map(repr, unknown))};"
                         f" it has {', '.join(defaults)}")
    settings = {**defaults, **hyper, "lr": defaults["lr"] if lr is None else lr}
    return _CLASSES[name](name, settings)
