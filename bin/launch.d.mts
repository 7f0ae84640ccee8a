/** The types of launch.mjs (see there). */
export function newest(dir: string): number;
export function isBuilt(root?: string): boolean;
export function load(name: 'cli' | 'main'): Promise<Record<string, unknown>>;
