// Stands in for ajv and ajv-formats in the bundle. conf imports them at load time but only
// constructs them when given a JSON schema; Volume Manager passes none (its schema check is
// app/state/schema.ts), and ajv was most of conf's load time on every writing command.
export class Ajv2020 {
  constructor() {
    throw new Error('ajv is not bundled: pass no schema to conf (see build/ajv-not-bundled.js)');
  }
}
export default Ajv2020;
