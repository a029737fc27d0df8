enable f16;
// k0_scale_residual_reduce_sum (reduction): mul: f16[3, 5], cast: f16[3, 5], add 'z': f16[3, 5], reduce_sum: f16[3]
// layers: model
// IR: precision.ir:2:7 precision.ir:2:17 precision.ir:3:13
@group(0) @binding(0) var<storage, read> b0: array<f16>;
@group(0) @binding(1) var<storage, read> b1: array<u32>;
@group(0) @binding(2) var<storage, read_write> b2: array<f16>;
@group(0) @binding(3) var<storage, read_write> b3: array<f16>;
fn bertc_bf16_at(w: u32, i: i32) -> f32 { return bitcast<f32>(select(w << 16u, w & 0xffff0000u, (i & 1) == 1)); }
// m >> s rounded to nearest, ties to even (1 <= s <= 31).
fn bertc_round_even(m: u32, s: u32) -> u32 {
  let q = m >> s;
  let rem = m & ((1u << s) - 1u);
  let mid = 1u << (s - 1u);
  return select(q, q + 1u, rem > mid || (rem == mid && (q & 1u) == 1u));
}
fn bertc_f16_bits(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  let s16 = (b >> 16u) & 0x8000u;
  let mag = b & 0x7fffffffu;
  // NaN stays NaN: the quiet bit set, the payload's top bits kept.
  if (mag > 0x7f800000u) { return s16 | 0x7e00u | ((b & 0x7fffffu) >> 13u); }
  let e = i32(mag >> 23u) - 112;
  if (e >= 31) { return s16 | 0x7c00u; }
  if (e <= 0) {
    // Below half the smallest subnormal everything is zero; subnormals count units of 2^-24.
    if (e < -10) { return s16; }
    return s16 | bertc_round_even((b & 0x7fffffu) | 0x800000u, u32(14 - e));
  }
  // Exponent and mantissa round together: a carry bumps the exponent, up to infinity.
  return s16 | bertc_round_even(mag - 0x38000000u, 13u);
}
fn bertc_round_f16(x: f32) -> f32 { return unpack2x16float(bertc_f16_bits(x)).x; }
var<workgroup> partial: array<f32, 64>;
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = i32(wid.x) + i32(wid.y) * 3;
  if (row >= 3) { return; }
  let lid = i32(lid3.x);
  var t3_r_part = 0.0f;
  for (var j: i32 = lid; j < 5; j += 64) {
    let t0: f32 = bertc_round_f16((f32(b0[(row * 5 + j)]) * 2.0f));
    let t1: f32 = bertc_round_f16(bertc_bf16_at(b1[((row * 5 + j)) >> 1u], (row * 5 + j)));
    let t2: f32 = bertc_round_f16((t0 + t1));
    t3_r_part = t3_r_part + t2;
  }
  partial[lid] = t3_r_part;
  workgroupBarrier();
  for (var s: i32 = 32; s > 0; s = s >> 1u) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  let t3_r = partial[0];
  workgroupBarrier();
  let t3: f32 = bertc_round_f16(t3_r);
  workgroupBarrier();
  if (lid == 0) {
    b3[row] = bitcast<vec2<f16>>(bertc_f16_bits(t3)).x;
  }
  for (var j: i32 = lid; j < 5; j += 64) {
    let t0: f32 = bertc_round_f16((f32(b0[(row * 5 + j)]) * 2.0f));
    let t1: f32 = bertc_round_f16(bertc_bf16_at(b1[((row * 5 + j)) >> 1u], (row * 5 + j)));
    let t2: f32 = bertc_round_f16((t0 + t1));
    b2[(row * 5 + j)] = bitcast<vec2<f16>>(bertc_f16_bits(t2)).x;
  }
}
