import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, parseSavedWindow, placeWindow } from './window-state.ts';

const laptop = { x: 0, y: 0, width: 1920, height: 1080 };
const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1440 };

describe('window placement', () => {
  it('opens at the default size the first time', () => {
    expect(placeWindow(undefined, [laptop])).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
  });

  it('reopens where it was, maximized or not', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 1600, height: 1000 }, maximized: true };
    expect(placeWindow(saved, [laptop, rightMonitor])).toEqual(saved);
  });

  it('does not strand the window on a monitor that is gone', () => {
    const saved = { bounds: { x: 2000, y: 100, width: 1600, height: 1000 }, maximized: false };
    expect(placeWindow(saved, [laptop])).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
  });

  it('pulls a window that hangs off the edge back on, and shrinks it to the screen', () => {
    const saved = { bounds: { x: 1700, y: 10, width: 3000, height: 2000 }, maximized: false };
    expect(placeWindow(saved, [laptop]).bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
    const offLeft = { bounds: { x: -1000, y: 50, width: 1200, height: 800 }, maximized: false };
    expect(placeWindow(offLeft, [laptop]).bounds).toEqual({ x: 0, y: 50, width: 1200, height: 800 });
  });

  it('treats a damaged or foreign file as no saved placement', () => {
    for (const value of [
      undefined,
      null,
      'x',
      { bounds: { x: 0 } },
      { bounds: { ...laptop, width: -1 }, maximized: false },
    ]) {
      expect(parseSavedWindow(value)).toBeUndefined();
    }
    expect(parseSavedWindow({ bounds: laptop, maximized: false })).toEqual({
      bounds: laptop,
      maximized: false,
    });
  });
});
