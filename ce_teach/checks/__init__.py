"""Self-checks: ``compare`` for derivation check cells, and one checker per exercise.

    >>> import numpy as np, ce_teach as ct
    >>> ct.checks.compare("1 + 1", np.array([2.0]), np.array([2.0]))
    1 + 1                                        | exact: True  | close: True  | max diff: 0.0e+00
    >>> def my_entropy(p):
    ...     raise NotImplementedError
    >>> ct.checks.entropy_bits.check(my_entropy).status
    'not attempted'
"""

from ._core import CheckResult, Exercise, compare
from .information import cross_entropy_nats, entropy_bits, kl_divergence_bits, perplexity

__all__ = [
    "CheckResult",
    "Exercise",
    "compare",
    # 01–03
    "entropy_bits",
    "kl_divergence_bits",
    "cross_entropy_nats",
    "perplexity",
]
