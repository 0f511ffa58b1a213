/** The flags every headless launch uses. */
export declare const CHROMIUM_ARGS: readonly string[];
/** The Chromium on PATH (`chromium`, else `chromium-browser`), or undefined. */
export declare function findChromium(): string | undefined;
