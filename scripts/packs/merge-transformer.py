# merge.py BASE DONOR OUT: BASE's pack with DONOR's text_encoder.* and transformer.* tensors (same names, shapes, dtypes)
import json, struct, sys, os, shutil
def read(p):
    f = open(p, 'rb'); n = struct.unpack('<Q', f.read(8))[0]; h = json.loads(f.read(n)); return h, f.read()
base, donor, out = sys.argv[1:4]
hb, db = read(base + '/model.safetensors'); hd, dd = read(donor + '/model.safetensors')
data = bytearray(db); swapped = 0
for k, v in hb.items():
    if k == '__metadata__' or not k.startswith(('text_encoder.', 'transformer.')): continue
    d = hd[k]; assert d['shape'] == v['shape'] and d['dtype'] == v['dtype'], k
    a, b = v['data_offsets']; c, e = d['data_offsets']; data[a:b] = dd[c:e]; swapped += 1
os.makedirs(out, exist_ok=True)
raw = json.dumps(hb).encode(); raw += b' ' * (-len(raw) % 8)
with open(out + '/model.safetensors', 'wb') as f: f.write(struct.pack('<Q', len(raw))); f.write(raw); f.write(data)
shutil.copy(base + '/model.json', out + '/model.json')
print('swapped', swapped)
