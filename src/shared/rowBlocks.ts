/**
 * Rows one call of a per-row loop takes (the Linux source's region columns, regionsFromColumns,
 * region.linux). A loop over all of them, run once a snapshot, was compiled again by each of a
 * process's first several snapshots: replaced on the stack while it ran, then thrown away at the
 * first code after it that had not run yet, and each compilation took a core from the read of
 * smaps. Called block by block, a loop is optimized within the first snapshot, with the feedback
 * of whole calls, and stays so.
 */
export const BLOCK = 2048;
