import { describe, expect, it } from 'vitest';
import { fileLabel } from './file-label.js';

describe("an uploaded file's name, as the page sends it", () => {
  it('keeps a plain base name, spaces and quotes included (commands quote it)', () => {
    expect(fileLabel("my backup's.tar")).toBe("my backup's.tar");
  });
  it('drops a path, a control character, an escape sequence and an overlong name', () => {
    for (const bad of ['../etc/shadow', '/tmp/x.tar', 'a\\b', 'x\u001b]0;owned\u0007.tar', 'a\nb', '..', 'n'.repeat(256), '', null, undefined]) expect(fileLabel(bad)).toBeUndefined();
  });
});
