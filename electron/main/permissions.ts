/** The part of an Electron session whose permission decisions we make. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl?: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (contents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean,
  ): void;
  setDevicePermissionHandler?(handler: () => boolean): void;
}

/**
 * Electron grants every permission request unless told otherwise (checklist item 5). A log
 * console needs two things: to put text on the clipboard (copy a row, a value, the raw record),
 * which Chromium asks for as `clipboard-sanitized-write`, and desktop notifications for new
 * high-severity alerts — both granted to our own page only. Everything else (camera, microphone,
 * location, clipboard reads, MIDI, HID, serial, opening external links…) is refused, asked or
 * merely checked.
 */
const OWN_PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'notifications']);

export function decidePermissions(session: PermissionSession, appOrigin: string): void {
  const allowed = (permission: string, url: string | undefined): boolean =>
    OWN_PAGE_PERMISSIONS.has(permission) && url !== undefined && originOf(url) === appOrigin;
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowed(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler?.(() => false);
}

function originOf(url: string): string | undefined {
  try {
    // A custom standard scheme's origin: scheme and host, as Chromium reports it.
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}
