# add-decoder-temporal.py PACK N: give PACK's autoencoder decoder causal temporal blocks after
# its last N levels (model.json's autoencoder.decoder_temporal_levels), in place. The new
# blocks start as the identity (convolution weights and biases zero, norm weights one), so
# the pack decodes exactly as before until `train --stage autoencoder --decoder-only` trains them.
import json, struct, sys
pack, n_levels = sys.argv[1], int(sys.argv[2])
cfg = json.load(open(pack + '/model.json'))
ae = cfg['autoencoder']
if ae.get('frame_levels', 0) != 0 or ae.get('decoder_temporal_levels', 0) != 0:
    sys.exit('needs frame_levels 0 and no decoder temporal blocks yet')
ch = ae['channels']
if not 0 < n_levels < len(ch):
    sys.exit('N must be 1 to %d' % (len(ch) - 1))
f = open(pack + '/model.safetensors', 'rb'); n = struct.unpack('<Q', f.read(8))[0]
header = json.loads(f.read(n)); data = bytearray(f.read())
dtype = header['autoencoder.decoder.conv_out.weight']['dtype']
size = {'BF16': 2, 'F32': 4}[dtype]
one = struct.pack('<H', 0x3F80) if dtype == 'BF16' else struct.pack('<f', 1.0)
def add(name, shape, fill_one=False):
    count = 1
    for s in shape: count *= s
    start = len(data)
    data.extend((one * count) if fill_one else bytes(count * size))
    header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [start, len(data)]}
# Coarsest first, as the decoder runs them: up_temporal.j has channels ch[N - 1 - j].
for j in range(n_levels):
    c = ch[n_levels - 1 - j]
    p = 'autoencoder.decoder.up_temporal.%d.' % j
    add(p + 'norm.weight', [c], True); add(p + 'norm.bias', [c])
    add(p + 'conv.weight', [c, c, 3, 1, 1]); add(p + 'conv.bias', [c])
meta = header.pop('__metadata__', None)
ordered = {}
if meta is not None: ordered['__metadata__'] = meta
ordered.update(header)
h = json.dumps(ordered, separators=(',', ':')).encode()
h += b' ' * ((8 - len(h) % 8) % 8)
open(pack + '/model.safetensors', 'wb').write(struct.pack('<Q', len(h)) + h + bytes(data))
ae['decoder_temporal_levels'] = n_levels
json.dump(cfg, open(pack + '/model.json', 'w'), indent=2)
print('added temporal blocks after the last %d decoder levels (%s)' % (n_levels, dtype))
