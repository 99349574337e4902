/** Set at build time from package.json; 'dev' when running from source. */
declare const __LEADLENS_VERSION__: string | undefined;
export const LEADLENS_VERSION: string = typeof __LEADLENS_VERSION__ === 'string' ? __LEADLENS_VERSION__ : 'dev';
