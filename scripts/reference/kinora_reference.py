"""An independent PyTorch reference of Kinora's networks, for parity checks of the C++ engine.

Written from the maths of core/model/*.cpp, not translated line by line from it, and in a
functional style: every network is a function of a flat dict of tensors read from a
pack's model.safetensors by the reader below (no torch.nn modules, no LibTorch loader).
Where LibTorch has a fused kernel the engine uses (layer_norm, GELU, pixel_shuffle,
conv3d, scaled products through oneDNN), this file spells the operation out instead, so
the two sides share as little code as possible beyond ATen's elementary kernels.

What it covers: the word tokenizer, the text encoder, the diffusion transformer's
forward (patchify, timestep and pooled-caption conditioning, adaLN-single modulation,
3D rotary positions, absolute position features, the text-layout path, cross-attention
with key masks, unpatchify) and the autoencoder's decoder (with pixel shuffle, causal
temporal blocks and frame levels). The encoder half of the autoencoder is not needed
for one denoising step and is not here.

Precision: `dtype` is what the transformer's weights and activations are held in
(float32 or bfloat16); normalisation always computes in float32, as the engine's does,
and the text encoder and decoder always run in float32 (the engine keeps them there on
the CPU).

Needs Debian's python3-torch and python3-numpy; run it with /usr/bin/python3.
"""

import json
import math
import os
import struct

import numpy as np
import torch

# ---------------------------------------------------------------------------------------
# safetensors: 8-byte little-endian header length, a JSON header, the raw data.

_NUMPY_DTYPES = {
    "F64": np.float64, "F32": np.float32, "F16": np.float16,
    "I64": np.int64, "I32": np.int32, "I16": np.int16, "I8": np.int8,
    "U8": np.uint8, "BOOL": np.bool_,
}


def read_safetensors(path):
    """{name: torch tensor} from a safetensors file; BF16 is widened to float32 exactly."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (header_len,) = struct.unpack("<Q", raw[:8])
    if header_len > len(raw) - 8:
        raise ValueError(f"{path}: header length {header_len} runs past the end of the file")
    header = json.loads(raw[8:8 + header_len])
    data = memoryview(raw)[8 + header_len:]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        shape = entry["shape"]
        chunk = data[begin:end]
        if entry["dtype"] == "BF16":
            # bf16 is the upper half of a float32: shift it into place.
            halves = np.frombuffer(chunk, dtype="<u2").astype(np.uint32) << 16
            array = halves.view(np.float32)
        elif entry["dtype"] in _NUMPY_DTYPES:
            array = np.frombuffer(chunk, dtype=np.dtype(_NUMPY_DTYPES[entry["dtype"]]).newbyteorder("<"))
        else:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {entry['dtype']}")
        out[name] = torch.from_numpy(array.reshape(shape).copy())
    return out


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor} (float32, int64 or bool tensors) as safetensors."""
    names = {torch.float32: "F32", torch.int64: "I64", torch.bool: "BOOL", torch.float64: "F64"}
    header = {}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        tensor = tensor.detach().contiguous().cpu()
        if tensor.dtype not in names:
            raise ValueError(f"cannot store {name} of dtype {tensor.dtype}")
        blob = tensor.numpy().astype(tensor.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": names[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the data section starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


# ---------------------------------------------------------------------------------------
# The pack.

class Pack:
    def __init__(self, directory):
        self.directory = directory
        with open(os.path.join(directory, "model.json")) as f:
            self.config = json.load(f)
        self.weights = read_safetensors(os.path.join(directory, "model.safetensors"))
        self._cast = {}

    def params(self, prefix, dtype=torch.float32):
        """The tensors under `prefix.` with the prefix removed, in `dtype` (cached)."""
        key = (prefix, dtype)
        if key not in self._cast:
            start = prefix + "."
            self._cast[key] = {name[len(start):]: w.to(dtype)
                               for name, w in self.weights.items() if name.startswith(start)}
        return self._cast[key]

    @property
    def ae(self):
        return self.config["autoencoder"]

    @property
    def te(self):
        return self.config["text_encoder"]

    @property
    def dit(self):
        return self.config["transformer"]

    def spatial_factor(self):
        return self.ae.get("pixel_shuffle", 1) * 2 ** (len(self.ae["channels"]) - 1)

    def latent_frames(self, frames):
        return 1 + (frames - 1) // self.ae.get("temporal_group", 4)


# ---------------------------------------------------------------------------------------
# Tokenizer: lower-cased words split on anything but ASCII letters, digits, apostrophes
# and bytes of multi-byte UTF-8 characters; [BOS] first; unknown words become [UNK].

PAD, BOS, UNK = 0, 1, 2


def tokenize(text, vocabulary, max_tokens):
    ids = {word: i for i, word in enumerate(vocabulary)}
    words, current = [], bytearray()
    for byte in text.encode("utf-8"):
        is_word = (0x30 <= byte <= 0x39) or (0x41 <= byte <= 0x5A) or (0x61 <= byte <= 0x7A) \
            or byte == 0x27 or byte >= 0x80
        if is_word:
            current.append(byte + 32 if 0x41 <= byte <= 0x5A else byte)
        elif current:
            words.append(current.decode("utf-8", "replace"))
            current = bytearray()
    if current:
        words.append(current.decode("utf-8", "replace"))
    tokens = [BOS]
    for word in words:
        if len(tokens) >= max_tokens:
            break
        tokens.append(ids.get(word, UNK))
    return tokens


def batch_tokens(token_lists):
    """[B, L] int64 tokens (padded with [PAD]) and [B, L] bool mask."""
    length = max(1, max(len(t) for t in token_lists))
    tokens = torch.zeros(len(token_lists), length, dtype=torch.int64)
    mask = torch.zeros(len(token_lists), length, dtype=torch.bool)
    for b, ids in enumerate(token_lists):
        tokens[b, :len(ids)] = torch.tensor(ids, dtype=torch.int64)
        mask[b, :len(ids)] = True
    return tokens, mask


# ---------------------------------------------------------------------------------------
# Elementary operations, spelled out.

def norm(x, weight=None, bias=None, eps=1e-6):
    """Normalises the last axis in float32 (mean, biased variance), then the affine."""
    x32 = x.float()
    mean = x32.mean(-1, keepdim=True)
    centred = x32 - mean
    y = centred * torch.rsqrt((centred * centred).mean(-1, keepdim=True) + eps)
    if weight is not None:
        y = y * weight.float() + bias.float()
    return y.to(x.dtype)


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x * (1.0 / math.sqrt(2.0))))


def silu(x):
    return x * torch.sigmoid(x)


def dense(p, name, x):
    """x @ W^T + b for the linear layer `name` in the param dict p."""
    return torch.nn.functional.linear(x, p[name + ".weight"], p[name + ".bias"])


def key_bias(mask, dtype):
    """Additive attention bias [B, 1, 1, L]: 0 for real keys, -inf for padding."""
    bias = torch.zeros(mask.shape, dtype=torch.float32)
    bias[~mask] = float("-inf")
    return bias[:, None, None, :].to(dtype)


def attend(q, k, v, bias=None):
    """softmax(q k^T / sqrt(d) + bias) v over [B, heads, N, d]."""
    scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(q.shape[-1]))
    if bias is not None:
        scores = scores + bias
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def split_heads(x, heads):
    """[B, N, D] -> [B, heads, N, D / heads]."""
    b, n, d = x.shape
    return x.reshape(b, n, heads, d // heads).permute(0, 2, 1, 3)


def merge_heads(x):
    """[B, heads, N, d] -> [B, N, heads * d]."""
    b, h, n, d = x.shape
    return x.permute(0, 2, 1, 3).reshape(b, n, h * d)


def self_attention(p, prefix, x, heads, bias=None, rope=None):
    d = x.shape[-1]
    qkv = dense(p, prefix + ".qkv", x)  # [B, N, 3D]: q, k, v one after the other
    q, k, v = (split_heads(qkv[..., i * d:(i + 1) * d], heads) for i in range(3))
    if rope is not None:
        q, k = rotate(q, rope), rotate(k, rope)
    return dense(p, prefix + ".proj", merge_heads(attend(q, k, v, bias)))


def cross_attention(p, prefix, x, context, heads, bias):
    d = x.shape[-1]
    q = split_heads(dense(p, prefix + ".q", x), heads)
    kv = dense(p, prefix + ".kv", context)  # [B, L, 2D]: k then v
    k, v = split_heads(kv[..., :d], heads), split_heads(kv[..., d:], heads)
    return dense(p, prefix + ".proj", merge_heads(attend(q, k, v, bias)))


def mlp(p, prefix, x):
    return dense(p, prefix + ".fc2", gelu(dense(p, prefix + ".fc1", x)))


# ---------------------------------------------------------------------------------------
# Text encoder: word + learnt position vectors, pre-norm blocks, a final norm.

def text_encoder(pack, tokens, mask):
    """tokens [B, L] int64, mask [B, L] bool -> features [B, L, width] (float32)."""
    p = pack.params("text_encoder")
    heads = pack.te["heads"]
    L = tokens.shape[1]
    x = p["embed.weight"][tokens] + p["position"][:L].unsqueeze(0)
    bias = key_bias(mask, x.dtype)
    for i in range(pack.te["depth"]):
        b = f"blocks.{i}"
        x = x + self_attention(p, b + ".attn", norm(x, p[b + ".norm1.weight"], p[b + ".norm1.bias"]), heads, bias)
        x = x + mlp(p, b + ".mlp", norm(x, p[b + ".norm2.weight"], p[b + ".norm2.bias"]))
    return norm(x, p["norm_out.weight"], p["norm_out.bias"])


# ---------------------------------------------------------------------------------------
# Diffusion transformer.

def rope_tables(t, h, w, head_dim, theta, dtype):
    """cos, sin [t*h*w, head_dim/2]: the head's frequency pairs split between time
    (the rest), height (3/8) and width (3/8); tokens in (t, y, x) order."""
    pairs = head_dim // 2
    ph = pairs * 3 // 8
    pw = ph
    pt = pairs - ph - pw

    def angles(n, count):
        freqs = theta ** (-torch.arange(count, dtype=torch.float64) / count) if count else torch.zeros(0, dtype=torch.float64)
        return torch.arange(n, dtype=torch.float64)[:, None] * freqs[None, :]

    at, ah, aw = angles(t, pt), angles(h, ph), angles(w, pw)
    ti, yi, xi = torch.meshgrid(torch.arange(t), torch.arange(h), torch.arange(w), indexing="ij")
    table = torch.cat([at[ti.reshape(-1)], ah[yi.reshape(-1)], aw[xi.reshape(-1)]], dim=1)
    return table.cos().to(dtype), table.sin().to(dtype)


def rotate(x, rope):
    """Rotates the pairs (x[i], x[i + d/2]) of [B, heads, N, d] by the table's angles."""
    cos, sin = rope
    half = x.shape[-1] // 2
    a, b = x[..., :half], x[..., half:]
    return torch.cat([a * cos - b * sin, a * sin + b * cos], dim=-1)


def position_features(t, h, w, dtype, frequencies=8):
    """[t*h*w, 6K]: for frame, row and column, sin then cos at wavelengths 4 .. 4*2^(K-1)
    tokens (angle = index * pi/2 / 2^k)."""
    freqs = (math.pi / 2) * 0.5 ** torch.arange(frequencies, dtype=torch.float64)

    def axis(n):
        a = torch.arange(n, dtype=torch.float64)[:, None] * freqs[None, :]
        return torch.cat([a.sin(), a.cos()], dim=1)

    ti, yi, xi = torch.meshgrid(torch.arange(t), torch.arange(h), torch.arange(w), indexing="ij")
    feats = torch.cat([axis(t)[ti.reshape(-1)], axis(h)[yi.reshape(-1)], axis(w)[xi.reshape(-1)]], dim=1)
    return feats.to(dtype)


def timestep_features(t, dim, max_period=10000.0):
    """Sinusoids of t * 1000 (t: [B] in [0, 1]): cos then sin, [B, dim], float32."""
    half = dim // 2
    # In float32 and in this order: at t * 1000 ~ 1000 an ulp of a frequency moves the
    # angle by 1e-4, so the frequencies are defined to the bit, as the engine computes them.
    freqs = torch.exp((-math.log(max_period) * torch.arange(half, dtype=torch.float32)) / half)
    args = (t.float() * 1000.0)[:, None] * freqs[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


def patchify(video, p):
    """[B, C, T, H, W] -> [B, T*(H/p)*(W/p), C*p*p]; features ordered (c, dy, dx)."""
    B, C, T, H, W = video.shape
    x = video.reshape(B, C, T, H // p, p, W // p, p)
    x = torch.einsum("bctyuxv->btyxcuv", x)
    return x.reshape(B, T * (H // p) * (W // p), C * p * p)


def unpatchify(tokens, C, T, H, W, p):
    B = tokens.shape[0]
    x = tokens.reshape(B, T, H // p, W // p, C, p, p)
    x = torch.einsum("btyxcuv->bctyuxv", x)
    return x.reshape(B, C, T, H, W)


def transformer(pack, x, known, mask, t, text, text_mask, dtype=torch.float32):
    """The denoiser: noisy latent x, known latent, known-mask [B, 1, ...], noise level t [B],
    text features [B, L, Dt] and their mask -> velocity [B, C, T, h, w] (float32)."""
    cfg = pack.dit
    p = pack.params("transformer", dtype)
    P = cfg["patch_size"]
    heads = cfg["heads"]
    width = cfg["width"]
    B, C, T, H, W = x.shape
    gh, gw = H // P, W // P

    hidden = dense(p, "patch_embed", patchify(torch.cat([x, known, mask], dim=1).to(dtype), P))

    # Noise level (and caption) -> one modulation for every block.
    c = dense(p, "time_mlp2", silu(dense(p, "time_mlp1", timestep_features(t, cfg["timestep_dim"]).to(dtype))))
    if cfg.get("pooled_text", False):
        weights = text_mask.to(text.dtype)[..., None]
        pooled = (text * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        c = c + dense(p, "text_pool", pooled.to(dtype))
    c = silu(c)
    shared = dense(p, "time_modulation", c).reshape(B, 6, width)

    rope = rope_tables(T, gh, gw, width // heads, cfg["rope_theta"], dtype)
    positions = None
    if cfg.get("absolute_positions", False) or cfg.get("text_layout", False):
        positions = position_features(T, gh, gw, dtype)
    if cfg.get("absolute_positions", False):
        hidden = hidden + dense(p, "pos_embed", positions)[None]
    bias = key_bias(text_mask, dtype)
    context = text.to(dtype)
    if cfg.get("text_layout", False):
        queries = dense(p, "layout_query", positions)[None].expand(B, -1, -1)
        hidden = hidden + cross_attention(p, "layout_cross", queries, context, heads, bias)

    for i in range(cfg["depth"]):
        b = f"blocks.{i}"
        shift1, scale1, gate1, shift2, scale2, gate2 = (shared + p[b + ".modulation"][None]).unbind(1)
        a = norm(hidden) * (1 + scale1[:, None]) + shift1[:, None]
        hidden = hidden + gate1[:, None] * self_attention(p, b + ".attn", a, heads, rope=rope)
        hidden = hidden + cross_attention(p, b + ".cross", norm(hidden, p[b + ".norm2.weight"], p[b + ".norm2.bias"]),
                                          context, heads, bias)
        m = norm(hidden) * (1 + scale2[:, None]) + shift2[:, None]
        hidden = hidden + gate2[:, None] * mlp(p, b + ".mlp", m)

    final = dense(p, "adaln_out", c)
    shift, scale = final[:, :width], final[:, width:]
    out = dense(p, "proj_out", norm(hidden) * (1 + scale[:, None]) + shift[:, None])
    return unpatchify(out, C, T, H, W, P).float()


# ---------------------------------------------------------------------------------------
# Autoencoder decoder.

def conv(p, name, x, padding=1):
    return torch.nn.functional.conv2d(x, p[name + ".weight"], p[name + ".bias"], padding=padding)


def channel_norm(p, name, x):
    """Normalises each pixel's channel vector: [N, C, ...]."""
    y = norm(x.movedim(1, -1), p[name + ".weight"], p[name + ".bias"])
    return y.movedim(-1, 1)


def res_block(p, name, x):
    h = conv(p, name + ".conv1", silu(channel_norm(p, name + ".norm1", x)))
    h = conv(p, name + ".conv2", silu(channel_norm(p, name + ".norm2", h)))
    skip = conv(p, name + ".skip", x, padding=0) if (name + ".skip.weight") in p else x
    return skip + h


def causal_temporal(p, name, x):
    """x + a kernel-3 convolution over latent time whose window ends at each frame; the
    two frames before the first are copies of it. x: [B, C, T, H, W]."""
    T = x.shape[2]
    h = silu(channel_norm(p, name + ".norm", x))
    h = torch.cat([h[:, :, :1], h[:, :, :1], h], dim=2)
    weight = p[name + ".conv.weight"][:, :, :, 0, 0]  # [Co, Ci, 3]
    out = p[name + ".conv.bias"].view(1, -1, 1, 1, 1)
    for k in range(3):
        out = out + torch.einsum("oc,bcthw->bothw", weight[:, :, k], h[:, :, k:k + T])
    return x + out


def upsample2(x):
    return x.repeat_interleave(2, dim=-2).repeat_interleave(2, dim=-1)


def depth_to_space(x, r):
    """pixel_shuffle: channel c*r*r + i*r + j goes to pixel (y*r + i, x*r + j) of channel c."""
    N, C, H, W = x.shape
    x = x.reshape(N, C // (r * r), r, r, H, W)
    x = torch.einsum("ncijyx->ncyixj", x)
    return x.reshape(N, C // (r * r), H * r, W * r)


def decode(pack, latents):
    """Scaled latents [B, C, T, h, w] -> video [B, 3, 1 + g(T-1), H, W] (unclamped, float32)."""
    cfg = pack.ae
    p = pack.params("autoencoder.decoder")
    g = cfg.get("temporal_group", 4)
    shuffle = cfg.get("pixel_shuffle", 1)
    frame_levels = cfg.get("frame_levels", 0)
    temporal_levels = cfg.get("decoder_temporal_levels", 0)  # the last levels, each then mixed over time
    levels = len(cfg["channels"]) - 1
    B, C, T, h, w = latents.shape
    z = latents.float() / cfg.get("latent_scale", 1.0) - cfg.get("latent_shift", 0.0)

    def frames_as_batch(v):  # [B, C, T, h, w] -> [B*T, C, h, w]
        return v.permute(0, 2, 1, 3, 4).reshape(B * T, v.shape[1], h, w)

    def batch_as_video(f):  # [B*T, C, h, w] -> [B, C, T, h, w]
        return f.reshape(B, T, f.shape[1], h, w).permute(0, 2, 1, 3, 4)

    x = conv(p, "conv_in", frames_as_batch(z))
    x = frames_as_batch(causal_temporal(p, "temporal1", batch_as_video(x)))
    x = res_block(p, "mid1", x)
    x = frames_as_batch(causal_temporal(p, "temporal2", batch_as_video(x)))
    x = res_block(p, "mid2", x)
    for i in range(levels):
        if frame_levels > 0 and levels - i == frame_levels:
            x = conv(p, "unfold", x, padding=0)
            x = x.reshape(x.shape[0] * g, x.shape[1] // g, x.shape[2], x.shape[3])
        x = upsample2(x)
        x = res_block(p, f"up.{2 * i + 1}", conv(p, f"up.{2 * i}", x))
        j = i - (levels - temporal_levels)
        if j >= 0:
            _, Cx, Hx, Wx = x.shape
            v = x.reshape(B, T, Cx, Hx, Wx).permute(0, 2, 1, 3, 4)
            x = causal_temporal(p, f"up_temporal.{j}", v).permute(0, 2, 1, 3, 4).reshape(B * T, Cx, Hx, Wx)
    out = conv(p, "conv_out", silu(channel_norm(p, "norm_out", x)))
    if shuffle > 1:
        out = depth_to_space(out, shuffle)
    Hf, Wf = out.shape[-2], out.shape[-1]
    # [B*T(*g), ...] -> each latent frame's g pixel frames, in time order, RGB each.
    frames = out.reshape(B, T, g, 3, Hf, Wf).permute(0, 3, 1, 2, 4, 5).reshape(B, 3, T * g, Hf, Wf)
    return frames[:, :, g - 1:]  # latent frame 0 stands for one pixel frame: drop its g-1 copies
