// The go-to-time box of a long recording: "hh:mm:ss", "mm:ss" or seconds (decimals allowed) from the record's start.

/** Seconds from the record start, or an error line for text that is not a time within the record. */
export function parseGoToTime(text: string, durationSeconds: number): { seconds: number } | { error: string } {
  const t = text.trim();
  const m = /^(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d+)?)$/.exec(t);
  if (!m) return { error: `"${t}" is not a time: use hh:mm:ss, mm:ss or seconds` };
  const parts = [m[1], m[2], m[3]].filter((p) => p !== undefined).map(Number);
  if (parts.length > 1 && parts.slice(1).some((p) => p >= 60)) return { error: `"${t}": minutes and seconds must be under 60` };
  const seconds = parts.reduce((acc, p) => acc * 60 + p, 0);
  if (seconds > durationSeconds) return { error: `"${t}" is past the end of the record (${durationSeconds.toFixed(1)} s)` };
  return { seconds };
}
