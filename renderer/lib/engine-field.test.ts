import { describe, expect, it } from 'vitest';
import { fieldOfRefusal } from './engine-field.js';

const refusal = (code: string, happened: string, type = 'tmpfs', name = 'dup') => fieldOfRefusal({ code: code as never, happened }, { name, type: type as never });

describe("the engine's refusal at its field, in the form's words", () => {
  it('a duplicate name at Name, naming it', () => {
    expect(refusal('VOLUME_EXISTS', 'volume with name dup already exists')).toEqual({ field: 'name', text: 'A volume named dup already exists. Choose another name, or find the existing one in the list.' });
  });
  it('a bad o= option at Extra options, naming the option', () => {
    expect(refusal('INVALID_OPTION', 'invalid mount option "x;y" in o=: options are name or name=value', 'nfs')).toMatchObject({ field: 'extraOptions', text: expect.stringContaining('x;y is not accepted here') });
  });
  it('a folder that is not there at Folder', () => {
    expect(refusal('INVALID_OPTION', 'bind source /nowhere does not exist', 'bind')).toEqual({ field: 'source', text: 'There is no folder at /nowhere. Create it first, or browse to the one you meant.' });
  });
  it('what it cannot place stays for the line above Create', () => {
    expect(refusal('INVALID_OPTION', 'too many options (70); at most 64')).toBeNull();
    expect(refusal('ELEVATION_DENIED', 'denied')).toBeNull();
  });
});
