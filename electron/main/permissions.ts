/** The part of an Electron session whose permission decisions we make. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler?(handler: () => boolean): void;
}

/**
 * Electron grants every permission request unless told otherwise (checklist item 5). A log
 * console needs none: camera, microphone, location, notifications, clipboard reads, MIDI, HID,
 * serial, opening external links… all are refused, asked or merely checked.
 */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}
