"""Inputs the parser must refuse or accept cheaply (shared by tests and bench).

tests/core/test_parser.py checks *that* each bound refuses its input with a message naming the
bound; bench/bench_parser_bounds.py measures *how fast*, which no test can promise on a busy
machine.
"""

#: Expensive input and the words of the bound that refuses it.
BOUNDS = [
    ("10^10^10", "exponent too large at 3: 10000000000 is more than 1000"),
    ("x^99999999", "exponent too large at 2: 99999999 is more than 1000"),
    ("factorial(10^9)", "factorial out of range at 1: it needs a whole number from 0 to 170"),
    ("2^(10^5)", "exponent too large at 2: 100000 is more than 1000"),
    ("x^(1/100000)", "exponent too large at 2: 1/100000 is more than 1000"),
    ("9^9^9", "exponent too large at 2: 387420489 is more than 1000"),
    ("(10^100)^1000", "has more than 1000 digits"),
    ("x" * 501, "the function is longer than 500 characters"),
    ("(" * 60 + "x" + ")" * 60, "nested too deeply (more than 40 levels)"),
    ("-" * 100 + "x", "nested too deeply (more than 40 levels)"),
    ("1" * 310, "is more than 1.8e308, the largest number allowed"),
    ("1e1000", "number too large at 1: its exponent is more than 100"),
    ("sin(" * 50 + "x" + ")" * 50, "nested too deeply (more than 40 levels)"),
    ("|" * 100, "nested too deeply (more than 40 levels)"),
]

#: The largest input each bound lets through.
LARGEST_ALLOWED = ["x^1000", "2^1000", "factorial(170)", "(" * 35 + "x" + ")" * 35, "9" * 308]

#: Pieces that random texts are made of (the fuzz test draws from them).
ALPHABET = list("0123456789xy+-*/^().,|!= eπ√²⁻·") + ["sin", "ln", "sqrt", "e^", "log(", "max(", "|x|", "^-"]
