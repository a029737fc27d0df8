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

  it('ends a CHECK-NOT range where the next match starts, as LLVM does', () => {
    expect(check('// CHECK-NOT: kernel\n// CHECK: kernel k0')).toEqual([]);
    expect(check('// CHECK-NOT: kernel\n// CHECK: kernel k1')).toHaveLength(1);
    expect(check('// CHECK: z = add(\n// CHECK-NOT: b\n// CHECK-SAME: b);')).toEqual([]);
    expect(check('// CHECK: z = \n// CHECK-NOT: y\n// CHECK-SAME: b);')).toHaveLength(1);
  });

  it('checks CHECK-LABEL blocks independently', () => {
    expect(check('// CHECK-LABEL: kernel k0\n// CHECK: gelu\n// CHECK-LABEL: kernel k1\n// CHECK: matmul')).toEqual([]);
    expect(check('// CHECK-LABEL: kernel k0\n// CHECK: matmul\n// CHECK-LABEL: kernel k1')).toHaveLength(1);
    expect(check('// CHECK-LABEL: kernel k9')).toHaveLength(1);
  });
});

describe('FileCheck captures', () => {
  const ir = ['kernel k0_exp {', '  v: f32[2, 8] = exp(x);', '}', 'c_1: f32[] = 2;', 'kernel k1_scale {', '  v_1: f32[2, 8] = mul(v, c_1);', '}', 'return v_1;'].join('\n');
  const run = (src: string) => fileCheck(ir, parseChecks(src));

  it('binds a name to what its regex matched and matches a use against exactly that text', () => {
    expect(run('// CHECK: [[E:v(_\\d+)?]]: f32[2, 8] = exp(x);\n// CHECK: [[C:c(_\\d+)?]]: f32[] = 2;\n// CHECK: [[M:v(_\\d+)?]]: f32[2, 8] = mul([[E]], [[C]]);\n// CHECK: return [[M]];')).toEqual([]);
  });

  it('fails a use that reads another value than the one bound', () => {
    const failures = run('// CHECK: [[E:v(_\\d+)?]]: f32[2, 8] = exp(x);\n// CHECK: [[M:v(_\\d+)?]]: f32[2, 8] = mul(\n// CHECK: return [[E]];');
    expect(failures).toEqual([`line 3: CHECK 'return [[E]];' (with E = 'v') not found after output line 6`]);
  });

  it('binds the whole match of its regex, whatever groups the regex has inside', () => {
    expect(run('// CHECK: kernel k1_scale\n// CHECK-NEXT: [[M:v(_(\\d+))?]]:\n// CHECK: return [[M]];')).toEqual([]);
    expect(run('// CHECK: kernel k1_scale\n// CHECK-NEXT: [[M:v(_(\\d+))?]]:\n// CHECK: return v_[[M]];')).toHaveLength(1);
  });

  it('reports a use before any definition as a mistake of the check file, with its line', () => {
    expect(run('// CHECK: kernel k0_exp\n// CHECK-NEXT: = exp([[X]]);')).toEqual([`check file error: line 2: CHECK-NEXT '= exp([[X]]);' uses '[[X]]' before it is defined`]);
    expect(run('// CHECK: return [[M]];\n// CHECK: [[M:v_1]]')).toHaveLength(1);
  });

  it('reports a definition inside CHECK-NOT and a malformed capture as mistakes of the check file', () => {
    expect(run('// CHECK-NOT: [[T:tanh]]\n// CHECK: return')).toEqual([`check file error: line 1: CHECK-NOT '[[T:tanh]]' defines 'T'; a CHECK-NOT can only use variables`]);
    expect(run('// CHECK: [[E:v')[0]).toMatch(/^check file error: line 1: .*not closed/);
    expect(run('// CHECK: [[E:]]')[0]).toMatch(/^check file error: line 1: .*empty regex/);
    expect(run('// CHECK: [[E:v(]]')[0]).toMatch(/^check file error: line 1: .*invalid regex/);
  });

  it('ends a capture regex at the first ]] outside a character class', () => {
    expect(run('// CHECK: [[D:[0-9]]], 8] = exp\n// CHECK: f32[[[D]], 8] = mul')).toEqual([]);
  });

  it('uses a variable again within the pattern that defines it', () => {
    expect(fileCheck('add(a, a)\nadd(a, b)', parseChecks('// CHECK: add([[X:[a-z]]], [[X]])'))).toEqual([]);
    expect(fileCheck('add(a, b)', parseChecks('// CHECK: add([[X:[a-z]]], [[X]])'))).toHaveLength(1);
  });

  it('keeps {{regex}} working beside captures', () => {
    expect(run('// CHECK: kernel {{k[0-9]+}}_scale {\n// CHECK-NEXT: [[M:v(_\\d+)?]]: {{.*}} = mul({{[a-z]+}}, [[C:c(_\\d+)?]]);\n// CHECK: return [[M]];')).toEqual([]);
    expect(run('// CHECK: [[C:c(_\\d+)?]]: f32[]\n// CHECK: mul({{.*}}[[C]]{{[)]}};')).toEqual([]);
  });

  it('checks CHECK-NOT against the value bound before it', () => {
    expect(run('// CHECK: [[M:v_\\d+]]: f32[2, 8] = mul\n// CHECK-NOT: [[M]]\n// CHECK: }')).toEqual([]);
    expect(run('// CHECK: [[E:v]]: f32[2, 8] = exp\n// CHECK-NOT: ([[E]],\n// CHECK: return')).toEqual([`line 2: CHECK-NOT '([[E]],' found on output line 6:   v_1: f32[2, 8] = mul(v, c_1);`]);
  });

  it('clears variables at each CHECK-LABEL, and binds those a label defines for its block', () => {
    expect(run('// CHECK-LABEL: kernel k0_exp\n// CHECK-NEXT: [[E:v(_\\d+)?]]:\n// CHECK-LABEL: kernel k1_scale\n// CHECK-NEXT: mul([[E]],')).toEqual([
      `check file error: line 4: CHECK-NEXT 'mul([[E]],' uses '[[E]]' before it is defined in this CHECK-LABEL block (variables do not survive a label)`,
    ]);
    expect(run('// CHECK-LABEL: kernel [[K:k[0-9]+]]_scale {\n// CHECK-NEXT: [[M:v(_\\d+)?]]: f32\n// CHECK: return [[M]];')).toEqual([]);
    expect(run('// CHECK-LABEL: kernel [[K:k[0-9]+]]_exp {\n// CHECK-LABEL: kernel [[K]]_scale')).toHaveLength(1);
  });
});
