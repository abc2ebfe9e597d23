export function bundle(entry: string, outDir: string): void;
