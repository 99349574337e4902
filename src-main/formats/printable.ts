/** A snippet of file content safe to quote in a one-line error: control and replacement characters become '?'. */
export function printable(s: string, max = 40): string {
  // Control characters are exactly what this removes.
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
