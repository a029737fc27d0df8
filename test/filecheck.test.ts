import { describe, expect, it } from 'vitest';
import { fileCheck, parseChecks } from './support/filecheck.js';

const output = ['kernel k0_bias_gelu {', '  z = add(y, b);', '  h = gelu(z);', '}', 'kernel k1_gemm {', '  m = matmul(h, w);', '}'].join('\n');
const check = (src: string) => fileCheck(output, parseChecks(src));

describe('the FileCheck-style checker', () => {
  it('matches CHECK in order and CHECK-NEXT on the following line', () => {
    expect(check('// CHECK: kernel k0\n// CHECK-NEXT: add(y, b)\n// CHECK-NEXT: gelu\n// CHECK: matmul')).toEqual([]);
    expect(check('// CHECK: gelu(z)\n// CHECK: add(y, b)')).toHaveLength(1);
    expect(check('// CHECK: kernel k0\n// CHECK-NEXT: gelu')).toHaveLength(1);
  });

  it('supports {{regex}} and CHECK-SAME', () => {
    expect(check('// CHECK: kernel {{k[0-9]+}}_bias_gelu\n// CHECK-SAME: {')).toEqual([]);
    expect(check('// CHECK: kernel {{k[0-9]+}}_gemm\n// CHECK-SAME: gelu')).toHaveLength(1);
  });

  it('fails CHECK-NOT between matches but not outside them', () => {
    expect(check('// CHECK: kernel k0\n// CHECK-NOT: matmul\n// CHECK: gelu')).toEqual([]);
    expect(check('// CHECK: kernel k0\n// CHECK-NOT: gelu\n// CHECK: matmul')).toHaveLength(1);
    expect(check('// CHECK: kernel k1\n// CHECK-NOT: gelu')).toEqual([]);
  });

  it('checks CHECK-LABEL blocks independently', () => {
    expect(check('// CHECK-LABEL: kernel k0\n// CHECK: gelu\n// CHECK-LABEL: kernel k1\n// CHECK: matmul')).toEqual([]);
    expect(check('// CHECK-LABEL: kernel k0\n// CHECK: matmul\n// CHECK-LABEL: kernel k1')).toHaveLength(1);
    expect(check('// CHECK-LABEL: kernel k9')).toHaveLength(1);
  });
});
