// k3_gemm_bias (gemm): matmul 'qkv': f32[2, 16, 384], add 'qkv': f32[2, 16, 384]
// layers: encoder.layer.0.attention.self, encoder.layer.1.attention.self
// 2 instances: k3_gemm_bias, k13_gemm_bias
// IR: models/bert.ir:33:10
@group(0) @binding(0) var<storage, read> b0: array<f32>;
@group(0) @binding(1) var<storage, read> b1: array<f32>;
@group(0) @binding(2) var<storage, read> b2: array<f32>;
@group(0) @binding(3) var<storage, read_write> b3: array<f32>;
var<workgroup> As: array<f32, 128>;
var<workgroup> Bs: array<f32, 512>;
@compute @workgroup_size(16, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let tx = i32(lid3.x);
  let ty = i32(lid3.y);
  let tid = ty * 16 + tx;
  let n0 = i32(wid.x) * 64;
  let m0 = i32(wid.y) * 16;
  let bz = i32(wid.z);
  let abase = bz * 2048;
  let bbase = 0;
  var acc: array<f32, 8>;
  for (var k0: i32 = 0; k0 < 128; k0 += 8) {
    for (var i: i32 = tid; i < 128; i += 128) {
      let ar = m0 + i / 8;
      let ac = k0 + i % 8;
      As[i] = select(0.0f, b0[abase + ar * 128 + ac * 1], ar < 16 && ac < 128);
    }
    for (var i: i32 = tid; i < 512; i += 128) {
      let br = k0 + i / 64;
      let bc = n0 + i % 64;
      Bs[i] = select(0.0f, b1[bbase + br * 1 + bc * 128], br < 128 && bc < 384);
    }
    workgroupBarrier();
    for (var kk: i32 = 0; kk < 8; kk++) {
      for (var i: i32 = 0; i < 2; i++) {
        let av = As[(ty * 2 + i) * 8 + kk];
        for (var jj: i32 = 0; jj < 4; jj++) {
          acc[i * 4 + jj] += av * Bs[kk * 64 + tx * 4 + jj];
        }
      }
    }
    workgroupBarrier();
  }
  for (var i: i32 = 0; i < 2; i++) {
    for (var jj: i32 = 0; jj < 4; jj++) {
      let m = m0 + ty * 2 + i;
      let n = n0 + tx * 4 + jj;
      if (m < 16 && n < 384) {
        let t1: f32 = (acc[i * 4 + jj] + b2[n]);
        b3[(bz * 6144 + m * 384 + n)] = t1;
      }
    }
  }
}
