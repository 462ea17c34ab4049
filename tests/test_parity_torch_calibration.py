"""Parity with PyTorch 2.13.0 (CPU) for notebook 10: label smoothing as CrossEntropyLoss(label_smoothing=ε), and
torchvision's sigmoid_focal_loss, whose formula is copied here in torch ops (torchvision is not installed) from
pytorch/vision, torchvision/ops/focal_loss.py:

    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss

Inputs stay where torch's own float64 arithmetic is accurate (|x| ≤ 20, research/numerics.md §3): torch's
1 − p_t is a subtraction, so it loses digits as p_t → 1, and there only the package is exact (tests/test_focal.py).
"""

import numpy as np
import pytest

import ce_teach as ct

torch = pytest.importorskip(
    "torch", reason="PyTorch is the reference implementation here: install torch==2.13.0 for the parity tests"
)
F = torch.nn.functional


def torchvision_sigmoid_focal_loss(inputs, targets, alpha: float = 0.25, gamma: float = 2):
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("eps", [0.0, 0.05, 0.1, 0.3, 1.0])
def test_cross_entropy_loss_with_label_smoothing(eps, seed):
    rng = np.random.default_rng(seed)
    logits = np.clip(rng.normal(0, 5, (64, 10)), -20, 20)
    labels = rng.integers(0, 10, 64)
    theirs = torch.nn.CrossEntropyLoss(label_smoothing=eps)(torch.tensor(logits), torch.tensor(labels)).item()
    smoothed = ct.smooth_labels(labels, 10, label_smoothing=eps)
    assert float(np.mean(ct.softmax_cross_entropy_with_logits(smoothed, logits))) == pytest.approx(theirs, rel=1e-12)
    assert float(ct.class_weighted_sparse_cross_entropy(labels, logits, label_smoothing=eps)) == pytest.approx(
        theirs, rel=1e-12
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("gamma", "alpha"), [(2.0, 0.25), (0.5, -1.0), (0.0, 0.25), (5.0, 0.9)])
def test_torchvision_sigmoid_focal_loss(gamma, alpha, seed):
    rng = np.random.default_rng(seed)
    x = np.clip(rng.normal(0, 5, 300), -20, 20)
    z = np.concatenate([rng.integers(0, 2, 200).astype(float), rng.uniform(0, 1, 100)])
    theirs = torchvision_sigmoid_focal_loss(torch.tensor(x), torch.tensor(z), alpha=alpha, gamma=gamma).numpy()
    ours = ct.sigmoid_focal_loss(z, x, gamma=gamma, alpha=alpha)
    # torch's 1 − p_t has an absolute error of ~ε, so the modulating factor has a relative error of γ·ε/(1 − p_t);
    # its BCE, (1 − z)·x − log σ(x), an absolute error of a few ε·|x| (times the factor u^γ ≤ 1)
    eps = np.finfo(float).eps
    u = z / (1 + np.exp(x)) + (1 - z) / (1 + np.exp(-x))
    relative = 1e-12 + 8 * gamma * eps / np.maximum(u, 1e-300)
    absolute = 8 * eps * np.abs(x) * u**gamma
    np.testing.assert_array_less(np.abs(ours - theirs), relative * np.abs(theirs) + absolute + 1e-300)


def test_torchvision_focal_gradient_matches_ours():
    rng = np.random.default_rng(4)
    x = torch.tensor(np.clip(rng.normal(0, 3, 50), -15, 15), requires_grad=True)
    z = rng.integers(0, 2, 50).astype(float)
    torchvision_sigmoid_focal_loss(x, torch.tensor(z), alpha=0.25, gamma=2.0).sum().backward()
    ours = ct.sigmoid_focal_loss_grad(z, x.detach().numpy(), gamma=2.0, alpha=0.25)
    np.testing.assert_allclose(ours, x.grad.numpy(), rtol=1e-9, atol=1e-15)


def test_softmax_focal_gradient_matches_autograd():
    rng = np.random.default_rng(5)
    logits = torch.tensor(rng.normal(0, 3, (20, 6)), requires_grad=True)
    labels = rng.integers(0, 6, 20)
    log_p = torch.log_softmax(logits, dim=1)[torch.arange(20), torch.tensor(labels)]
    (-((1 - log_p.exp()) ** 2.0) * log_p).sum().backward()
    ours = ct.sparse_softmax_focal_loss_grad(labels, logits.detach().numpy(), gamma=2.0)
    np.testing.assert_allclose(ours, logits.grad.numpy(), rtol=1e-9, atol=1e-15)
