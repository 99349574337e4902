/**
 * Asks for the latest wanted value once nothing new has been wanted for `restMs` (the very first at once): work
 * that follows the view (measurements) runs when a pan rests, not on every frame. One timer, pushed back while
 * wants keep coming: re-arming a timer on every frame cost more than the frame's drawing.
 */
export function createRestedRequest<T>(restMs: number, request: (value: T) => void) {
  let wanted: { value: T; at: number } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = false;
  function fire(): void {
    const w = wanted;
    const wait = w ? w.at - performance.now() : 0;
    if (w && wait > 0) {
      timer = setTimeout(fire, wait);
      return;
    }
    timer = undefined;
    wanted = undefined;
    if (!w) return;
    asked = true;
    request(w.value);
  }
  return {
    want(value: T): void {
      const delay = asked ? restMs : 0;
      wanted = { value, at: performance.now() + delay };
      timer ??= setTimeout(fire, delay);
    },
    cancel(): void {
      wanted = undefined;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
