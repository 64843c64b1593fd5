/** Comparison-graph structure: which subjects can be placed on one scale. */

/** Connected components of an undirected graph given as edges over n nodes (each sorted, by smallest member). */
export function connectedComponents(n: number, edges: readonly (readonly [number, number])[]): number[][] {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== root) root = parent[root] ?? root;
    while (parent[x] !== root) {
      const next = parent[x] ?? root;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  for (const [a, b] of edges) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  return groupByKey(n, find);
}

/** Strongly connected components of a directed graph (Tarjan, iterative), each sorted, by smallest member. */
export function stronglyConnectedComponents(n: number, successors: readonly (readonly number[])[]): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const componentOf = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let start = 0; start < n; start++) {
    if (index[start] !== -1) continue;
    const work: [number, number][] = [[start, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [node, edge] = frame;
      if (edge === 0 && index[node] === -1) {
        index[node] = low[node] = counter++;
        stack.push(node);
        onStack[node] = 1;
      }
      const next = successors[node]?.[edge];
      if (next !== undefined) {
        frame[1] = edge + 1;
        if (index[next] === -1) work.push([next, 0]);
        else if (onStack[next]) low[node] = Math.min(low[node] ?? 0, index[next] ?? 0);
        continue;
      }
      work.pop();
      const parentFrame = work[work.length - 1];
      if (parentFrame) low[parentFrame[0]] = Math.min(low[parentFrame[0]] ?? 0, low[node] ?? 0);
      if (low[node] === index[node]) {
        let member: number | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack[member] = 0;
          componentOf[member] = components;
        } while (member !== node);
        components++;
      }
    }
  }
  return groupByKey(n, (i) => componentOf[i] ?? 0);
}

function groupByKey(n: number, keyOf: (i: number) => number): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  return [...groups.values()].sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0));
}
