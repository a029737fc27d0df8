/**
 * The most elements one tensor may have, and so the largest dimension: backends index tensors with
 * 32-bit integers. A dimension like 1e12 is rejected here instead of reaching an allocation.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;
/** Loops are unrolled; a trip count above this is taken for a mistake (a wrong bound), not a model. */
export const MAX_LOOP_TRIPS = 1024;
/**
 * Statements and loop iterations one elaboration may execute once layers are inlined and loops
 * unrolled: BERT-large takes about 1,100, so this only stops runaway inputs, in about a second.
 */
export const MAX_STEPS = 50_000;
/**
 * Levels of parse tree (expressions inside expressions, blocks inside blocks) the elaborator
 * accepts: it recurses once per level, and a sum of a few thousand terms would exhaust the stack.
 */
export const MAX_NESTING = 256;
/** Layer calls inside layer calls; BERT needs 4. */
export const MAX_CALL_DEPTH = 100;
/** Call-stack notes shown under one diagnostic; deeper stacks end in a count. */
export const MAX_NOTES = 10;
