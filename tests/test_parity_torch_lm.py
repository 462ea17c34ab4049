"""Parity with PyTorch 2.13 for ce_teach.lm: the linear cross-entropy and its two gradients (autograd through
``F.cross_entropy(hidden @ weight.T, labels, ignore_index=...)``), distillation (``KLDivLoss`` × T²), CLIP's
symmetric InfoNCE written in torch ops, and bfloat16 rounding (``tensor.to(torch.bfloat16)``).

Tolerances: float64 to 1e-12 relative (torch's log-softmax is a difference of terms of the size of the
logits, so its absolute error is a few ε·|x|); float32 to a few float32 ulp of the values compared, since
both sides do the products in float32 but sum in different orders.
"""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import lm

torch = pytest.importorskip(
    "torch", reason="PyTorch is the reference implementation here: install torch==2.13.0 for the parity tests"
)
F = torch.nn.functional


def torch_linear_ce(h, w, y, ignore_index=-100):
    th = torch.from_numpy(h.copy()).requires_grad_()
    tw = torch.from_numpy(w.copy()).requires_grad_()
    loss = F.cross_entropy(th @ tw.T, torch.from_numpy(y), ignore_index=ignore_index)
    loss.backward()
    return loss.detach().numpy(), th.grad.numpy(), tw.grad.numpy()


def problem(seed, dtype, n=70, d=12, n_vocab=300, ignore_index=-100):
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(n, d)).astype(dtype)
    w = rng.normal(scale=0.7, size=(n_vocab, d)).astype(dtype)
    y = rng.integers(0, n_vocab, size=n)
    y[rng.random(n) < 0.2] = ignore_index
    return h, w, y


@pytest.fixture(params=["default tiles", "small tiles"])
def tiles(request, monkeypatch):
    if request.param == "small tiles":
        monkeypatch.setattr(lm, "TOKENS_PER_TILE", 16)
        monkeypatch.setattr(lm, "VOCAB_PER_TILE", 64)
        monkeypatch.setattr(lm, "CHUNK", 128)


@pytest.mark.parametrize("seed", [0, 1])
def test_linear_cross_entropy_float64(tiles, seed):
    h, w, y = problem(seed, np.float64)
    loss, d_h, d_w = ct.linear_cross_entropy_grad(h, w, y)
    t_loss, t_dh, t_dw = torch_linear_ce(h, w, y)
    assert loss.dtype == np.float64
    np.testing.assert_allclose(loss, t_loss, rtol=1e-13)
    np.testing.assert_allclose(ct.linear_cross_entropy(h, w, y), t_loss, rtol=1e-13)
    scale_h, scale_w = np.abs(t_dh).max(), np.abs(t_dw).max()
    np.testing.assert_allclose(d_h, t_dh, rtol=1e-11, atol=1e-13 * scale_h)
    np.testing.assert_allclose(d_w, t_dw, rtol=1e-11, atol=1e-13 * scale_w)


@pytest.mark.parametrize("seed", [0, 1])
def test_linear_cross_entropy_float32(tiles, seed):
    h, w, y = problem(seed, np.float32)
    loss, d_h, d_w = ct.linear_cross_entropy_grad(h, w, y)
    t_loss, t_dh, t_dw = torch_linear_ce(h, w, y)
    assert (loss.dtype, d_h.dtype, d_w.dtype) == (np.float32,) * 3
    np.testing.assert_allclose(loss, t_loss, rtol=4e-7)
    eps32 = np.finfo(np.float32).eps
    # both sum products of float32 G with float32 inputs: a few ulp of the largest entry apart
    np.testing.assert_allclose(d_h, t_dh, rtol=1e-5, atol=16 * eps32 * np.abs(t_dh).max())
    np.testing.assert_allclose(d_w, t_dw, rtol=1e-5, atol=16 * eps32 * np.abs(t_dw).max())


@pytest.mark.parametrize("ignore_index", [0, 299, -1])
def test_ignore_index_as_torch(ignore_index):
    h, w, y = problem(2, np.float64, ignore_index=ignore_index)
    t_loss, t_dh, _ = torch_linear_ce(h, w, y, ignore_index=ignore_index)
    loss, d_h, _ = ct.linear_cross_entropy_grad(h, w, y, ignore_index=ignore_index)
    np.testing.assert_allclose(loss, t_loss, rtol=1e-13)
    np.testing.assert_allclose(d_h, t_dh, rtol=1e-11, atol=1e-15)
    assert np.array_equal(d_h == 0, t_dh == 0)


def test_all_ignored_torch_gives_nan_we_raise():
    h, w, y = problem(3, np.float64)
    y[:] = -100
    t_loss = F.cross_entropy(torch.from_numpy(h @ w.T), torch.from_numpy(y))
    assert torch.isnan(t_loss)
    with pytest.raises(ValueError, match="every label equals ignore_index"):
        ct.linear_cross_entropy(h, w, y)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 4.0])
def test_distillation_is_kldivloss_times_t_squared(temperature):
    rng = np.random.default_rng(4)
    s, t = rng.normal(scale=3, size=(16, 10)), rng.normal(scale=3, size=(16, 10))
    ts, tt = torch.from_numpy(s), torch.from_numpy(t)
    kl = torch.nn.KLDivLoss(reduction="batchmean")(
        F.log_softmax(ts / temperature, dim=-1), F.softmax(tt / temperature, dim=-1)
    )
    expected = float(kl) * temperature**2
    got = ct.distillation_loss(s, t, temperature=temperature)
    assert got.shape == (16,)
    np.testing.assert_allclose(got.mean(), expected, rtol=1e-12)


def test_distillation_float32():
    rng = np.random.default_rng(5)
    s, t = rng.normal(size=(8, 6)).astype(np.float32), rng.normal(size=(8, 6)).astype(np.float32)
    ts, tt = torch.from_numpy(s), torch.from_numpy(t)
    expected = F.kl_div(F.log_softmax(ts / 2, -1), F.log_softmax(tt / 2, -1), reduction="none", log_target=True)
    got = ct.distillation_loss(s, t, temperature=2.0)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, 4 * expected.sum(-1).numpy(), rtol=1e-5, atol=1e-6)


def clip_loss(a, b, temperature):
    """CLIP's loss as in its paper's pseudocode, in torch ops."""
    a = F.normalize(torch.from_numpy(a), dim=1)
    b = F.normalize(torch.from_numpy(b), dim=1)
    logits = a @ b.T / temperature
    target = torch.arange(a.shape[0])
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_info_nce_is_clip(dtype, rtol):
    rng = np.random.default_rng(6)
    a = rng.normal(size=(32, 16)).astype(dtype)
    b = (a + rng.normal(scale=0.5, size=(32, 16))).astype(dtype)
    got = ct.info_nce(a, b, temperature=0.07)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, float(clip_loss(a, b, 0.07)), rtol=rtol)


def test_z_loss_and_softcap_as_torch():
    rng = np.random.default_rng(7)
    x = rng.normal(scale=10, size=(6, 50))
    tx = torch.from_numpy(x)
    np.testing.assert_allclose(ct.z_loss(x), (torch.logsumexp(tx, dim=-1) ** 2).numpy(), rtol=1e-14)
    np.testing.assert_allclose(ct.softcap(x, 30.0), (30.0 * torch.tanh(tx / 30.0)).numpy(), rtol=1e-15, atol=1e-15)


def test_bfloat16_rounding_is_torchs():
    rng = np.random.default_rng(8)
    bits = rng.integers(0, 2**32, size=200_000, dtype=np.uint64).astype(np.uint32)
    ties = (rng.integers(0, 2**16, size=2000, dtype=np.uint64).astype(np.uint32) << 16) | 0x8000  # exact halves
    x = np.concatenate([bits, ties]).view(np.float32)
    x = x[~np.isnan(x)]
    x = np.concatenate([x, np.float32([np.inf, -np.inf, 0.0, -0.0, np.finfo(np.float32).max, 1e-45])])
    theirs = torch.from_numpy(x).to(torch.bfloat16).to(torch.float32).numpy()
    ours = ct.round_to_bfloat16(x)
    assert np.array_equal(ours.view(np.uint32), theirs.view(np.uint32))
