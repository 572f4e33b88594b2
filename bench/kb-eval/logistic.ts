/** Logistic regression by Newton's method with a little L2, for fitting the confidence model (a handful of features). */
export function fitLogistic(rows: readonly number[][], labels: readonly number[], l2 = 1e-3, iterations = 50): number[] {
  const dims = (rows[0]?.length ?? 0) + 1;
  const w = new Array<number>(dims).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(dims).fill(0);
    const hess = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
    rows.forEach((row, n) => {
      const x = [1, ...row];
      const p = 1 / (1 + Math.exp(-x.reduce((sum, xi, i) => sum + xi * w[i]!, 0)));
      for (let i = 0; i < dims; i++) {
        grad[i]! += (p - labels[n]!) * x[i]!;
        for (let j = 0; j < dims; j++) hess[i]![j]! += p * (1 - p) * x[i]! * x[j]!;
      }
    });
    for (let i = 0; i < dims; i++) {
      grad[i]! += l2 * w[i]!;
      hess[i]![i]! += l2;
    }
    const step = solve(hess, grad);
    for (let i = 0; i < dims; i++) w[i]! -= step[i]!;
  }
  return w;
}

/** Solves A x = b by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = m[r]![n]!;
    for (let c = r + 1; c < n; c++) sum -= m[r]![c]! * x[c]!;
    x[r] = sum / m[r]![r]!;
  }
  return x;
}
