# scale-embed.py PACK FACTOR: multiply text_encoder.embed.weight (bf16 or fp32) by FACTOR, in place
import json, struct, sys
pack, factor = sys.argv[1], float(sys.argv[2])
p = pack + '/model.safetensors'
raw = open(p, 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]; h = json.loads(raw[8:8 + n])
data = bytearray(raw[8 + n:]); t = h['text_encoder.embed.weight']; a, b = t['data_offsets']
if t['dtype'] == 'BF16':
    vals = struct.unpack('<%dH' % ((b - a) // 2), data[a:b]); out = []
    for u in vals:
        f = struct.unpack('<f', struct.pack('<I', u << 16))[0] * factor
        w = struct.unpack('<I', struct.pack('<f', f))[0]
        w = (w + 0x7FFF + ((w >> 16) & 1)) >> 16  # round to nearest even
        out.append(w & 0xFFFF)
    data[a:b] = struct.pack('<%dH' % len(out), *out)
elif t['dtype'] == 'F32':
    vals = struct.unpack('<%df' % ((b - a) // 4), data[a:b]); data[a:b] = struct.pack('<%df' % len(vals), *[v * factor for v in vals])
else: sys.exit('unexpected dtype ' + t['dtype'])
open(p, 'wb').write(raw[:8 + n] + bytes(data)); print('scaled', (b - a), 'bytes by', factor)
