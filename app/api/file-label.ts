// The name of the file a page uploads, as the person chose it (File.name): said in the import's
// errors and in the commands they suggest. It comes from the page, so only a plain base name is
// taken: no path, no control character, no more than a file name may hold. Anything else is
// dropped, and the errors say ARCHIVE.tar.

const MAX = 255;

export function fileLabel(raw: string | null | undefined): string | undefined {
  if (!raw || raw.length > MAX || raw === '.' || raw === '..') return undefined;
  if (/[\u0000-\u001f\u007f-\u009f/\\]/.test(raw)) return undefined;
  return raw;
}
