import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const Bounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
const SavedWindow = z.object({ bounds: Bounds, maximized: z.boolean() });
export type SavedWindow = z.infer<typeof SavedWindow>;

export const DEFAULT_SIZE = { width: 1440, height: 900 };
export const MIN_SIZE = { width: 960, height: 600 };
/** How much of the title bar must land on a screen for the saved place to be usable. */
const GRIP = { width: 120, height: 40 };

/** A saved window placement, or undefined when the file is missing, damaged or of another shape. */
export function parseSavedWindow(value: unknown): SavedWindow | undefined {
  const parsed = SavedWindow.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Where the window opens: where it was, when enough of its top edge is still on one of today's
 * screens (a monitor unplugged since must not strand it off-screen) and shrunk to fit that
 * screen; otherwise the default size, centred by the window system.
 */
export function placeWindow(
  saved: SavedWindow | undefined,
  workAreas: readonly Rect[],
): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  if (saved === undefined) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const { bounds } = saved;
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: GRIP.height };
  const screen = workAreas.find((area) => {
    const overlap = intersection(titleBar, area);
    return overlap.width >= Math.min(GRIP.width, bounds.width) && overlap.height >= GRIP.height;
  });
  if (screen === undefined) return { bounds: { ...DEFAULT_SIZE }, maximized: saved.maximized };
  const width = Math.max(MIN_SIZE.width, Math.min(bounds.width, screen.width));
  const height = Math.max(MIN_SIZE.height, Math.min(bounds.height, screen.height));
  return {
    bounds: {
      x: Math.min(Math.max(bounds.x, screen.x), screen.x + screen.width - width),
      y: Math.min(Math.max(bounds.y, screen.y), screen.y + screen.height - height),
      width,
      height,
    },
    maximized: saved.maximized,
  };
}

function intersection(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}
