/**
 * Runs `fn` once the browser has presented the next frame: requestAnimationFrame runs just before that frame's
 * rendering, and a task queued from there runs after it. Work started here (mounting panels, issuing calls) cannot
 * hold back what was drawn before. Returns the function that cancels it.
 */
export function afterNextPaint(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => (timer = setTimeout(fn, 0)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
