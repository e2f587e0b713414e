import packageJson from '../../package.json' with { type: 'json' };

/** The version reports and exports name (package.json's, bundled at build time). */
export const AUDITSCOPE_VERSION: string = packageJson.version;
