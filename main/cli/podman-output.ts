// What `volume ls` and `volume inspect` print, as podman 4.3 prints it: inspect as a JSON list
// indented by five spaces (podman's), ls --format json by two; podman's keys in its order with
// its empty ones left out, Options sorted as Go sorts a map, NeedsCopyUp and NeedsChown as
// podman shows a volume no container has used; then this app's own keys. Templates see every
// field podman's struct has, empty ones too, as Go's templates do.

import type { VolumeInspect } from '../../app/api/types.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { inInspectOrder } from '../../app/volume/view.js';
import { parseTemplate, tabwrite, TemplateError, type Template } from './go-template.js';

const sorted = (m: Record<string, string>) => Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]!]));

/**
 * A view as podman's inspect and ls --format json show it: inspect's order (view.ts), with
 * podman's empty ones left out (a zero UID, GID or Timeout, an empty Status), Labels and Options
 * sorted as Go sorts a map, and NeedsCopyUp and NeedsChown after MountCount.
 */
export function podmanJson(v: VolumeInspect): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(inInspectOrder(v))) {
    if ((k === 'UID' || k === 'GID' || k === 'Timeout') && !x) continue;
    if (k === 'Status' && !Object.keys(x as object).length) continue;
    out[k] = k === 'Labels' || k === 'Options' ? sorted(x as Record<string, string>) : x;
    if (k === 'MountCount') Object.assign(out, { NeedsCopyUp: true, NeedsChown: true });
  }
  return out;
}

/** A view as podman's templates see it: every field of podman's volume, zero values included. */
export function templateData(v: VolumeInspect): Record<string, unknown> {
  return { Anonymous: false, Status: {}, UID: 0, GID: 0, Timeout: 0, ...podmanJson(v) };
}

export const inspectJson = (views: VolumeInspect[]) => JSON.stringify(views.map(podmanJson), null, 5);
export const lsJson = (views: VolumeInspect[]) => JSON.stringify(views.map(podmanJson), null, 2);

/** `json` and `{{json .}}` both mean the whole list as JSON, as podman reads them. */
export const isJsonFormat = (format: string) => format === 'json' || /^\{\{\s*json\s+\.\s*\}\}$/.test(format.trim());

/** A --format value as a template; an invalid one is a clear error naming where. */
export function template(format: string, verb: string): Template {
  try {
    return parseTemplate(format);
  } catch (err) {
    if (err instanceof TemplateError) throw invalidRequest(`${err.message.replace(/^template: /, `template: ${verb}:`)}`);
    throw err;
  }
}

/** Each view through `t`, one line each, with a header when `t` is a table and `heading`. */
export function rendered(t: Template, views: VolumeInspect[], verb: string, heading: boolean): string[] {
  const rows = views.map((v) => {
    try {
      return t.render(templateData(v));
    } catch (err) {
      if (err instanceof TemplateError) throw invalidRequest(`template: ${verb}: executing "${verb}": ${err.message}`);
      throw err;
    }
  });
  const lines = t.table && heading ? [t.header({ Name: 'VOLUME NAME' }), ...rows] : rows;
  return t.table ? tabwrite(lines) : lines;
}
