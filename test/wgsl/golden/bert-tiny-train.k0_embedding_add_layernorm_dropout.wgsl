// k0_embedding_add_layernorm_dropout (reduction): gather: f32[2, 16, 128], gather: f32[2, 16, 128], add: f32[2, 16, 128], gather: f32[16, 128], add 'x': f32[2, 16, 128], layernorm: f32[2, 16, 128], dropout: f32[2, 16, 128]
// layers: embeddings, embeddings.LayerNorm
// IR: models/bert.ir:47:7 models/bert.ir:47:34 models/bert.ir:47:72 models/bert.ir:39:10 models/bert.ir:49:10
struct Params { seed: u32, slice: u32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<storage, read> b9: array<f32>;
@group(0) @binding(1) var<storage, read> b0: array<i32>;
@group(0) @binding(2) var<storage, read> b11: array<f32>;
@group(0) @binding(3) var<storage, read> b1: array<i32>;
@group(0) @binding(4) var<storage, read> b10: array<f32>;
@group(0) @binding(5) var<storage, read> b18: array<f32>;
@group(0) @binding(6) var<storage, read> b19: array<f32>;
@group(0) @binding(7) var<storage, read_write> b21: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;
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
var<workgroup> xs: array<f32, 128>;
var<workgroup> partial: array<f32, 64>;
var<workgroup> rv0: array<f32, 128>;
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = i32(wid.x) + i32(wid.y) * 32;
  if (row >= 32) { return; }
  let lid = i32(lid3.x);
  for (var j: i32 = lid; j < 128; j += 64) {
    let t13: f32 = b9[((clamp(b0[((row / 16) * 16 + (row % 16))], 0, 511)) * 128 + j)];
    let t14: f32 = b11[((clamp(b1[((row / 16) * 16 + (row % 16))], 0, 1)) * 128 + j)];
    let t15: f32 = (t13 + t14);
    let t16: f32 = b10[((clamp(i32((row % 16)), 0, 63)) * 128 + j)];
    let t17: f32 = (t15 + t16);
    xs[j] = t17;
  }
  workgroupBarrier();
  var t20_total_part = 0.0f;
  for (var j: i32 = lid; j < 128; j += 64) {
    t20_total_part = t20_total_part + xs[j];
  }
  partial[lid] = t20_total_part;
  workgroupBarrier();
  for (var s: i32 = 32; s > 0; s = s >> 1u) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  let t20_total = partial[0];
  workgroupBarrier();
  let t20_mean = t20_total / 128.0f;
  var t20_sq_part = 0.0f;
  for (var j: i32 = lid; j < 128; j += 64) {
    t20_sq_part = t20_sq_part + (xs[j] - t20_mean) * (xs[j] - t20_mean);
  }
  partial[lid] = t20_sq_part;
  workgroupBarrier();
  for (var s: i32 = 32; s > 0; s = s >> 1u) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  let t20_sq = partial[0];
  workgroupBarrier();
  let t20_inv = inverseSqrt(t20_sq / 128.0f + 9.999999960041972e-13f);
  for (var j: i32 = lid; j < 128; j += 64) {
    rv0[j] = (xs[j] - t20_mean) * t20_inv * b18[j] + b19[j];
  }
  workgroupBarrier();
  for (var j: i32 = lid; j < 128; j += 64) {
    let t13: f32 = b9[((clamp(b0[((row / 16) * 16 + (row % 16))], 0, 511)) * 128 + j)];
    let t14: f32 = b11[((clamp(b1[((row / 16) * 16 + (row % 16))], 0, 1)) * 128 + j)];
    let t15: f32 = (t13 + t14);
    let t16: f32 = b10[((clamp(i32((row % 16)), 0, 63)) * 128 + j)];
    let t17: f32 = (t15 + t16);
    let t21: f32 = select(rv0[j] * 1.1111111640930176f, 0.0f, bertc_dropout_bits(bertc_dropout_key(params.seed, 0u), u32(((row / 16) * 2048 + (row % 16) * 128 + j))) < 429496729u);
    b21[((row / 16) * 2048 + (row % 16) * 128 + j)] = t21;
  }
}
