"""One optimizer step written out as the equations of torch.optim's docs, with its numbers.

A student sees *why* Adam moves where it does only when the rule and this step's numbers stand
side by side: m_t = β₁·m_{t−1} + (1 − β₁)·g_t = 0.9·(…) + 0.1·(…) = (…). This module builds
those lines from a recorded step (plain arrays under torch's state names), so the UI only lays
them out, and a test can check every number against the recorded state.

The indexing is torch's: step t (counted from 1) starts at θ_{t−1}, reads g_t = ∇f(θ_{t−1}) and
ends at θ_t. Text is Unicode (subscripts, hats, Greek), readable in any font and copyable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

__all__ = ["EquationLine", "StepExplanation", "effective_lr", "explain_record", "explain_step",
           "format_number", "format_vector"]


@dataclass(frozen=True, eq=False)
class EquationLine:
    """``lhs = rule = numbers = value``: the rule in symbols, then with this step's numbers."""

    lhs: str  #: "mₜ"
    rule: str  #: "β₁·mₜ₋₁ + (1 − β₁)·gₜ"
    numbers: str  #: "0.9·(0.12, −3) + 0.1·(1.5, 2)" (empty when it would repeat the value)
    value: np.ndarray  #: the result, shaped like θ

    @property
    def text(self) -> str:
        """The whole line as one string, for copying and for screen readers."""
        parts = [self.lhs, self.rule] + ([self.numbers] if self.numbers else [])
        return " = ".join(parts) + f" = {format_vector(self.value)}"


@dataclass(frozen=True, eq=False)
class StepExplanation:
    """Step t of one optimizer: a heading and its equations, in the order they are computed."""

    title: str  #: "Adam, step t = 12 (γ = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e−08)"
    lines: tuple[EquationLine, ...]

    @property
    def text(self) -> str:
        return "\n".join([self.title, *(line.text for line in self.lines)])


def format_number(value: float, digits: int = 4) -> str:
    """``digits`` significant digits, a real minus sign, a plain exponent, ∞ and NaN as a
    student reads them: 0.1235, −2.001, 3.2e−5."""
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("∞" if value > 0 else "−∞")
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def format_vector(values: Any) -> str:
    """A scalar as a number, a vector as "(a, b)": how a student writes a point or gradient."""
    array = np.atleast_1d(np.asarray(values, dtype=np.float64)).reshape(-1)
    if array.size == 1:
        return format_number(float(array[0]))
    return "(" + ", ".join(format_number(float(v)) for v in array) + ")"


class _Builder:
    """Collects the lines of one step in the order they are computed."""

    def __init__(self) -> None:
        self.lines: list[EquationLine] = []

    def add(self, lhs: str, rule: str, numbers: str, value: np.ndarray) -> np.ndarray:
        self.lines.append(EquationLine(lhs, rule, numbers, np.array(value, dtype=np.float64)))
        return value


_vec = format_vector
_num = format_number


def _gradient_lines(out: _Builder, name: str, hyper: Mapping[str, Any], theta: np.ndarray,
                    grad: np.ndarray, clipped: np.ndarray) -> np.ndarray:
    """gₜ: the gradient at θₜ₋₁, clipped if clipping changed it, plus L2 decay where the
    optimizer adds it to the gradient (all but AdamW)."""
    g = out.add("gₜ", "∇f(θₜ₋₁)", "", grad)
    if not np.array_equal(clipped, grad):
        g = out.add("gₜ", "clip(gₜ)", "", clipped)
    decay = float(hyper.get("weight_decay", 0.0))
    if decay and name != "adamw":
        g = out.add("gₜ", "gₜ + λ·θₜ₋₁", f"{_vec(g)} + {_num(decay)}·{_vec(theta)}", g + decay * theta)
    return g


def _sgd(out: _Builder, hyper: Mapping[str, Any], t: int, theta: np.ndarray, g: np.ndarray,
         lr: float, before: Mapping[str, np.ndarray], after: Mapping[str, np.ndarray]) -> None:
    mu = float(hyper["momentum"])
    if mu:
        b = after["momentum_buffer"]
        if t == 1:
            out.add("bₜ", "gₜ", "", b)
        else:
            tau = float(hyper["dampening"])
            damp = "" if tau == 0 else f"(1 − {_num(tau)})·"
            rule = "μ·bₜ₋₁ + gₜ" if tau == 0 else "μ·bₜ₋₁ + (1 − τ)·gₜ"
            out.add("bₜ", rule, f"{_num(mu)}·{_vec(before['momentum_buffer'])} + {damp}{_vec(g)}", b)
        if hyper["nesterov"]:
            g = out.add("gₜ", "gₜ + μ·bₜ", f"{_vec(g)} + {_num(mu)}·{_vec(b)}", g + mu * b)
            direction, symbol = g, "gₜ"
        else:
            direction, symbol = b, "bₜ"
    else:
        direction, symbol = g, "gₜ"
    out.add("θₜ", f"θₜ₋₁ − γ·{symbol}", f"{_vec(theta)} − {_num(lr)}·{_vec(direction)}",
            theta - lr * direction)


def _adagrad(out: _Builder, hyper: Mapping[str, Any], t: int, theta: np.ndarray, g: np.ndarray,
             lr: float, before: Mapping[str, np.ndarray], after: Mapping[str, np.ndarray]) -> None:
    decay, eps = float(hyper["lr_decay"]), float(hyper["eps"])
    gamma, symbol = lr, "γ"
    if decay:
        gamma = out.add("γ̃", "γ / (1 + (t − 1)·η)", f"{_num(lr)} / (1 + {t - 1}·{_num(decay)})",
                        np.atleast_1d(lr / (1.0 + (t - 1) * decay)))[0]
        symbol = "γ̃"
    previous = before.get("sum", np.full_like(theta, float(hyper["initial_accumulator_value"])))
    total = out.add("sumₜ", "sumₜ₋₁ + gₜ²", f"{_vec(previous)} + {_vec(g)}²", after["sum"])
    out.add("θₜ", f"θₜ₋₁ − {symbol}·gₜ / (√sumₜ + ε)",
            f"{_vec(theta)} − {_num(gamma)}·{_vec(g)} / (√{_vec(total)} + {_num(eps)})",
            theta - gamma * g / (np.sqrt(total) + eps))


def _rmsprop(out: _Builder, hyper: Mapping[str, Any], t: int, theta: np.ndarray, g: np.ndarray,
             lr: float, before: Mapping[str, np.ndarray], after: Mapping[str, np.ndarray]) -> None:
    alpha, eps, mu = float(hyper["alpha"]), float(hyper["eps"]), float(hyper["momentum"])
    zero = np.zeros_like(theta)
    square = out.add("vₜ", "α·vₜ₋₁ + (1 − α)·gₜ²",
                     f"{_num(alpha)}·{_vec(before.get('square_avg', zero))} + {_num(1 - alpha)}·{_vec(g)}²",
                     after["square_avg"])
    denominator, symbol = square, "vₜ"
    if hyper["centered"]:
        average = out.add("ḡₜ", "α·ḡₜ₋₁ + (1 − α)·gₜ",
                          f"{_num(alpha)}·{_vec(before.get('grad_avg', zero))} + {_num(1 - alpha)}·{_vec(g)}",
                          after["grad_avg"])
        denominator = out.add("ṽₜ", "vₜ − ḡₜ²", f"{_vec(square)} − {_vec(average)}²",
                              square - average * average)
        symbol = "ṽₜ"
    if mu:
        b = out.add("bₜ", f"μ·bₜ₋₁ + gₜ / (√{symbol} + ε)",
                    f"{_num(mu)}·{_vec(before.get('momentum_buffer', zero))} + {_vec(g)} / "
                    f"(√{_vec(denominator)} + {_num(eps)})", after["momentum_buffer"])
        out.add("θₜ", "θₜ₋₁ − γ·bₜ", f"{_vec(theta)} − {_num(lr)}·{_vec(b)}", theta - lr * b)
    else:
        out.add("θₜ", f"θₜ₋₁ − γ·gₜ / (√{symbol} + ε)",
                f"{_vec(theta)} − {_num(lr)}·{_vec(g)} / (√{_vec(denominator)} + {_num(eps)})",
                theta - lr * g / (np.sqrt(denominator) + eps))


def _adam(out: _Builder, hyper: Mapping[str, Any], t: int, theta: np.ndarray, g: np.ndarray,
          lr: float, before: Mapping[str, np.ndarray], after: Mapping[str, np.ndarray],
          decoupled: bool) -> None:
    beta1, beta2 = (float(b) for b in hyper["betas"])
    eps, decay = float(hyper["eps"]), float(hyper["weight_decay"])
    zero = np.zeros_like(theta)
    start = theta
    if decoupled and decay:
        start = out.add("θ′", "θₜ₋₁ − γ·λ·θₜ₋₁", f"{_vec(theta)} − {_num(lr)}·{_num(decay)}·{_vec(theta)}",
                        theta * (1.0 - lr * decay))
    m = out.add("mₜ", "β₁·mₜ₋₁ + (1 − β₁)·gₜ",
                f"{_num(beta1)}·{_vec(before.get('exp_avg', zero))} + {_num(1 - beta1)}·{_vec(g)}",
                after["exp_avg"])
    second = out.add("vₜ", "β₂·vₜ₋₁ + (1 − β₂)·gₜ²",
                     f"{_num(beta2)}·{_vec(before.get('exp_avg_sq', zero))} + {_num(1 - beta2)}·{_vec(g)}²",
                     after["exp_avg_sq"])
    symbol = "vₜ"
    if hyper["amsgrad"]:
        second = out.add("vₜᵐᵃˣ", "max(vₜ₋₁ᵐᵃˣ, vₜ)",
                         f"max({_vec(before.get('max_exp_avg_sq', zero))}, {_vec(second)})",
                         after["max_exp_avg_sq"])
        symbol = "vₜᵐᵃˣ"
    m_hat = out.add("m̂ₜ", "mₜ / (1 − β₁ᵗ)", f"{_vec(m)} / (1 − {_num(beta1)}^{t})",
                    m / (1.0 - beta1**t))
    v_hat = out.add("v̂ₜ", f"{symbol} / (1 − β₂ᵗ)", f"{_vec(second)} / (1 − {_num(beta2)}^{t})",
                    second / (1.0 - beta2**t))
    previous = "θ′" if start is not theta else "θₜ₋₁"
    out.add("θₜ", f"{previous} − γ·m̂ₜ / (√v̂ₜ + ε)",
            f"{_vec(start)} − {_num(lr)}·{_vec(m_hat)} / (√{_vec(v_hat)} + {_num(eps)})",
            start - lr * m_hat / (np.sqrt(v_hat) + eps))


_RULES: dict[str, Callable[..., None]] = {
    "gd": _sgd, "momentum": _sgd, "nesterov": _sgd, "adagrad": _adagrad, "rmsprop": _rmsprop,
    "adam": partial(_adam, decoupled=False), "adamw": partial(_adam, decoupled=True),
}

_HYPER_SYMBOLS = {"momentum": "μ", "dampening": "τ", "alpha": "α", "eps": "ε", "lr_decay": "η",
                  "weight_decay": "λ"}


def _title(label: str, hyper: Mapping[str, Any], t: int, lr: float) -> str:
    """The heading names the numbers that stay fixed, so the lines can use their symbols."""
    parts = [f"γ = {_num(lr)}"]
    for key, value in hyper.items():
        if key == "betas":
            parts += [f"β₁ = {_num(value[0])}", f"β₂ = {_num(value[1])}"]
        elif key in _HYPER_SYMBOLS and float(value) != 0.0:
            parts.append(f"{_HYPER_SYMBOLS[key]} = {_num(float(value))}")
    return f"{label}, step t = {t} ({', '.join(parts)})"


def explain_step(name: str, hyper: Mapping[str, Any], t: int, theta: Any, grad: Any,
                 clipped: Any, lr: float, before: Mapping[str, Any],
                 after: Mapping[str, Any]) -> StepExplanation:
    """Step ``t`` (≥ 1) of optimizer ``name`` written out: from the point ``theta`` = θₜ₋₁, its
    gradient (raw and after clipping), the lr in force, and the optimizer's state (torch's
    names) before and after the step. The last line's value is θₜ."""
    if name not in _RULES:
        raise ValueError(f"unknown optimizer {name!r}")
    if t < 1:
        raise ValueError(f"steps are counted from 1, not {t}")
    from calcgui.core.optimizers import LABELS

    point = np.atleast_1d(np.asarray(theta, dtype=np.float64))
    gradient = np.atleast_1d(np.asarray(grad, dtype=np.float64))
    cut = np.atleast_1d(np.asarray(clipped, dtype=np.float64))
    old = {key: np.asarray(value, dtype=np.float64) for key, value in before.items()}
    new = {key: np.asarray(value, dtype=np.float64) for key, value in after.items()}
    out = _Builder()
    with np.errstate(all="ignore"):
        g = _gradient_lines(out, name, hyper, point, gradient, cut)
        _RULES[name](out, hyper, t, point, g, float(lr), old, new)
    return StepExplanation(_title(LABELS[name], hyper, t, float(lr)), tuple(out.lines))


def explain_record(name: str, hyper: Mapping[str, Any], record: Any) -> StepExplanation:
    """:func:`explain_step` for a :class:`calcgui.core.descent.StepRecord` (a run's step)."""
    return explain_step(name, hyper, record.t, record.point, record.gradient,
                        record.clipped_gradient, record.lr, record.state_before, record.state_after)


def effective_lr(name: str, hyper: Mapping[str, Any], t: int, lr: float,
                 state: Mapping[str, Any]) -> np.ndarray | None:
    """The per-coordinate step scale of an adaptive optimizer after step ``t``: γ/(√v̂ₜ + ε)
    for Adam and AdamW (multiplying m̂ₜ), γ/(√vₜ + ε) for RMSProp and γ/(√sumₜ + ε) for
    AdaGrad (multiplying gₜ); None for the SGD family, whose scale is γ in every direction."""
    with np.errstate(all="ignore"):
        if name in ("adam", "adamw"):
            beta2 = float(hyper["betas"][1])
            second = state.get("max_exp_avg_sq") if hyper.get("amsgrad") else None
            second = state["exp_avg_sq"] if second is None else second
            return lr / (np.sqrt(np.asarray(second) / (1.0 - beta2**t)) + float(hyper["eps"]))
        if name == "rmsprop":
            square = np.asarray(state["square_avg"], dtype=np.float64)
            if hyper.get("centered"):
                average = np.asarray(state["grad_avg"], dtype=np.float64)
                square = square - average * average
            return lr / (np.sqrt(square) + float(hyper["eps"]))
        if name == "adagrad":
            scaled = lr / (1.0 + (t - 1) * float(hyper["lr_decay"]))
            return scaled / (np.sqrt(np.asarray(state["sum"])) + float(hyper["eps"]))
    return None
