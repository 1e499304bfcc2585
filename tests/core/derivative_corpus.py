"""Functions as students type them, across every rule family (shared by tests and bench)."""

# Written the way students type them, across all the rule families.
CORPUS = [
    # constants, powers, sums, constant multiples
    "7", "x", "2x^2 + 3x + 1", "x^2", "x^2 + 3", "x^3 - x", "5x^4 - 2x^3 + x - 9", "x^10", "x^-1", "x^-3",
    "1/x", "1/x^2", "3/x^4", "x^(1/2)", "sqrt x", "√x", "x^(3/2)", "x^(2/3)", "cbrt(x)", "∛(x^2)",
    "(x^2)^3", "-x^2", "-(x + 1)", "pi x^2", "e x", "x/2", "0.5x^2 - 1.5x",
    # products and quotients
    "x^2 e^x", "x sin x", "x^2 ln x", "x e^x sin x", "(x+1)(x-1)", "(x^2+1)(x^3-2)", "x^3 cos x",
    "sin(3x)/x", "(x^2 + 1)/(x - 1)", "x/(x^2 + 1)", "1/(1 + x^2)", "e^x / x", "ln x / x", "sin x / cos x",
    "(x - 1)/(x + 1)", "x^2/(1 - x)", "(2x + 1)/(3x - 4)",
    # chain rule
    "(2x + 3)^2", "(3x - 1)^5", "sin((4x)^2)", "sin(x^2)", "cos(3x)", "sin^2 x", "cos^2 x", "e^(-x^2)",
    "e^(2x)", "e^(sin x)", "sqrt(x + 1)", "√(1 - x^2)", "(x^2 + 1)^(1/2)", "1/(x^2 + 1)^2", "ln(x^2 + 1)",
    "ln(sin x)", "sin(cos x)", "cos(e^x)", "tan(2x)", "(sin x + cos x)^3", "e^(x^2 + x)",
    # exp, a^x, logs
    "e^x", "exp(x)", "2^x", "10^x", "3^(2x)", "ln x", "log(x)", "log10(x)", "log(x, 2)", "log2(x)", "ln(3x)",
    "x ln x - x",
    # trig
    "sin x", "cos x", "tan x", "sec x", "csc x", "cot x", "sec^2 x", "tan x sec x", "3 sin x cos x",
    # inverse trig
    "arcsin x", "arccos x", "arctan x", "arctan(x^2)", "asin(2x)", "arcsec x", "arccsc x", "arccot x",
    "sin^-1 x", "tan^-1(x/2)",
    # hyperbolic and inverse hyperbolic
    "sinh x", "cosh x", "tanh x", "sech x", "csch x", "coth x", "cosh^2 x", "tanh(2x)", "arsinh x",
    "arcosh x", "artanh x", "arcsech x",
    # absolute value, max/min, relu
    "|x|", "|x - 2|", "|x^2 - 4|", "x|x|", "max(x, 0)", "min(x, x^2)", "relu(x)", "relu(2x - 1)",
    # deep-learning functions
    "sigmoid(x)", "sigmoid(2x + 1)", "softplus(x)", "softplus(-x)", "tanh(x) + sigmoid(x)", "x sigmoid(x)",
    # variable exponents: logarithmic differentiation
    "x^x", "x^(sin x)", "(sin x)^x", "x^(1/x)", "(x^2 + 1)^x",
]
