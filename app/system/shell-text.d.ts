// The root side's shell lives in .sh files, imported as text: `?raw` in Vitest (Vite) and
// through build.mjs's raw-text plugin in the bundles.
declare module '*.sh?raw' {
  const text: string;
  export default text;
}
