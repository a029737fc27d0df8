// The name runtime.js imports the safetensors layout rules by. `bertc compile --target wgsl` (and
// the Chromium runner) put src/io/safetensorsLayout.js itself under this name beside runtime.js;
// in the repository this re-export stands in for it, so that Node and tsc load runtime.js as it is.
export * from '../../src/io/safetensorsLayout.js';
