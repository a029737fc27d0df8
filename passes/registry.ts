import { canonicalize } from './canonicalize.js';
import { cse } from './cse.js';
import { dce } from './dce.js';
import { foldMovement } from './foldMovement.js';
import { fuseAttention } from './fuseAttention.js';
import { fuseElementwise } from './fuseElementwise.js';
import { fuseGemmEpilogue } from './fuseGemmEpilogue.js';
import { fuseMultiTensor } from './fuseMultiTensor.js';
import { fuseQkv } from './fuseQkv.js';
import { fuseReductions } from './fuseReductions.js';
import { precision } from './precision.js';
import { recompute } from './recompute.js';
import { tileGemm } from './tileGemm.js';
import type { OptionSpec, PassDef } from './pass.js';

/** Every pass, by its command-line name. */
export const PASSES: ReadonlyMap<string, PassDef<Record<string, OptionSpec>>> = new Map(
  ([precision, canonicalize, cse, dce, fuseQkv, recompute, foldMovement, fuseReductions, fuseGemmEpilogue, fuseAttention, fuseElementwise, fuseMultiTensor, tileGemm] as PassDef<Record<string, OptionSpec>>[]).map((p) => [p.name, p]),
);

/** The default pipeline of each optimisation level. */
export const LEVELS: Readonly<Record<string, string>> = {
  O0: '',
  O1: 'canonicalize,cse,dce',
  O2: 'canonicalize,cse,dce,fuse-qkv,canonicalize,dce,recompute,fold-movement,fuse-reductions,fuse-gemm-epilogue,fuse-attention,fuse-elementwise,fuse-multi-tensor',
};
