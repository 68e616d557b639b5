// Expected outputs were read off Debian's podman 4.3.1 (`volume ls` and `volume inspect` with
// these --format values) and Go's text/template documentation.

import { describe, expect, it } from 'vitest';
import { goString, parseTemplate, tabwrite, TemplateError } from './go-template.js';

const vol = () => ({
  Name: 'bb',
  Driver: 'local',
  Mountpoint: '/v/bb/_data',
  CreatedAt: '2026-11-29T17:35:27.532258493Z',
  Labels: { b: '2', a: '1' },
  Scope: 'local',
  Options: {},
  MountCount: 0,
  NeedsCopyUp: true,
});
const render = (t: string, data: unknown = vol()) => parseTemplate(t).render(data);

describe("podman's --format templates", () => {
  it('prints fields, nested map keys, and <no value> for a missing key', () => {
    expect(render('{{.Name}}')).toBe('bb');
    expect(render('{{.Labels.a}}|{{.Labels.zzz}}')).toBe('1|<no value>');
    expect(render('{{ .MountCount }} {{.NeedsCopyUp}}')).toBe('0 true');
  });

  it('prints values as Go does: maps sorted, times as time.String', () => {
    expect(render('{{.Labels}} {{.Options}}')).toBe('map[a:1 b:2] map[]');
    expect(render('{{.CreatedAt}}')).toBe('2026-11-29 17:35:27.532258493 +0000 UTC');
    expect(goString(['a', 'b'])).toBe('[a b]');
  });

  it('has json, and podman\'s and Go\'s functions', () => {
    expect(render('{{json .Labels}}')).toBe('{"b":"2","a":"1"}');
    expect(render('{{upper .Name}} {{lower "AB"}} {{len .Labels}} {{index .Labels "b"}}')).toBe('BB ab 2 2');
    expect(render('{{printf "%-4s|" .Name}}{{truncate .Driver 3}}')).toBe('bb  |loc');
    expect(render('{{.Name | upper}}')).toBe('BB');
    expect(render('{{join (split "a,b" ",") "+"}}')).toBe('a+b');
  });

  it('ranges over maps in key order, with $k and $v, and over lists', () => {
    expect(render('{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}')).toBe('a=1;b=2;');
    expect(render('{{range .}}{{.}},{{end}}', ['x', 'y'])).toBe('x,y,');
    expect(render('{{range .Options}}x{{else}}none{{end}}')).toBe('none');
  });

  it('has if, else if, else, with, variables, comments and trimming', () => {
    expect(render('{{if eq .Driver "nfs"}}n{{else if eq .Driver "local"}}l{{else}}?{{end}}')).toBe('l');
    expect(render('{{with .Labels.a}}a={{.}}{{end}}{{with .Labels.zz}}no{{else}}-{{end}}')).toBe('a=1-');
    expect(render('{{$n := .Name}}{{$n}}{{/* a comment */}}')).toBe('bb');
    expect(render('a  {{- .Name -}}  z')).toBe('abbz');
    expect(render('{{$.Name}}')).toBe('bb');
  });

  it("refuses what Go refuses: an unknown field of the volume, an unknown function, an unclosed block", () => {
    expect(() => render('{{.Bogus}}')).toThrow(/can't evaluate field Bogus/);
    expect(() => parseTemplate('{{nosuch .Name}}')).toThrow(/function "nosuch" not defined/);
    expect(() => parseTemplate('{{if .Name}}x')).toThrow(TemplateError);
    expect(() => parseTemplate('{{.Name')).toThrow(/unclosed action/);
    expect(() => parseTemplate('{{end}}')).toThrow(/unexpected \{\{end\}\}/);
  });

  it('makes a table: a header from the fields, columns as podman\'s tabwriter aligns them', () => {
    const t = parseTemplate('table {{.Driver}}\\t{{.Name}}');
    expect(t.table).toBe(true);
    expect(t.header({ Name: 'VOLUME NAME' })).toBe('DRIVER\tVOLUME NAME');
    expect(parseTemplate('table {{.MountCount}}\\t{{.CreatedAt}}').header()).toBe('MOUNT COUNT\tCREATED AT');
    expect(tabwrite(['DRIVER\tVOLUME NAME', 'local\taa'])).toEqual(['DRIVER      VOLUME NAME', 'local       aa']);
    expect(tabwrite(['VOLUME NAME\tMOUNT COUNT\tX', 'ex\t0\ty'])).toEqual(['VOLUME NAME  MOUNT COUNT  X', 'ex           0            y']);
  });
});
