// k6_scale_mask_softmax_dropout (reduction): mul: f32[2, 2, 16, 16], add 'scores': f32[2, 2, 16, 16], softmax: f32[2, 2, 16, 16], dropout 'probs': f32[2, 2, 16, 16]
// layers: encoder.layer.0.attention.self, encoder.layer.1.attention.self
// 2 instances: k6_scale_mask_softmax_dropout, k17_scale_mask_softmax_dropout
// IR: models/bert.ir:67:12 models/bert.ir:68:19 models/bert.ir:68:11
struct Params { seed: u32, slice: u32, pad0: u32, pad1: u32, dropout: array<vec4<u32>, 1> }
@group(0) @binding(0) var<storage, read> b0: array<f32>;
@group(0) @binding(1) var<storage, read> b1: array<f32>;
@group(0) @binding(2) var<storage, read_write> b2: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
fn bertc_f32_bits(bits: u32) -> f32 { return bitcast<f32>(bits); }
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
var<workgroup> xs: array<f32, 16>;
var<workgroup> partial: array<f32, 64>;
var<workgroup> rv0: array<f32, 16>;
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = i32(wid.x) + i32(wid.y) * 64;
  if (row >= 64) { return; }
  let lid = i32(lid3.x);
  for (var j: i32 = lid; j < 16; j += 64) {
    let t0: f32 = (b0[((row / 32) * 512 + ((row / 16) % 2) * 256 + (row % 16) * 16 + j)] * 0.125f);
    let t1: f32 = (t0 + b1[((row / 32) * 16 + j)]);
    xs[j] = t1;
  }
  workgroupBarrier();
  var t2_max_part = bertc_f32_bits(0xff800000u);
  for (var j: i32 = lid; j < 16; j += 64) {
    t2_max_part = max(t2_max_part, xs[j]);
  }
  partial[lid] = t2_max_part;
  workgroupBarrier();
  for (var s: i32 = 32; s > 0; s = s >> 1u) {
    if (lid < s) { partial[lid] = max(partial[lid], partial[lid + s]); }
    workgroupBarrier();
  }
  let t2_max = partial[0];
  workgroupBarrier();
  var t2_sum_part = 0.0f;
  for (var j: i32 = lid; j < 16; j += 64) {
    xs[j] = exp(xs[j] - t2_max);
    t2_sum_part = t2_sum_part + xs[j];
  }
  partial[lid] = t2_sum_part;
  workgroupBarrier();
  for (var s: i32 = 32; s > 0; s = s >> 1u) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  let t2_sum = partial[0];
  workgroupBarrier();
  for (var j: i32 = lid; j < 16; j += 64) {
    rv0[j] = xs[j] / t2_sum;
  }
  workgroupBarrier();
  for (var j: i32 = lid; j < 16; j += 64) {
    let t0: f32 = (b0[((row / 32) * 512 + ((row / 16) % 2) * 256 + (row % 16) * 16 + j)] * 0.125f);
    let t1: f32 = (t0 + b1[((row / 32) * 16 + j)]);
    let t3: f32 = select(rv0[j] * 1.1111111640930176f, 0.0f, bertc_dropout_bits(bertc_dropout_key(params.seed, params.dropout[0].x), u32(((row / 32) * 512 + ((row / 16) % 2) * 256 + (row % 16) * 16 + j))) < 429496729u);
    b2[((row / 32) * 512 + ((row / 16) % 2) * 256 + (row % 16) * 16 + j)] = t3;
  }
}
