import { describe, expect, it } from 'vitest';
import { configuredSocket, withPluginLine } from './conf-edit.js';

const S = '/run/user/1000/volume-manager/plugin.sock';

describe("the plugin line in a person's containers.conf", () => {
  it('adds the table to a missing or empty file', () => {
    expect(withPluginLine('', S)).toBe(`[engine.volume_plugins]\nvolume-manager = "${S}"\n`);
  });

  it('adds the table at the end, keeping every comment and line', () => {
    const text = '# mine\n[engine]\nruntime = "runc" # keep\n';
    expect(withPluginLine(text, S)).toBe(`${text}\n[engine.volume_plugins]\nvolume-manager = "${S}"\n`);
  });

  it('adds the line under an existing table, before the next one', () => {
    const text = '[engine.volume_plugins]\nother = "/x.sock"\n\n[network]\nx = 1\n';
    const out = withPluginLine(text, S);
    expect(out).toBe(`[engine.volume_plugins]\nvolume-manager = "${S}"\nother = "/x.sock"\n\n[network]\nx = 1\n`);
    expect(configuredSocket(out)).toBe(S);
  });

  it('replaces its own line, and only it', () => {
    const text = '[engine.volume_plugins]\nvolume-manager = "/old.sock"\nother = "/x.sock"\n';
    expect(withPluginLine(text, S)).toBe(`[engine.volume_plugins]\nvolume-manager = "${S}"\nother = "/x.sock"\n`);
  });

  it('escapes a path as TOML wants it, and refuses control characters', () => {
    const odd = '/run/user/1000/a "b"\\c.sock';
    expect(configuredSocket(withPluginLine('', odd))).toBe(odd);
    expect(() => withPluginLine('', '/x\n[engine]\nruntime="evil"')).toThrow(/control character/);
  });

  it('leaves a file alone that does not parse, or that it cannot follow', () => {
    expect(() => withPluginLine('[engine\nbroken', S)).toThrow(/does not parse/);
    expect(() => withPluginLine('[engine]\nvolume_plugins = { other = "/x.sock" }\n', S)).toThrow(/cannot follow/);
  });
});
