/** Bundles one TypeScript entry point with the workspace's own sources; dependencies stay external (see bundle.mjs). */
export function bundle(options: { root: string; entryPath: string; outfile: string; metafile?: string }): Promise<void>;
