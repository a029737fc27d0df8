// k5_attention_dropout (attention): matmul: f32[2, 2, 16, 16], mul: f32[2, 2, 16, 16], add 'scores': f32[2, 2, 16, 16], softmax: f32[2, 2, 16, 16], dropout 'probs': f32[2, 2, 16, 16], matmul: f32[2, 2, 16, 64], transpose: f32[2, 16, 2, 64], reshape: f32[2, 16, 128]
// layers: encoder.layer.0.attention.self, encoder.layer.1.attention.self
// 2 instances: k5_attention_dropout, k14_attention_dropout
// IR: models/bert.ir:67:12 models/bert.ir:68:19 models/bert.ir:68:11 models/bert.ir:69:22 models/bert.ir:59:18 models/bert.ir:59:10
struct Params { seed: u32, slice: u32, pad0: u32, pad1: u32, dropout: array<vec4<u32>, 1> }
@group(0) @binding(0) var<storage, read> b0: array<f32>;
@group(0) @binding(1) var<storage, read> b1: array<f32>;
@group(0) @binding(2) var<storage, read_write> b2: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
fn bertc_fmix32(v: u32) -> u32 {
  var h = v;
  h = h ^ (h >> 16u);
  h = h * 0x85ebca6bu;
  h = h ^ (h >> 13u);
  h = h * 0xc2b2ae35u;
  h = h ^ (h >> 16u);
  return h;
}
fn bertc_dropout_key(seed: u32, id: u32) -> u32 { return bertc_fmix32(bertc_fmix32(seed + 0x9e3779b9u) ^ (id * 0x85ebca77u)); }
fn bertc_dropout_bits(key: u32, i: u32) -> u32 { return bertc_fmix32(i * 0x9e3779b9u + key); }
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let flat = i32(gid.x) + i32(gid.y) * 64;
  if (flat >= 64) { return; }
  let bi = flat / 16;
  let i = flat % 16;
  let qbase = ((bi / 2) * 6144 + (bi % 2) * 64) + i * 384;
  let kbase = ((bi / 2) * 6144 + (bi % 2) * 64 + 128);
  let vbase = ((bi / 2) * 6144 + (bi % 2) * 64 + 256);
  var acc: array<f32, 64>;
  var mx: f32 = (-3.4028234663852886e+38f);
  var total: f32 = 0.0f;
  for (var j: i32 = 0; j < 16; j++) {
    var s: f32 = 0.0f;
    for (var d: i32 = 0; d < 64; d++) {
      s += b0[qbase + d * 1] * b0[kbase + d * 1 + j * 384];
    }
    let t1: f32 = (s * 0.125f);
    let t2: f32 = (t1 + b1[((bi / 2) * 16 + j)]);
    let x = t2;
    let m1 = max(mx, x);
    let rescale = exp(mx - m1);
    let p = exp(x - m1);
    total = total * rescale + p;
    let w = p * select(1.0f * 1.1111111640930176f, 0.0f, bertc_dropout_bits(bertc_dropout_key(params.seed, params.dropout[0].x), u32((bi * 256 + i * 16 + j))) < 429496729u);
    for (var e: i32 = 0; e < 64; e++) {
      acc[e] = acc[e] * rescale + w * b0[vbase + j * 384 + e * 1];
    }
    mx = m1;
  }
  let inv = 1.0f / total;
  for (var e: i32 = 0; e < 64; e++) {
    b2[((bi / 2) * 2048 + i * 128 + (bi % 2) * 64 + e)] = acc[e] * inv;
  }
}
