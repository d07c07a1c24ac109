/** Whether an element's top is off screen (above it, or too near the bottom to be seen). */
export function outOfView(rect: Pick<DOMRect, 'top' | 'bottom'>, viewportHeight: number, margin = 80): boolean {
  return rect.top < 0 || rect.top > viewportHeight - margin;
}
