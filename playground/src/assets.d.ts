/** Files build.mjs bundles by esbuild loader: IR models as text, WebAssembly as the URL of a copy. */
declare module '*.ir' {
  const text: string;
  export default text;
}
declare module '*.wasm' {
  const url: string;
  export default url;
}
