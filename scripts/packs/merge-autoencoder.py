# merge-ae.py PACK DONOR: copy DONOR's autoencoder.* tensors and latent normalisation into PACK, in place
import json, struct, sys
def read(p):
    f = open(p, 'rb'); n = struct.unpack('<Q', f.read(8))[0]; h = json.loads(f.read(n)); return n, h, f.read()
pack, donor = sys.argv[1:3]
n, hb, db = read(pack + '/model.safetensors'); _, hd, dd = read(donor + '/model.safetensors')
data = bytearray(db); swapped = 0
for k, v in hb.items():
    if k == '__metadata__' or not k.startswith('autoencoder.'): continue
    d = hd[k]; assert d['shape'] == v['shape'] and d['dtype'] == v['dtype'], k
    a, b = v['data_offsets']; c, e = d['data_offsets']; data[a:b] = dd[c:e]; swapped += 1
raw = open(pack + '/model.safetensors', 'rb').read(8 + n)
open(pack + '/model.safetensors', 'wb').write(raw + bytes(data))
j = json.load(open(pack + '/model.json')); jd = json.load(open(donor + '/model.json'))
for k in ('latent_scale', 'latent_shift'): j['autoencoder'][k] = jd['autoencoder'][k]
j['training'] = {'autoencoder_from': donor, 'donor_training': jd.get('training')} | {k: v for k, v in j.get('training', {}).items()}
json.dump(j, open(pack + '/model.json', 'w'), indent=2)
print('swapped', swapped)
