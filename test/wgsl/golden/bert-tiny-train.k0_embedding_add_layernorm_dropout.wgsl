// k0_embedding_add_layernorm_dropout (reduction): gather: f32[2, 16, 128], gather: f32[2, 16, 128], add: f32[2, 16, 128], gather: f32[16, 128], add 'x': f32[2, 16, 128], layernorm: f32[2, 16, 128], dropout: f32[2, 16, 128]
// layers: embeddings, embeddings.LayerNorm
// IR: models/bert.ir:47:7 models/bert.ir:47:49 models/bert.ir:47:87 models/bert.ir:39:10 models/bert.ir:49:10
struct Params { seed: u32, slice: u32, pad0: u32, pad1: u32, dropout: array<vec4<u32>, 1> }
@group(0) @binding(0) var<storage, read> b0: array<f32>;
@group(0) @binding(1) var<storage, read> b1: array<i32>;
@group(0) @binding(2) var<storage, read> b2: array<f32>;
@group(0) @binding(3) var<storage, read> b3: array<i32>;
@group(0) @binding(4) var<storage, read> b4: array<f32>;
@group(0) @binding(5) var<storage, read> b5: array<f32>;
@group(0) @binding(6) var<storage, read> b6: array<f32>;
@group(0) @binding(7) var<storage, read_write> b7: array<f32>;
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
    let t0: f32 = b0[((clamp(b1[row], 0, 511)) * 128 + j)];
    let t1: f32 = b2[((clamp(b3[row], 0, 1)) * 128 + j)];
    let t2: f32 = (t0 + t1);
    let t3: f32 = b4[((clamp(i32((row % 16)), 0, 63)) * 128 + j)];
    let t4: f32 = (t2 + t3);
    xs[j] = t4;
  }
  workgroupBarrier();
  var t5_total_part = 0.0f;
  for (var j: i32 = lid; j < 128; j += 64) {
    t5_total_part = t5_total_part + xs[j];
  }
  partial[lid] = t5_total_part;
  workgroupBarrier();
  for (var s: i32 = 32; s > 0; s = s >> 1u) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  let t5_total = partial[0];
  workgroupBarrier();
  let t5_mean = t5_total / 128.0f;
  var t5_sq_part = 0.0f;
  for (var j: i32 = lid; j < 128; j += 64) {
    t5_sq_part = t5_sq_part + (xs[j] - t5_mean) * (xs[j] - t5_mean);
  }
  partial[lid] = t5_sq_part;
  workgroupBarrier();
  for (var s: i32 = 32; s > 0; s = s >> 1u) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  let t5_sq = partial[0];
  workgroupBarrier();
  let t5_inv = inverseSqrt(t5_sq / 128.0f + 9.999999960041972e-13f);
  for (var j: i32 = lid; j < 128; j += 64) {
    rv0[j] = (xs[j] - t5_mean) * t5_inv * b5[j] + b6[j];
  }
  workgroupBarrier();
  for (var j: i32 = lid; j < 128; j += 64) {
    let t0: f32 = b0[((clamp(b1[row], 0, 511)) * 128 + j)];
    let t1: f32 = b2[((clamp(b3[row], 0, 1)) * 128 + j)];
    let t2: f32 = (t0 + t1);
    let t3: f32 = b4[((clamp(i32((row % 16)), 0, 63)) * 128 + j)];
    let t4: f32 = (t2 + t3);
    let t6: f32 = select(rv0[j] * 1.1111111640930176f, 0.0f, bertc_dropout_bits(bertc_dropout_key(params.seed, params.dropout[0].x), u32((row * 128 + j))) < 429496729u);
    b7[(row * 128 + j)] = t6;
  }
}
