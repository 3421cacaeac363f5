// The bounds that keep hostile config files from exhausting memory, stack or time.

/** Far above any real config file (the largest realistic one is a few hundred KiB). */
export const maxFileBytes = 5 * 1024 * 1024;
/** Deeper than any sensible config (ours nests 6 levels), shallow enough that no recursion overflows. */
export const maxDepth = 64;
/** yaml's guard against exponential alias expansion ("billion laughs"). */
export const maxAliasCount = 100;
/** A CA bundle is a few KiB; a system bundle is about 200 KiB. Anything far larger is not a CA file. */
export const maxCaFileBytes = 1024 * 1024;
