/**
 * Renumbers labels (community or component ids) to 0..C-1 in order of each label's first node,
 * so results do not depend on the ids an algorithm happened to use. Returns the label count.
 * In place, O(n); labels are integers >= 0.
 */
export function canonicalize(labels: Int32Array | Uint32Array): number {
  let top = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > top) top = labels[i];
  let c = 0;
  if (top <= 4 * labels.length + 1024) {
    const remap = new Int32Array(top + 1).fill(-1);
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (remap[l] < 0) remap[l] = c++;
      labels[i] = remap[l];
    }
    return c;
  }
  const remap = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    let r = remap.get(labels[i]);
    if (r === undefined) remap.set(labels[i], (r = c++));
    labels[i] = r;
  }
  return c;
}

/** Members of each label: sizes per label (Int32Array of C). */
export function labelSizes(labels: Int32Array, count: number): Int32Array {
  const sizes = new Int32Array(count);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  return sizes;
}
